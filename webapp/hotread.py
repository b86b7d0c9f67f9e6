"""Reads on the hottest paths (a calendar's poll answered 304, the version of a kept results
page): a plain read on a driver connection this thread keeps for itself.

A poll runs one indexed query. Through the pool it would also pay a checkout, the pool's reset on
return and SQLAlchemy's per-execution handling: more than the query itself. Here each thread of
each process keeps one connection of its own (taken from the engine once and detached from the
pool), on PostgreSQL in autocommit, so a read is one round trip; SQLite reads outside a
transaction see every commit. Only reads go through here, never a write.

Safe against what a long-lived connection meets:

- a thread that ends (a threaded development server, gthread workers): its connections are
  closed with its thread-local storage;
- a dropped connection (a database restart, an idle timeout): the pool is told that every
  connection from before is suspect (as SQLAlchemy does itself on a disconnect), and the read is
  retried once on a new connection; any other error closes the connection (its state is unknown)
  and is raised;
- a fork (a server that loads the app before forking workers): a connection belongs to the
  process that opened it; a child opens its own and never touches its parent's;
- the engine being disposed (tests, shutdown): its connections are closed with it;
- an in-memory SQLite database (one connection is the whole database): reads go through the pool.

Statements are compiled once per process; parameters must be plain values (strings, numbers),
and values come back as the driver gives them (SQLite: times as text). Observers added with
`observe` are told each statement (the tests' and benchmarks' query counters).
"""

from __future__ import annotations

import atexit
import os
import threading
import weakref
from collections.abc import Callable
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.engine import Engine

_local = threading.local()
_compiled: dict = {}
#: every open held connection of this process, per engine, so that disposing an engine closes them
_all: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_all_lock = threading.Lock()
_observers: list[Callable[[str], None]] = []


def observe(observer: Callable[[str], None]) -> Callable[[], None]:
    """Call observer(statement) for each read from now on; returns the function that stops it."""
    _observers.append(observer)
    return lambda: _observers.remove(observer)


class _Held:
    __slots__ = ("dbapi", "pid", "__weakref__")

    def __init__(self, engine: Engine):
        fairy = engine.raw_connection()
        self.dbapi = fairy.driver_connection
        # out of the pool for good: its autocommit must never reach a request's session, and the
        # pool keeps its full size for everything else
        fairy.detach()
        self.pid = os.getpid()
        if engine.dialect.name == "postgresql":
            self.dbapi.autocommit = True

    def close(self) -> None:
        if self.pid != os.getpid():
            return  # the parent's socket: leave it alone
        try:
            self.dbapi.close()
        except Exception:  # noqa: BLE001 - closing a broken connection may fail; it is gone anyway
            pass


def _close_each(helds) -> None:
    for held in list(helds.values()):
        held.close()


class _ThreadConnections:
    """This thread's connections, per engine; closed when the thread's locals are freed."""

    def __init__(self):
        self.by_engine: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        weakref.finalize(self, _close_each, self.by_engine)


def _mine() -> weakref.WeakKeyDictionary:
    mine = getattr(_local, "connections", None)
    if mine is None:
        mine = _local.connections = _ThreadConnections()
    return mine.by_engine


def _held(engine: Engine) -> _Held:
    mine = _mine()
    held = mine.get(engine)
    if held is not None and held.pid == os.getpid():
        return held
    held = mine[engine] = _Held(engine)
    with _all_lock:
        if engine not in _all:
            _all[engine] = weakref.WeakSet()
            sa.event.listen(engine, "engine_disposed", close_all)
        _all[engine].add(held)
    return held


def _drop(engine: Engine, held: _Held) -> None:
    mine = _mine()
    if mine.get(engine) is held:
        del mine[engine]
    with _all_lock:
        _all.get(engine, set()).discard(held)
    held.close()


def close_all(engine: Engine) -> None:
    """Close every connection held for the engine (by any thread of this process)."""
    with _all_lock:
        helds = list(_all.pop(engine, ()))
    for held in helds:
        held.close()
    _mine().pop(engine, None)


@atexit.register
def _close_at_exit() -> None:
    # before the interpreter tears down the modules a driver's close would need
    with _all_lock:
        helds = [held for engine_helds in _all.values() for held in list(engine_helds)]
        _all.clear()
    for held in helds:
        held.close()


def _statement(engine: Engine, stmt):
    key = (id(stmt), engine.dialect.name)
    hit = _compiled.get(key)
    if hit is None or hit[0] is not stmt:
        compiled = stmt.compile(dialect=engine.dialect)
        hit = _compiled[key] = (stmt, compiled)  # the statement is kept: its id stays its own
    return hit[1]


def as_utc(value) -> datetime | None:
    """A time as the driver gives it (SQLite: text; PostgreSQL: aware) as an aware UTC datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _in_memory(engine: Engine) -> bool:
    url = engine.url
    return url.get_backend_name() == "sqlite" and (
        url.database in (None, "", ":memory:") or url.query.get("mode") == "memory")


def read(engine: Engine, stmt, params: dict) -> list[tuple]:
    """The rows of a SELECT built once (`functools.cache`), as tuples."""
    compiled = _statement(engine, stmt)
    sql = compiled.string
    values = compiled.construct_params(params)
    args = tuple(values[name] for name in compiled.positiontup) if compiled.positional else values
    for observer in _observers:
        observer(sql)
    if _in_memory(engine):
        with engine.connect() as conn:
            return [tuple(row) for row in conn.exec_driver_sql(sql, args)]
    for attempt in (1, 2):
        held = _held(engine)
        cursor = None
        try:
            cursor = held.dbapi.cursor()
            cursor.execute(sql, args)
            rows = [tuple(row) for row in cursor.fetchall()]
            cursor.close()
            return rows
        except engine.dialect.loaded_dbapi.Error as error:
            disconnected = engine.dialect.is_disconnect(error, held.dbapi, cursor)
            _drop(engine, held)
            if not disconnected or attempt == 2:
                raise
            # the server dropped it, likely every other one from before too: have the pool recycle
            # those (so the retry gets a fresh one, pinged or not)
            engine.pool._invalidate(None, error, _checkin=False)
    raise AssertionError("unreachable")
