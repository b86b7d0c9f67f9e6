"""Editing a taxonomy's terms: add, rename, reorder, retire. Functions flush, never commit.

Terms are never deleted: plans, sessions and sites keep referring to retired ones.
"""

from __future__ import annotations

import sqlalchemy as sa

from webapp.extensions import db

#: the gap between positions given to new or renumbered terms
POSITION_STEP = 10


class TermError(Exception):
    """A rule was broken; the message is for the user and names the form field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def ordered(model) -> sa.Select:
    """Terms in display order: the same order the pickers use (taxonomy.services.choices)."""
    return sa.select(model).order_by(model.position, model.name)


def _clean_name(model, name: str | None, term=None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise TermError("name", "Введите название.")
    # Compared casefolded in Python: SQLite cannot lower-case Cyrillic, and a taxonomy is short.
    wanted = name.casefold()
    for other_id, other_name, other_active in db.session.execute(
            sa.select(model.id, model.name, model.is_active)).all():
        if other_name.casefold() == wanted and (term is None or other_id != term.id):
            if other_active:
                raise TermError("name", f"«{other_name}» уже есть в справочнике.")
            raise TermError("name", f"«{other_name}» уже есть в справочнике, но в архиве: восстановите его.")
    return name


def add_term(model, name: str | None):
    """A new active term at the end of the list."""
    name = _clean_name(model, name)
    last = db.session.scalar(sa.select(sa.func.max(model.position)))
    term = model(name=name, position=(last or 0) + POSITION_STEP, is_active=True)
    db.session.add(term)
    db.session.flush()
    return term


def rename_term(model, term, name: str | None):
    term.name = _clean_name(model, name, term)
    db.session.flush()
    return term


def move_term(model, term, step: int) -> bool:
    """Swap the term with its neighbour above (step -1) or below (+1); False at either end."""
    terms = list(db.session.scalars(ordered(model)))
    if len({t.position for t in terms}) != len(terms):
        # Equal positions (e.g. seeded as 0) cannot be swapped meaningfully: number them first.
        for index, t in enumerate(terms, start=1):
            t.position = index * POSITION_STEP
    index = terms.index(term)
    other = index + step
    if not 0 <= other < len(terms):
        db.session.flush()
        return False
    neighbour = terms[other]
    term.position, neighbour.position = neighbour.position, term.position
    db.session.flush()
    return True


def set_active(term, active: bool):
    """Retire (hidden from pickers, kept for records) or restore a term; idempotent."""
    term.is_active = active
    db.session.flush()
    return term
