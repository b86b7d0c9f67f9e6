"""Attendance exports: a session's roster with marks, and every mark of a period, as CSV and Excel."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace
from urllib.parse import unquote

import pytest
from conftest import count_queries, text_of
from openpyxl import load_workbook

from webapp.accounts.models import Role
from webapp.attendance import exports
from webapp.attendance.models import Attendance, AttendanceStatus, MarkSource
from webapp.dbtypes import utcnow
from webapp.registration import services as registration
from webapp.sessions.models import SessionStatus

P, L, A = AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def attend(db, session, person, status=P, **kw) -> Attendance:
    kw.setdefault("organization_id", person.organization_id)
    att = Attendance(session_id=session.id, user_id=person.id, status=status, **kw)
    db.session.add(att)
    db.session.flush()
    return att


def read_csv(response) -> list[list[str]]:
    body = response.data.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def read_xlsx(response) -> list[tuple]:
    assert response.mimetype == XLSX
    return list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))


@pytest.fixture
def w(make, db):
    m = make.municipality(name="Кореновский район")
    ekb = make.municipality(name="Екатеринбург", timezone="Asia/Yekaterinburg")
    school = make.organization(municipality=m, name="МБОУ СОШ № 7")
    site = make.site(organization=make.organization(municipality=m), name="Гимназия № 2")
    other_site = make.site(organization=make.organization(municipality=m), name="Лицей № 5")
    far_site = make.site(organization=make.organization(municipality=ekb), name="Уральская площадка")
    w = SimpleNamespace(
        m=m, ekb=ekb, school=school, site=site, other_site=other_site, far_site=far_site,
        leader=make.user(Role.SITE_LEADER, scope=site, last_name="Ведущая"),
        other_leader=make.user(Role.SITE_LEADER, scope=other_site, last_name="Чужая"),
        far_leader=make.user(Role.SITE_LEADER, scope=far_site, last_name="Уральская"),
        methodist=make.user(Role.METHODIST, scope=m, last_name="Методистова"),
        far_methodist=make.user(Role.METHODIST, scope=ekb, last_name="Дальняя"),
        coordinator=make.user(Role.COORDINATOR, scope=school, organization=school),
        admin=make.user(Role.ADMIN, last_name="Админова"),
        teacher=make.user(organization=school, last_name="Сидорова", position="Учитель математики"),
    )

    def held(site, start, people, **kw):
        """A session people registered for in advance, moved to `start` (in the past)."""
        s = make.session(site=site, start=utcnow().replace(microsecond=0) + timedelta(days=3), **kw)
        for p in people:
            registration.register(s.id, p, p)
        duration = s.end_dt - s.start_dt
        s.start_dt, s.end_dt = start, start + duration
        db.session.flush()
        return s

    w.held = held
    return w


@pytest.fixture
def marked(w, make, db):
    """A session in Yekaterinburg time: present, absent with a remark, unmarked, a late walk-in."""
    present = make.user(organization=w.school, last_name="Антонова", email="antonova@example.org")
    absent = make.user(organization=w.school, last_name="=Формулова", first_name="+Ирина")
    unmarked = make.user(organization=w.school, last_name="Яковлева")
    walk_in = make.user(organization=make.organization(municipality=w.ekb, name="Лицей № 1"), last_name="Борисова")
    s = w.held(w.site, utc(2026, 3, 12, 5), [present, absent, unmarked], hours=3,
               municipality=w.ekb, title="Семинар «Наставник»")
    attend(db, s, present, P)
    attend(db, s, absent, A, remark="-болела\x07")
    attend(db, s, walk_in, L, walk_in=True, source=MarkSource.WALK_IN)
    # she moved to another school since: the export names the one she came from
    present.organization = make.organization(municipality=w.m, name="Гимназия № 9")
    db.session.commit()
    return SimpleNamespace(s=s, present=present, absent=absent, unmarked=unmarked, walk_in=walk_in)


def test_session_export_is_for_the_sessions_staff(client, auth, w, marked):
    url = f"/sessions/{marked.s.id}/attendance/export?format=csv"
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    for person, status in [(w.leader, 200), (w.other_leader, 403), (w.teacher, 403), (w.coordinator, 403),
                           (w.far_methodist, 200), (w.methodist, 403), (w.admin, 200)]:
        # the session is in Yekaterinburg's municipality: its methodist, not Korenovsk's
        auth.login(person)
        assert client.get(url).status_code == status, person.last_name
    assert client.get("/sessions/999999/attendance/export?format=csv").status_code == 404


def test_session_export_csv_has_everyone_on_the_roster(client, auth, w, marked):
    auth.login(w.leader)
    response = client.get(f"/sessions/{marked.s.id}/attendance/export?format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    disposition = response.headers["Content-Disposition"]
    assert f'filename="attendance-{marked.s.id}.csv"' in disposition
    assert "Семинар «Наставник»" in unquote(disposition.split("filename*=UTF-8''")[1])
    rows = read_csv(response)
    header = rows[0]
    assert header == list(exports.COLUMNS)
    by_name = {r[0].split()[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert list(by_name) == ["'=Формулова", "Антонова", "Борисова", "Яковлева"]
    antonova = by_name["Антонова"]
    assert (antonova["Статус"], antonova["E-mail"], antonova["Организация"], antonova["Территория"]) == (
        "Присутствовал", "antonova@example.org", "МБОУ СОШ № 7", "Кореновский район")
    # times in the session's zone (Yekaterinburg, UTC+5), hours only for those who came
    assert (antonova["Начало"], antonova["Окончание"], antonova["Часы"]) == ("12.03.2026 10:00",
                                                                           "12.03.2026 13:00", "4")
    assert antonova["Мероприятие"] == "Семинар «Наставник»" and antonova["Площадка"] == "Гимназия № 2"
    assert by_name["'=Формулова"]["Часы"] == "0" and by_name["'=Формулова"]["Статус"] == "Отсутствовал"
    assert by_name["'=Формулова"]["Примечание"] == "'-болела\x07"
    assert by_name["'=Формулова"]["ФИО"].startswith("'=")
    assert (by_name["Яковлева"]["Статус"], by_name["Яковлева"]["Часы"], by_name["Яковлева"]["Время отметки"]) == (
        "не отмечен", "0", "")
    borisova = by_name["Борисова"]
    assert (borisova["Статус"], borisova["Без записи"], borisova["Как отмечен"], borisova["Часы"]) == (
        "Опоздал", "да", "добавлен на месте", "4")
    assert borisova["Организация"] == "Лицей № 1" and antonova["Без записи"] == "нет"


def test_session_export_xlsx(client, auth, w, marked):
    auth.login(w.admin)
    response = client.get(f"/sessions/{marked.s.id}/attendance/export?format=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    sheet = book.active
    assert sheet.title == "Посещаемость" and sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == exports.COLUMNS and len(rows) == 5
    formula = rows[1]
    assert formula[0] == "'=Формулова +Ирина Сергеевна" and formula[6] == "'-болела"
    antonova = rows[2]
    assert antonova[12] == datetime(2026, 3, 12, 10, 0) and antonova[14] == 4
    assert sheet.cell(row=3, column=13).number_format == "DD.MM.YYYY HH:MM"


def test_session_export_refuses_an_unknown_format(client, auth, w, marked):
    auth.login(w.leader)
    for query in ("?format=pdf", "", "?format="):
        response = client.get(f"/sessions/{marked.s.id}/attendance/export{query}")
        assert response.status_code == 400, query
        assert "Неизвестный формат файла" in text_of(response)


def test_session_export_queries_do_not_grow_with_the_roster(client, auth, db, make, w):
    auth.login(w.leader)
    counts = []
    for n in (3, 30):
        people = [make.user(organization=make.organization(municipality=w.m)) for _ in range(n)]
        s = w.held(w.site, utc(2026, 3, 12, 7), people)
        for i, p in enumerate(people):
            if i % 3:
                # marked while at a school she has left since: that school is named, not the current one
                left = make.organization(municipality=w.m)
                attend(db, s, p, P if i % 2 else A, organization_id=left.id)
        db.session.commit()
        with count_queries(db.engine) as statements:
            response = client.get(f"/sessions/{s.id}/attendance/export?format=xlsx")
        assert len(read_xlsx(response)) == n + 1
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


# -- the period export -----------------------------------------------------------------------

@pytest.fixture
def period(w, make, db):
    """Marks in the first half of 2026 at three sites in two municipalities, and some that must not count."""
    colleague = make.user(organization=w.school, last_name="Коллегова")
    p = SimpleNamespace(colleague=colleague)
    registrant = make.user(organization=w.school, last_name="Незамеченная")
    p.main = w.held(w.site, utc(2026, 3, 12, 7), [registrant], title="Главный семинар")
    attend(db, p.main, w.teacher, P)
    attend(db, p.main, colleague, A)
    p.other = make.session(site=w.other_site, start=utc(2026, 3, 20, 7), title="Семинар в лицее")
    attend(db, p.other, w.teacher, L)
    p.far = make.session(site=w.far_site, start=utc(2026, 4, 1, 5), title="Уральский семинар")
    attend(db, p.far, colleague, P)
    p.cancelled = make.session(site=w.site, start=utc(2026, 2, 1, 7), title="Отменённый семинар",
                               status=SessionStatus.CANCELLED)
    attend(db, p.cancelled, w.teacher, P)
    p.outside = make.session(site=w.site, start=utc(2025, 1, 10, 7), title="Старый семинар")
    attend(db, p.outside, w.teacher, P)
    db.session.commit()
    return p


def _period(client, **args):
    return client.get("/attendance/export", query_string={"date_from": "2026-01-01", "date_to": "2026-06-30",
                                                         "format": "csv", **args})


def _titles(response) -> list[tuple[str, str]]:
    assert response.status_code == 200, text_of(response)
    rows = read_csv(response)
    title = rows[0].index("Мероприятие")
    return sorted((r[title], r[0].split()[0]) for r in rows[1:])


def test_period_export_is_for_those_who_manage_sessions(client, auth, w, period):
    response = client.get("/attendance/export")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    for person, status in [(w.teacher, 403), (w.coordinator, 403), (w.leader, 200), (w.methodist, 200),
                           (w.admin, 200)]:
        auth.login(person)
        assert client.get("/attendance/export").status_code == status, person.last_name
        assert _period(client).status_code == status, person.last_name


def test_period_export_covers_only_the_persons_sessions(client, auth, w, period):
    auth.login(w.methodist)
    assert _titles(_period(client)) == [("Главный семинар", "Коллегова"), ("Главный семинар", "Сидорова"),
                                        ("Семинар в лицее", "Сидорова")]
    auth.login(w.leader)
    assert _titles(_period(client)) == [("Главный семинар", "Коллегова"), ("Главный семинар", "Сидорова")]
    auth.login(w.far_methodist)
    assert _titles(_period(client)) == [("Уральский семинар", "Коллегова")]
    auth.login(w.admin)
    assert len(_titles(_period(client))) == 4
    assert _titles(_period(client, municipality=w.ekb.id)) == [("Уральский семинар", "Коллегова")]
    assert _titles(_period(client, site=w.other_site.id)) == [("Семинар в лицее", "Сидорова")]
    assert _titles(_period(client, date_from="2025-01-01", date_to="2025-01-31")) == [
        ("Старый семинар", "Сидорова")]


def test_period_export_rows_and_excel(client, auth, w, period):
    auth.login(w.methodist)
    response = _period(client, format="xlsx")
    assert response.status_code == 200
    assert 'filename="attendance-2026-01-01-2026-06-30.xlsx"' in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    rows = read_xlsx(response)
    header = rows[0]
    lines = [dict(zip(header, r, strict=True)) for r in rows[1:]]
    assert [(r["Мероприятие"], r["ФИО"], r["Статус"], r["Часы"]) for r in lines] == [
        ("Главный семинар", "Коллегова Анна Сергеевна", "Отсутствовал", 0),
        ("Главный семинар", "Сидорова Анна Сергеевна", "Присутствовал", 4),
        ("Семинар в лицее", "Сидорова Анна Сергеевна", "Опоздал", 4)]
    assert lines[1]["Начало"] == datetime(2026, 3, 12, 10, 0) and lines[1]["Окончание"] == datetime(2026, 3, 12, 13, 0)
    assert lines[1]["Организация"] == "МБОУ СОШ № 7" and lines[1]["Площадка"] == "Гимназия № 2"


def test_period_dates_are_the_sessions_local_dates(client, auth, db, make, w):
    # 20:00 UTC on 31 August: 23:00 that day in Moscow, 01:00 on 1 September in Yekaterinburg
    moscow = make.session(site=w.site, start=utc(2026, 8, 31, 20), title="Московский вечер")
    ural = make.session(site=w.far_site, start=utc(2026, 8, 31, 20), title="Уральская ночь")
    attend(db, moscow, w.teacher)
    attend(db, ural, w.teacher)
    db.session.commit()
    auth.login(w.admin)
    assert _titles(_period(client, date_from="2026-08-01", date_to="2026-08-31")) == [
        ("Московский вечер", "Сидорова")]
    assert _titles(_period(client, date_from="2026-09-01", date_to="2026-09-30")) == [("Уральская ночь", "Сидорова")]


def test_period_form_errors_keep_the_values(client, auth, w, period):
    auth.login(w.methodist)
    page = client.get("/attendance/export")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'name="date_from"' in html and "Кореновский район" in html
    assert "Екатеринбург" not in html and "Уральская площадка" not in html and "Лицей № 5" in html
    cases = [
        ({"date_from": "2026-13-45"}, "Неверное значение даты", 'value="2026-13-45"'),
        ({"date_from": "2026-06-01", "date_to": "2026-01-01"}, "Дата окончания раньше даты начала",
         'value="2026-06-01"'),
        ({"date_from": "2020-01-01", "date_to": "2026-01-01"}, "Период длиннее двух лет", 'value="2020-01-01"'),
        ({"date_from": "0001-01-01"}, "между 2000 и 2100", 'value="0001-01-01"'),
        ({"date_from": ""}, "Укажите дату начала периода", 'value="2026-06-30"'),
        ({"format": "pdf"}, "Выберите формат файла", 'value="2026-01-01"'),
        # a municipality she may not choose (the page does not offer it)
        ({"municipality": w.ekb.id}, "Неверный", 'value="2026-01-01"'),
    ]
    for args, message, kept in cases:
        response = _period(client, **args)
        assert response.status_code == 422, args
        assert response.mimetype == "text/html"
        assert message in text_of(response), (args, text_of(response)[:2000])
        assert kept in response.get_data(as_text=True), args


def test_period_export_is_capped(client, auth, w, period, monkeypatch):
    monkeypatch.setattr(exports, "MAX_ROWS", 2)
    auth.login(w.methodist)
    response = _period(client)
    assert response.status_code == 422 and "больше 2 строк" in text_of(response)
    auth.login(w.leader)
    assert len(_titles(_period(client))) == 2


def test_a_period_too_big_for_excel_is_offered_as_csv(client, auth, w, period, monkeypatch):
    monkeypatch.setattr(exports, "MAX_XLSX_ROWS", 1)
    auth.login(w.methodist)
    response = _period(client, format="xlsx")
    assert response.status_code == 422 and "выберите CSV" in text_of(response)
    assert _period(client, format="csv").status_code == 200


def test_period_export_queries_do_not_grow_with_the_rows(client, auth, db, make, w):
    auth.login(w.methodist)
    counts = []
    for n in (3, 30):
        people = [make.user(organization=make.organization(municipality=w.m)) for _ in range(n // 3)]
        for day in range(3):
            s = make.session(site=make.site(organization=make.organization(municipality=w.m)),
                             start=utc(2026, 2 + len(counts), 1 + day, 7))
            for p in people:
                attend(db, s, p, L)
        db.session.commit()
        with count_queries(db.engine) as statements:
            response = _period(client, date_from=f"2026-{2 + len(counts):02d}-01",
                               date_to=f"2026-{2 + len(counts):02d}-28")
        assert len(read_csv(response)) == n + 1
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
