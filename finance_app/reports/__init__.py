"""Report data (plain dataclasses) and its pure renderers: CSV, XLSX and PDF bytes."""
