"""Email composition (paired text + HTML templates) and sending through Flask-Mail."""
