"""Extensions, created unbound and bound in create_app()."""

from __future__ import annotations

from contextlib import contextmanager

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from htmx_flask import Htmx
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints keep Alembic migrations deterministic on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
htmx = Htmx()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


@contextmanager
def savepoint():
    """`db.session.begin_nested()` that nests inside the request's transaction on SQLite too.

    pysqlite (Python's sqlite3, legacy transaction control) sends BEGIN only before the first
    INSERT/UPDATE/DELETE: a SAVEPOINT issued before any write opens a transaction of its own, and
    its RELEASE commits it, so each item of a loop would be committed apart. On SQLite the
    transaction is therefore begun first, as PostgreSQL always has one: the savepoint then only
    undoes its own part on an error, and everything commits (or not) with the request."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.driver_connection.in_transaction:
        connection.exec_driver_sql("BEGIN")
    with db.session.begin_nested() as nested:
        yield nested
