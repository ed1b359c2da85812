"""Budgets and the alerts they raise."""
