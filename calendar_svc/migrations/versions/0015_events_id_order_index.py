"""index events (id, start, uid, end): a tag's page reads its events' order keys from the index

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 05:00:00.000000

An /api/events page of one country or process takes the tag's event ids from the tag index, then needs
each event's (start, uid) to order them and its window to filter them. Without this index that is one
read of the event's row per tagged event (~570 for a country at 100,000 events; on PostgreSQL mostly
pages outside its buffers, 19 ms); with it, index-only lookups (bench/scale.py, issue 17). Created in
place on SQLite too (CREATE INDEX; no table copy).
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_events_id_start_uid_end", "events", ["id", "start", "uid", "end"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_events_id_start_uid_end", table_name="events")
