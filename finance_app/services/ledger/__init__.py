"""The one core for money over time: every page, report, goal and email reads it.

- `lines`: the counting lines of the ledger (income and spending, transfers left out)
- `summary`: month summaries of those lines, cached per ledger version
- `version` / `cache`: the ledger version token and the cache keyed by it
- `periods`: weeks, months, years and date ranges
- `rates`: exchange rates and the one rule for converting (latest rate on or before the day;
  none before it is a `MissingRate`, shown the same way everywhere)
- `balances`: account balances, and net worth by day or month (liabilities and archived
  accounts classified once)
"""
