"""Application services: use cases over storage and domain, with no `telegram` imports."""
