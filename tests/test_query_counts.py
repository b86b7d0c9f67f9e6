"""The big pages run a constant, small number of queries whatever the data size."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from conftest import count_queries

from webapp.accounts.models import Role, RoleGrant, User
from webapp.demo.seed import seed_large
from webapp.plan.models import Plan
from webapp.sessions.models import EventSession
from webapp.taxonomy.models import Direction

MAX_QUERIES = 10


def _pages(db):
    site_id = db.session.scalar(
        sa.select(EventSession.site_id).where(EventSession.site_id.is_not(None)).order_by(EventSession.id))
    session_id = db.session.scalar(sa.select(EventSession.id).order_by(EventSession.id))
    plan_id = db.session.scalar(sa.select(Plan.id).order_by(Plan.id))
    direction_id = db.session.scalar(sa.select(Direction.id).order_by(Direction.id))
    year = date.today().year if date.today().month >= 9 else date.today().year - 1
    return [
        f"/?year={year}&past=1",
        f"/?year={year}&past=1&direction={direction_id}&delivery=in_person&q=семинар",
        f"/?year={year}&view=calendar&month={year + 1}-03",
        f"/sites/{site_id}",
        f"/sites/{site_id}?when=past",
        f"/sessions/{session_id}",
        f"/plans/{plan_id}",
        "/sites/",
        "/plans",
    ]


def _measure(client, db, app) -> dict[str, int]:
    counts = {}
    _measure.statements = {}
    for url in _pages(db):
        db.session.remove()
        with count_queries(db.engine) as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        _measure.statements[url] = list(statements)
        counts[url.split("?")[0] + ("?" + url.split("?")[1].split("&")[-1] if "?" in url else "")] = len(statements)
    return counts


@pytest.mark.parametrize("logged_in", [False, True])
def test_page_queries_do_not_grow_with_data(client, db, app, auth, logged_in):
    seed_large(teachers=200, organizations=40, sessions=60)
    db.session.commit()
    if logged_in:
        admin = User(email="admin@example.org", last_name="А", first_name="Б")
        db.session.add(admin)
        db.session.flush()
        db.session.add(RoleGrant(user_id=admin.id, role=Role.ADMIN))
        auth.login(admin)
    small = _measure(client, db, app)
    small_statements = _measure.statements
    seed_large(teachers=2000, organizations=400, sessions=1500, seed=11)
    db.session.commit()
    large = _measure(client, db, app)
    for page, count in large.items():
        assert count <= MAX_QUERIES, f"{page}: {count} queries"
    if small != large:
        for url, statements in small_statements.items():
            if len(statements) != len(_measure.statements[url]):
                print(url, *[q[:120] for q in statements], "---", *[q[:120] for q in _measure.statements[url]], sep="\n")
    assert small == large, "query counts changed with the data size"
