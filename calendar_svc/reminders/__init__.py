"""Reminders and change notices through Apprise (docs/reminders.md).

planner.py plans due outbox rows, outbox.py claims and marks them, sender.py sends through Apprise,
messages.py renders them, secrets.py masks and validates notification URLs, subscriptions.py manages
subscriptions, worker.py runs passes.
"""

from calendar_svc.reminders.planner import Schedule
from calendar_svc.reminders.worker import PassReport, WorkerOptions, run_forever, run_pass

__all__ = ["PassReport", "Schedule", "WorkerOptions", "run_forever", "run_pass"]
