"""Forecasts: next month's spending per category and in total, learnt from the household's own
months (see monthly.py for the model and backtest.py for how it is checked)."""
