"""Storage: all SQL lives in this package."""
