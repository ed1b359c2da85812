"""The weekly summary email: who is due when (`due`), what it says (`content`), and sending it
exactly once per member and week with retries and bounces recorded (`sending`)."""
