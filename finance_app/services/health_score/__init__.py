"""The financial health score: 0-100 from parts a household can act on (score.py computes it
from figures; figures.py reads them from the ledger core, budgets and debts)."""
