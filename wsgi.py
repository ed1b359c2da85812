"""WSGI entry point: `gunicorn wsgi:app`."""

from finance_app import create_app

app = create_app()
