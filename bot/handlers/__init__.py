"""Telegram handlers: thin, one module per feature. They parse, call a service, render."""
