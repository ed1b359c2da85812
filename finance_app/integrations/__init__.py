"""Wrappers around outside APIs: one module per provider, nothing else talks to them."""
