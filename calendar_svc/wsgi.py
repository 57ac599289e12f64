"""WSGI entry point: `gunicorn calendar_svc.wsgi:app`."""

from calendar_svc.app import create_app

app = create_app()
