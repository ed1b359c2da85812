"""Debts: records (CRUD through the Scope), the pure payoff planner, and plans of a household."""
