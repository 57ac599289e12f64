"""catalog_version: a counter that every write to the catalogue's tables moves, kept by triggers

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 02:45:00.000000

The feed cache's stamp (calendar_svc/feed_cache.catalog_stamp) reads this one row instead of counting
the event tables on every feed request (a count of a 100,000-event store costs milliseconds on SQLite
and more on PostgreSQL). Any insert, update or delete on the tables below moves it, whoever writes:
ingest, retraction, or a direct write that does not touch catalog_state.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TABLES = ("catalog_state", "events", "event_sources", "event_countries", "event_processes", "event_changes")

# PostgreSQL: once per statement, before it touches a row, so every writer of the catalogue takes the
# counter's row lock first (one lock order: no deadlock with catalog_state or event rows).
_PG_FUNCTION = """
CREATE FUNCTION calendar_svc_catalog_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE catalog_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END $$
"""
_BUMP = "UPDATE catalog_version SET version = version + 1 WHERE id = 1;"


def upgrade() -> None:
    op.create_table(
        "catalog_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute("INSERT INTO catalog_version (id, version) VALUES (1, 0)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_catalog_version BEFORE INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION calendar_svc_catalog_version()"
            )
        return
    for table in TABLES:  # SQLite has row triggers only (and one writer at a time)
        for kind in ("insert", "update", "delete"):
            op.execute(f"CREATE TRIGGER {table}_{kind}_catalog_version AFTER {kind.upper()} ON {table} BEGIN {_BUMP} END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER {table}_catalog_version ON {table}")
        op.execute("DROP FUNCTION calendar_svc_catalog_version()")
    else:
        for table in TABLES:
            for kind in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER {table}_{kind}_catalog_version")
    op.drop_table("catalog_version")
