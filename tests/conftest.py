"""Fixtures: an app per test session, a clean database per test, factories, logins.

TEST_DATABASE_URL selects the database (default: a temporary SQLite file);
scripts/test runs the suite on both SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

os.environ.setdefault("APP_ENV", "testing")

from webapp import create_app, hotread  # noqa: E402
from webapp.accounts import models as user_models  # noqa: E402
from webapp.accounts.models import Role, RoleGrant, User  # noqa: E402
from webapp.extensions import db as _db  # noqa: E402
from webapp.extensions import limiter  # noqa: E402
from webapp.orgs.models import Municipality, Organization, OrgKind  # noqa: E402
from webapp.plan.models import Plan, PlanItem, PlanKind, PlanStatus  # noqa: E402
from webapp.sessions.models import Delivery, EventSession  # noqa: E402
from webapp.sessions.services import refresh_search_text  # noqa: E402
from webapp.sites.models import Site, SiteKind  # noqa: E402

PASSWORD = "password123"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app({
        "TESTING": True,
        "APP_ENV": "testing",
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
        "SERVER_NAME": "localhost",
        "PUBLIC_PAGE_CACHE_SECONDS": 0,  # tests/test_page_cache.py turns it on
        "CALENDAR_MARKER_SECONDS": 0,  # every request sees the change just made
        "REPORT_CACHE_SECONDS": 0,  # reports computed every time (the cache's own tests turn it on)
        "CHECKLIST_RESULTS_CACHE_SECONDS": 0,  # likewise check-list results
    })
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    return app


_real_hash = user_models.generate_password_hash
_HASHES: dict[str, str] = {}


def _cached_hash(password: str, *args, **kwargs) -> str:
    """A real hash, computed once per password: tests create dozens of people with the same
    password, and hashing each (scrypt) would take most of their time."""
    if password not in _HASHES:
        _HASHES[password] = _real_hash(password, *args, **kwargs)
    return _HASHES[password]


@pytest.fixture(autouse=True)
def fast_passwords(monkeypatch):
    monkeypatch.setattr(user_models, "generate_password_hash", _cached_hash)


@pytest.fixture(autouse=True)
def clean_db(app):
    """Every test starts from empty tables (faster than recreating the schema)."""
    with app.app_context():
        yield
        _db.session.rollback()
        _db.session.remove()
        tables = list(reversed(_db.metadata.sorted_tables))
        if _db.engine.dialect.name == "postgresql":
            # only the tables the test wrote to, with DELETE (TRUNCATE makes new files on disk: it
            # cost the PostgreSQL runs a quarter of their time), sequences back to 1
            probe = " UNION ALL ".join(f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM {t.name})" for t in tables)
            with _db.engine.begin() as conn:
                dirty = set(name for (name,) in conn.execute(sa.text(probe)))
                for table in tables:  # children first
                    if table.name in dirty:
                        conn.execute(table.delete())
                if dirty:
                    conn.execute(sa.text(
                        "SELECT setval(pg_get_serial_sequence(table_name, column_name), 1, false) "
                        "FROM information_schema.columns WHERE table_schema = current_schema() "
                        "AND table_name = ANY(:dirty) AND column_default LIKE 'nextval%'"), {"dirty": list(dirty)})
        else:
            with _db.engine.begin() as conn:
                for table in tables:
                    conn.execute(table.delete())
    if limiter.enabled:
        limiter.reset()


@pytest.fixture
def db(app):
    return _db


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as in production.

    Without this, requests made inside a test's app context share `g` and the database
    session with the test and with each other (a logged-out user could stay cached).
    What the test built is committed first so that the request sees it; afterwards the
    test's session is expired so that it reads what the request wrote.
    """

    def open(self, *args, **kwargs):
        _db.session.commit()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        _db.session.expire_all()
        return response


@pytest.fixture
def client(app):
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# -- factories -------------------------------------------------------------------------------

class Factory:
    """Builds valid objects with sensible defaults; each call returns a flushed object."""

    def __init__(self):
        self.n = 0

    def _next(self) -> int:
        self.n += 1
        return self.n

    def municipality(self, **kw) -> Municipality:
        m = Municipality(**{"name": f"Район {self._next()}", "timezone": "Europe/Moscow", **kw})
        _db.session.add(m)
        _db.session.flush()
        return m

    def organization(self, municipality=None, **kw) -> Organization:
        n = self._next()
        org = Organization(**{"name": f"МБОУ СОШ № {n}", "full_name": f"Школа № {n}", "kind": OrgKind.SCHOOL,
                              "municipality": municipality or self.municipality(), "address": f"ул. Ленина, {n}",
                              **kw})
        org.refresh_search_text()
        _db.session.add(org)
        _db.session.flush()
        return org

    def user(self, role: Role | None = None, scope=None, organization=None, **kw) -> User:
        n = self._next()
        user = User(**{"email": f"user{n}@example.org", "last_name": "Петрова", "first_name": "Анна",
                       "middle_name": "Сергеевна", "organization": organization, "position": "Учитель",
                       "consent_dt": datetime.now(timezone.utc), **kw})
        user.set_password(PASSWORD)
        user.refresh_search_text()
        _db.session.add(user)
        _db.session.flush()
        if role is not None:
            grant = RoleGrant(user_id=user.id, role=role)
            if role == Role.COORDINATOR:
                grant.organization_id = scope.id
            elif role == Role.METHODIST:
                grant.municipality_id = scope.id
            elif role == Role.SITE_LEADER:
                grant.site_id = scope.id
            _db.session.add(grant)
            _db.session.flush()
            _db.session.refresh(user)
        return user

    def site(self, organization=None, **kw) -> Site:
        site = Site(**{"name": f"Площадка {self._next()}", "kind": SiteKind.INTERNSHIP,
                       "organization": organization or self.organization(), **kw})
        _db.session.add(site)
        _db.session.flush()
        return site

    def plan(self, municipality=None, status=PlanStatus.PUBLISHED, **kw) -> Plan:
        now = datetime.now(timezone.utc).date()
        plan = Plan(**{"title": f"План {self._next()}", "kind": PlanKind.YEAR, "municipality": municipality,
                       "period_start": now - timedelta(days=100), "period_end": now + timedelta(days=250),
                       "status": status, **kw})
        _db.session.add(plan)
        _db.session.flush()
        return plan

    def item(self, plan=None, **kw) -> PlanItem:
        n = self._next()
        item = PlanItem(**{"plan": plan or self.plan(), "number": str(n), "position": n,
                           "title": f"Пункт плана {n}", "timing_text": "Апрель–май, ежегодно", **kw})
        _db.session.add(item)
        _db.session.flush()
        return item

    def session(self, site=None, start=None, hours=3, **kw) -> EventSession:
        site = site if site is not None else self.site()
        start = start or datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=7)
        municipality = kw.pop("municipality", None) or (site.organization.municipality if site else None) \
            or self.municipality()
        s = EventSession(**{"title": f"Семинар {self._next()}", "site": site, "municipality": municipality,
                            "start_dt": start, "end_dt": start + timedelta(hours=hours),
                            "timezone": municipality.timezone, "delivery": Delivery.IN_PERSON,
                            "address": "ул. Ленина, 1", "capacity": 30, **kw})
        refresh_search_text(s)
        _db.session.add(s)
        _db.session.flush()
        return s

    def session_with_registrants(self, site, n: int, start_in: timedelta, hours: int = 3, organization=None,
                                 person: dict | None = None, **kw) -> tuple[EventSession, list[User]]:
        """A session at `site` that starts `start_in` from now (negative: it has begun) with n people
        of `organization` registered through the real rules while it was still days ahead (so they
        are confirmed), then moved to its time. Committed."""
        from webapp.registration import services as registration

        s = self.session(site=site, start=datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=3),
                         hours=hours, **kw)
        org = organization or self.organization(municipality=s.municipality)
        people = [self.user(organization=org, **{"last_name": f"Участник{self._next():04d}", **(person or {})})
                  for _ in range(n)]
        for p in people:
            registration.register(s.id, p, p)
        start = datetime.now(timezone.utc).replace(microsecond=0) + start_in
        s.start_dt, s.end_dt = start, start + timedelta(hours=hours)
        _db.session.commit()
        return s, people


@pytest.fixture
def make(app) -> Factory:
    return Factory()


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, user: User):
        _db.session.commit()
        with self.client.session_transaction() as sess:
            sess["_user_id"] = str(user.id)
            sess["_fresh"] = True
        return user

    def logout(self):
        with self.client.session_transaction() as sess:
            sess.clear()


@pytest.fixture
def auth(client) -> Auth:
    return Auth(client)


HX = {"HX-Request": "true"}


@contextmanager
def count_queries(engine):
    """The SQL statements run inside the block (for tests that keep query counts constant)."""
    statements: list[str] = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", before)
    # the reads on a thread's own connection (webapp/hotread.py) bypass the engine's events
    stop = hotread.observe(statements.append)
    try:
        yield statements
    finally:
        stop()
        sa.event.remove(engine, "before_cursor_execute", before)


def text_of(response) -> str:
    """The visible text of a page, whitespace folded, for assertions a reader understands."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
