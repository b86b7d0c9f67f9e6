"""Column types and enum helpers shared by the models."""

from __future__ import annotations

import enum
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """An aware UTC datetime on both SQLite (which has no time zones) and PostgreSQL."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class LabelledEnum(str, enum.Enum):
    """A string enum whose members carry a Russian label for the UI."""

    label: str

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    def __str__(self) -> str:
        return self.value

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]

    @classmethod
    def parse(cls, raw: str | None):
        """The member for a raw string, or None: malformed input is ignored, never an error."""
        try:
            return cls(raw) if raw else None
        except ValueError:
            return None


def enum_column(enum_cls: type[enum.Enum], name: str) -> sa.Enum:
    """A portable enum column: VARCHAR plus a CHECK constraint, values stored as-is."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


def render_migration_item(type_, obj, autogen_context):
    """Alembic hook: write UTCDateTime into migrations as its plain SQL type."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


MAX_SEARCH_WORDS = 8


def matches_words(search_column, query: str) -> sa.ColumnElement[bool]:
    """Every word of the query occurs in a casefolded `search_text` column.

    The column is casefolded in Python when a row is saved, so a plain LIKE behaves the same on
    SQLite (whose LOWER() knows no Cyrillic) and PostgreSQL; LIKE wildcards typed by a user are
    escaped, not interpreted.
    """
    words = query.casefold().split()[:MAX_SEARCH_WORDS]
    return sa.and_(sa.true(), *(
        search_column.like("%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%",
                           escape="\\")
        for w in words
    ))


class epoch_ms(sa.sql.functions.FunctionElement):
    """Milliseconds since 1970 of a UTCDateTime column, as an integer, on SQLite and PostgreSQL:
    summed over a selection it changes whenever any row's time does, in whatever order the
    transactions that set them committed (a maximum does not)."""

    type = sa.BigInteger()
    inherit_cache = True
    name = "epoch_ms"


@compiles(epoch_ms, "postgresql")
def _epoch_ms_postgresql(element, compiler, **kw):
    return f"CAST(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)}) * 1000 AS BIGINT)"


@compiles(epoch_ms, "sqlite")
def _epoch_ms_sqlite(element, compiler, **kw):
    return f"CAST(ROUND((julianday({compiler.process(element.clauses, **kw)}) - 2440587.5) * 86400000.0) AS INTEGER)"


def enforce_sqlite_foreign_keys(engine) -> None:
    """SQLite checks foreign keys only when each connection asks (PostgreSQL always does): every
    connection of the app's engine asks. Migrations turn it off for their own run (table copies of
    batch operations would trip it; see migrations/env.py)."""

    @sa.event.listens_for(engine, "connect")
    def _foreign_keys_on(dbapi_connection, connection_record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def sqlite_foreign_keys(connection, on: bool) -> None:
    """Turn SQLite's foreign-key checks on or off for one connection, outside any transaction (the
    pragma is ignored inside one); nothing on other databases."""
    if connection.dialect.name == "sqlite":
        connection.connection.driver_connection.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
