"""Channels: the offline console and the fake Bot API that stand in for Telegram."""
