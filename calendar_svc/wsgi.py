"""WSGI entry point: `gunicorn calendar_svc.wsgi:app`."""

from calendar_svc.app import create_app
from calendar_svc.reminders.vault import startup_check

app = create_app()
# Refuse to start when the database holds encrypted notification URLs and no key opens them.
startup_check(app.extensions["calendar_svc.sessions"])
