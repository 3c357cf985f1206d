"""Pure domain logic: no I/O, no `telegram` imports."""
