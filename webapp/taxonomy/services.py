"""Pickers and edits for the taxonomies."""

from __future__ import annotations

import sqlalchemy as sa

from webapp.extensions import db


def choices(model, keep: list[int | None] | None = None) -> list[tuple[int, str]]:
    """Active terms for a picker, plus retired ones a record still uses (so an edit keeps them)."""
    keep_ids = [k for k in (keep or []) if k]
    condition = model.is_active
    if keep_ids:
        condition = sa.or_(model.is_active, model.id.in_(keep_ids))
    rows = db.session.execute(sa.select(model.id, model.name).where(condition).order_by(model.position, model.name))
    return [(row.id, row.name) for row in rows]
