"""event_countries.reasons: why an event carries a country (section, venue, participant; comma-separated)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 00:25:00.000000

Existing rows get no reason (an empty string) until a document naming the event is ingested again.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch: a batch rebuilds the SQLite table and would drop its revision triggers
# (0005). SQLite drops a column in place from 3.35 on.


def upgrade() -> None:
    op.add_column("event_countries", sa.Column("reasons", sa.String(length=40), server_default="", nullable=False))


def downgrade() -> None:
    op.drop_column("event_countries", "reasons")
