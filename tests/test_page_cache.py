"""The anonymous plan-page cache: hits, invalidation by content version, who bypasses it."""

from __future__ import annotations

import re

import pytest
from conftest import HX

from webapp.pagecache import cache_of
from webapp.sessions.services import cancel_session, form_data_for, save_session


@pytest.fixture
def cached(app):
    app.config["PUBLIC_PAGE_CACHE_SECONDS"] = 60
    cache_of(app).clear()
    yield cache_of(app)
    app.config["PUBLIC_PAGE_CACHE_SECONDS"] = 0
    cache_of(app).clear()


def _token(response) -> str:
    return re.search(r'"X-CSRFToken": "([^"]+)"', response.get_data(as_text=True)).group(1)


def test_second_anonymous_view_is_served_from_the_cache(client, make, db, cached):
    make.session(title="Семинар о наставничестве")
    db.session.commit()
    first, second = client.get("/"), client.get("/")
    assert first.headers["X-Page-Cache"] == "miss" and second.headers["X-Page-Cache"] == "hit"
    assert "Семинар о наставничестве" in second.get_data(as_text=True)
    assert second.headers["Content-Type"].startswith("text/html")
    assert "HX-Request" in second.headers["Vary"]


def test_page_and_fragment_are_cached_apart(client, make, db, cached):
    make.session()
    db.session.commit()
    client.get("/")
    fragment = client.get("/", headers=HX)
    assert fragment.headers["X-Page-Cache"] == "miss"
    assert "<html" not in fragment.get_data(as_text=True)
    again = client.get("/", headers=HX)
    assert again.headers["X-Page-Cache"] == "hit" and "<html" not in again.get_data(as_text=True)


def test_each_visitor_gets_her_own_csrf_token_from_a_cached_page(app, make, db, cached):
    make.session()
    db.session.commit()
    first, second = app.test_client(), app.test_client()
    a, b = first.get("/"), second.get("/")
    assert b.headers["X-Page-Cache"] == "hit"
    assert _token(a) != _token(b)
    assert "\x00" not in b.get_data(as_text=True)


def test_an_edited_session_shows_at_once(client, make, db, cached):
    methodist = make.user()
    session = make.session(title="Старое название")
    db.session.commit()
    assert "Старое название" in client.get("/").get_data(as_text=True)
    data = {**form_data_for(session), "title": "Новое название", "site_id": session.site_id,
            "capacity": session.capacity, "address": session.address}
    save_session(session, data, methodist)
    db.session.commit()
    response = client.get("/")
    assert response.headers["X-Page-Cache"] == "miss"
    assert "Новое название" in response.get_data(as_text=True)


def test_a_new_and_a_cancelled_session_show_at_once(client, make, db, cached):
    actor = make.user()
    session = make.session(title="Первый семинар")
    db.session.commit()
    client.get("/")
    make.session(title="Второй семинар")
    db.session.commit()
    assert "Второй семинар" in client.get("/").get_data(as_text=True)
    cancel_session(session, "Болезнь ведущего", actor)
    db.session.commit()
    assert "Отменено" in client.get("/").get_data(as_text=True)


def test_logged_in_users_and_pending_messages_bypass_the_cache(client, make, db, auth, cached):
    make.session()
    user = make.user()
    client.get("/")
    with client.session_transaction() as sess:
        sess["_flashes"] = [("success", "Вы вышли из системы.")]
    flashed = client.get("/")
    assert "X-Page-Cache" not in flashed.headers and "Вы вышли из системы." in flashed.get_data(as_text=True)
    auth.login(user)
    mine = client.get("/")
    assert "X-Page-Cache" not in mine.headers
    assert user.short_name in mine.get_data(as_text=True)


def test_disabled_cache_never_answers(client, make, db, app):
    make.session()
    db.session.commit()
    client.get("/")
    assert "X-Page-Cache" not in client.get("/").headers
