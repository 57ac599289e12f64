"""subscriptions: digests (period, day, hour, time zone, weeks ahead, empty ones) and sealed targets

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 23:50:00.000000

Schema only. Existing subscriptions get no digest and keep their notification URLs in plaintext
(`targets`) until `calendar-svc keys encrypt-existing` seals them into `targets_sealed` under the key
of CALENDAR_SVC_SECRET_KEYS / CALENDAR_SVC_SECRET_KEY_FILE (docs/security.md): a migration cannot
assume the key is present where `db upgrade` runs.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("targets_sealed", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("events_after", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("digest", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("digest_weekday", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("digest_hour", sa.Integer(), server_default="9", nullable=False))
        batch_op.add_column(
            sa.Column(
                "digest_timezone", sa.String(length=64), server_default="Europe/Brussels", nullable=False
            )
        )
        batch_op.add_column(sa.Column("digest_weeks", sa.Integer(), server_default="4", nullable=False))
        batch_op.add_column(
            sa.Column("digest_empty", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    """Refuses while URLs are sealed: dropping the column would lose them (unseal is not offered)."""
    bind = op.get_bind()
    sealed = bind.execute(sa.text("SELECT count(*) FROM subscriptions WHERE targets_sealed IS NOT NULL"))
    if sealed.scalar():
        raise RuntimeError(
            "subscriptions hold encrypted notification URLs: downgrading below 0007 would lose them"
        )
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        for name in (
            "digest_empty", "digest_weeks", "digest_timezone", "digest_hour", "digest_weekday", "digest",
            "events_after", "targets_sealed",
        ):  # fmt: skip
            batch_op.drop_column(name)
