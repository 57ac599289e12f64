"""documents: format, warnings, state (active | retracted), source URL and HTTP validators;
event_sources.reading: what each mention says, so a retraction can re-derive its events

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 23:45:00.000000

Existing documents become `active`; their format and warnings are unknown (NULL / empty) until they
are ingested again. Existing mentions have no `reading` (NULL): docs/identity.md says how a retraction
treats events that still rest on such mentions.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("format", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("warnings", sa.JSON(), server_default="[]", nullable=False))
        batch_op.add_column(sa.Column("state", sa.String(length=12), server_default="active", nullable=False))
        batch_op.add_column(sa.Column("retracted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("source_url", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("http_etag", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("http_last_modified", sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f("ix_documents_source_url"), ["source_url"], unique=False)
    # ADD COLUMN in place (a batch copy would drop migration 0005's triggers on event_sources)
    op.add_column("event_sources", sa.Column("reading", sa.JSON(), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+), not a batch copy: a copied table would lose the revision
    # triggers migration 0005 put on event_sources.
    op.drop_column("event_sources", "reading")
    op.drop_index(op.f("ix_documents_source_url"), table_name="documents")
    for column in ("http_last_modified", "http_etag", "source_url", "retracted_at", "state", "warnings", "format"):
        op.drop_column("documents", column)
