"""One commit per request, on SQLite as on PostgreSQL: a savepoint inside a request's loop (one
nomination, one roster approval, one certificate number tried) undoes only its own part on an
error and never commits anything by itself (webapp.extensions.savepoint)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from webapp.extensions import savepoint
from webapp.orgs.models import Municipality


def _names(db) -> set[str]:
    return set(db.session.scalars(sa.select(Municipality.name).where(Municipality.name.like("Пробный%"))))


def test_a_savepoint_before_any_write_does_not_commit(db):
    db.session.rollback()
    assert _names(db) == set()  # a read first: pysqlite has no transaction open yet
    with savepoint():
        db.session.add(Municipality(name="Пробный район"))
    assert _names(db) == {"Пробный район"}
    db.session.rollback()  # the request fails later: nothing of it stays
    assert _names(db) == set()


def test_a_failed_savepoint_undoes_only_itself_and_the_rest_commits_together(db):
    db.session.rollback()
    with savepoint():
        db.session.add(Municipality(name="Пробный первый"))
    with pytest.raises(IntegrityError), savepoint():
        db.session.add(Municipality(name="Пробный первый"))  # a twin: unique name
    with savepoint():
        db.session.add(Municipality(name="Пробный второй"))
    db.session.commit()
    assert _names(db) == {"Пробный первый", "Пробный второй"}
    db.session.execute(sa.delete(Municipality).where(Municipality.name.like("Пробный%")))
    db.session.commit()


def test_no_code_opens_a_savepoint_but_through_the_helper():
    """`db.session.begin_nested()` directly would commit on SQLite (see webapp.extensions.savepoint)."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    files = [path for folder in ("webapp", "scripts") for path in (root / folder).rglob("*.py")]
    offenders = [str(path.relative_to(root)) for path in files
                 if "begin_nested(" in path.read_text(encoding="utf-8") and path.name != "extensions.py"]
    assert offenders == []


def test_the_database_refuses_a_row_that_points_nowhere(db):
    """Foreign keys are checked by the database itself, on SQLite as on PostgreSQL."""
    from webapp.calendar.models import CalendarFeed

    db.session.rollback()
    with pytest.raises(IntegrityError):
        db.session.execute(sa.insert(CalendarFeed.__table__).values(
            user_id=987654321, kind="personal", selector="nobody-at-all", created_dt=sa.func.now(),
            updated_dt=sa.func.now()))
        db.session.flush()
    db.session.rollback()
