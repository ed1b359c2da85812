"""Reports: the one report-data builder over the ledger core, tax mapping and report files."""
