"""catalog_version: moved once per transaction on PostgreSQL

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 03:10:00.000000

0012's trigger function updated the counter's row on every statement. PostgreSQL keeps every version of
a row a transaction updates until it ends, and each update walks them all: a transaction of many
statements (a bulk load, a large ingest) slowed down quadratically. The function now updates the row the
first time a transaction writes to the catalogue (remembered in a transaction-local setting, undone with
the update by a rolled-back savepoint), still before that statement touches a row, so writers keep
taking the counter's lock first. SQLite is unchanged (no row versions).
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_ONCE = """
CREATE OR REPLACE FUNCTION calendar_svc_catalog_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('calendar_svc.catalog_version_moved', true) IS DISTINCT FROM 'yes' THEN
        UPDATE catalog_version SET version = version + 1 WHERE id = 1;
        PERFORM set_config('calendar_svc.catalog_version_moved', 'yes', true);
    END IF;
    RETURN NULL;
END $$
"""
_EVERY_STATEMENT = """
CREATE OR REPLACE FUNCTION calendar_svc_catalog_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE catalog_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END $$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_ONCE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_EVERY_STATEMENT)
