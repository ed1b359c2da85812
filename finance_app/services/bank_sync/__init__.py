"""Bank sync with Plaid: linking Items, matching their accounts, syncing transactions and
balances into the ledger, and the states the UI shows. Callers pass a PlaidClient."""
