"""Check-list journeys in a real browser: a teacher answers a feedback check-list on her phone.

Chromium against the live demo server (real CSRF in htmx headers, the production CSP). The journey
builds its own template and assignment in the server's database, on a past session the demo
teacher attended, so that it depends neither on the day the demo data was loaded nor on other
journeys.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "demo12345"  # webapp/demo/seed.py
TEACHER = "teacher@demo.local"
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def server_db(e2e_app):
    from webapp.extensions import db

    @contextmanager
    def opened():
        with e2e_app.app_context():
            yield db.session

    return opened


@pytest.fixture
def fresh_checklist(server_db):
    """A new template (with a conditional question and a «не больше 2» choice) assigned to the
    teacher's latest attended session, open since an hour ago; returns its title."""
    from webapp.accounts.models import User
    from webapp.attendance.models import Attendance
    from webapp.checklists import building
    from webapp.checklists.models import ChecklistAssignment, OpensOn, RespondentRole
    from webapp.dbtypes import utcnow
    from webapp.sessions.models import EventSession

    title = f"Отзыв о семинаре {uuid.uuid4().hex[:6]}"
    with server_db() as db:
        teacher = db.scalar(sa.select(User).where(User.email == TEACHER))
        admin = db.scalar(sa.select(User).where(User.email == "admin@demo.local"))
        session = db.scalar(sa.select(EventSession).join(Attendance, Attendance.session_id == EventSession.id)
                            .where(Attendance.user_id == teacher.id, EventSession.end_dt < utcnow())
                            .order_by(EventSession.end_dt.desc()).limit(1))
        template = building.import_template({
            "format": "network-checklist", "format_version": 1, "title": title,
            "instructions": "Ответ займёт пару минут.",
            "items": [
                {"key": "useful", "kind": "scale", "text": "Насколько семинар был полезен?", "required": True,
                 "settings": {"max": 5, "min_label": "совсем нет", "max_label": "очень"}},
                {"key": "hard", "kind": "ypn", "text": "Остались ли трудности?", "required": True},
                {"key": "which", "kind": "long_text", "text": "Какие трудности остались?", "required": True,
                 "show_if": {"key": "hard", "values": ["yes", "partial"]}},
                {"key": "take", "kind": "multiple", "text": "Что возьмёте в работу?", "settings": {
                    "options": [{"value": "a", "label": "Приёмы"}, {"value": "b", "label": "Шаблоны"},
                                {"value": "c", "label": "Презентацию"}], "max_choices": 2}},
            ]}, admin)
        db.add(ChecklistAssignment(template_id=template.id, session_id=session.id,
                                   municipality_id=session.municipality_id, role=RespondentRole.PARTICIPANT,
                                   opens_on=OpensOn.DATE, opens_dt=utcnow() - timedelta(hours=1), open_days=7))
        db.commit()
    return title


def login(page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    with page.expect_navigation():
        page.get_by_role("button", name="Войти").click()


def test_a_teacher_answers_a_checklist_on_her_phone(make_page, console, fresh_checklist, shot):
    page = make_page(**PHONE)
    login(page, TEACHER)
    page.goto("/my/checklists")
    card = page.locator(".card", has_text=fresh_checklist)
    expect(card).to_be_visible()
    card.get_by_role("link", name="Ответить").click()
    expect(page.get_by_role("heading", name=fresh_checklist)).to_be_visible()
    which = page.locator("#q-which")
    expect(which).to_be_hidden()  # shown only when difficulties remain

    page.locator("#q-useful label", has_text="4").click()
    page.locator("#q-hard label", has_text="Частично").click()
    expect(which).to_be_visible()
    # at most two choices: the third box is disabled once two are ticked
    page.locator("#q-take label", has_text="Приёмы").click()
    page.locator("#q-take label", has_text="Шаблоны").click()
    expect(page.locator("#q-take input[value=c]")).to_be_disabled()
    expect(page.locator("#draft-status")).to_contain_text("Черновик сохранён")

    # the draft survives a reload
    page.reload()
    expect(page.locator("#q-useful input[value='4']")).to_be_checked()
    expect(page.locator("#q-which")).to_be_visible()

    # the required conditional answer is missing: refused, naming the question, nothing lost
    console.allow_status(422)
    with page.expect_navigation():
        page.get_by_role("button", name="Отправить ответы").click()
    expect(page.locator(".form-errors")).to_contain_text("Какие трудности остались?")
    expect(page.locator("#q-take input[value=a]")).to_be_checked()
    page.locator("#q-which textarea").fill("Как оценивать групповую работу")
    with page.expect_navigation():
        page.get_by_role("button", name="Отправить ответы").click()
    expect(page.locator(".flash, .notice", has_text="Спасибо")).to_be_visible()
    answered = page.locator("#answered-checklists .card", has_text=fresh_checklist)
    expect(answered).to_contain_text("Ответ отправлен")
    expect(page.locator(".card", has_text=fresh_checklist).get_by_role("link", name="Ответить")).to_have_count(0)
    shot(page, "checklist-answered-phone")
    console.assert_clean()
