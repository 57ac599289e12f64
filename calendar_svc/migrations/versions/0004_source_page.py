"""event_sources.page: the page of a mention in a paged document (PDF); 0 when there are no pages

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 23:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("event_sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("page", sa.Integer(), server_default="0", nullable=False))
        batch_op.drop_constraint("uq_source_mention", type_="unique")
        batch_op.create_unique_constraint("uq_source_mention", ["event_id", "document", "page", "line"])


def downgrade() -> None:
    # Without pages, mentions on the same line of different pages are one mention: keep the first.
    op.execute(
        "DELETE FROM event_sources WHERE id NOT IN "
        "(SELECT MIN(id) FROM event_sources GROUP BY event_id, document, line)"
    )
    with op.batch_alter_table("event_sources", schema=None) as batch_op:
        batch_op.drop_constraint("uq_source_mention", type_="unique")
        batch_op.create_unique_constraint("uq_source_mention", ["event_id", "document", "line"])
        batch_op.drop_column("page")
