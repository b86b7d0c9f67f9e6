"""The roster of a session: who sees it, filters, inline and bulk decisions, adding people, exports."""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from conftest import HX, count_queries, text_of
from openpyxl import load_workbook
from werkzeug.security import generate_password_hash

from webapp.accounts.models import Role, User
from webapp.orgs.models import Organization
from webapp.registration import services
from webapp.registration.models import Registration, RegistrationChange, RegStatus
from webapp.sessions.models import ApprovalMode, EventSession
from webapp.sites.models import Site


@pytest.fixture(autouse=True)
def quick_passwords(monkeypatch):
    """Nobody here signs in with a password: a cheap hash keeps the many factory users fast."""
    monkeypatch.setattr(User, "set_password",
                        lambda user, password: setattr(user, "password_hash",
                                                       generate_password_hash(password, "pbkdf2:sha256:1")))


@pytest.fixture
def w(make, db):
    """A session at a site (3 seats), its staff, two schools with a teacher and a coordinator each."""
    m = make.municipality(name="Павловский район")
    site = make.site(organization=make.organization(municipality=m))
    s = make.session(site=site, capacity=3, title="Семинар «Проектная деятельность»")
    gym = make.organization(municipality=m, name="Гимназия № 1")
    lyc = make.organization(municipality=m, name="Лицей № 2")
    return SimpleNamespace(
        m=m, site=site, s=s, gym=gym, lyc=lyc,
        leader=make.user(Role.SITE_LEADER, scope=site, last_name="Руководитель"),
        methodist=make.user(Role.METHODIST, scope=m, last_name="Методист"),
        admin=make.user(Role.ADMIN, last_name="Админ"),
        teacher=make.user(organization=gym, last_name="Учитель"),
        coordinator=make.user(Role.COORDINATOR, scope=gym, organization=gym, last_name="Координатор"),
        other_leader=make.user(Role.SITE_LEADER, scope=make.site(), last_name="Чужой"),
    )


def person(make, org, last_name, **kw):
    return make.user(organization=org, last_name=last_name, **kw)


def register(db, s, user, **kw) -> Registration:
    reg = services.register(s.id, user, user, **kw)
    db.session.commit()
    return reg


def status_of(db, reg_id: int) -> RegStatus:
    db.session.expire_all()
    return db.session.get(Registration, reg_id).status


def roster_url(s, **args) -> str:
    query = "&".join(f"{k}={quote(str(v))}" for k, v in args.items())
    return f"/sessions/{s.id}/roster" + (f"?{query}" if query else "")


# -- who sees the roster ---------------------------------------------------------------------

@pytest.mark.parametrize("role", ["leader", "methodist", "admin"])
def test_staff_see_the_roster_page_and_fragment(w, make, db, client, auth, role):
    register(db, w.s, person(make, w.gym, "Иванова"))
    auth.login(getattr(w, role))
    page = client.get(roster_url(w.s))
    assert page.status_code == 200
    text = text_of(page)
    assert "Список участников" in text and "Иванова Анна Сергеевна" in text and "Гимназия № 1" in text
    assert "Занято мест: 1 из 3" in text
    assert "HX-Request" in page.headers["Vary"]
    fragment = client.get(roster_url(w.s), headers=HX)
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and html.lstrip().startswith('<div id="roster"')
    assert "<html" not in html and "Иванова Анна Сергеевна" in html


@pytest.mark.parametrize("role", ["teacher", "coordinator", "other_leader"])
def test_others_get_403_on_the_roster_and_its_exports(w, db, client, auth, role):
    auth.login(getattr(w, role))
    for url in (roster_url(w.s), f"/sessions/{w.s.id}/roster.csv", f"/sessions/{w.s.id}/roster.xlsx",
                f"/sessions/{w.s.id}/roster/people?q=ив"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Доступ запрещён" in text_of(response)
    assert client.get(roster_url(w.s), headers=HX).status_code == 403


def test_anonymous_is_sent_to_login(w, client):
    response = client.get(roster_url(w.s))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_unknown_session_is_404(w, client, auth):
    auth.login(w.admin)
    assert client.get("/sessions/999999/roster").status_code == 404


# -- filters and order -----------------------------------------------------------------------

@pytest.fixture
def filled(w, make, db):
    """Capacity 3: three confirmed, then two in the waiting list; one of them cancelled later."""
    people = [person(make, w.gym, "Алексеева"), person(make, w.lyc, "Борисова"), person(make, w.gym, "Васильева"),
              person(make, w.lyc, "Григорьева"), person(make, w.gym, "Дмитриева")]
    regs = [register(db, w.s, p) for p in people]
    return SimpleNamespace(people=people, regs=regs)


def _names(response) -> list[str]:
    text = text_of(response)
    return [n for n in ("Алексеева", "Борисова", "Васильева", "Григорьева", "Дмитриева") if n in text]


def test_roster_filters_by_status_and_organization(w, filled, client, auth):
    auth.login(w.leader)
    waiting = client.get(roster_url(w.s, status="waitlisted"), headers=HX)
    assert _names(waiting) == ["Григорьева", "Дмитриева"]
    assert "№ 1 в очереди" in text_of(waiting) and "№ 2 в очереди" in text_of(waiting)
    assert _names(client.get(roster_url(w.s, org=w.lyc.id))) == ["Борисова", "Григорьева"]
    assert _names(client.get(roster_url(w.s, status="confirmed", org=w.gym.id))) == ["Алексеева", "Васильева"]
    assert _names(client.get(roster_url(w.s, q="дмитр"))) == ["Дмитриева"]
    page = text_of(client.get(roster_url(w.s)))
    # counts per status are for the whole session, and the org filter lists the schools present
    assert "Всего: 5" in page and "Подтверждена 3" in page and "В листе ожидания 2" in page
    assert "Гимназия № 1" in page and "Лицей № 2" in page


@pytest.mark.parametrize(("query", "shown"), [
    ("status=bogus", 5), ("org=abc", 5), ("org=99999999999", 5), ("org=-1", 5), ("page=x", 5), ("page=-5", 5),
    ("status=&org=&q=", 5), ("status=CONFIRMED", 5),
    ("q=%25_%5C", 0),  # LIKE wildcards typed by a person are searched for literally
])
def test_malformed_filters_are_ignored(w, filled, client, auth, query, shown):
    auth.login(w.methodist)
    response = client.get(f"/sessions/{w.s.id}/roster?{query}")
    assert response.status_code == 200
    assert len(_names(response)) == shown


def test_order_is_pending_confirmed_queue_then_the_rest(w, make, db, client, auth):
    s = make.session(site=w.site, capacity=2, approval=ApprovalMode.STAFF)
    a, b, c, d = (person(make, w.gym, n) for n in ("Алексеева", "Борисова", "Васильева", "Григорьева"))
    reg_a = register(db, s, a)   # pending (holds a seat)
    reg_b = register(db, s, b)   # pending
    register(db, s, c)           # waitlisted
    register(db, s, d)           # waitlisted
    services.approve(reg_b.id, w.leader)
    services.reject(reg_a.id, w.leader, "Не та категория")
    db.session.commit()
    # a's seat went to the first in the queue (Васильева, pending now)
    auth.login(w.leader)
    text = text_of(client.get(roster_url(s)))
    names = ("Алексеева", "Борисова", "Васильева", "Григорьева")
    assert sorted(names, key=lambda n: text.index(f"{n} Анна Сергеевна")) == [
        "Васильева", "Борисова", "Григорьева", "Алексеева"]


def test_pages_of_fifty_keep_the_filters(w, make, db, client, auth):
    s = make.session(site=w.site, capacity=None)
    for n in range(52):
        register(db, s, person(make, w.gym, f"Участник{n:03d}"))
    auth.login(w.leader)
    response = client.get(roster_url(s, org=w.gym.id), headers=HX)
    first = response.get_data(as_text=True)
    assert first.count('<tr id="reg-') == 50 and "Занято мест: 52 (без ограничения)" in text_of(response)
    assert f"/sessions/{s.id}/roster?org={w.gym.id}&amp;page=2" in first
    second = client.get(roster_url(s, org=w.gym.id, page=2), headers=HX).get_data(as_text=True)
    assert second.count('<tr id="reg-') == 2 and "Участник051" in second
    # the forms of page 2 carry the page, so a decision there re-renders page 2
    assert '<input type="hidden" name="page" value="2">' in second
    beyond = client.get(roster_url(s, page=9))
    assert beyond.status_code == 200 and "На этой странице никого нет" in text_of(beyond)


# -- inline decisions ------------------------------------------------------------------------

@pytest.fixture
def staff_mode(w, make, db):
    s = make.session(site=w.site, capacity=5, approval=ApprovalMode.STAFF)
    regs = [register(db, s, person(make, w.gym, n)) for n in ("Алексеева", "Борисова", "Васильева")]
    assert all(r.status == RegStatus.PENDING for r in regs)
    return SimpleNamespace(s=s, regs=regs)


def test_approve_inline_rerenders_the_roster_with_its_filters(w, staff_mode, db, client, auth):
    auth.login(w.leader)
    reg = staff_mode.regs[0]
    response = client.post(f"/registrations/{reg.id}/approve", headers=HX,
                           data={"from": "roster", "status": "pending"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="roster"') and response.headers["HX-Trigger"] == "roster-changed"
    assert "Заявка подтверждена: Алексеева Анна Сергеевна." in text_of(response)
    # still filtered by «pending»: the approved one left the list
    assert f'id="reg-{reg.id}"' not in html
    assert all(f'id="reg-{r.id}"' in html for r in staff_mode.regs[1:])
    assert status_of(db, reg.id) == RegStatus.CONFIRMED


def test_approve_without_js_redirects_to_next_with_a_message(w, staff_mode, db, client, auth):
    auth.login(w.methodist)
    reg = staff_mode.regs[1]
    back = roster_url(staff_mode.s, org=w.gym.id)
    response = client.post(f"/registrations/{reg.id}/approve", data={"next": back})
    assert response.status_code == 303 and response.headers["Location"].endswith(back)
    assert status_of(db, reg.id) == RegStatus.CONFIRMED
    assert "Заявка подтверждена: Борисова Анна Сергеевна." in text_of(client.get(back))
    # an outside address in next is not followed
    again = client.post(f"/registrations/{staff_mode.regs[2].id}/approve", data={"next": "//evil.example/x"})
    assert again.status_code == 303 and "evil" not in again.headers["Location"]


def test_approving_twice_is_409_with_the_reason(w, staff_mode, db, client, auth):
    auth.login(w.leader)
    reg = staff_mode.regs[0]
    assert client.post(f"/registrations/{reg.id}/approve", headers=HX, data={"from": "roster"}).status_code == 200
    response = client.post(f"/registrations/{reg.id}/approve", headers=HX, data={"from": "roster"})
    assert response.status_code == 409
    assert "Заявка не ждёт подтверждения: подтверждена." in text_of(response)


def test_reject_needs_a_reason(w, staff_mode, db, client, auth):
    auth.login(w.leader)
    reg = staff_mode.regs[0]
    changes = db.session.scalar(sa.select(sa.func.count()).select_from(RegistrationChange))
    response = client.post(f"/registrations/{reg.id}/reject", headers=HX, data={"from": "roster", "reason": "  "})
    assert response.status_code == 422
    assert "Укажите причину отклонения" in text_of(response)
    assert status_of(db, reg.id) == RegStatus.PENDING
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RegistrationChange)) == changes

    response = client.post(f"/registrations/{reg.id}/reject", headers=HX,
                           data={"from": "roster", "reason": "Не та категория"})
    assert response.status_code == 200 and "Заявка отклонена: Алексеева Анна Сергеевна." in text_of(response)
    db.session.expire_all()
    rejected = db.session.get(Registration, reg.id)
    assert rejected.status == RegStatus.REJECTED and rejected.reason == "Не та категория"
    # the history of the row tells who rejected and why
    assert "Ожидает подтверждения → Отклонена; Руководитель А. С. — «Не та категория»" in text_of(response)


def test_coordinator_decides_from_her_page_but_not_for_other_schools(w, make, db, client, auth):
    s = make.session(site=w.site, capacity=5, approval=ApprovalMode.COORDINATOR)
    mine = register(db, s, person(make, w.gym, "Алексеева"))
    other = register(db, s, person(make, w.lyc, "Борисова"))
    auth.login(w.coordinator)
    response = client.post(f"/registrations/{mine.id}/approve", data={"next": "/school"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/school")
    assert status_of(db, mine.id) == RegStatus.CONFIRMED
    assert client.post(f"/registrations/{other.id}/approve", data={"next": "/school"}).status_code == 403
    assert client.post(f"/registrations/{other.id}/reject", data={"reason": "нет"}).status_code == 403
    assert status_of(db, other.id) == RegStatus.PENDING
    # from=roster does not show her the roster: she gets the plain answer
    third = register(db, s, person(make, w.gym, "Васильева"))
    response = client.post(f"/registrations/{third.id}/reject", headers=HX,
                           data={"from": "roster", "reason": "Нет замены на уроках"})
    assert response.status_code == 303 and status_of(db, third.id) == RegStatus.REJECTED


def test_teacher_cannot_decide_and_unknown_registration_is_404(w, staff_mode, db, client, auth):
    auth.login(w.teacher)
    reg = staff_mode.regs[0]
    for action in ("approve", "reject", "promote"):
        assert client.post(f"/registrations/{reg.id}/{action}", data={"reason": "x"}).status_code == 403
    auth.login(w.admin)
    assert client.post("/registrations/999999/approve").status_code == 404
    assert status_of(db, reg.id) == RegStatus.PENDING


def test_promote_only_into_a_free_seat_and_out_of_turn(w, make, db, client, auth):
    s = make.session(site=w.site, capacity=1)
    register(db, s, person(make, w.gym, "Алексеева"))
    first = register(db, s, person(make, w.gym, "Борисова"))
    second = register(db, s, person(make, w.lyc, "Васильева"))
    assert first.status == second.status == RegStatus.WAITLISTED
    auth.login(w.leader)
    page = text_of(client.get(roster_url(s)))
    assert "Дать место" not in page  # no free seat: no button
    response = client.post(f"/registrations/{second.id}/promote", headers=HX, data={"from": "roster"})
    assert response.status_code == 409 and "Свободных мест нет" in text_of(response)
    assert status_of(db, second.id) == RegStatus.WAITLISTED

    db.session.get(EventSession, s.id).capacity = 2
    db.session.commit()
    assert "Дать место" in text_of(client.get(roster_url(s)))
    response = client.post(f"/registrations/{second.id}/promote", headers=HX, data={"from": "roster"})
    assert response.status_code == 200
    assert "Васильева Анна Сергеевна: переведён(а) из листа ожидания, подтверждена." in text_of(response)
    assert status_of(db, second.id) == RegStatus.CONFIRMED
    assert status_of(db, first.id) == RegStatus.WAITLISTED
    assert "№ 1 в очереди" in text_of(response)
    # a coordinator may not reorder the queue
    auth.login(w.coordinator)
    assert client.post(f"/registrations/{first.id}/promote").status_code == 403


def test_cancel_from_the_roster_returns_to_it_with_the_message(w, filled, db, client, auth):
    auth.login(w.leader)
    reg = filled.regs[0]
    back = roster_url(w.s, org=w.gym.id)
    response = client.post(f"/registrations/{reg.id}/cancel", data={"reason": "", "from": "roster", "next": back})
    assert response.status_code == 303 and status_of(db, reg.id) == RegStatus.CONFIRMED
    response = client.post(f"/registrations/{reg.id}/cancel",
                           data={"reason": "Заболела", "from": "roster", "next": back})
    assert response.status_code == 303 and response.headers["Location"].endswith(back)
    assert status_of(db, reg.id) == RegStatus.CANCELLED
    # the freed seat went to the first in the queue; the htmx roster shows the flashed message once
    assert status_of(db, filled.regs[3].id) == RegStatus.CONFIRMED
    fragment = text_of(client.get(back, headers=HX))
    assert "Регистрация участника отменена" in fragment
    assert "Регистрация участника отменена" not in text_of(client.get(back, headers=HX))


def test_cancel_with_htmx_lands_on_the_roster_fragment(w, filled, db, client, auth):
    """The roster's cancel form posts with htmx; the browser follows the 303 with the htmx header."""
    auth.login(w.methodist)
    reg = filled.regs[1]
    back = roster_url(w.s, status="confirmed")
    response = client.post(f"/registrations/{reg.id}/cancel", headers=HX, follow_redirects=True,
                           data={"reason": "Перевели на другую площадку", "from": "roster", "next": back})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<div id="roster"')
    assert "Регистрация участника отменена, он получит письмо." in text_of(response)
    assert f'id="reg-{reg.id}"' not in html and status_of(db, reg.id) == RegStatus.CANCELLED


# -- bulk ------------------------------------------------------------------------------------

def test_bulk_approve_applies_each_and_reports_refusals(w, staff_mode, db, client, auth):
    auth.login(w.leader)
    a, b, c = staff_mode.regs
    services.approve(c.id, w.leader)
    db.session.commit()
    response = client.post(f"/sessions/{staff_mode.s.id}/roster/bulk", headers=HX,
                           data={"from": "roster", "action": "approve", "ids": [str(a.id), str(b.id), str(c.id)]})
    assert response.status_code == 200
    text = text_of(response)
    assert "Подтверждено: 2." in text
    assert "Васильева Анна Сергеевна: Заявка не ждёт подтверждения: подтверждена." in text
    assert [status_of(db, r.id) for r in (a, b, c)] == [RegStatus.CONFIRMED] * 3


def test_bulk_reject_needs_a_reason_and_changes_nothing_without_it(w, staff_mode, db, client, auth):
    auth.login(w.methodist)
    ids = [str(r.id) for r in staff_mode.regs[:2]]
    url = f"/sessions/{staff_mode.s.id}/roster/bulk"
    response = client.post(url, headers=HX, data={"from": "roster", "action": "reject", "ids": ids})
    assert response.status_code == 422 and "Укажите причину отклонения" in text_of(response)
    assert all(status_of(db, r.id) == RegStatus.PENDING for r in staff_mode.regs)
    assert client.post(url, headers=HX, data={"from": "roster", "action": "reject"}).status_code == 422
    assert client.post(url, headers=HX, data={"from": "roster", "action": "drop", "ids": ids}).status_code == 422
    # without JS the 422 is the whole page
    page = client.post(url, data={"action": "approve"})
    assert page.status_code == 422 and "<html" in page.get_data(as_text=True)

    response = client.post(url, data={"action": "reject", "ids": ids, "reason": "Группа набрана"})
    assert response.status_code == 303
    assert [status_of(db, r.id) for r in staff_mode.regs] == [RegStatus.REJECTED, RegStatus.REJECTED,
                                                             RegStatus.PENDING]
    assert "Отклонено: 2." in text_of(client.get(response.headers["Location"]))


def test_bulk_ignores_registrations_of_other_sessions_and_is_staff_only(w, staff_mode, make, db, client, auth):
    elsewhere = make.session(site=make.site(), approval=ApprovalMode.STAFF)
    foreign = register(db, elsewhere, person(make, w.gym, "Чужая"))
    auth.login(w.leader)
    response = client.post(f"/sessions/{staff_mode.s.id}/roster/bulk", headers=HX,
                           data={"from": "roster", "action": "approve", "ids": [str(foreign.id)]})
    assert response.status_code == 200 and "Подтверждено: 0." in text_of(response)
    assert status_of(db, foreign.id) == RegStatus.PENDING
    auth.login(w.coordinator)
    assert client.post(f"/sessions/{staff_mode.s.id}/roster/bulk",
                       data={"action": "approve", "ids": [str(staff_mode.regs[0].id)]}).status_code == 403
    assert status_of(db, staff_mode.regs[0].id) == RegStatus.PENDING


# -- adding a person -------------------------------------------------------------------------

def test_staff_find_and_add_a_person(w, make, db, client, auth):
    s = make.session(site=w.site, capacity=1, approval=ApprovalMode.STAFF)
    newcomer = person(make, w.lyc, "Ёлкина", email="elkina@example.org")
    person(make, w.lyc, "Ёжикова", is_active=False)
    auth.login(w.leader)
    found = client.get(f"/sessions/{s.id}/roster/people?q=ёлк", headers=HX)
    assert found.status_code == 200 and found.get_data(as_text=True).lstrip().startswith('<div id="roster-people"')
    assert "Ёлкина Анна Сергеевна" in text_of(found) and "Добавить" in text_of(found)
    assert "Ёжикова" not in text_of(client.get(f"/sessions/{s.id}/roster/people?q=ё", headers=HX))
    assert "Введите хотя бы две буквы" in text_of(client.get(f"/sessions/{s.id}/roster/people?q=ё", headers=HX))
    # without JS: the roster page with the results
    page = client.get(f"/sessions/{s.id}/roster/people?q=elkina")
    assert page.status_code == 200 and "Список участников" in text_of(page) and "Ёлкина" in text_of(page)

    response = client.post(f"/sessions/{s.id}/roster/add", headers=HX, data={"user_id": newcomer.id, "from": "roster"})
    assert response.status_code == 200
    assert "Ёлкина Анна Сергеевна: добавлен(а), подтверждена." in text_of(response)
    reg = db.session.scalar(sa.select(Registration).where(Registration.user_id == newcomer.id))
    assert reg.status == RegStatus.CONFIRMED and reg.staff_approved_by_id == w.leader.id

    again = client.post(f"/sessions/{s.id}/roster/add", headers=HX, data={"user_id": newcomer.id, "from": "roster"})
    assert again.status_code == 409 and "Ёлкина А. С. уже зарегистрированы" in text_of(again)
    # the search shows her state now instead of the button
    assert "Подтверждена" in text_of(client.get(f"/sessions/{s.id}/roster/people?q=ёлк", headers=HX))

    # the seat is taken: the next one goes to the waiting list, without JS a redirect
    late = person(make, w.gym, "Жукова")
    response = client.post(f"/sessions/{s.id}/roster/add", data={"user_id": late.id})
    assert response.status_code == 303
    assert "добавлен(а) в лист ожидания — № 1 в очереди" in text_of(client.get(response.headers["Location"]))


@pytest.mark.parametrize("user_id", ["999999", "abc", "", "-3"])
def test_adding_an_unknown_person_is_404(w, client, auth, db, user_id):
    auth.login(w.admin)
    response = client.post(f"/sessions/{w.s.id}/roster/add", data={"user_id": user_id})
    assert response.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0


def test_only_staff_add_people(w, client, auth, db):
    auth.login(w.coordinator)
    assert client.post(f"/sessions/{w.s.id}/roster/add", data={"user_id": w.teacher.id}).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0


# -- exports ---------------------------------------------------------------------------------

COLUMNS = ["ФИО", "Организация", "Территория", "Должность", "E-mail", "Статус", "Место в очереди", "Причина",
           "Дата регистрации", "Последнее изменение"]


@pytest.fixture
def exported(w, filled, make, db):
    villain = person(make, w.lyc, "=cmd|' /C calc'!A0", position="+7 директор", email="v@example.org")
    register(db, w.s, villain)  # the third in the queue
    return villain


def test_csv_export(w, exported, client, auth):
    auth.login(w.leader)
    response = client.get(f"/sessions/{w.s.id}/roster.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="roster-{w.s.id}.csv"; filename*=UTF-8\'\'')
    assert quote("Участники — Семинар «Проектная деятельность».csv", safe="") in disposition
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == COLUMNS
    assert len(rows) == 7
    first = rows[1]
    assert first[:3] == ["Алексеева Анна Сергеевна", "Гимназия № 1", "Павловский район"]
    assert first[5] == "Подтверждена" and first[6] == ""
    assert len(first[8]) == 16 and first[8][2] == "." and first[8][5] == "." and first[8][10] == " "
    villain = rows[-1]
    assert villain[0].startswith("'=cmd") and villain[3] == "'+7 директор"
    assert villain[5] == "В листе ожидания" and villain[6] == "3"
    # the filters of the roster apply
    filtered = client.get(f"/sessions/{w.s.id}/roster.csv?status=waitlisted").get_data().decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(filtered), delimiter=";"))) == 4


def test_xlsx_export(w, exported, client, auth):
    auth.login(w.admin)
    response = client.get(f"/sessions/{w.s.id}/roster.xlsx?org={w.lyc.id}")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f'filename="roster-{w.s.id}.xlsx"' in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2" and sheet.column_dimensions["A"].width >= 30
    names = [r[0] for r in rows[1:]]
    assert names == ["Борисова Анна Сергеевна", "Григорьева Анна Сергеевна", "'=cmd|' /C calc'!A0 Анна Сергеевна"]
    villain = rows[-1]
    assert villain[3] == "'+7 директор" and villain[6] == 3
    assert sheet.cell(row=4, column=1).data_type == "s"
    assert sheet.cell(row=2, column=9).is_date and sheet.cell(row=2, column=9).number_format == "DD.MM.YYYY HH:MM"


# -- queries ---------------------------------------------------------------------------------

def _roster_queries(ids, make, db, client, auth, count: int) -> int:
    """Queries of one roster page of a session with `count` registrations of every kind."""
    site, leader, coordinator = db.session.get(Site, ids.site), db.session.get(User, ids.leader), \
        db.session.get(User, ids.coordinator)
    s = make.session(site=site, capacity=3, approval=ApprovalMode.BOTH)
    orgs = [db.session.get(Organization, i) for i in ids.orgs]
    for n in range(count):
        p = person(make, orgs[n % len(orgs)], f"Участник{n:03d}")
        nominated = n % len(orgs) == 0  # the first organization is the coordinator's
        reg = services.register(s.id, p, coordinator if nominated else p, nominated=nominated)
        if n % 5 == 0 and reg.status == RegStatus.PENDING:
            services.approve(reg.id, leader)
    db.session.commit()
    auth.login(leader)
    url = roster_url(s)
    db.session.remove()
    with count_queries(db.engine) as statements:
        response = client.get(url)
    assert response.status_code == 200
    assert text_of(response).count("Участник") >= min(count, 50)
    return len(statements)


def test_roster_queries_do_not_grow_with_rows(w, make, db, client, auth):
    ids = SimpleNamespace(site=w.site.id, leader=w.leader.id, coordinator=w.coordinator.id,
                          orgs=[w.gym.id, w.lyc.id, make.organization(municipality=w.m).id])
    small = _roster_queries(ids, make, db, client, auth, 5)
    large = _roster_queries(ids, make, db, client, auth, 60)
    assert small == large
    assert large <= 12
