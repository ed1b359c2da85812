"""Recurring series (detection, a member's edits, the bills calendar, the iCal feed) and anomaly
flags. `upcoming_occurrences` is the API forecasts build on."""
