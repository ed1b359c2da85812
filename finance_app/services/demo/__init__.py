"""The demo household and the sample-data generator (kept apart from the domain it exercises)."""
