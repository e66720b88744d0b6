"""Private: the argument-translation engine and value normalisation (not public API)."""
