"""Saving recommendations: what changed in the household's spending, with the numbers behind it
(recommendations.py finds them from the ledger core; store.py keeps them, dismissable)."""
