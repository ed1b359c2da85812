"""The domain: plain functions taking (session, scope, ...) that know nothing of requests."""
