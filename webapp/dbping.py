"""Check a pooled connection before use only when it has sat idle a while.

SQLAlchemy's `pool_pre_ping` pings on every checkout: one more round trip on every request, the
largest single cost of a small page on PostgreSQL. What the ping guards against is a connection
the server dropped (a restart, an idle timeout, a failover), which happens to connections that sat
unused. So a connection is pinged when it was last returned to the pool more than
DB_PING_AFTER_IDLE_SECONDS ago (default 10; 0 pings every checkout, as `pool_pre_ping` does).
A dead one means the server went away: every connection from before is recycled and the pool
hands out a fresh one (SQLAlchemy's InvalidatePoolError, what `pool_pre_ping` does). A
connection dropped within those seconds of its last use fails the one request that meets it — as
it would without any ping — and the pool replaces it then.
"""

from __future__ import annotations

import time

import sqlalchemy as sa
from sqlalchemy import exc

_RETURNED = "returned_at"


def install(engine, idle_seconds: float) -> None:
    """Ping the engine's connections on checkout after `idle_seconds` unused."""

    @sa.event.listens_for(engine, "connect")
    @sa.event.listens_for(engine, "checkin")
    def _returned(dbapi_connection, record) -> None:
        # a connection just opened or just used is known alive
        if record is not None:
            record.info[_RETURNED] = time.monotonic()

    @sa.event.listens_for(engine, "checkout")
    def _check(dbapi_connection, record, proxy) -> None:
        returned = record.info.get(_RETURNED)
        if returned is not None and time.monotonic() - returned < idle_seconds:
            return  # in use moments ago: alive
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            # the server dropped it, likely every other one from before too (a restart): the pool
            # recycles all of those and checks out a fresh one, as pool_pre_ping does
            raise exc.InvalidatePoolError(f"connection dropped while idle: {error}") from error
