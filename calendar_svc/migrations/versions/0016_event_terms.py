"""event_terms: the (title word, month) pairs each event is filed under for identity matching

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 08:00:00.000000

A merge compared each mention with the stored events sharing a title word and a month with it, found by
reading every event in the document's dates (~170,000 rows for the five samples in a 100,000-event
store, bench/scale.py, issue 17). With this table it looks the pairs up in an index. Filled here from the
events (calendar_svc.terms), then kept in step by the ORM (calendar_svc.models._keep_terms). SQLite
keeps it WITHOUT ROWID: the primary key is the whole row.
"""

import sqlalchemy as sa
from alembic import op

from calendar_svc.terms import terms

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_BATCH = 5000


def upgrade() -> None:
    table = op.create_table(
        "event_terms",
        sa.Column("word", sa.Text(), nullable=False),
        sa.Column("month", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("word", "month", "event_id"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_event_terms_event_id", "event_terms", ["event_id"], unique=False)
    events = sa.table(
        "events", sa.column("id"), sa.column("key"), sa.column("start", sa.Date), sa.column("end", sa.Date)
    )
    connection = op.get_bind()
    rows = []
    for event_id, key, start, end in connection.execute(
        sa.select(events).where(events.c.start.is_not(None))
    ).all():
        rows += (
            {"word": word, "month": month, "event_id": event_id} for word, month in terms(key, start, end)
        )
        if len(rows) >= _BATCH:
            connection.execute(table.insert(), rows)
            rows = []
    if rows:
        connection.execute(table.insert(), rows)


def downgrade() -> None:
    op.drop_index("ix_event_terms_event_id", table_name="event_terms")
    op.drop_table("event_terms")
