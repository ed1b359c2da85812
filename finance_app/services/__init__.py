"""The domain: plain functions taking (session, user_id, ...) that know nothing of requests."""
