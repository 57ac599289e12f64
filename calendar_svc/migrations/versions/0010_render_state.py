"""render_state: the fingerprint of the code that rendered the stored feed text

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-01 01:05:00.000000

Text stored before this revision has no fingerprint: the first process that reads or writes feed text
drops it and renders it again (calendar_svc/renderer.py).
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "render_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("render_state")
