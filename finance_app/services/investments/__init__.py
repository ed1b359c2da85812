"""Investments: securities, trades and prices (records, files), the lot engine (lots), values
and returns (portfolio, performance) and what the pages read (overview)."""
