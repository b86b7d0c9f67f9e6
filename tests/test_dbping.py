"""Pooled connections are pinged only after sitting idle (webapp/dbping.py): a connection the
server dropped meanwhile is replaced without the request noticing; one used moments ago is not
pinged."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from webapp import dbping


@pytest.fixture
def engine(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("a server that drops connections: PostgreSQL")
    engine = sa.create_engine(database_url, pool_size=1, max_overflow=0)
    yield engine
    engine.dispose()


def _pings(engine, monkeypatch) -> list:
    seen = []
    real = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda conn: (seen.append(1), real(conn))[1])
    return seen


def _backend_pid(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT pg_backend_pid()")).scalar()


def _kill(database_url, pid: int) -> None:
    other = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
    with other.connect() as conn:
        assert conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar() is True
    other.dispose()


def test_a_connection_used_moments_ago_is_not_pinged(engine, monkeypatch):
    dbping.install(engine, idle_seconds=60)
    pings = _pings(engine, monkeypatch)
    first = _backend_pid(engine)  # a new connection: nothing to ping yet
    assert _backend_pid(engine) == first
    assert pings == []


def test_an_idle_connection_dropped_by_the_server_is_replaced_unnoticed(engine, monkeypatch, database_url):
    dbping.install(engine, idle_seconds=0)  # every checkout counts as idle
    pings = _pings(engine, monkeypatch)
    first = _backend_pid(engine)
    _kill(database_url, first)
    second = _backend_pid(engine)  # no error: the ping found it dead, the pool opened another
    assert second != first and len(pings) >= 1


def test_without_the_ping_a_dropped_connection_fails_once_then_recovers(engine, database_url):
    dbping.install(engine, idle_seconds=60)
    first = _backend_pid(engine)
    _kill(database_url, first)
    with pytest.raises(sa.exc.OperationalError):
        _backend_pid(engine)
    assert _backend_pid(engine) != first


def test_after_a_restart_every_connection_from_before_is_recycled(database_url):
    """A restart drops all connections: the first idle one pinged recycles the whole pool, so no
    request meets one of the others (each used moments ago, so not pinged itself)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("a server that drops connections: PostgreSQL")
    import time

    engine = sa.create_engine(database_url, pool_size=3, max_overflow=0)
    try:
        dbping.install(engine, idle_seconds=0.5)
        held = [engine.connect() for _ in range(3)]
        pids = [c.execute(sa.text("SELECT pg_backend_pid()")).scalar() for c in held]
        for c in held:
            c.close()
        time.sleep(0.6)  # every one idle past the threshold…
        with engine.connect() as conn:  # …but the next two are used again at once
            conn.execute(sa.text("SELECT 1"))
        for pid in pids:
            _kill(database_url, pid)
        for _ in range(3):
            assert _backend_pid(engine) not in pids
    finally:
        engine.dispose()
