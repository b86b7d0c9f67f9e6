"""The participation and attendance report: registrations by status, attendance marks, the
no-show rate, grouped by session, site, organization, municipality and audience; young teachers
reached; the teachers of each municipality who attended; the page, its htmx fragment, who may
read it, bad filters, empty data, the CSV and Excel exports and constant query counts.

The scenario (times relative to now): municipality A with two schools and sessions at its sites —
one that ended ten days ago (four confirmed: present, absent, not marked, excused; one on the
waiting list who walked in late; one pending), one cancelled (a confirmed registration that is no
no-show), one in ten days (confirmed, rejected, cancelled) — and municipality B, whose school's
teachers came to A's sessions, with a session of its own that A's teacher attended.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from conftest import HX, count_queries, text_of
from openpyxl import load_workbook

from webapp.accounts.models import Role
from webapp.attendance.models import Attendance, AttendanceStatus
from webapp.registration.models import Registration, RegStatus
from webapp.reports import participation as service
from webapp.reports.people import YOUNG_AUDIENCE
from webapp.reports.scope import ReportFilters
from webapp.sessions.models import SessionStatus
from webapp.taxonomy.models import Audience

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOW = datetime.now(timezone.utc).replace(microsecond=0)
START, END = (NOW - timedelta(days=90)).date(), (NOW + timedelta(days=90)).date()
PERIOD = f"from={START}&to={END}"


def register(db, session, person, status=RegStatus.CONFIRMED, ticket=None) -> Registration:
    reg = Registration(session_id=session.id, user_id=person.id, organization_id=person.organization_id,
                       status=status, queue_ticket=ticket)
    db.session.add(reg)
    db.session.flush()
    return reg


def mark(db, session, person, status, walk_in=False) -> Attendance:
    att = Attendance(session_id=session.id, user_id=person.id, organization_id=person.organization_id,
                     status=status, walk_in=walk_in)
    db.session.add(att)
    db.session.flush()
    return att


@pytest.fixture
def w(make, db):
    w = SimpleNamespace()
    w.young_audience = Audience(name=YOUNG_AUDIENCE, position=1)
    w.managers = Audience(name="Управленческие команды", position=2)
    db.session.add_all([w.young_audience, w.managers])
    w.a = make.municipality(name="Павловский район")
    w.b = make.municipality(name="Кореновский район")
    w.empty = make.municipality(name="Новый район")
    w.school1 = make.organization(municipality=w.a, name="МБОУ СОШ № 1")
    w.school2 = make.organization(municipality=w.a, name="МБОУ СОШ № 2")
    w.school_b = make.organization(municipality=w.b, name="МБОУ СОШ № 9")
    w.site = make.site(organization=w.school1, name="Гимназия № 2")
    w.site2 = make.site(organization=w.school2, name="Лицей № 5")
    w.site_b = make.site(organization=w.school_b, name="Площадка Б")
    # teachers: young by years, young by audience, experienced, inactive; B's young and experienced
    w.t1 = make.user(organization=w.school1, last_name="Молодая", years_experience=2)
    w.t2 = make.user(organization=w.school1, last_name="Наставляемая", years_experience=12)
    w.t2.audiences = [w.young_audience]
    w.t3 = make.user(organization=w.school2, last_name="Опытная", years_experience=10)
    w.t4 = make.user(organization=w.school1, last_name="Уволенная", years_experience=1, is_active=False)
    w.tb1 = make.user(organization=w.school_b, last_name="Гостья", years_experience=1)
    w.tb2 = make.user(organization=w.school_b, last_name="Гостья-2", years_experience=20)
    w.tb2.audiences = [w.managers]
    w.past = make.session(site=w.site, start=NOW - timedelta(days=10), title="Семинар о наставничестве")
    w.cancelled = make.session(site=w.site, start=NOW - timedelta(days=5), title="Отменённый семинар",
                               status=SessionStatus.CANCELLED)
    w.future = make.session(site=w.site2, start=NOW + timedelta(days=10), title="Мастер-класс")
    w.session_b = make.session(site=w.site_b, start=NOW - timedelta(days=7), title="Семинар Б")
    w.old = make.session(site=w.site, start=NOW - timedelta(days=200), title="Старый семинар")
    for person in (w.t1, w.t2, w.t3, w.tb1):
        register(db, w.past, person)
    register(db, w.past, w.tb2, RegStatus.WAITLISTED, ticket=1)
    register(db, w.past, w.t4, RegStatus.PENDING)
    mark(db, w.past, w.t1, AttendanceStatus.PRESENT)
    mark(db, w.past, w.t2, AttendanceStatus.ABSENT)
    mark(db, w.past, w.tb1, AttendanceStatus.EXCUSED)
    mark(db, w.past, w.tb2, AttendanceStatus.LATE, walk_in=True)
    register(db, w.cancelled, w.t1)
    register(db, w.future, w.t3)
    register(db, w.future, w.tb2, RegStatus.REJECTED)
    register(db, w.future, w.t2, RegStatus.CANCELLED)
    register(db, w.session_b, w.t3)
    mark(db, w.session_b, w.t3, AttendanceStatus.PRESENT)
    # outside the period: counts nowhere
    register(db, w.old, w.t2)
    mark(db, w.old, w.t2, AttendanceStatus.PRESENT)
    w.methodist = make.user(Role.METHODIST, scope=w.a, email="methodist-a@example.org")
    w.methodist_b = make.user(Role.METHODIST, scope=w.b, email="methodist-b@example.org")
    w.methodist_new = make.user(Role.METHODIST, scope=w.empty, email="methodist-new@example.org")
    w.admin = make.user(Role.ADMIN, email="admin@example.org")
    db.session.commit()
    return w


def filters(w, **kw) -> ReportFilters:
    return ReportFilters(**{"start": START, "end": END, "scope_ids": (w.a.id,), **kw})


def regs(t) -> tuple:
    return t.pending, t.confirmed, t.waitlisted, t.rejected, t.cancelled


def marks(t) -> tuple:
    return t.present, t.late, t.absent, t.excused


# -- the service -------------------------------------------------------------------------------

def test_totals_and_the_no_show_rate(w):
    t = service.report(filters(w), now=NOW).totals
    assert regs(t) == (1, 6, 1, 1, 1) and t.registrations == 10
    assert marks(t) == (1, 1, 1, 1) and t.attended == 2
    # due: the ended session's four confirmed (the cancelled and the future session's are not);
    # no-shows: marked absent, and not marked at all — excused is not one
    assert (t.no_shows, t.due) == (2, 4) and t.no_show_share == 50.0


def test_by_session(w):
    page = service.report(filters(w), by="session", now=NOW).groups
    assert [g.label for g in page.items] == ["Семинар о наставничестве", "Отменённый семинар", "Мастер-класс"]
    past, cancelled, future = (g.tally for g in page.items)
    assert regs(past) == (1, 4, 1, 0, 0) and marks(past) == (1, 1, 1, 1) and past.no_show_share == 50.0
    assert cancelled.confirmed == 1 and cancelled.due == 0 and cancelled.no_show_share is None
    assert regs(future) == (0, 1, 0, 1, 1) and future.due == 0
    assert page.items[0].detail == "Гимназия № 2" and page.items[0].start_dt is not None


def test_by_site(w):
    page = service.report(filters(w), by="site", now=NOW).groups
    assert [(g.label, g.tally.registrations, g.tally.marks) for g in page.items] == [
        ("Гимназия № 2", 7, 4), ("Лицей № 5", 3, 0)]


def test_by_organization_as_registered_and_as_marked(w):
    page = service.report(filters(w), by="organization", now=NOW).groups
    rows = {g.label: g for g in page.items}
    assert [g.label for g in page.items] == ["МБОУ СОШ № 1", "МБОУ СОШ № 2", "МБОУ СОШ № 9"]
    assert rows["МБОУ СОШ № 9"].detail == "Кореновский район"
    s1 = rows["МБОУ СОШ № 1"].tally
    assert regs(s1) == (1, 3, 0, 0, 1) and marks(s1) == (1, 0, 1, 0) and (s1.no_shows, s1.due) == (1, 2)
    s9 = rows["МБОУ СОШ № 9"].tally
    assert regs(s9) == (0, 1, 1, 1, 0) and marks(s9) == (0, 1, 0, 1) and (s9.no_shows, s9.due) == (0, 1)


def test_by_municipality_of_the_participants(w):
    page = service.report(filters(w), by="municipality", now=NOW).groups
    assert [(g.label, g.tally.registrations) for g in page.items] == [
        ("Кореновский район", 3), ("Павловский район", 7)]


def test_by_audience_counts_declared_audiences(w):
    page = service.report(filters(w), by="audience", now=NOW).groups
    assert [g.label for g in page.items] == [YOUNG_AUDIENCE, "Управленческие команды", service.NO_KEY["audience"]]
    young, managers, rest = (g.tally for g in page.items)
    assert regs(young) == (0, 1, 0, 0, 1) and marks(young) == (0, 0, 1, 0) and young.no_shows == 1
    assert regs(managers) == (0, 0, 1, 1, 0) and marks(managers) == (0, 1, 0, 0)
    assert rest.registrations == 6


def test_coverage_of_the_municipalities_teachers(w):
    cov = service.report(filters(w), now=NOW).coverage
    assert [r.name for r in cov.rows] == ["Павловский район"]
    a = cov.rows[0]
    # teachers: the active three; reached: the one present here and the one present at B's session
    assert (a.teachers, a.reached, a.young, a.young_reached) == (3, 2, 2, 1)
    assert round(a.share, 1) == 66.7 and a.young_share == 50.0


def test_network_coverage_lists_every_municipality(w):
    cov = service.coverage(filters(w, scope_ids=None))
    assert [(r.name, r.teachers, r.reached, r.young, r.young_reached) for r in cov.rows] == [
        ("Кореновский район", 2, 1, 1, 0), ("Новый район", 0, 0, 0, 0), ("Павловский район", 3, 2, 2, 1)]
    assert (cov.total.teachers, cov.total.reached) == (5, 3) and cov.rows[1].share is None


def test_coverage_follows_the_direction_and_site_filters(w):
    cov = service.coverage(filters(w, site_id=w.site.id))
    assert (cov.rows[0].reached, cov.rows[0].young_reached) == (1, 1)


def test_site_filter(w):
    t = service.report(filters(w, site_id=w.site2.id), now=NOW).totals
    assert regs(t) == (0, 1, 0, 1, 1) and t.marks == 0


def test_empty_municipality_gives_zeros(w):
    r = service.report(filters(w, scope_ids=(w.empty.id,)), now=NOW)
    assert r.is_empty and r.totals.no_show_share is None and r.groups.total == 0
    assert [(c.name, c.teachers, c.share, c.young_share) for c in r.coverage.rows] == [("Новый район", 0, None, None)]


def test_summary_for_the_annual_report(w):
    s = service.summary(filters(w), now=NOW)
    assert s.totals.registrations == 10 and (s.young_reached, s.young_total, s.young_share) == (1, 2, 50.0)


def test_parse_by():
    notes = []
    assert service.parse_by("site", notes) == "site" and service.parse_by(None, notes) == "session"
    assert service.parse_by("teachers", notes) == "session" and "«teachers» не распознана" in notes[0]


# -- the page ----------------------------------------------------------------------------------

def test_page_for_her_municipality(w, client, auth):
    auth.login(w.methodist)
    response = client.get(f"/reports/participation?{PERIOD}&by=organization")
    assert response.status_code == 200
    text = text_of(response)
    assert "Участие и посещаемость" in text and "Павловский район" in text
    assert "Неявки 50 % 2 из 4" in text
    assert "Молодых педагогов охвачено 1 из 2 · 50 %" in text
    assert "МБОУ СОШ № 9 Кореновский район" in text
    assert "Павловский район 3 2" in text  # the coverage table
    html = response.get_data(as_text=True)
    assert ' style="' not in html and "css/reports.css" in html and 'class="rep-share"' in html
    assert "by=organization" in html and "/reports/participation/export?" in html


def test_htmx_grouping_tab(w, client, auth):
    auth.login(w.methodist)
    response = client.get(f"/reports/participation?{PERIOD}&by=site", headers=HX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="participation-report"' in html and "<html" not in html and "report-filters" not in html
    assert "Лицей № 5" in text_of(response)
    assert "HX-Request" in response.headers["Vary"]


def test_groups_paginate(w, make, db, client, auth):
    for n in range(55):
        s = make.session(site=w.site, start=NOW - timedelta(days=20, minutes=n), title=f"Занятие {n + 1:02d}")
        register(db, s, w.t1)
    auth.login(w.methodist)
    first = text_of(client.get(f"/reports/participation?{PERIOD}&by=session"))
    # oldest first: the 55 sessions of twenty days ago, the last of them started earliest
    assert "Занятие 55" in first and "Занятие 06" in first and "Занятие 05" not in first
    second = text_of(client.get(f"/reports/participation?{PERIOD}&by=session&page=2", headers=HX))
    assert "Занятие 05" in second and "Мастер-класс" in second and "Занятие 55" not in second
    # a page past the end (an old link) shows the last one, with the totals of everything
    stale = text_of(client.get(f"/reports/participation?{PERIOD}&by=session&page=99"))
    assert "Мастер-класс" in stale and "Заявок 65" in stale


@pytest.mark.parametrize("who, status", [
    ("anon", 302), ("teacher", 403), ("coordinator", 403), ("site_leader", 403),
    ("methodist_b", 403), ("methodist", 200), ("admin", 200)])
def test_who_may_read_it(w, make, client, auth, who, status):
    people = {
        "teacher": lambda: w.t1,
        "coordinator": lambda: make.user(Role.COORDINATOR, scope=w.school1),
        "site_leader": lambda: make.user(Role.SITE_LEADER, scope=w.site),
        "methodist_b": lambda: w.methodist_b, "methodist": lambda: w.methodist, "admin": lambda: w.admin,
    }
    if who != "anon":
        auth.login(people[who]())
    for url in (f"/reports/participation?{PERIOD}&municipality={w.a.id}",
                f"/reports/participation/export?fmt=csv&{PERIOD}&municipality={w.a.id}",
                f"/reports/participation/export?fmt=xlsx&{PERIOD}&municipality={w.a.id}"):
        response = client.get(url)
        assert response.status_code == status, url
        if status == 302:
            assert "/login" in response.headers["Location"]


def test_bad_filters_become_notes(w, client, auth):
    auth.login(w.methodist)
    response = client.get("/reports/participation?from=2026-02-30&to=x&by=teachers&page=abc&municipality=1x")
    assert response.status_code == 200
    text = text_of(response)
    assert "Дата начала «2026-02-30» не распознана" in text and "Дата окончания «x» не распознана" in text
    assert "Группировка «teachers» не распознана" in text and "Муниципалитет указан неверно" in text


def test_another_municipality_is_refused(w, client, auth):
    auth.login(w.methodist)
    assert client.get(f"/reports/participation?{PERIOD}&municipality={w.b.id}").status_code == 403
    assert client.get(f"/reports/participation/export?{PERIOD}&municipality={w.b.id}").status_code == 403


def test_new_municipality_shows_zeros_and_a_friendly_message(w, client, auth):
    auth.login(w.methodist_new)
    response = client.get(f"/reports/participation?{PERIOD}")
    assert response.status_code == 200
    text = text_of(response)
    assert "ещё никто не записывался" in text and "Заявок 0" in text and "Неявки — 0 из 0" in text
    assert "пока нет педагогов" in text and "Новый район 0 0 —" in text


# -- exports -----------------------------------------------------------------------------------

def test_csv_export_of_the_grouping(w, client, auth):
    auth.login(w.methodist)
    response = client.get(f"/reports/participation/export?fmt=csv&by=organization&{PERIOD}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "participation-organization.csv" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert rows[0] == list(service.group_header("organization"))
    assert rows[1][:4] == ["МБОУ СОШ № 1", "Павловский район", "5", "1"]
    assert rows[1][-3:] == ["2", "1", "50.0"]
    assert len(rows) == 4


def test_xlsx_export_with_coverage_and_totals(w, client, auth):
    auth.login(w.methodist)
    response = client.get(f"/reports/participation/export?fmt=xlsx&by=session&{PERIOD}")
    assert response.status_code == 200 and response.mimetype == XLSX
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["По мероприятиям", "Охват педагогов", "Итоги"]
    sessions = list(book["По мероприятиям"].iter_rows(values_only=True))
    assert sessions[0][:3] == ("Мероприятие", "Начало", "Площадка")
    assert sessions[1][0] == "Семинар о наставничестве" and isinstance(sessions[1][1], datetime)
    assert sessions[1][2] == "Гимназия № 2" and sessions[1][3] == 6 and sessions[1][-1] == 50
    assert sessions[2][-1] is None  # the cancelled session: nobody due, no rate
    coverage = list(book["Охват педагогов"].iter_rows(values_only=True))
    assert coverage[0] == service.COVERAGE_HEADER
    assert coverage[1] == ("Павловский район", 3, 2, 66.7, 2, 1, 50)
    assert coverage[-1][0] == "Итого"
    summary = dict(book["Итоги"].iter_rows(values_only=True))
    assert summary["Заявок всего"] == 10 and summary["Неявки, %"] == 50
    assert summary["Молодых педагогов"] == 2 and summary["Молодых педагогов посетили"] == 1


def test_export_of_an_empty_municipality_and_a_bad_format(w, client, auth):
    auth.login(w.methodist_new)
    response = client.get(f"/reports/participation/export?fmt=xlsx&by=audience&{PERIOD}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert len(list(book["По аудиториям"].iter_rows(values_only=True))) == 1
    response = client.get(f"/reports/participation/export?fmt=pdf&{PERIOD}")
    assert response.status_code == 400 and "xlsx (Excel) или csv" in text_of(response)


# -- a constant number of queries ----------------------------------------------------------------

def _grow(ids, make, db, n: int) -> None:
    """n more sessions with registrations and marks of n more teachers."""
    from webapp.orgs.models import Municipality
    from webapp.sites.models import Site

    site = db.session.get(Site, ids.site)
    org = make.organization(municipality=db.session.get(Municipality, ids.a))
    people = [make.user(organization=org, years_experience=k % 5) for k in range(n)]
    for k in range(n):
        s = make.session(site=site, start=NOW - timedelta(days=3 + k % 20))
        for person in people[: 1 + k % 5]:
            register(db, s, person)
            mark(db, s, person, AttendanceStatus.PRESENT if k % 3 else AttendanceStatus.ABSENT)
    db.session.commit()


@pytest.mark.parametrize("who", ["methodist", "admin"])
def test_queries_do_not_grow_with_the_data(w, make, db, client, auth, who):
    auth.login(getattr(w, who))
    urls = [f"/reports/participation?{PERIOD}&by={by}" for by in service.DIMENSIONS]
    urls.append(f"/reports/participation?{PERIOD}&municipality={w.a.id}&site={w.site.id}")

    def measure() -> list[int]:
        out = []
        for url in urls:
            db.session.remove()
            with count_queries(db.engine) as statements:
                assert client.get(url).status_code == 200
            out.append(len(statements))
        return out

    ids = SimpleNamespace(a=w.a.id, site=w.site.id)
    _grow(ids, make, db, 2)
    small = measure()
    _grow(ids, make, db, 60)
    assert measure() == small
    assert max(small) <= 12


def test_a_new_mark_shows_at_once(w, db, client, auth):
    from webapp.accounts.models import User
    from webapp.sessions.models import EventSession

    auth.login(w.methodist)
    url = f"/reports/participation?{PERIOD}&by=site"
    assert "Неявки 50 % 2 из 4" in text_of(client.get(url))
    past, person = db.session.get(EventSession, w.past.id), db.session.get(User, w.t3.id)
    mark(db, past, person, AttendanceStatus.PRESENT)
    db.session.commit()
    assert "Неявки 25 % 1 из 4" in text_of(client.get(url))
