"""Badges: the rule registry, the facts rules read from the ledger core, awarding and progress."""
