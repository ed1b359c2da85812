"""WSGI entry point: `gunicorn wsgi:app`."""

from finance_app import create_app, freeze_startup_heap

app = create_app()
freeze_startup_heap()
