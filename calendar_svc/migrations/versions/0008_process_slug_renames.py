"""process slugs renamed in the catalogue (parsers/data/processes.toml `former_slugs`): stored tags and
reminder subscriptions follow

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 00:45:00.000000

Data only. Feed and page URLs of a former slug redirect (301) to the new one, so subscribers keep their
calendars; this brings stored events (their revision goes up through the triggers, so their feed text is
rendered again) and subscription filters to the new slug.
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

RENAMED = {"mediterranean-route": "eastern-mediterranean-action-plan"}


def _rename(mapping: dict[str, str]) -> None:
    bind = op.get_bind()
    for old, new in mapping.items():
        bind.execute(
            sa.text("UPDATE event_processes SET slug = :new WHERE slug = :old"), {"old": old, "new": new}
        )
    value = "CAST(:p AS JSON)" if bind.dialect.name == "postgresql" else ":p"
    rows = bind.execute(sa.text("SELECT id, processes FROM subscriptions")).all()
    for row_id, processes in rows:
        slugs = json.loads(processes) if isinstance(processes, str) else processes
        if slugs and any(slug in mapping for slug in slugs):
            renamed = json.dumps([mapping.get(slug, slug) for slug in slugs])
            update = sa.text(f"UPDATE subscriptions SET processes = {value} WHERE id = :id")
            bind.execute(update, {"p": renamed, "id": row_id})


def upgrade() -> None:
    _rename(RENAMED)


def downgrade() -> None:
    _rename({new: old for old, new in RENAMED.items()})
