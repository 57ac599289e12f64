"""event_texts: rendered VEVENTs per event revision and base URL; events.revision kept by triggers

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 23:40:00.000000

Existing stores are back-filled lazily: a feed renders the events it lacks text for and stores it
(calendar_svc/feed_texts.py); every later ingest renders what it writes.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Tables whose rows are part of an event's VEVENT (sources, countries, processes): any change to one of
# their rows bumps its event's revision, as does any update of the event row itself.
CHILDREN = ("event_sources", "event_countries", "event_processes")

_PG_CHILD = """
CREATE FUNCTION calendar_svc_child_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE events SET revision = revision + 1 WHERE id = OLD.event_id;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.event_id <> OLD.event_id) THEN
        UPDATE events SET revision = revision + 1 WHERE id = NEW.event_id;
    END IF;
    RETURN NULL;
END $$
"""
_PG_EVENT = """
CREATE FUNCTION calendar_svc_event_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.revision = OLD.revision THEN
        NEW.revision := OLD.revision + 1;
    END IF;
    RETURN NEW;
END $$
"""


def _sqlite_triggers() -> list[str]:
    bump = "UPDATE events SET revision = revision + 1 WHERE id = {row}.event_id;"
    statements = [
        "CREATE TRIGGER events_revision AFTER UPDATE ON events WHEN NEW.revision = OLD.revision "
        "BEGIN UPDATE events SET revision = OLD.revision + 1 WHERE id = NEW.id; END"
    ]
    for table in CHILDREN:
        statements += [
            f"CREATE TRIGGER {table}_insert_revision AFTER INSERT ON {table} "
            f"BEGIN {bump.format(row='NEW')} END",
            f"CREATE TRIGGER {table}_delete_revision AFTER DELETE ON {table} "
            f"BEGIN {bump.format(row='OLD')} END",
            f"CREATE TRIGGER {table}_update_revision AFTER UPDATE ON {table} "
            f"BEGIN {bump.format(row='OLD')} "
            "UPDATE events SET revision = revision + 1 WHERE id = NEW.event_id AND NEW.event_id <> OLD.event_id; "
            "END",
        ]
    return statements


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "event_texts",
        sa.Column("base", sa.String(length=255), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("span", sa.Text(), nullable=False),
        sa.Column("marker", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("base", "event_id"),
    )
    with op.batch_alter_table("event_texts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_texts_event_id"), ["event_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_CHILD)
        op.execute(_PG_EVENT)
        op.execute(
            "CREATE TRIGGER events_revision BEFORE UPDATE ON events "
            "FOR EACH ROW EXECUTE FUNCTION calendar_svc_event_revision()"
        )
        for table in CHILDREN:
            op.execute(
                f"CREATE TRIGGER {table}_revision AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION calendar_svc_child_revision()"
            )
    else:
        for statement in _sqlite_triggers():
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in CHILDREN:
            op.execute(f"DROP TRIGGER {table}_revision ON {table}")
        op.execute("DROP TRIGGER events_revision ON events")
        op.execute("DROP FUNCTION calendar_svc_child_revision()")
        op.execute("DROP FUNCTION calendar_svc_event_revision()")
    else:
        op.execute("DROP TRIGGER events_revision")
        for table in CHILDREN:
            for kind in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER {table}_{kind}_revision")
    with op.batch_alter_table("event_texts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_texts_event_id"))
    op.drop_table("event_texts")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("revision")
