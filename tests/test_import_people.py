"""Importing an organization's staff from Excel/CSV: upload, mapping, preview, apply, permissions."""

from __future__ import annotations

import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from conftest import HX, count_queries, text_of
from openpyxl import Workbook, load_workbook

from webapp.accounts.models import Role, User
from webapp.audit.models import AuditEntry
from webapp.dbtypes import utcnow
from webapp.imports import people_import
from webapp.imports.models import ImportBatch, ImportKind, ImportStatus
from webapp.imports.people_import import RowState
from webapp.mail.models import OutboxMessage

HEADER = ["Фамилия", "Имя", "Отчество", "E-mail", "Должность", "Предметы", "Стаж (лет в профессии)"]


def xlsx(rows, header=HEADER, title_rows=()) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in title_rows:
        sheet.append(list(row))
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, header=HEADER, encoding="utf-8-sig") -> bytes:
    lines = [";".join(header)] + [";".join("" if v is None else str(v) for v in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


@pytest.fixture
def world(make, db, monkeypatch):
    municipality = make.municipality(name="Павловский район")
    school = make.organization(municipality=municipality, name="МБОУ СОШ № 5")
    other_school = make.organization(municipality=municipality, name="МБОУ СОШ № 9")
    elsewhere = make.organization(name="Гимназия № 1")
    people = dict(
        municipality=municipality, school=school, other_school=other_school, elsewhere=elsewhere,
        coordinator=make.user(Role.COORDINATOR, school, organization=school, email="coord@example.org",
                              last_name="Кравец", first_name="Ольга"),
        other_coordinator=make.user(Role.COORDINATOR, other_school, organization=other_school),
        methodist=make.user(Role.METHODIST, municipality, email="method@example.org"),
        other_methodist=make.user(Role.METHODIST, elsewhere.municipality),
        admin=make.user(Role.ADMIN),
        teacher=make.user(organization=school),
        site_leader=make.user(Role.SITE_LEADER, make.site(organization=school)),
    )
    db.session.commit()
    return type("World", (), people)


def upload(client, org, data: bytes, name="staff.xlsx", headers=None):
    return client.post(f"/imports/organizations/{org.id}/people/upload",
                       data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data",
                       headers=headers or {})


def latest_batch(db) -> ImportBatch:
    db.session.expire_all()
    return db.session.scalar(sa.select(ImportBatch).order_by(ImportBatch.id.desc()))


def users_count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count(User.id)))


def outbox_count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)))


def preview_of(db, data: bytes, org, user, name="staff.xlsx"):
    batch, _ = people_import.create_batch(org, user, name, data)
    db.session.flush()
    return batch, people_import.analyze(batch, user)


# -- the template ----------------------------------------------------------------------------

def test_template_has_the_columns_and_an_instructions_sheet(client, auth, world):
    auth.login(world.coordinator)
    response = client.get("/imports/people/template.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Сотрудники", "Инструкция"]
    assert [c.value for c in book["Сотрудники"][1]] == HEADER
    notes = " ".join(str(c.value) for row in book["Инструкция"].iter_rows() for c in row if c.value)
    assert "от 0 до 80" in notes and "приглашение" in notes


def test_the_template_filled_in_imports(client, auth, world, db):
    auth.login(world.coordinator)
    book = load_workbook(io.BytesIO(client.get("/imports/people/template.xlsx").data))
    book["Сотрудники"].append(["Соколова", "Мария", "Ивановна", "sokolova@example.org", "Учитель", "Химия", 7])
    out = io.BytesIO()
    book.save(out)
    response = upload(client, world.school, out.getvalue())
    assert response.status_code == 303 and "/people-preview" in response.headers["Location"]


@pytest.mark.parametrize("who", ["teacher", "site_leader"])
def test_template_is_refused_to_people_who_import_nothing(client, auth, world, who):
    auth.login(getattr(world, who))
    assert client.get("/imports/people/template.xlsx").status_code == 403


# -- bad files -------------------------------------------------------------------------------

@pytest.mark.parametrize("data,name,message", [
    (b"", "staff.xlsx", "Файл пустой"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "staff.xls", ".xls"),
    (b"PK\x03\x04 broken zip", "staff.xlsx", "повреждён"),
    (b"%PDF-1.4 not a table", "staff.pdf", "Загрузите таблицу Excel (.xlsx) или CSV"),
    (b"\xef\xbb\xbf\r\n\r\n", "staff.csv", "Файл пустой"),
    ("Фамилия;Имя;E-mail\r\n".encode(), "staff.csv", "нет строк с данными"),
])
def test_bad_files_get_a_clear_message_and_nothing_is_written(client, auth, world, db, data, name, message):
    auth.login(world.coordinator)
    response = upload(client, world.school, data, name)
    assert response.status_code == 422
    text = text_of(response)
    assert message in text or (message == "Файл пустой" and "нет таблицы" in text)
    assert 'enctype="multipart/form-data"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(ImportBatch.id))) == 0


def test_no_file_at_all_is_refused(client, auth, world, db):
    auth.login(world.coordinator)
    response = client.post(f"/imports/organizations/{world.school.id}/people/upload", data={},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "Выберите файл таблицы" in text_of(response)
    assert db.session.scalar(sa.select(sa.func.count(ImportBatch.id))) == 0


def test_a_file_over_the_row_limit_is_refused(client, auth, world, db):
    auth.login(world.coordinator)
    rows = [[f"Ф{i}", "Имя", "", f"p{i}@example.org", "", "", ""] for i in range(10_001)]
    response = upload(client, world.school, csv_bytes(rows), "staff.csv")
    assert response.status_code == 422 and "10 000" in text_of(response)
    assert db.session.scalar(sa.select(sa.func.count(ImportBatch.id))) == 0


def test_upload_form_errors_come_back_as_a_fragment_for_htmx(client, auth, world):
    auth.login(world.coordinator)
    response = upload(client, world.school, b"PK\x03\x04 broken", headers=HX)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'id="people-upload"' in body and "<html" not in body


def test_upload_page_shows_the_form_and_the_template_link(client, auth, world):
    auth.login(world.coordinator)
    response = client.get(f"/imports/organizations/{world.school.id}/people/upload")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "/imports/people/template.xlsx" in body and 'type="file"' in body
    assert "МБОУ СОШ № 5" in text_of(response)


def test_entry_links_on_the_school_page_and_the_organization_form(client, auth, world):
    link = f"/imports/organizations/{world.school.id}/people/upload"
    auth.login(world.coordinator)
    assert link in client.get(f"/school?org={world.school.id}").get_data(as_text=True)
    auth.login(world.methodist)
    assert link in client.get(f"/organizations/{world.school.id}/edit").get_data(as_text=True)


# -- mapping ---------------------------------------------------------------------------------

def test_recognized_headers_go_straight_to_the_preview(client, auth, world, db):
    auth.login(world.coordinator)
    data = xlsx([["Иванова", "Мария", "", "ivanova@example.org", "", "", ""]],
                title_rows=[["Список сотрудников МБОУ СОШ № 5"], []])
    response = upload(client, world.school, data)
    batch = latest_batch(db)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/imports/{batch.id}/people-preview")
    assert batch.kind == ImportKind.PEOPLE and batch.organization_id == world.school.id
    assert batch.mapping == {"last_name": 0, "first_name": 1, "middle_name": 2, "email": 3, "position": 4,
                             "subjects": 5, "years": 6}


def test_guessing_understands_other_spellings():
    header = ["№ п/п", "Ф.И.О.", "Занимаемая должность", "Адрес электронной почты", "Педагогический стаж",
              "Преподаваемые предметы", "Примечание"]
    assert people_import.guess_mapping(header) == {"full_name": 1, "position": 2, "email": 3, "years": 4,
                                                   "subjects": 5}
    assert people_import.guess_mapping(["Сотрудник", "Почта личная", "Стаж педагогической работы"]) == {
        "full_name": 0, "email": 1, "years": 2}


def test_unknown_headers_lead_to_the_mapping_step(client, auth, world, db):
    auth.login(world.coordinator)
    data = csv_bytes([["Петров Иван Ильич", "petrov@example.org", "Учитель"]], header=["Кто", "Куда писать", "Кем"])
    response = upload(client, world.school, data, "staff.csv")
    batch = latest_batch(db)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/imports/{batch.id}/people-mapping")
    page = client.get(f"/imports/{batch.id}/people-mapping")
    assert page.status_code == 200
    text = text_of(page)
    assert "B: Куда писать" in text and "petrov@example.org" in text
    # the preview is not shown before the mapping is complete
    assert client.get(f"/imports/{batch.id}/people-preview").status_code == 302


def test_mapping_refuses_missing_and_doubled_columns(client, auth, world, db):
    auth.login(world.coordinator)
    upload(client, world.school, csv_bytes([["Петров Иван", "petrov@example.org", "Учитель"]],
                                           header=["Кто", "Куда писать", "Кем"]), "staff.csv")
    batch = latest_batch(db)
    url = f"/imports/{batch.id}/people-mapping"
    no_email = client.post(url, data={"full_name": "0", "position": "2"})
    assert no_email.status_code == 422 and "Укажите столбец" in text_of(no_email)
    twice = client.post(url, data={"full_name": "0", "email": "0"})
    assert twice.status_code == 422 and "уже выбран" in text_of(twice)
    no_name = client.post(url, data={"email": "1", "position": "2"})
    assert no_name.status_code == 422 and "«ФИО» или столбцы «Фамилия» и «Имя»" in text_of(no_name)
    # what she chose is kept
    assert 'selected value="2"' in no_name.get_data(as_text=True)
    assert latest_batch(db).mapping == {}
    ok = client.post(url, data={"full_name": "0", "email": "1", "position": "2"})
    assert ok.status_code == 303 and ok.headers["Location"].endswith("/people-preview")
    assert latest_batch(db).mapping == {"full_name": 0, "email": 1, "position": 2}
    preview = client.get(f"/imports/{batch.id}/people-preview")
    assert preview.status_code == 200 and "Петров Иван" in text_of(preview)


# -- preview ---------------------------------------------------------------------------------

def test_preview_states_counts_and_messages(make, db, world):
    make.user(organization=world.school, email="same@example.org", last_name="Белова", first_name="Нина",
              middle_name="", position="Учитель", subjects="Физика", years_experience=12)
    make.user(organization=world.school, email="change@example.org", last_name="Орлова", first_name="Вера",
              middle_name="", position="Учитель", subjects="", years_experience=None)
    make.user(organization=world.other_school, email="other@example.org", last_name="Чужая", first_name="Анна")
    make.user(organization=world.school, email="blocked@example.org", is_active=False)
    make.user(organization=None, email="nobody@example.org", last_name="Ничья", first_name="Лена")
    rows = [
        ["Новикова", "Дарья", "Петровна", "NEW@Example.org ", "Учитель", "Математика", 3],      # 2 new
        ["Белова", "Нина", "", "same@example.org", "Учитель", "Физика", 12],                   # 3 same
        ["Орлова", "Вера", "Павловна", "change@example.org", "Завуч", "История", "15 лет"],     # 4 update
        ["Чужая", "Анна", "", "other@example.org", "Учитель", "", ""],                         # 5 skipped
        ["Заблок", "Ира", "", "blocked@example.org", "", "", ""],                             # 6 skipped
        ["Новикова", "Дарья", "", "new@example.org", "Директор", "", 4],                       # 7 merged
        ["Без", "Почты", "", "", "", "", ""],                                                 # 8 error
        ["Кривой", "Адрес", "", "krivoy@", "", "", ""],                                        # 9 error
        ["", "Безфамильная", "", "nofam@example.org", "", "", ""],                             # 10 error
        ["Стажёр", "Петя", "", "staj@example.org", "", "", "много"],                           # 11 error
        ["Ветеран", "Вася", "", "vet@example.org", "", "", 95],                                # 12 error
        ["Длинный", "Текст", "", "long@example.org", "Д" * 201, "", ""],                       # 13 error
        ["Ничья", "Лена", "", "nobody@example.org", "Педагог", "", ""],                        # 14 update: joins
    ]
    _, preview = preview_of(db, xlsx(rows), world.school, world.coordinator)
    by_row = {r.row: r for r in preview.rows}
    assert by_row[2].state == RowState.NEW and by_row[2].email == "new@example.org"
    assert by_row[3].state == RowState.SAME
    assert by_row[4].state == RowState.UPDATE
    assert by_row[4].changes == {"middle_name": ("—", "Павловна"), "position": ("Учитель", "Завуч"),
                                 "subjects": ("—", "История"), "years_experience": ("—", "15")}
    assert by_row[5].state == RowState.SKIPPED
    # the coordinator is not told which school: only that it is another one
    assert by_row[5].warnings == ["С этим e-mail уже есть учётная запись в другой организации — не изменится "
                                  "(перевести сотрудника может методист или администратор)."]
    assert by_row[6].state == RowState.SKIPPED and "заблокирована" in by_row[6].warnings[0]
    assert by_row[7].state == RowState.MERGED and by_row[7].merged_into == 2
    assert "Должность «Директор» не совпадает со строкой 2" in by_row[7].warnings[0]
    assert by_row[2].years == 3 and by_row[2].position == "Учитель"  # the first row wins
    assert by_row[8].errors == ["Не указан e-mail."]
    assert by_row[9].errors == ["Неверный адрес электронной почты: «krivoy@»."]
    assert by_row[10].errors == ["Не указана фамилия."]
    assert "не число" in by_row[11].errors[0]
    assert "от 0 до 80" in by_row[12].errors[0]
    assert by_row[13].errors == ["Должность: длиннее 200 символов."]
    assert by_row[14].state == RowState.UPDATE and by_row[14].changes["organization_id"] == ("—", "МБОУ СОШ № 5")
    assert preview.counts == {"new": 1, "update": 2, "same": 1, "merged": 1, "skipped": 2, "error": 6,
                              "warnings": 3, "rows": 13}


def test_preview_page_shows_rows_states_and_counts(client, auth, world, make, db):
    make.user(organization=world.other_school, email="other@example.org")
    auth.login(world.methodist)
    rows = [["Новикова", "Дарья", "", "new@example.org", "Учитель", "Математика", 3],
            ["Чужая", "Анна", "", "other@example.org", "", "", ""],
            ["Кривой", "Адрес", "", "krivoy@", "", "", ""]]
    users = users_count(db)
    upload(client, world.school, xlsx(rows))
    batch = latest_batch(db)
    response = client.get(f"/imports/{batch.id}/people-preview")
    assert response.status_code == 200
    text = text_of(response)
    assert "Новикова Дарья" in text and "новый — получит приглашение" in text
    assert "Уже работает в организации «МБОУ СОШ № 9» — не изменится." in text
    assert "Неверный адрес электронной почты" in text
    assert "Загрузить: 1 человек" in text and "1 новый сотрудник получит письмо-приглашение" in text
    assert 'href="/static/css/imports-people.css' in response.get_data(as_text=True)
    # nothing written by looking
    assert users_count(db) == users and outbox_count(db) == 0


def test_preview_filters_and_pages_as_an_htmx_fragment(client, auth, world, db):
    auth.login(world.coordinator)
    rows = [[f"Фамилия{i:03d}", "Имя", "", f"p{i}@example.org", "", "", ""] for i in range(150)]
    rows.append(["Плохой", "Адрес", "", "bad@", "", "", ""])
    upload(client, world.school, xlsx(rows))
    batch = latest_batch(db)
    page2 = client.get(f"/imports/{batch.id}/people-preview?page=2", headers=HX)
    assert page2.status_code == 200
    body = page2.get_data(as_text=True)
    assert body.lstrip().startswith('<section id="people-rows"') and "<html" not in body
    assert "Фамилия120" in body and "Фамилия020" not in body
    errors = client.get(f"/imports/{batch.id}/people-preview?show=error", headers=HX)
    assert "Плохой" in errors.get_data(as_text=True) and "Фамилия001" not in errors.get_data(as_text=True)
    assert "HX-Request" in errors.headers["Vary"]
    junk = client.get(f"/imports/{batch.id}/people-preview?show=<script>&page=abc")
    assert junk.status_code == 200


def test_one_fio_column_is_split_and_shouting_is_calmed(db, world):
    data = csv_bytes([["ПЕТРОВА АННА СЕРГЕЕВНА", "anna@example.org"],
                      ["Мамедов Али Гусейн оглы", "ali@example.org"],
                      ["Сидоров", "sid@example.org"],
                      ["Кузнецова А.", "kuz@example.org"]], header=["ФИО", "Электронная почта"])
    _, preview = preview_of(db, data, world.school, world.coordinator, "staff.csv")
    anna, ali, sid, kuz = preview.rows
    assert (anna.last_name, anna.first_name, anna.middle_name) == ("Петрова", "Анна", "Сергеевна")
    assert (ali.first_name, ali.middle_name) == ("Али", "Гусейн оглы")
    assert sid.errors == ["Не указано имя."]
    assert kuz.state == RowState.NEW and "инициалом" in kuz.warnings[0]


def test_windows_1251_csv_with_commas_reads(db, world):
    data = "ФИО,E-mail,Стаж\r\nЁлкина Ольга,elkina@example.org,5\r\n".encode("cp1251")
    _, preview = preview_of(db, data, world.school, world.coordinator, "staff.csv")
    assert preview.rows[0].last_name == "Ёлкина" and preview.rows[0].years == 5


def test_duplicates_within_the_file_merge_later_rows_filling_blanks(db, world):
    rows = [["Смирнова", "Ольга", "", "olga@example.org", "Учитель", "", ""],
            ["Смирнова", "Ольга", "Игоревна", "OLGA@example.org", "", "Биология", 10],
            ["Смирнова", "Ольга", "Игоревна", "olga@example.org", "учитель", "биология", 10]]
    _, preview = preview_of(db, xlsx(rows), world.school, world.coordinator)
    first, second, third = preview.rows
    assert first.state == RowState.NEW
    assert (first.middle_name, first.position, first.subjects, first.years) == ("Игоревна", "Учитель", "Биология", 10)
    assert second.state == third.state == RowState.MERGED
    assert second.warnings == [] and third.warnings == []  # same values in another case are no conflict
    assert preview.counts["new"] == 1 and preview.counts["merged"] == 2


def test_existing_names_are_kept_and_a_different_spelling_is_a_warning(make, db, world):
    make.user(organization=world.school, email="kept@example.org", last_name="Семёнова", first_name="Алёна",
              middle_name="", position="Учитель")
    _, preview = preview_of(db, xlsx([["Семенова", "Алена", "Викторовна", "kept@example.org", "", "", ""],
                                      ["Иванова", "Ольга", "", "kept2@example.org", "", "", ""]]),
                            world.school, world.coordinator)
    row = preview.rows[0]
    assert row.changes == {"middle_name": ("—", "Викторовна")} and row.warnings == []  # ё = е
    make.user(organization=world.school, email="typo@example.org", last_name="Смирнова", first_name="Анна")
    _, preview = preview_of(db, xlsx([["Смирнов", "Анна", "", "typo@example.org", "", "", ""]]), world.school,
                            world.coordinator)
    assert preview.rows[0].state == RowState.SAME
    assert "ФИО «Смирнова Анна" in preview.rows[0].warnings[0] and "не изменится" in preview.rows[0].warnings[0]


# -- apply -----------------------------------------------------------------------------------

def _rows_for_apply():
    return [["Новикова", "Дарья", "Петровна", "new@example.org", "Учитель", "Математика", 3],
            ["Орлова", "Вера", "", "change@example.org", "Завуч", "", 15],
            ["Сомова", "Инна", "", "new2@example.org", "", "", ""],
            ["Кривой", "Адрес", "", "krivoy@", "", "", ""]]


def test_apply_creates_people_with_invitations_and_updates_the_others(client, auth, world, make, db):
    changed = make.user(organization=world.school, email="change@example.org", last_name="Орлова",
                        first_name="Вера", position="Учитель")
    db.session.commit()
    before = users_count(db)
    auth.login(world.coordinator)
    upload(client, world.school, xlsx(_rows_for_apply()))
    batch = latest_batch(db)
    response = client.post(f"/imports/{batch.id}/people-apply")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/imports/{batch.id}/people-result")

    assert users_count(db) == before + 2
    new = db.session.scalar(sa.select(User).where(User.email == "new@example.org"))
    assert new.password_hash == "" and new.consent_dt is None and new.is_active
    assert new.organization_id == world.school.id
    assert (new.full_name, new.position, new.subjects, new.years_experience) == (
        "Новикова Дарья Петровна", "Учитель", "Математика", 3)
    assert new.search_text == "новикова дарья петровна new@example.org"
    assert not new.check_password("")
    db.session.refresh(changed)
    assert (changed.position, changed.years_experience) == ("Завуч", 15)

    messages = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.recipient)).all()
    assert [m.recipient for m in messages] == ["new2@example.org", "new@example.org"]
    message = messages[1]
    assert message.subject == "Приглашение в сеть стажировочных площадок"
    assert "Здравствуйте, Дарья Петровна!" in message.body and "«МБОУ СОШ № 5»" in message.body
    assert "Кравец Ольга" in message.body and "/invite/" in message.body and "/invite/" in message.html_body

    batch = latest_batch(db)
    assert batch.status == ImportStatus.APPLIED and batch.applied_dt is not None and batch.content == b""
    assert batch.summary["counts"]["new"] == 2 and batch.summary["invited"] == 2
    error_row = next(r for r in batch.summary["rows"] if r["state"] == "error")
    assert "email" not in error_row and "name" not in error_row  # a row not imported keeps no personal data
    actions = db.session.execute(sa.select(AuditEntry.action, AuditEntry.changes)
                                 .where(AuditEntry.object_type == "user", AuditEntry.actor_id == world.coordinator.id)
                                 ).all()
    assert sorted(a for a, _ in actions) == ["imported", "imported", "updated"]

    result = client.get(response.headers["Location"])
    assert result.status_code == 200
    text = text_of(result)
    assert "добавлен, приглашение отправлено" in text and "Завуч" in text and "Приглашения отправлены: 2" in text


def test_reimporting_the_same_file_changes_nothing_and_invites_nobody(client, auth, world, db):
    auth.login(world.coordinator)
    data = xlsx(_rows_for_apply())
    upload(client, world.school, data)
    client.post(f"/imports/{latest_batch(db).id}/people-apply")
    users, messages = users_count(db), outbox_count(db)
    upload(client, world.school, data)
    batch = latest_batch(db)
    preview = client.get(f"/imports/{batch.id}/people-preview")
    text = text_of(preview)
    assert "Загружать нечего" in text and "Загрузить:" not in text
    client.post(f"/imports/{batch.id}/people-apply")
    assert users_count(db) == users and outbox_count(db) == messages
    assert latest_batch(db).summary["counts"]["same"] == 3


def test_a_corrected_file_updates_the_changed_rows(client, auth, world, db):
    auth.login(world.coordinator)
    upload(client, world.school, xlsx(_rows_for_apply()))
    client.post(f"/imports/{latest_batch(db).id}/people-apply")
    rows = _rows_for_apply()
    rows[0][4] = "Методист"
    upload(client, world.school, xlsx(rows))
    batch = latest_batch(db)
    text = text_of(client.get(f"/imports/{batch.id}/people-preview"))
    assert "должность: Учитель → Методист" in text
    client.post(f"/imports/{batch.id}/people-apply")
    assert db.session.scalar(sa.select(User.position).where(User.email == "new@example.org")) == "Методист"


def test_existing_people_are_updated_never_doubled_whatever_the_case(client, auth, world, make, db):
    make.user(organization=world.school, email="anna@example.org", position="Учитель")
    db.session.commit()
    before = users_count(db)
    auth.login(world.coordinator)
    upload(client, world.school, xlsx([["Петрова", "Анна", "", "ANNA@Example.ORG", "Завуч", "", ""]]))
    client.post(f"/imports/{latest_batch(db).id}/people-apply")
    assert users_count(db) == before and outbox_count(db) == 0
    assert db.session.scalar(sa.select(User.position).where(User.email == "anna@example.org")) == "Завуч"


def test_only_those_who_may_see_a_school_learn_that_someone_works_there(client, auth, world, make, db):
    """An e-mail in the file must not tell the uploader where that person works, unless she may see
    that school anyway: an admin, a methodist of its municipality."""
    make.user(organization=world.other_school, email="other@example.org")  # Павловский район
    make.user(organization=world.elsewhere, email="far@example.org")  # another municipality
    db.session.commit()
    rows = [["Чужая", "Анна", "", "other@example.org", "", "", ""],
            ["Дальняя", "Ия", "", "far@example.org", "", "", ""]]
    seen = {}
    for who in ("coordinator", "methodist", "admin"):
        auth.login(getattr(world, who))
        upload(client, world.school, xlsx(rows))
        response = client.get(f"/imports/{latest_batch(db).id}/people-preview")
        assert response.status_code == 200
        seen[who] = text_of(response)
        auth.logout()
    hidden = "уже есть учётная запись в другой организации"
    assert "МБОУ СОШ № 9" not in seen["coordinator"] and "Гимназия № 1" not in seen["coordinator"]
    assert seen["coordinator"].count(hidden) == 2
    assert "Уже работает в организации «МБОУ СОШ № 9»" in seen["methodist"] and "Гимназия № 1" not in seen["methodist"]
    assert "Уже работает в организации «МБОУ СОШ № 9»" in seen["admin"]
    assert "Уже работает в организации «Гимназия № 1»" in seen["admin"]


def test_an_account_of_no_school_is_not_read_out_to_a_coordinator(client, auth, world, make, db):
    """An e-mail of someone who belongs to no organization yet: the coordinator may take her into
    the school, but does not get to read her stored name and profile by typing her e-mail; a blocked
    account of another school reads as another school's; a methodist's account is no school's."""
    make.user(organization=None, email="alone@example.org", last_name="Секретова", first_name="Мария",
              position="Завуч по секрету", subjects="Тайнопись", years_experience=31)
    make.user(organization=world.other_school, email="blocked.other@example.org", is_active=False)
    make.user(Role.METHODIST, world.municipality, organization=None, email="staff@example.org", last_name="Методова")
    db.session.commit()
    rows = [["Иванова", "Мария", "", "alone@example.org", "Учитель", "Физика", 3],
            ["Блок", "Ира", "", "blocked.other@example.org", "", "", ""],
            ["Методова", "Ольга", "", "staff@example.org", "Учитель", "", ""]]
    seen = {}
    for who in ("coordinator", "admin"):
        _, preview = preview_of(db, xlsx(rows), world.school, getattr(world, who))
        seen[who] = {r.email: r for r in preview.rows}
    mine = seen["coordinator"]
    text = repr([(r.warnings, r.changes) for r in mine.values()])
    for secret in ("Секретова", "Завуч по секрету", "Тайнопись", "31", "заблокирована"):
        assert secret not in text, secret
    assert mine["alone@example.org"].state == RowState.UPDATE  # she still joins the school
    assert mine["alone@example.org"].changes["position"] == ("не показано", "Учитель")
    assert mine["alone@example.org"].warnings == ["В учётной записи ФИО записано иначе — оно не изменится "
                                                  "(человек правит его сам в профиле)."]
    assert "другой организации" in mine["blocked.other@example.org"].warnings[0]
    assert mine["staff@example.org"].state == RowState.SKIPPED
    assert mine["staff@example.org"].warnings == [people_import.EXISTS_ELSEWHERE]
    admin = seen["admin"]
    assert admin["alone@example.org"].changes["position"] == ("Завуч по секрету", "Учитель")
    assert "Секретова" in admin["alone@example.org"].warnings[0]
    assert admin["blocked.other@example.org"].warnings == ["Уже работает в организации «МБОУ СОШ № 9» — не изменится."]
    assert admin["staff@example.org"].state == RowState.UPDATE  # an admin decides


def test_another_organizations_person_is_not_moved(client, auth, world, make, db):
    other = make.user(organization=world.other_school, email="other@example.org", position="Учитель")
    db.session.commit()
    auth.login(world.coordinator)
    upload(client, world.school, xlsx([["Чужая", "Анна", "", "other@example.org", "Директор", "", ""]]))
    client.post(f"/imports/{latest_batch(db).id}/people-apply")
    db.session.refresh(other)
    assert other.organization_id == world.other_school.id and other.position == "Учитель"
    assert latest_batch(db).summary["counts"]["skipped"] == 1


def test_a_blocked_account_is_not_reactivated(client, auth, world, make, db):
    blocked = make.user(organization=world.school, email="blocked@example.org", is_active=False)
    db.session.commit()
    auth.login(world.coordinator)
    upload(client, world.school, xlsx([["Петрова", "Анна", "", "blocked@example.org", "Завуч", "", ""]]))
    client.post(f"/imports/{latest_batch(db).id}/people-apply")
    db.session.refresh(blocked)
    assert not blocked.is_active and blocked.position == "Учитель"


def test_confirming_twice_applies_once(client, auth, world, db):
    auth.login(world.coordinator)
    upload(client, world.school, xlsx(_rows_for_apply()))
    batch_id = latest_batch(db).id
    first = client.post(f"/imports/{batch_id}/people-apply")
    users, messages = users_count(db), outbox_count(db)
    second = client.post(f"/imports/{batch_id}/people-apply")
    assert first.status_code == second.status_code == 303
    assert second.headers["Location"].endswith(f"/imports/{batch_id}/people-result")
    assert users_count(db) == users and outbox_count(db) == messages
    # the back button to the preview shows the result, too
    back = client.get(f"/imports/{batch_id}/people-preview")
    assert back.status_code == 303 and back.headers["Location"].endswith("/people-result")


def test_discard_deletes_the_file_and_writes_nothing(client, auth, world, db):
    auth.login(world.coordinator)
    upload(client, world.school, xlsx(_rows_for_apply()))
    batch_id = latest_batch(db).id
    users = users_count(db)
    response = client.post(f"/imports/{batch_id}/people-discard")
    assert response.status_code == 303 and response.headers["Location"].endswith(
        f"/imports/organizations/{world.school.id}/people/upload")
    batch = latest_batch(db)
    assert batch.status == ImportStatus.DISCARDED and batch.content == b""
    assert client.post(f"/imports/{batch_id}/people-apply").status_code == 303
    assert users_count(db) == users and outbox_count(db) == 0
    assert client.get(f"/imports/{batch_id}/people-preview").status_code == 303


def test_an_account_created_meanwhile_is_a_message_not_an_error(client, auth, world, db, monkeypatch):
    """Someone signs up with an address of the file between the check and the insert."""
    auth.login(world.coordinator)
    upload(client, world.school, xlsx(_rows_for_apply()))
    batch_id = latest_batch(db).id
    real = people_import._existing_accounts

    def racing(emails):
        found = real(emails)
        db.session.execute(sa.insert(User), [dict(email="new@example.org", password_hash="x", last_name="Быстрая",
                                                  first_name="Анна", middle_name="", position="", subjects="",
                                                  is_active=True, created_dt=utcnow(), search_text="")])
        return found

    monkeypatch.setattr(people_import, "_existing_accounts", racing)
    response = client.post(f"/imports/{batch_id}/people-apply")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/imports/{batch_id}/people-preview")
    monkeypatch.setattr(people_import, "_existing_accounts", real)
    assert "одна из учётных записей в файле изменилась" in text_of(client.get(response.headers["Location"]))
    assert latest_batch(db).status == ImportStatus.UPLOADED and outbox_count(db) == 0


def test_a_stored_file_that_no_longer_reads_gets_a_page_not_a_500(client, auth, world, db):
    auth.login(world.coordinator)
    upload(client, world.school, xlsx(_rows_for_apply()))
    batch = latest_batch(db)
    batch.content = b"PK\x03\x04 broken"
    db.session.commit()
    for response in (client.get(f"/imports/{batch.id}/people-preview"),
                     client.get(f"/imports/{batch.id}/people-mapping"),
                     client.post(f"/imports/{batch.id}/people-apply")):
        assert response.status_code == 422 and "Загрузить файл заново" in text_of(response)
    assert latest_batch(db).status == ImportStatus.UPLOADED


def test_the_result_of_an_unapplied_batch_is_its_preview(client, auth, world, db):
    auth.login(world.coordinator)
    upload(client, world.school, xlsx(_rows_for_apply()))
    batch_id = latest_batch(db).id
    response = client.get(f"/imports/{batch_id}/people-result")
    assert response.status_code == 302 and response.headers["Location"].endswith("/people-preview")


def test_stale_uploads_are_discarded_on_the_next_upload(client, auth, world, db):
    auth.login(world.coordinator)
    upload(client, world.school, xlsx(_rows_for_apply()))
    old = latest_batch(db)
    old.created_dt = utcnow() - timedelta(hours=25)
    db.session.commit()
    upload(client, world.school, xlsx(_rows_for_apply()))
    db.session.refresh(old)
    assert old.status == ImportStatus.DISCARDED and old.content == b""
    assert latest_batch(db).status == ImportStatus.UPLOADED


# -- permissions -----------------------------------------------------------------------------

def test_anonymous_is_sent_to_login(client, world):
    response = client.get(f"/imports/organizations/{world.school.id}/people/upload")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/imports/people/template.xlsx").status_code == 302


@pytest.mark.parametrize("who,status", [
    ("teacher", 403), ("site_leader", 403), ("other_coordinator", 403), ("other_methodist", 403),
    ("coordinator", 200), ("methodist", 200), ("admin", 200),
])
def test_who_may_import_an_organizations_staff(client, auth, world, db, who, status):
    auth.login(getattr(world, who))
    assert client.get(f"/imports/organizations/{world.school.id}/people/upload").status_code == status
    response = upload(client, world.school, xlsx(_rows_for_apply()))
    assert response.status_code == (303 if status == 200 else status)


def test_unknown_organization_is_404(client, auth, world):
    auth.login(world.admin)
    assert client.get("/imports/organizations/999999/people/upload").status_code == 404


def test_a_batch_belongs_to_its_uploader(client, auth, world, db):
    users = users_count(db)
    auth.login(world.coordinator)
    upload(client, world.school, xlsx(_rows_for_apply()))
    batch_id = latest_batch(db).id
    for intruder in (world.methodist, world.admin):
        auth.login(intruder)
        for url in ("people-preview", "people-mapping", "people-result"):
            assert client.get(f"/imports/{batch_id}/{url}").status_code == 404
        assert client.post(f"/imports/{batch_id}/people-apply").status_code == 404
        assert client.post(f"/imports/{batch_id}/people-discard").status_code == 404
    assert users_count(db) == users and latest_batch(db).status == ImportStatus.UPLOADED


def test_a_coordinator_who_lost_her_role_cannot_apply(client, auth, world, db):
    from webapp.accounts.models import RoleGrant

    auth.login(world.coordinator)
    upload(client, world.school, xlsx(_rows_for_apply()))
    batch_id = latest_batch(db).id
    db.session.execute(sa.delete(RoleGrant).where(RoleGrant.user_id == world.coordinator.id))
    db.session.commit()
    assert client.post(f"/imports/{batch_id}/people-apply").status_code == 403
    assert outbox_count(db) == 0


# -- size and speed --------------------------------------------------------------------------

def test_preview_and_apply_run_a_constant_number_of_queries(client, auth, world, db):
    auth.login(world.coordinator)
    school = SimpleNamespace(id=world.school.id)  # the session is dropped below: keep the id only
    counts = []
    for size in (5, 60):
        rows = [[f"Ф{size}_{i}", "Имя", "", f"p{size}_{i}@example.org", "Учитель", "", i % 40] for i in range(size)]
        upload(client, school, xlsx(rows))
        batch_id = latest_batch(db).id
        db.session.remove()
        with count_queries(db.engine) as preview_statements:
            assert client.get(f"/imports/{batch_id}/people-preview").status_code == 200
        with count_queries(db.engine) as apply_statements:
            assert client.post(f"/imports/{batch_id}/people-apply").status_code == 303
        counts.append((len(preview_statements), len(apply_statements)))
    assert counts[0] == counts[1], counts


def test_five_thousand_people_are_previewed_and_applied(client, auth, world, db, make):
    # the 10-second figure is measured by scripts/bench_reports.py, not here: machines are noisy
    # every tenth person already has an account in the school (inserted in bulk: hashing 500 passwords is slow)
    db.session.execute(sa.insert(User), [
        dict(email=f"teacher{i}@example.org", password_hash="x", last_name=f"Фамилия{i}", first_name="Имя",
             middle_name="", organization_id=world.school.id, position="Учитель", subjects="", is_active=True,
             created_dt=utcnow(), search_text="") for i in range(0, 5000, 10)])
    db.session.commit()
    auth.login(world.coordinator)
    rows = [[f"Фамилия{i}", "Имя", "Отчество", f"teacher{i}@example.org", "Учитель математики", "Математика",
             i % 50] for i in range(5000)]
    data = xlsx(rows)
    assert upload(client, world.school, data).status_code == 303
    batch_id = latest_batch(db).id
    assert client.get(f"/imports/{batch_id}/people-preview").status_code == 200
    assert client.post(f"/imports/{batch_id}/people-apply").status_code == 303
    assert outbox_count(db) == 4500
    assert db.session.scalar(sa.select(sa.func.count(User.id)).where(User.organization_id == world.school.id)) == 5002
