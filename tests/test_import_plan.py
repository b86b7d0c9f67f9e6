"""Importing a plan's items from Excel/CSV: upload, mapping, preview, apply, re-import, permissions."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from conftest import HX, count_queries, text_of
from openpyxl import Workbook, load_workbook

from webapp.accounts.models import Role
from webapp.audit.models import AuditEntry
from webapp.dbtypes import utcnow
from webapp.imports import plan_import
from webapp.imports.models import ImportBatch, ImportKind, ImportStatus
from webapp.plan.models import PlanItem, PlanStatus
from webapp.taxonomy.models import Audience, Direction, EventForm

HEADER = ["№", "Мероприятие", "Сроки", "Форма", "Аудитория", "Ответственный", "Прогнозируемый результат"]


# -- helpers ---------------------------------------------------------------------------------

def xlsx(rows, title: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
        sheet.append([])
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, encoding="utf-8-sig", delimiter=";") -> bytes:
    return "\r\n".join(delimiter.join(str(c) for c in row) for row in rows).encode(encoding)


def upload(client, plan_id, data: bytes, name="plan.xlsx", headers=None):
    return client.post(f"/imports/plans/{plan_id}/upload", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", headers=headers)


def batch_id_of(response) -> int:
    location = response.headers.get("Location") or response.headers["HX-Redirect"]
    return int(location.split("/imports/")[1].split("/")[0])


def batches(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(ImportBatch))


def items(db, plan) -> dict[str, PlanItem]:
    db.session.expire_all()
    return {i.number: i for i in db.session.scalars(sa.select(PlanItem).where(PlanItem.plan_id == plan.id))}


def history(db, item_id) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.object_type == "plan_item",
                                                              AuditEntry.object_id == item_id)
                                   .order_by(AuditEntry.id)))


@pytest.fixture
def w(make, db, monkeypatch):
    """Municipalities A and B with a published plan each (September 2025 – August 2026), A's
    methodist, B's methodist, an admin, a teacher, a coordinator, a site leader and the taxonomies."""
    w = SimpleNamespace()
    w.a, w.b = make.municipality(name="Кореновский район"), make.municipality(name="Крымский район")
    period = {"period_start": date(2025, 9, 1), "period_end": date(2026, 8, 31)}
    w.plan = make.plan(municipality=w.a, title="План РМС 2025/2026", **period)
    w.plan_b = make.plan(municipality=w.b, **period)
    w.draft_b = make.plan(municipality=w.b, status=PlanStatus.DRAFT, **period)
    w.methodist = make.user(Role.METHODIST, w.a)
    w.methodist2 = make.user(Role.METHODIST, w.a)
    w.methodist_b = make.user(Role.METHODIST, w.b)
    w.admin = make.user(Role.ADMIN)
    w.teacher = make.user()
    org = make.organization(municipality=w.a)
    w.coordinator = make.user(Role.COORDINATOR, org)
    w.site = make.site(organization=org, name="МБОУ СОШ № 71")
    w.leader = make.user(Role.SITE_LEADER, w.site)
    forms = [EventForm(name=n, position=i) for i, n in enumerate(
        ["Семинар", "Мастер-класс", "Круглый стол", "Практико-ориентированный семинар"])]
    w.retired_form = EventForm(name="Педсовет", position=9, is_active=False)
    audiences = [Audience(name=n, position=i) for i, n in enumerate(
        ["Учителя-предметники", "Молодые педагоги", "Педагоги ДОУ"])]
    directions = [Direction(name=n, position=i) for i, n in enumerate(["Сетевое взаимодействие", "Построение ИОМ"])]
    db.session.add_all([*forms, w.retired_form, *audiences, *directions])
    db.session.flush()
    w.forms = {f.name: f for f in forms}
    w.audiences = {a.name: a for a in audiences}
    w.directions = {d.name: d for d in directions}
    db.session.commit()
    return w


GOOD_ROWS = [
    HEADER,
    ["1.", "Создание рабочей группы", "Январь 2026", "Круглый стол", "Учителя-предметники", "Петрова А. С.",
     "Создана рабочая группа"],
    ["2.", "Семинар для молодых педагогов", "Апрель–май, ежегодно", "семинар",
     "Молодые педагоги; Педагоги ДОУ", "Иванова М. П.", "Повышение компетенций"],
    ["3.", "Консультации по запросам", "Постоянно по запросам", "", "", "", ""],
]


# -- upload and bad files --------------------------------------------------------------------

def test_upload_with_known_headers_goes_straight_to_the_preview(client, auth, db, w):
    auth.login(w.methodist)
    response = upload(client, w.plan.id, xlsx(GOOD_ROWS, title="План мероприятий на 2025/2026 учебный год"))
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/preview")
    batch = db.session.get(ImportBatch, batch_id_of(response))
    assert (batch.kind, batch.plan_id, batch.user_id, batch.status) == (
        ImportKind.PLAN, w.plan.id, w.methodist.id, ImportStatus.UPLOADED)
    assert set(batch.mapping) == {"number", "title", "timing", "form", "audiences", "responsible",
                                  "expected_result"}
    page = text_of(client.get(response.headers["Location"]))
    assert "Новых пунктов 3" in page
    assert "Создание рабочей группы" in page and "1 января 2026 – 31 января 2026" in page
    # several audiences in one cell, a form written in lower case
    assert "Молодые педагоги Педагоги ДОУ" in page and "Семинар" in page
    assert "1 апреля 2026 – 31 мая 2026" in page
    assert not items(db, w.plan), "nothing is written before the confirmation"


BAD_FILES = [
    ("big.csv", b"a" * (5 * 1024 * 1024 + 10), "больше 5 МБ"),
    ("rows.csv", csv_bytes([HEADER[:2]] + [[str(i), f"Пункт {i}"] for i in range(1, 10_002)]), "больше 10 000 строк"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ".xls"),
    ("broken.xlsx", b"PK\x03\x04" + b"\x00garbage" * 100, "не книга Excel"),
    ("scan.xlsx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "не книга Excel"),
    ("empty.csv", b"", "Файл пустой"),
    ("header.xlsx", xlsx([HEADER]), "нет строк с данными"),
    ("plan.pdf", b"%PDF-1.4\n", "Загрузите таблицу Excel (.xlsx) или CSV"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_are_refused_with_a_message_and_nothing_written(client, auth, db, w, name, data, message):
    auth.login(w.methodist)
    response = upload(client, w.plan.id, data, name=name)
    assert response.status_code == 422
    assert message in text_of(response)
    assert 'id="plan-upload"' in response.get_data(as_text=True), "the form is shown again"
    assert batches(db) == 0 and not items(db, w.plan)


def test_no_file_is_a_422_with_the_form(client, auth, db, w):
    auth.login(w.methodist)
    response = client.post(f"/imports/plans/{w.plan.id}/upload", data={}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Выберите файл таблицы" in text_of(response)
    assert batches(db) == 0


def test_bad_file_in_htmx_gets_the_form_fragment(client, auth, db, w):
    auth.login(w.methodist)
    response = upload(client, w.plan.id, b"", name="empty.csv", headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<html" not in body and 'id="plan-upload"' in body and "Файл пустой" in body


def test_good_file_in_htmx_redirects_by_header(client, auth, db, w):
    auth.login(w.methodist)
    response = upload(client, w.plan.id, xlsx(GOOD_ROWS), headers=HX)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].endswith("/preview")


def test_csv_in_windows_1251_with_semicolons(client, auth, db, w):
    auth.login(w.methodist)
    response = upload(client, w.plan.id, csv_bytes(GOOD_ROWS, encoding="cp1251"), name="план.csv")
    assert response.status_code == 303 and response.headers["Location"].endswith("/preview")
    assert "Консультации по запросам" in text_of(client.get(response.headers["Location"]))


def test_stale_unapplied_batches_are_discarded_on_a_new_upload(client, auth, db, w):
    old = ImportBatch(kind=ImportKind.PLAN, user_id=w.methodist2.id, plan_id=w.plan.id, file_name="old.xlsx",
                      content=b"old bytes", created_dt=utcnow() - timedelta(hours=25))
    recent = ImportBatch(kind=ImportKind.PLAN, user_id=w.methodist2.id, plan_id=w.plan.id, file_name="new.xlsx",
                         content=b"new bytes", created_dt=utcnow() - timedelta(hours=1))
    db.session.add_all([old, recent])
    auth.login(w.methodist)
    upload(client, w.plan.id, xlsx(GOOD_ROWS))
    db.session.expire_all()
    assert (old.status, old.content) == (ImportStatus.DISCARDED, b"")
    assert (recent.status, recent.content) == (ImportStatus.UPLOADED, b"new bytes")


# -- the mapping step ------------------------------------------------------------------------

ODD_ROWS = [
    ["Пункт", "Что делаем", "Когда проводится", "Примечание"],
    ["1", "Круглый стол наставников", "Март 2026 г.", "перенос возможен"],
    ["2", "Фестиваль педагогических идей", "до 25 мая", ""],
]


def test_unknown_headers_lead_to_the_mapping_step_with_guesses(client, auth, db, w):
    auth.login(w.methodist)
    response = upload(client, w.plan.id, xlsx(ODD_ROWS))
    assert response.status_code == 303 and response.headers["Location"].endswith("/mapping")
    batch_id = batch_id_of(response)
    page = client.get(f"/imports/{batch_id}/mapping")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    # «Когда проводится» is guessed as the timing (a stem), the title is not guessed
    assert '<option selected value="2">C: Когда проводится</option>' in html
    assert "Круглый стол наставников" in text_of(page), "sample values of each column"
    # no preview before the mapping is confirmed
    assert client.get(f"/imports/{batch_id}/preview").headers["Location"].endswith("/mapping")


def test_known_headers_with_an_unknown_column_ask_for_the_mapping(client, auth, db, w):
    auth.login(w.methodist)
    rows = [HEADER + ["Год выполнения"]] + [row + [""] for row in GOOD_ROWS[1:]]
    response = upload(client, w.plan.id, xlsx(rows))
    assert response.headers["Location"].endswith("/mapping")


@pytest.mark.parametrize(("answer", "message"), [
    ({"number": "0", "timing": "2"}, "Укажите столбец"),
    ({"number": "0", "title": "1", "timing": "1"}, "уже выбран для поля"),
    ({"number": "0", "title": "99"}, "Неверный вариант"),
])
def test_mapping_refuses_a_missing_required_field_or_a_shared_column(client, auth, db, w, answer, message):
    auth.login(w.methodist)
    batch_id = batch_id_of(upload(client, w.plan.id, xlsx(ODD_ROWS)))
    response = client.post(f"/imports/{batch_id}/mapping", data=answer)
    assert response.status_code == 422
    assert message in text_of(response)
    assert db.session.get(ImportBatch, batch_id).mapping == {}
    fragment = client.post(f"/imports/{batch_id}/mapping", data=answer, headers=HX)
    assert fragment.status_code == 422 and "<html" not in fragment.get_data(as_text=True)


def test_mapping_answer_leads_to_the_preview(client, auth, db, w):
    auth.login(w.methodist)
    batch_id = batch_id_of(upload(client, w.plan.id, xlsx(ODD_ROWS)))
    response = client.post(f"/imports/{batch_id}/mapping", data={"number": "0", "title": "1", "timing": "2"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/imports/{batch_id}/preview")
    assert db.session.get(ImportBatch, batch_id).mapping == {"number": 0, "title": 1, "timing": 2}
    page = text_of(client.get(f"/imports/{batch_id}/preview"))
    assert "Фестиваль педагогических идей" in page
    assert "1 сентября 2025 – 25 мая 2026" in page  # «до 25 мая»
    assert "перенос возможен" not in page, "an unmapped column is not imported"


# -- the preview -----------------------------------------------------------------------------

def _states_file(w, db, make):
    """The plan has items 1 (as in the file), 2 (changed in the file), 9 (not in the file)."""
    make.item(plan=w.plan, number="1", position=1_000_000, title="Создание рабочей группы", timing_text="Январь 2026",
              period_start=date(2026, 1, 1), period_end=date(2026, 1, 31), form=w.forms["Круглый стол"],
              responsible="Петрова А. С.", expected_result="Создана рабочая группа").audiences = [
        w.audiences["Учителя-предметники"]]
    make.item(plan=w.plan, number="2", position=2_000_000, title="Семинар для педагогов", timing_text="Март 2026",
              responsible="Иванова М. П.", expected_result="Повышение компетенций", form=w.forms["Семинар"])
    make.item(plan=w.plan, number="9", position=9_000_000, title="Пункт, которого нет в файле", timing_text="")
    db.session.commit()
    long_title = "Очень длинное название " * 100
    return xlsx([
        HEADER,
        GOOD_ROWS[1],
        GOOD_ROWS[2],
        ["3", "Деловая игра", "по графику", "Семинарр", "Методисты ТМС", "", ""],
        ["4", "", "Май 2026", "", "", "", ""],
        ["5", "Первый пятый", "", "", "", "", ""],
        ["5", "Второй пятый", "", "", "", "", ""],
        ["6", long_title, "", "", "", "", ""],
        ["", "Выявление профессиональных дефицитов", "", "", "", "", ""],
        ["7", "Мастер-класс наставников", "I полугодие", "Мастер-класс", "", "", ""],
    ])


def test_preview_shows_each_rows_state_with_counts(client, auth, db, w, make):
    data = _states_file(w, db, make)
    auth.login(w.methodist)
    batch_id = batch_id_of(upload(client, w.plan.id, data))
    page = text_of(client.get(f"/imports/{batch_id}/preview"))
    assert "Новых пунктов 2 Изменится 1 Без изменений 1 С ошибками 5 С предупреждениями 1" in page
    assert "5 строк с ошибками не будут импортированы" in page
    # the changed row says what changes, field by field
    assert "название : Семинар для педагогов → Семинар для молодых педагогов" in page
    assert "сроки : Март 2026 → Апрель–май, ежегодно" in page
    assert "аудитория : — → Молодые педагоги, Педагоги ДОУ" in page
    # an unknown form: a warning with a suggestion; unparseable timing kept as text
    assert "Форма «Семинарр» не найдена в справочнике: пункт будет импортирован без формы. " \
           "Возможно, имелось в виду «Семинар»." in page
    assert "Аудитория «Методисты ТМС» не найдена в справочнике и не будет указана." in page
    assert "по графику оставлено как текст" in page
    # errors
    assert "4 ошибка не будет импортирована Май 2026 1 мая 2026 – 31 мая 2026 Не указано мероприятие." in page
    assert "№ 5 повторяется в файле (также в строке 7)" in page and "№ 5 повторяется в файле (также в строке 6)" in page
    assert "«Мероприятие» длиннее 2000 символов" in page
    assert "Нет номера пункта: похоже на заголовок раздела" in page
    assert "I полугодие 1 сентября 2025 – 31 декабря 2025" in page
    # the plan's items the file does not mention
    assert "Нет в файле: 1 пункт" in page and "Пункт, которого нет в файле" in page
    assert "без изменений" in page and "изменится" in page and "новый" in page and "ошибка" in page


def test_preview_filters_and_htmx_fragment(client, auth, db, w, make):
    data = _states_file(w, db, make)
    auth.login(w.methodist)
    batch_id = batch_id_of(upload(client, w.plan.id, data))
    response = client.get(f"/imports/{batch_id}/preview?show=error", headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body and 'id="plan-preview-rows"' in body
    page = text_of(response)
    assert "Не указано мероприятие." in page and "Мастер-класс наставников" not in page
    assert "HX-Request" in response.headers["Vary"]
    assert "Мастер-класс наставников" in text_of(client.get(f"/imports/{batch_id}/preview?show=new"))
    # a malformed filter or page is ignored
    for query in ("show=zzz", "page=-1", "page=abc", "page=999"):
        assert client.get(f"/imports/{batch_id}/preview?{query}").status_code == 200


def test_preview_paginates_100_rows_a_page(client, auth, db, w):
    auth.login(w.methodist)
    rows = [HEADER[:2]] + [[str(i), f"Мероприятие номер {i:03d}"] for i in range(1, 151)]
    batch_id = batch_id_of(upload(client, w.plan.id, xlsx(rows)))
    first = text_of(client.get(f"/imports/{batch_id}/preview"))
    assert "Мероприятие номер 100" in first and "Мероприятие номер 101" not in first
    assert "Новых пунктов 150" in first
    second = text_of(client.get(f"/imports/{batch_id}/preview?page=2", headers=HX))
    assert "Мероприятие номер 101" in second and "Мероприятие номер 150" in second


# -- apply, re-import, corrected file --------------------------------------------------------

def test_apply_creates_updates_and_records_history(client, auth, db, w, make):
    data = _states_file(w, db, make)
    auth.login(w.methodist)
    batch_id = batch_id_of(upload(client, w.plan.id, data))
    response = client.post(f"/imports/{batch_id}/apply")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/imports/{batch_id}/result")
    found = items(db, w.plan)
    assert set(found) == {"1", "2", "3", "7", "9"}, "errors skipped, the missing item left alone"
    new3, new7, changed = found["3"], found["7"], found["2"]
    assert (new3.title, new3.form_id, new3.timing_text, new3.period_start) == ("Деловая игра", None, "по графику", None)
    assert new3.audiences == []
    assert (new7.form_id, new7.period_start, new7.period_end) == (
        w.forms["Мастер-класс"].id, date(2025, 9, 1), date(2025, 12, 31))
    assert new7.position == 7_000_000
    assert changed.title == "Семинар для молодых педагогов"
    assert (changed.period_start, changed.period_end) == (date(2026, 4, 1), date(2026, 5, 31))
    assert [a.name for a in changed.audiences] == ["Молодые педагоги", "Педагоги ДОУ"]
    assert found["9"].title == "Пункт, которого нет в файле"
    entries = history(db, changed.id)
    assert [e.action for e in entries] == ["updated"] and entries[0].actor_id == w.methodist.id
    assert entries[0].changes["title"] == ["Семинар для педагогов", "Семинар для молодых педагогов"]
    assert "form_id" not in entries[0].changes, "«семинар» is the form it had"
    assert [e.action for e in history(db, new3.id)] == ["created"]
    assert history(db, found["1"].id) == []
    batch = db.session.get(ImportBatch, batch_id)
    assert batch.status == ImportStatus.APPLIED and batch.content == b"" and batch.applied_dt
    page = text_of(client.get(f"/imports/{batch_id}/result"))
    assert "Добавлено 2 Изменено 1 Без изменений 1 Пропущено (ошибки) 5 Нет в файле 1" in page
    assert "Деловая игра добавлен" in page and "Семинар для молодых педагогов изменён" in page
    assert "Строка 5 (№ 4): Не указано мероприятие." in page
    # an applied batch's preview shows its result
    assert client.get(f"/imports/{batch_id}/preview").headers["Location"].endswith("/result")


def test_reimporting_the_same_file_changes_nothing(client, auth, db, w):
    auth.login(w.methodist)
    first = batch_id_of(upload(client, w.plan.id, xlsx(GOOD_ROWS)))
    client.post(f"/imports/{first}/apply")
    entries = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
    before = {n: (i.title, i.updated_dt) for n, i in items(db, w.plan).items()}
    second = batch_id_of(upload(client, w.plan.id, xlsx(GOOD_ROWS)))
    page = text_of(client.get(f"/imports/{second}/preview"))
    assert "Новых пунктов 0 Изменится 0 Без изменений 3" in page
    assert "Файл ничего не меняет в плане" in page
    client.post(f"/imports/{second}/apply")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == entries
    assert {n: (i.title, i.updated_dt) for n, i in items(db, w.plan).items()} == before
    assert db.session.get(ImportBatch, second).summary["created"] == []
    assert db.session.get(ImportBatch, second).summary["updated"] == []
    assert "План не изменился" in text_of(client.get(f"/imports/{second}/result"))


def test_corrected_file_updates_only_the_changed_rows(client, auth, db, w):
    auth.login(w.methodist)
    client.post(f"/imports/{batch_id_of(upload(client, w.plan.id, xlsx(GOOD_ROWS)))}/apply")
    corrected = [row[:] for row in GOOD_ROWS]
    corrected[2][2] = "Декабрь, апрель"
    corrected[2][4] = "Молодые педагоги"
    batch_id = batch_id_of(upload(client, w.plan.id, xlsx(corrected), name="plan-v2.xlsx"))
    page = text_of(client.get(f"/imports/{batch_id}/preview"))
    assert "Новых пунктов 0 Изменится 1 Без изменений 2" in page
    assert "сроки : Апрель–май, ежегодно → Декабрь, апрель" in page
    assert "период с : 01.04.2026 → 01.12.2025" in page
    client.post(f"/imports/{batch_id}/apply")
    found = items(db, w.plan)
    assert (found["2"].period_start, found["2"].period_end) == (date(2025, 12, 1), date(2026, 4, 30))
    assert [a.name for a in found["2"].audiences] == ["Молодые педагоги"]
    assert [e.action for e in history(db, found["2"].id)] == ["created", "updated"]
    assert [e.action for e in history(db, found["1"].id)] == ["created"]
    assert "Изменено 1" in text_of(client.get(f"/imports/{batch_id}/result"))


def test_columns_missing_from_the_file_are_left_alone(client, auth, db, w, make):
    item = make.item(plan=w.plan, number="1", position=1_000_000, title="Создание рабочей группы",
                     form=w.forms["Семинар"], timing_text="Март 2026", period_start=date(2026, 3, 10),
                     period_end=date(2026, 3, 12), responsible="Петрова")
    item.audiences = [w.audiences["Педагоги ДОУ"]]
    db.session.commit()
    auth.login(w.methodist)
    # only № and title: the form, the audiences, the hand-set period and the responsible stay
    batch_id = batch_id_of(upload(client, w.plan.id, xlsx([["№ п/п", "Наименование мероприятия"],
                                                           ["1", "Создание рабочей группы"]])))
    assert "Без изменений 1" in text_of(client.get(f"/imports/{batch_id}/preview"))
    # the same timing text keeps the period set by hand; an unknown form keeps the item's form
    batch_id = batch_id_of(upload(client, w.plan.id, xlsx([["№", "Мероприятие", "Сроки", "Форма"],
                                                           ["1", "Создание рабочей группы", "Март 2026", "Вебинар"]])))
    page = text_of(client.get(f"/imports/{batch_id}/preview"))
    assert "Без изменений 1" in page and "Форма «Вебинар» не найдена в справочнике: останется прежней." in page


def test_retired_form_is_kept_by_an_item_that_has_it_but_not_given_to_a_new_one(client, auth, db, w, make):
    make.item(plan=w.plan, number="1", position=1_000_000, title="Педсовет", form=w.retired_form)
    db.session.commit()
    auth.login(w.methodist)
    batch_id = batch_id_of(upload(client, w.plan.id, xlsx([["№", "Мероприятие", "Форма"], ["1", "Педсовет", "Педсовет"],
                                                           ["2", "Новый педсовет", "педсовет"]])))
    page = text_of(client.get(f"/imports/{batch_id}/preview"))
    assert "Новых пунктов 1 Изменится 0 Без изменений 1" in page
    assert "Форма «педсовет» больше не используется: пункт будет импортирован без формы." in page


def test_double_apply_applies_once(client, auth, db, w):
    auth.login(w.methodist)
    batch_id = batch_id_of(upload(client, w.plan.id, xlsx(GOOD_ROWS)))
    client.post(f"/imports/{batch_id}/apply")
    entries = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
    again = client.post(f"/imports/{batch_id}/apply")
    assert again.status_code == 303 and again.headers["Location"].endswith("/result")
    assert len(items(db, w.plan)) == 3
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == entries
    htmx = client.post(f"/imports/{batch_id}/apply", headers=HX)
    assert htmx.status_code == 204 and htmx.headers["HX-Redirect"].endswith("/result")


def test_discard_deletes_the_file_and_writes_nothing(client, auth, db, w):
    auth.login(w.methodist)
    batch_id = batch_id_of(upload(client, w.plan.id, xlsx(GOOD_ROWS)))
    response = client.post(f"/imports/{batch_id}/discard")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/plans/{w.plan.id}")
    batch = db.session.get(ImportBatch, batch_id)
    assert (batch.status, batch.content) == (ImportStatus.DISCARDED, b"")
    # confirming a discarded upload writes nothing
    client.post(f"/imports/{batch_id}/apply")
    assert not items(db, w.plan)
    assert client.get(f"/imports/{batch_id}/preview").headers["Location"].endswith("/upload")
    assert client.get(f"/imports/{batch_id}/mapping").status_code == 303


def test_applied_batch_cannot_be_discarded(client, auth, db, w):
    auth.login(w.methodist)
    batch_id = batch_id_of(upload(client, w.plan.id, xlsx(GOOD_ROWS)))
    client.post(f"/imports/{batch_id}/apply")
    response = client.post(f"/imports/{batch_id}/discard")
    assert response.headers["Location"].endswith("/result")
    assert db.session.get(ImportBatch, batch_id).status == ImportStatus.APPLIED
    assert len(items(db, w.plan)) == 3


def test_a_seed_like_plan_with_section_rows_and_a_title(client, auth, db, w):
    """The shape of seed 002: a title, «№ | Мероприятия Программы | Сроки | Прогнозируемый результат»,
    numbers with dots, section headings between the items."""
    rows = [
        ["№", "Мероприятия Программы", "Сроки", "Прогнозируемый результат"],
        ["Выявление профессиональных дефицитов педагогических работников", None, None, None],
        ["1.", "Создание рабочей группы", "Январь 2025 г.", "Создана рабочая группа"],
        ["2.", "Разработка оценочных средств", "2025 – 2027 гг.", "Возможность установления уровня"],
        ["Построение индивидуальных образовательных маршрутов", None, None, None],
        ["10.", "Психолого-педагогические тренинги", "Декабрь, апрель ежегодно", "Снижение напряжения"],
    ]
    auth.login(w.methodist)
    response = upload(client, w.plan.id, xlsx(rows, title="Мероприятия программы"))
    assert response.headers["Location"].endswith("/preview")
    page = text_of(client.get(response.headers["Location"]))
    assert "Новых пунктов 3" in page and "С ошибками 2" in page
    assert "Сроки вне периода плана: проверьте год." in page  # «Январь 2025» in a 2025/2026 plan
    assert "1 декабря 2025 – 30 апреля 2026" in page


def test_numbers_excel_changed_are_read_back_or_explained(client, auth, db, w):
    """«2.10» typed in Excel: a Russian Excel makes it the date 2 October (read back as «2.10»,
    with a warning); an English one the number 2.1, colliding with the real 2.1 (the duplicate's
    error says why). A time of day in the cell is no number typed with a dot: kept as it shows."""
    rows = [
        HEADER,
        [1.1, "Первый пункт раздела", "Январь 2026", "", "", "", ""],
        [datetime(2026, 10, 2), "Десятый пункт раздела", "Январь 2026", "", "", "", ""],
        [2.1, "Пункт 2.1", "Январь 2026", "", "", "", ""],
        [2.1, "Пункт 2.10, ставший числом", "Январь 2026", "", "", "", ""],
        [3, "Третий раздел", "Январь 2026", "", "", "", ""],
    ]
    auth.login(w.methodist)
    response = upload(client, w.plan.id, xlsx(rows))
    page = text_of(client.get(response.headers["Location"]))
    assert "Excel превратил № пункта в дату 02.10.2026: прочитан как «2.10»" in page
    assert "задайте столбцу «№» формат «Текстовый»" in page
    assert "№ 2.1 повторяется в файле" in page and "Если один из них — «2.10», его ноль в конце потерял Excel" in page
    assert "Новых пунктов 3" in page and "С ошибками 2" in page  # 1.1, 2.10, 3; both 2.1 rows wait
    batch_id = batch_id_of(response)
    client.post(f"/imports/{batch_id}/apply")
    assert set(items(db, w.plan)) == {"1.1", "2.10", "3"}


@pytest.mark.parametrize(("cell", "number", "warned"), [
    (datetime(2026, 10, 2), "2.10", "прочитан как «2.10»"),  # «2.10» in a Russian Excel
    (datetime(2025, 1, 1), "1.1", "прочитан как «1.1»"),  # typed last year
    (datetime(2003, 2, 1), "1.2.3", "прочитан как «1.2.3»"),  # «1.2.3»: day, month, year 2003
    (datetime(1900, 1, 5), "5", "форматом даты"),  # 5 typed into a date cell
    (datetime(1900, 3, 10), "70", "форматом даты"),  # Excel's day 70 (it counts a 29 February 1900)
    ("02.окт", "2.10", "это дата"),  # a Russian Excel's date saved as CSV
    ("2-окт.", "2.10", "это дата"),
    ("1.2", "1.2", None),
    (2.1, "2.1", None),
    (3.0, "3", None),
    ("№ 4.", "4", None),
    (datetime(2026, 10, 2, 9, 30), "02.10.2026 09:30", None),  # a time of day: no number typed with dots
])
def test_an_item_number_excel_changed_is_read_back(cell, number, warned):
    read, warning = plan_import._item_number(cell, today=date(2026, 11, 23))
    assert read == number
    assert (warning is None) if warned is None else (warned in warning and "«Текстовый»" in warning)


def test_a_number_excel_shortened_that_names_another_item_is_flagged(client, auth, db, make, w):
    make.item(plan=w.plan, number="2.1", title="Семинар для наставников")
    db.session.commit()
    auth.login(w.methodist)
    response = upload(client, w.plan.id, xlsx([HEADER, [2.1, "Круглый стол по итогам года", "Май 2026", "", "", "",
                                                       ""]]))
    page = text_of(client.get(response.headers["Location"]))
    assert ("№ 2.1 записан в Excel числом, а пункт 2.1 плана называется «Семинар для наставников»: если в файле "
            "имелся в виду «2.10», Excel потерял ноль в конце") in page
    # the same title: nothing to say
    response = upload(client, w.plan.id, xlsx([HEADER, [2.1, "Семинар  для наставников", "Май 2026", "", "", "", ""]]))
    assert "записан в Excel числом" not in text_of(client.get(response.headers["Location"]))


# -- the template file -----------------------------------------------------------------------

def test_template_lists_the_columns_and_allowed_values_and_imports_as_is(client, auth, db, w):
    auth.login(w.methodist)
    response = client.get("/imports/plans/template.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["План", "Справочники", "Инструкция"]
    assert [c.value for c in book["План"][1]] == list(plan_import.TEMPLATE_HEADER)
    lists = [[c.value for c in row] for row in book["Справочники"].iter_rows()]
    assert lists[0] == ["Направления", "Формы", "Аудитории", "Площадки"]
    assert "Педсовет" not in {row[1] for row in lists}, "a retired form is not offered"
    assert {"Семинар", "Круглый стол"} <= {row[1] for row in lists}
    assert "МБОУ СОШ № 71" in {row[3] for row in lists}
    # filled in, it goes straight to the preview
    sheet = book["План"]
    sheet.append(["1", "Семинар", "Март 2026", "Семинар", "Молодые педагоги", "Петрова", "Итог",
                  "Построение ИОМ", "МБОУ СОШ № 71"])
    out = io.BytesIO()
    book.save(out)
    uploaded = upload(client, w.plan.id, out.getvalue())
    assert uploaded.headers["Location"].endswith("/preview")
    page = text_of(client.get(uploaded.headers["Location"]))
    assert "Построение ИОМ" in page and "МБОУ СОШ № 71" in page and "С предупреждениями 0" in page


@pytest.mark.parametrize(("role", "status"), [("teacher", 403), ("coordinator", 403), ("leader", 403),
                                              ("methodist_b", 200), ("admin", 200)])
def test_template_is_for_those_who_create_plans(client, auth, w, role, status):
    auth.login(getattr(w, role))
    assert client.get("/imports/plans/template.xlsx").status_code == status


def test_template_needs_a_login(client, w):
    assert client.get("/imports/plans/template.xlsx").status_code == 302


# -- permissions -----------------------------------------------------------------------------

@pytest.mark.parametrize(("role", "status"), [
    (None, 302), ("teacher", 403), ("coordinator", 403), ("leader", 403), ("methodist_b", 403),
    ("methodist", 200), ("admin", 200)])
def test_upload_page_is_for_those_who_manage_the_plan(client, auth, w, role, status):
    if role:
        auth.login(getattr(w, role))
    response = client.get(f"/imports/plans/{w.plan.id}/upload")
    assert response.status_code == status
    if status == 302:
        assert "/login" in response.headers["Location"]
    if status == 200:
        assert "Скачать шаблон" in text_of(response)


def test_plan_of_another_municipality_is_forbidden_and_nothing_is_stored(client, auth, db, w):
    auth.login(w.methodist)
    assert upload(client, w.plan_b.id, xlsx(GOOD_ROWS)).status_code == 403
    assert client.get(f"/imports/plans/{w.plan_b.id}/upload").status_code == 403
    assert client.get(f"/imports/plans/{w.draft_b.id}/upload").status_code == 404, "a draft is not even seen"
    assert client.get("/imports/plans/999999/upload").status_code == 404
    assert batches(db) == 0


def test_someone_elses_batch_is_not_found(client, auth, db, w):
    auth.login(w.methodist)
    batch_id = batch_id_of(upload(client, w.plan.id, xlsx(GOOD_ROWS)))
    for other in (w.methodist2, w.admin):
        auth.login(other)
        for url in ("preview", "mapping", "result"):
            assert client.get(f"/imports/{batch_id}/{url}").status_code == 404, (other, url)
        assert client.post(f"/imports/{batch_id}/apply").status_code == 404
        assert client.post(f"/imports/{batch_id}/discard").status_code == 404
    assert db.session.get(ImportBatch, batch_id).status == ImportStatus.UPLOADED and not items(db, w.plan)
    auth.logout()
    assert client.get(f"/imports/{batch_id}/preview").status_code == 302


def test_batch_of_a_methodist_who_lost_the_plan_is_forbidden(client, auth, db, w):
    auth.login(w.methodist)
    batch_id = batch_id_of(upload(client, w.plan.id, xlsx(GOOD_ROWS)))
    w.plan.municipality_id = w.b.id
    db.session.commit()
    assert client.get(f"/imports/{batch_id}/preview").status_code == 403
    assert client.post(f"/imports/{batch_id}/apply").status_code == 403
    assert not items(db, w.plan)


def test_plan_page_links_to_the_import_for_managers_only(client, auth, w):
    auth.login(w.methodist)
    assert "Импорт из Excel" in text_of(client.get(f"/plans/{w.plan.id}"))
    auth.login(w.teacher)
    assert "Импорт из Excel" not in text_of(client.get(f"/plans/{w.plan.id}"))


# -- speed -----------------------------------------------------------------------------------

def _big_file(n: int) -> bytes:
    forms = ["Семинар", "Мастер-класс", "Круглый стол", "Вебинарр"]
    rows = [HEADER + ["Направление"]]
    for i in range(1, n + 1):
        rows.append([f"{i}.", f"Мероприятие {i}", ["Январь 2026", "Апрель–май, ежегодно", "В течение учебного года",
                                                    "по графику"][i % 4], forms[i % 4],
                     "Молодые педагоги; Педагоги ДОУ", "Петрова А. С.", f"Результат {i}", "Сетевое взаимодействие"])
    return xlsx(rows)


def test_preview_runs_a_constant_number_of_queries(client, auth, db, w, make):
    auth.login(w.methodist)
    plan_id = w.plan.id
    audience_id = w.audiences["Молодые педагоги"].id
    counts = []
    for n in (5, 150):
        for i in range(1, n + 1, 3):  # a third of the rows exist already
            item = PlanItem(plan_id=plan_id, number=str(i + 1000 * len(counts)), position=i, title=f"Старое {i}")
            item.audiences = [db.session.get(Audience, audience_id)]
            db.session.add(item)
        db.session.commit()
        batch_id = batch_id_of(upload(client, plan_id, _big_file(n)))
        db.session.remove()
        with count_queries(db.engine) as statements:
            assert client.get(f"/imports/{batch_id}/preview").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_apply_inserts_in_bulk(client, auth, db, w):
    """On PostgreSQL the new items and their history are inserted in batches: the same number of
    statements for 5 rows and 150. SQLite cannot return the ids of a multi-row INSERT in order, so
    SQLAlchemy inserts a row at a time there (in process, fast): at most an item and its history
    entry per row, nothing per row beyond."""
    auth.login(w.methodist)
    plan_id = w.plan.id
    counts = []
    for n in (5, 150):
        db.session.execute(sa.delete(AuditEntry))
        db.session.execute(sa.text("DELETE FROM plan_item_audiences"))
        db.session.execute(sa.delete(PlanItem))
        db.session.commit()
        batch_id = batch_id_of(upload(client, plan_id, _big_file(n)))
        db.session.remove()
        with count_queries(db.engine) as statements:
            assert client.post(f"/imports/{batch_id}/apply").status_code == 303
        counts.append(len(statements))
    if db.engine.dialect.name == "postgresql":
        assert counts[0] == counts[1], counts
    else:
        assert counts[1] - counts[0] <= 2 * (150 - 5), counts


def test_thousand_row_plan_is_previewed_applied_and_reimported_unchanged(client, auth, db, w):
    # the 10-second figure is measured by scripts/bench_reports.py, not here: machines are noisy
    auth.login(w.methodist)
    data = _big_file(1000)
    batch_id = batch_id_of(upload(client, w.plan.id, data))
    assert client.get(f"/imports/{batch_id}/preview").status_code == 200
    assert client.post(f"/imports/{batch_id}/apply").status_code == 303
    assert len(items(db, w.plan)) == 1000
    # and the same file again: previewed and applied as «no change»
    again = batch_id_of(upload(client, w.plan.id, data))
    assert "Без изменений 1000" in text_of(client.get(f"/imports/{again}/preview"))
    assert client.post(f"/imports/{again}/apply").status_code == 303
    assert len(items(db, w.plan)) == 1000


def test_line_breaks_in_a_cell_are_kept_and_reimport_stays_unchanged(client, auth, db, w):
    rows = [HEADER, ["1", "Семинар", "Март 2026", "", "", "Петрова", "- создана группа\n-  утверждён   план\r\n"]]
    auth.login(w.methodist)
    client.post(f"/imports/{batch_id_of(upload(client, w.plan.id, xlsx(rows)))}/apply")
    assert items(db, w.plan)["1"].expected_result == "- создана группа\n- утверждён план"
    again = batch_id_of(upload(client, w.plan.id, csv_bytes([[f'"{c}"' if "\n" in c else c for c in r]
                                                             for r in rows]), name="plan.csv"))
    assert "Без изменений 1" in text_of(client.get(f"/imports/{again}/preview"))


def test_result_pages_its_rows_and_answers_htmx_with_the_fragment(client, auth, db, w):
    auth.login(w.methodist)
    rows = [HEADER[:2]] + [[str(i), f"Мероприятие номер {i:03d}"] for i in range(1, 121)]
    batch_id = batch_id_of(upload(client, w.plan.id, xlsx(rows)))
    client.post(f"/imports/{batch_id}/apply")
    first = text_of(client.get(f"/imports/{batch_id}/result"))
    assert "Добавлено 120" in first and "Мероприятие номер 100" in first and "Мероприятие номер 101" not in first
    fragment = client.get(f"/imports/{batch_id}/result?page=2", headers=HX)
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and 'id="plan-result-rows"' in body and "Мероприятие номер 120" in body


# -- the plan service the import shares with the item form -----------------------------------

def test_item_values_hold_only_the_fields_given(w):
    from webapp.plan.services import item_values

    values = item_values(w.plan, {"number": " 2.10 ", "title": " Семинар \r\nпрактикум "})
    assert values == {"number": "2.10", "position": 2_010_000, "title": "Семинар \nпрактикум"}
    with_timing = item_values(w.plan, {"timing_text": "Апрель–май, ежегодно"})
    assert (with_timing["period_start"], with_timing["period_end"]) == (date(2026, 4, 1), date(2026, 5, 31))


def test_item_form_still_saves_and_records_names_in_the_history(client, auth, db, w):
    auth.login(w.methodist)
    body = {"number": "1", "title": "Семинар", "status": "planned", "timing_text": "Март 2026", "period_start": "",
            "period_end": "",
            "form_id": str(w.forms["Семинар"].id)}
    assert client.post(f"/plans/{w.plan.id}/items/new", data=body).status_code == 303
    item = items(db, w.plan)["1"]
    assert (item.period_start, item.period_end, item.form_id) == (date(2026, 3, 1), date(2026, 3, 31),
                                                                  w.forms["Семинар"].id)
    body.update(form_id=str(w.forms["Мастер-класс"].id), timing_text="Апрель 2026")
    assert client.post(f"/plan-items/{item.id}/edit", data=body).status_code == 303
    entry = history(db, item.id)[-1]
    assert entry.changes["form_id"] == ["Семинар", "Мастер-класс"]
    assert entry.changes["timing_text"] == ["Март 2026", "Апрель 2026"]
    assert entry.changes["period_start"] == ["01.03.2026", "01.04.2026"]
    # the same number twice in a plan is still refused
    clash = client.post(f"/plans/{w.plan.id}/items/new", data={**body, "title": "Другой"})
    assert clash.status_code == 422 and "Пункт № 1 уже есть в этом плане" in text_of(clash)


# -- at the same time (PostgreSQL: real row locks) -------------------------------------------

def _at_once(app, jobs) -> list:
    """Each job (a function of nothing) in its own thread and app context, released together."""
    import threading

    barrier = threading.Barrier(len(jobs))
    results: list = []

    def worker(job):
        with app.app_context():
            barrier.wait(timeout=60)
            results.append(job())

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _client_of(app, user_id):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True
    return client


@pytest.fixture
def postgres(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("real row-lock concurrency needs PostgreSQL (TEST_DATABASE_URL)")


@pytest.mark.postgres
def test_two_confirmations_at_once_apply_once(app, client, auth, db, w, postgres):
    auth.login(w.methodist)
    batch_id = batch_id_of(upload(client, w.plan.id, xlsx(GOOD_ROWS)))
    clients = [_client_of(app, w.methodist.id) for _ in range(3)]
    statuses = _at_once(app, [lambda c=c: c.post(f"/imports/{batch_id}/apply").status_code for c in clients])
    assert statuses == [303, 303, 303]
    assert len(items(db, w.plan)) == 3
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 3, "one «created» each"


@pytest.mark.postgres
def test_two_files_into_one_plan_at_once_take_turns(app, client, auth, db, w, postgres):
    auth.login(w.methodist)
    first = batch_id_of(upload(client, w.plan.id, xlsx(GOOD_ROWS)))
    corrected = [row[:] for row in GOOD_ROWS]
    corrected[1][1] = "Создание рабочей группы (исправлено)"
    second = batch_id_of(upload(client, w.plan.id, xlsx(corrected)))
    clients = [_client_of(app, w.methodist.id) for _ in range(2)]
    statuses = _at_once(app, [lambda: clients[0].post(f"/imports/{first}/apply").status_code,
                              lambda: clients[1].post(f"/imports/{second}/apply").status_code])
    assert statuses == [303, 303], "the second waits for the first, then updates what it created"
    assert len(items(db, w.plan)) == 3
