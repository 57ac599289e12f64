"""event_summaries: each event's summary at one revision, stored with its feed text

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 03:40:00.000000

Computing the summary (parsers/summaries.py) costs ~0.2 ms an event, ~19 ms for an /api/events page of
100 (bench/scale.py, issue 17); ingest now stores it when it renders an event's feed text. Existing stores
are back-filled as their feed text is (lazily); the API computes a summary it does not find.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event_summaries",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id"),
    )


def downgrade() -> None:
    op.drop_table("event_summaries")
