"""dwbot: a chat bot that helps domestic workers know and defend their rights."""

__version__ = "0.1.0"
