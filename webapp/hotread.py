"""Reads on the hottest path, a calendar's poll answered 304: a plain read on a driver connection
this thread keeps for itself.

A poll runs one indexed query. Through the pool it would also pay a checkout ping, the pool's
reset on return and SQLAlchemy's per-execution handling: more than the query itself. Here each
thread of each process keeps one connection of its own (taken from the engine once, never
returned to the pool), on PostgreSQL in autocommit, so a read is one round trip; SQLite reads
outside a transaction see every commit. Only reads go through here, never a write.

Safe against what a long-lived connection meets:

- a dropped connection (a database restart, an idle timeout): the read is retried once on a new
  connection; any other error closes the connection (its state is unknown) and is raised;
- a fork (a server that loads the app before forking workers): a connection belongs to the
  process that opened it; a child opens its own and never touches its parent's;
- the engine being disposed (tests, shutdown): its connections are closed with it.

The engine's `before_cursor_execute` listeners are told of each read (with no SQLAlchemy
connection or context), so statement counters see these reads like any other. Statements are
compiled once per process; parameters must be plain values (strings, numbers),
and values come back as the driver gives them (SQLite: times as text).
"""

from __future__ import annotations

import atexit
import os
import threading
import weakref

import sqlalchemy as sa
from sqlalchemy.engine import Engine

_local = threading.local()
_compiled: dict = {}
#: every held connection of this process, per engine, so that disposing an engine closes them
_all: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_all_lock = threading.Lock()


class _Held:
    __slots__ = ("fairy", "dbapi", "pid")

    def __init__(self, engine: Engine):
        self.fairy = engine.raw_connection()
        self.dbapi = self.fairy.driver_connection
        # out of the pool for good: its autocommit must never reach a request's session, and the
        # pool keeps its full size for everything else
        self.fairy.detach()
        self.pid = os.getpid()
        if engine.dialect.name == "postgresql":
            self.dbapi.autocommit = True

    def close(self) -> None:
        if self.pid != os.getpid():
            return  # the parent's socket: leave it alone
        try:
            self.fairy.close()  # detached: closes the driver connection
        except Exception:  # noqa: BLE001 - closing a broken connection may fail; it is gone anyway
            pass


def _held(engine: Engine) -> _Held:
    conns = getattr(_local, "conns", None)
    if conns is None:
        conns = _local.conns = weakref.WeakKeyDictionary()
    held = conns.get(engine)
    if held is not None and held.pid == os.getpid():
        return held
    held = conns[engine] = _Held(engine)
    with _all_lock:
        if engine not in _all:
            _all[engine] = []
            sa.event.listen(engine, "engine_disposed", close_all)
        _all[engine].append(held)
    return held


def _drop(engine: Engine, held: _Held) -> None:
    conns = getattr(_local, "conns", None)
    if conns is not None and conns.get(engine) is held:
        del conns[engine]
    with _all_lock:
        if held in _all.get(engine, ()):
            _all[engine].remove(held)
    held.close()


def close_all(engine: Engine) -> None:
    """Close every connection held for the engine (by any thread of this process)."""
    with _all_lock:
        helds = _all.pop(engine, [])
    for held in helds:
        held.close()
    conns = getattr(_local, "conns", None)
    if conns is not None:
        conns.pop(engine, None)


@atexit.register
def _close_at_exit() -> None:
    # before the interpreter tears down the modules a driver's close would need
    with _all_lock:
        helds = [held for engine_helds in _all.values() for held in engine_helds]
        _all.clear()
    for held in helds:
        held.close()


def _statement(engine: Engine, stmt) -> tuple[str, object]:
    key = (id(stmt), engine.dialect.name)
    hit = _compiled.get(key)
    if hit is None or hit[0] is not stmt:
        compiled = stmt.compile(dialect=engine.dialect)
        hit = _compiled[key] = (stmt, compiled)  # the statement is kept: its id stays its own
    return hit[1].string, hit[1]


def read(engine: Engine, stmt, params: dict) -> list[tuple]:
    """The rows of a SELECT built once (`functools.cache`), as tuples."""
    sql, compiled = _statement(engine, stmt)
    values = compiled.construct_params(params)
    args = tuple(values[name] for name in compiled.positiontup) if compiled.positional else values
    for attempt in (1, 2):
        held = _held(engine)
        cursor = None
        try:
            cursor = held.dbapi.cursor()
            if engine._has_events:  # the engine's statement listeners see this read too (query counts)
                engine.dispatch.before_cursor_execute(None, cursor, sql, args, None, False)
            cursor.execute(sql, args)
            rows = [tuple(row) for row in cursor.fetchall()]
            cursor.close()
            return rows
        except engine.dialect.loaded_dbapi.Error as error:
            disconnected = engine.dialect.is_disconnect(error, held.dbapi, cursor)
            _drop(engine, held)
            if not disconnected or attempt == 2:
                raise
    raise AssertionError("unreachable")
