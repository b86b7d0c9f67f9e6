"""The teacher's growth record: who may see it, what it counts, its school years, the Excel file."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace
from urllib.parse import unquote

import pytest
from conftest import HX, count_queries, text_of
from openpyxl import load_workbook

from webapp.accounts.models import Role
from webapp.attendance.growth import growth_record, school_year_label
from webapp.attendance.models import Attendance, AttendanceStatus, Certificate
from webapp.sessions.models import SessionStatus
from webapp.taxonomy.models import Direction, EventForm

P, L, A, E = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT,
              AttendanceStatus.EXCUSED)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def attend(db, session, person, status=P) -> Attendance:
    att = Attendance(session_id=session.id, user_id=person.id, organization_id=person.organization_id,
                     status=status)
    db.session.add(att)
    db.session.flush()
    return att


@pytest.fixture
def w(make, db):
    m = make.municipality(name="Кореновский район")
    other_m = make.municipality(name="Тихорецкий район")
    school = make.organization(municipality=m, name="МБОУ СОШ № 7")
    other_school = make.organization(municipality=m)
    far_school = make.organization(municipality=other_m)
    mentoring = Direction(name="Наставничество", position=1)
    ict = Direction(name="ИКТ-компетенции", position=2)
    seminar = EventForm(name="Семинар-практикум")
    db.session.add_all([mentoring, ict, seminar])
    db.session.flush()
    site = make.site(organization=make.organization(municipality=m), name="Гимназия № 2")
    return SimpleNamespace(
        m=m, school=school, site=site, mentoring=mentoring, ict=ict, seminar=seminar,
        teacher=make.user(organization=school, last_name="Сидорова", position="Учитель математики"),
        colleague=make.user(organization=school, last_name="Коллегова"),
        coordinator=make.user(Role.COORDINATOR, scope=school, organization=school, last_name="Координаторова"),
        other_coordinator=make.user(Role.COORDINATOR, scope=other_school, organization=other_school),
        methodist=make.user(Role.METHODIST, scope=m, last_name="Методистова"),
        far_methodist=make.user(Role.METHODIST, scope=other_m),
        far_coordinator=make.user(Role.COORDINATOR, scope=far_school, organization=far_school),
        admin=make.user(Role.ADMIN),
    )


@pytest.fixture
def history(w, make, db):
    """Her two school years: what counts, and what must not."""
    s = SimpleNamespace()
    s.oct = make.session(site=w.site, title="Модельный семинар по наставничеству", start=utc(2025, 10, 6, 7),
                         academic_hours=4, direction=w.mentoring, form=w.seminar)
    s.mar = make.session(site=w.site, title="Мастер-класс «Наставник и молодой педагог»",
                         start=utc(2026, 3, 12, 7), academic_hours=2, direction=w.mentoring)
    s.sep = make.session(site=None, title="Вебинар без направления", start=utc(2026, 9, 10, 7), academic_hours=3)
    s.absent = make.session(site=w.site, title="Пропущенный семинар", start=utc(2025, 11, 1, 7), direction=w.ict)
    s.excused = make.session(site=w.site, title="Семинар по болезни", start=utc(2025, 11, 8, 7), direction=w.ict)
    s.cancelled = make.session(site=w.site, title="Отменённый круглый стол", start=utc(2025, 12, 1, 7),
                               direction=w.ict, status=SessionStatus.CANCELLED)
    s.others = make.session(site=w.site, title="Чужая конференция", start=utc(2026, 1, 15, 7), direction=w.ict)
    attend(db, s.oct, w.teacher, P)
    s.late = attend(db, s.mar, w.teacher, L)
    attend(db, s.sep, w.teacher, P)
    attend(db, s.absent, w.teacher, A)
    attend(db, s.excused, w.teacher, E)
    attend(db, s.cancelled, w.teacher, P)
    attend(db, s.others, w.colleague, P)
    db.session.commit()
    return s


def test_who_may_see_a_teachers_record(client, auth, w, history):
    url = f"/people/{w.teacher.id}/growth"
    expected = [(w.teacher, 200), (w.colleague, 403), (w.coordinator, 200), (w.other_coordinator, 403),
                (w.far_coordinator, 403), (w.methodist, 200), (w.far_methodist, 403), (w.admin, 200)]
    for viewer, status in expected:
        auth.login(viewer)
        assert client.get(url).status_code == status, viewer.last_name
    auth.login(w.admin)
    assert client.get("/people/999999/growth").status_code == 404
    w.colleague.is_active = False
    assert client.get(f"/people/{w.colleague.id}/growth").status_code == 404
    auth.logout()
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/growth").status_code == 302


def test_my_record_lists_attended_sessions_only(client, auth, w, history):
    auth.login(w.teacher)
    response = client.get("/growth")
    assert response.status_code == 200
    text = text_of(response)
    assert "Сидорова Анна Сергеевна" in text and "МБОУ СОШ № 7" in text and "Учитель математики" in text
    for title in ("Модельный семинар по наставничеству", "Мастер-класс «Наставник и молодой педагог»",
                  "Вебинар без направления"):
        assert title in text
    for title in ("Пропущенный семинар", "Семинар по болезни", "Отменённый круглый стол", "Чужая конференция"):
        assert title not in text
    assert "12 марта 2026" in text and "6 октября 2025" in text
    assert "Гимназия № 2" in text and "Семинар-практикум" in text
    # the late mark is shown on her row, and only there
    assert text.count("опоздал") == 1
    assert re.search(r"Мастер-класс «Наставник и молодой педагог» опоздал", text)
    html = response.get_data(as_text=True)
    assert f'href="/sessions/{history.mar.id}"' in html
    assert "2025/26 учебный год" in text and "2026/27 учебный год" in text
    assert "Наставничество 2 6" in text and "Без направления 1 3" in text and "Всего 3 9" in text


def test_totals_per_direction_and_school_year(db, w, history):
    record = growth_record(w.teacher)
    assert [(t.label, t.sessions, t.hours) for t in record.by_direction] == [
        ("Наставничество", 2, 6), ("Без направления", 1, 3)]
    assert [(t.label, t.sessions, t.hours) for t in record.by_year] == [("2025/26", 2, 6), ("2026/27", 1, 3)]
    assert (record.total.sessions, record.total.hours) == (3, 9)
    assert record.years == [2025, 2026]
    only = growth_record(w.teacher, 2026)
    assert [e.session.title for e in only.entries] == ["Вебинар без направления"]
    assert (only.total.sessions, only.total.hours, only.years) == (1, 3, [2025, 2026])


def test_the_school_year_is_taken_in_the_sessions_zone(db, make, w):
    ekb = make.municipality(name="Екатеринбург", timezone="Asia/Yekaterinburg")
    # 20:00 UTC on 31 August: still August in Moscow, already 1 September in Yekaterinburg
    moscow = make.session(site=None, municipality=w.m, start=utc(2026, 8, 31, 20), title="Московский")
    ural = make.session(site=None, municipality=ekb, start=utc(2026, 8, 31, 20), title="Уральский")
    attend(db, moscow, w.teacher)
    attend(db, ural, w.teacher)
    record = growth_record(w.teacher)
    assert {e.session.title: e.school_year for e in record.entries} == {"Московский": 2025, "Уральский": 2026}
    assert school_year_label(2026) == "2026/27" and school_year_label(2099) == "2099/00"


def test_year_switch_and_its_fragment(client, auth, w, history):
    auth.login(w.coordinator)
    url = f"/people/{w.teacher.id}/growth"
    text = text_of(client.get(f"{url}?year=2026"))
    assert "Вебинар без направления" in text and "Модельный семинар" not in text
    assert "Всего 1 3" in text
    for junk in ("abc", "20266", "1999", "２０２６", ""):
        text = text_of(client.get(url, query_string={"year": junk}))
        assert "Вебинар без направления" in text and "Модельный семинар" in text, junk
    fragment = client.get(f"{url}?year=2025", headers=HX)
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in html and 'id="growth"' in html
    assert "Модельный семинар" in html and "Вебинар без направления" not in html
    assert "HX-Request" in fragment.headers.get("Vary", "")


def test_page_is_printable_without_inline_style_or_script(client, auth, w, history):
    auth.login(w.teacher)
    html = client.get("/growth").get_data(as_text=True)
    assert "css/growth.css" in html and "data-print" in html
    assert " style=" not in html and "onclick" not in html
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None


def test_certificates_are_linked(client, auth, db, w, history):
    att = db.session.get(Attendance, history.late.id)
    db.session.add(Certificate(number="ABCD-2345", attendance_id=att.id, user_id=w.teacher.id,
                               session_id=history.mar.id, hours=2))
    db.session.commit()
    auth.login(w.teacher)
    response = client.get("/growth")
    html = response.get_data(as_text=True)
    assert "ABCD-2345" in text_of(response)
    if "attendance.certificate" in client.application.view_functions:
        assert re.search(r'href="/certificates/ABCD-2345"', html)


def test_excel_download(client, auth, db, w, history):
    history.sep.title = "=HYPERLINK(\"http://evil\")"
    db.session.commit()
    auth.login(w.methodist)
    response = client.get(f"/people/{w.teacher.id}/growth?format=xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''" in disposition
    assert "Сидорова" in unquote(disposition.split("filename*=UTF-8''")[1])
    assert response.headers["Cache-Control"] == "no-store"
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Журнал", "Итоги"]
    rows = list(book["Журнал"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Дата", "Учебный год", "Мероприятие")
    assert book["Журнал"]["A1"].font.bold
    assert [r[2] for r in rows[1:]] == ["Модельный семинар по наставничеству",
                                        "Мастер-класс «Наставник и молодой педагог»",
                                        "'=HYPERLINK(\"http://evil\")"]
    assert rows[1][0].date().isoformat() == "2025-10-06" and rows[2][7] == "Опоздал"
    totals = list(book["Итоги"].iter_rows(values_only=True))
    assert ("Наставничество", 2, 6) in totals and ("2026/27", 1, 3) in totals and ("Всего", 3, 9) in totals
    assert totals[0] == ("Педагог", "Сидорова Анна Сергеевна", None)
    one_year = load_workbook(io.BytesIO(client.get(f"/people/{w.teacher.id}/growth?format=xlsx&year=2025").data))
    assert len(list(one_year["Журнал"].iter_rows())) == 3
    auth.login(w.far_methodist)
    assert client.get(f"/people/{w.teacher.id}/growth?format=xlsx").status_code == 403


@pytest.mark.parametrize("endpoint", ["mine", "person"])
def test_query_count_does_not_grow_with_the_record(client, auth, db, make, w, endpoint):
    viewer = w.teacher if endpoint == "mine" else w.coordinator
    url = "/growth" if endpoint == "mine" else f"/people/{w.teacher.id}/growth"
    auth.login(viewer)
    start = utc(2025, 9, 15, 7)

    def add(n):
        for i in range(n):
            s = make.session(site=make.site(organization=make.organization(municipality=w.m)),
                             start=start + timedelta(days=len(counts) * 40 + i), form=w.seminar,
                             direction=w.ict if i % 2 else w.mentoring)
            att = attend(db, s, w.teacher, L if i % 3 else P)
            db.session.add(Certificate(number=f"N{s.id:06d}", attendance_id=att.id, user_id=w.teacher.id,
                                       session_id=s.id, hours=s.hours))
        db.session.commit()
        with count_queries(db.engine) as statements:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(statements))
        return text_of(response)

    counts: list[int] = []
    add(1)
    text = add(19)
    assert text.count("Семинар ") >= 20
    assert counts[0] == counts[1] and counts[0] <= 4, counts
