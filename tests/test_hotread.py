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


def test_a_thread_s_connection_closes_when_the_thread_ends(db):
    import gc
    import threading

    _add(db, "Динской район")
    engine = db.engine  # (the threads have no app context)
    seen = []

    def work():
        rows = hotread.read(engine, _names(), {"pattern": "Д%"})
        seen.append((rows, hotread._held(engine).dbapi))

    threads = [threading.Thread(target=work) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    gc.collect()
    connections = [c for _, c in seen]
    assert [rows for rows, _ in seen] == [[("Динской район",)]] * 5
    assert len({id(c) for c in connections}) == 5
    if db.engine.dialect.name == "postgresql":
        assert all(c.closed for c in connections)
    else:  # a closed sqlite3 connection refuses cursors
        import sqlite3

        for c in connections:
            with pytest.raises(sqlite3.ProgrammingError):
                c.cursor()
    assert len(hotread._all.get(db.engine, ())) <= 1  # at most this thread's own


def test_after_a_restart_the_retry_gets_a_fresh_connection(db):
    """The server dropped every connection (a restart): the held one and the pool's recent ones.
    The read is retried on a new connection, not on another dead one from the pool."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("a server that drops connections: PostgreSQL")
    _add(db, "Лабинский район")
    hotread.read(db.engine, _names(), {"pattern": "Л%"})
    with db.engine.connect() as a, db.engine.connect() as b:  # two pooled ones, used just now
        pids = [a.execute(sa.text("SELECT pg_backend_pid()")).scalar(),
                b.execute(sa.text("SELECT pg_backend_pid()")).scalar()]
    pids.append(hotread._held(db.engine).dbapi.info.backend_pid)
    other = sa.create_engine(db.engine.url, poolclass=sa.pool.NullPool)
    with other.connect() as conn:
        for pid in pids:
            conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    other.dispose()
    assert hotread.read(db.engine, _names(), {"pattern": "Л%"}) == [("Лабинский район",)]
    db.session.remove()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Municipality)) == 1  # the pool recovered too


def test_an_in_memory_sqlite_database_is_read_through_the_pool():
    engine = sa.create_engine("sqlite://")
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("CREATE TABLE t (x INTEGER)"))
            conn.execute(sa.text("INSERT INTO t VALUES (1)"))
        stmt = sa.select(sa.column("x")).select_from(sa.table("t"))
        assert hotread.read(engine, stmt, {}) == [(1,)]
        with engine.connect() as conn:  # the one connection (the whole database) is still the pool's
            assert conn.execute(sa.text("SELECT count(*) FROM t")).scalar() == 1
    finally:
        engine.dispose()
