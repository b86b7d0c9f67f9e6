"""The held-connection reads of the calendar's 304 path (webapp/hotread.py): they see every
commit, survive a dropped connection, close with their engine, and never leak autocommit into the
pool."""

from __future__ import annotations

from functools import cache

import pytest
import sqlalchemy as sa
from conftest import count_queries

from webapp import hotread
from webapp.orgs.models import Municipality


@cache
def _names():
    return (sa.select(Municipality.name).where(Municipality.name.like(sa.bindparam("pattern")))
            .order_by(Municipality.name))


def _add(db, name: str) -> None:
    db.session.add(Municipality(name=name))
    db.session.commit()


def test_reads_see_each_commit_and_are_counted(db):
    _add(db, "Абинский район")
    assert hotread.read(db.engine, _names(), {"pattern": "А%"}) == [("Абинский район",)]
    _add(db, "Анапа")  # committed by another connection after the held one first read
    with count_queries(db.engine) as statements:
        rows = hotread.read(db.engine, _names(), {"pattern": "А%"})
    assert rows == [("Абинский район",), ("Анапа",)]
    assert len(statements) == 1 and "municipalities" in statements[0]


def test_held_connection_is_out_of_the_pool_and_its_autocommit_never_reaches_a_session(db):
    _add(db, "Белореченский район")
    hotread.read(db.engine, _names(), {"pattern": "Б%"})
    # a request's work still runs in a transaction that a rollback undoes
    db.session.add(Municipality(name="Брюховецкий район"))
    db.session.flush()
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Municipality)) == 1
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as conn:
            assert conn.connection.driver_connection.autocommit is False


def test_a_bad_statement_raises_and_the_next_read_works(db):
    _add(db, "Ейский район")
    with pytest.raises(db.engine.dialect.loaded_dbapi.Error):
        hotread.read(db.engine, sa.select(sa.text("no_such_column")).select_from(Municipality.__table__), {})
    assert hotread.read(db.engine, _names(), {"pattern": "Е%"}) == [("Ейский район",)]


def test_dispose_closes_held_connections(db):
    hotread.read(db.engine, _names(), {"pattern": "%"})
    held = hotread._held(db.engine)
    db.engine.dispose()
    assert hotread._held(db.engine) is not held  # a new one after the engine was disposed
    assert hotread.read(db.engine, _names(), {"pattern": "%"}) == []


def test_a_dropped_connection_is_replaced_and_the_read_retried(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("a server that drops connections: PostgreSQL")
    _add(db, "Кореновский район")
    hotread.read(db.engine, _names(), {"pattern": "К%"})
    pid = hotread._held(db.engine).dbapi.info.backend_pid
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar() is True
    assert hotread.read(db.engine, _names(), {"pattern": "К%"}) == [("Кореновский район",)]
    assert hotread._held(db.engine).dbapi.info.backend_pid != pid
