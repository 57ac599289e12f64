"""indexes for /api/events at scale: tag -> event ids, (start, uid, end) paging

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 06:30:00.000000
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_start_uid_end", ["start", "uid", "end"], unique=False)
    with op.batch_alter_table("event_countries", schema=None) as batch_op:
        batch_op.create_index("ix_event_countries_code_event", ["code", "event_id"], unique=False)
    with op.batch_alter_table("event_processes", schema=None) as batch_op:
        batch_op.create_index("ix_event_processes_slug_event", ["slug", "event_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("event_processes", schema=None) as batch_op:
        batch_op.drop_index("ix_event_processes_slug_event")
    with op.batch_alter_table("event_countries", schema=None) as batch_op:
        batch_op.drop_index("ix_event_countries_code_event")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_start_uid_end")
