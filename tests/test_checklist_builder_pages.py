"""The check-list template builder's pages: the list with create and import, the editor (items
added, edited, moved and deleted over htmx and as plain forms, with a live preview), export, copy
and archive; who may do what; bad input answered with a Russian message and nothing written."""

from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta
from types import SimpleNamespace
from urllib.parse import unquote

import pytest
import sqlalchemy as sa
from conftest import HX, count_queries, text_of

from webapp.accounts.models import Role, RoleGrant
from webapp.checklists import building
from webapp.checklists.models import (
    ChecklistAssignment,
    ChecklistDraft,
    ChecklistInvitation,
    ChecklistItem,
    ChecklistTemplate,
    ChecklistVersion,
    OpensOn,
    RespondentRole,
)
from webapp.dbtypes import utcnow

SCALE = {"text": "Насколько тема соответствует вашим дефицитам?", "required": True,
         "settings": {"max": 5, "min_label": "совсем нет", "max_label": "полностью"}}


# -- fixtures and helpers --------------------------------------------------------------------


@pytest.fixture
def w(make, db, monkeypatch):
    """Municipalities A and B; an admin, A's and B's methodists, a teacher, a site leader and a
    school coordinator of A; a template of A (three items, the third shown on the second's
    answer) and a network template."""
    w = SimpleNamespace()
    w.a = make.municipality(name="Территория А")
    w.b = make.municipality(name="Территория Б")
    org = make.organization(municipality=w.a)
    w.admin = make.user(role=Role.ADMIN)
    w.methodist = make.user(role=Role.METHODIST, scope=w.a)
    w.other = make.user(role=Role.METHODIST, scope=w.b)
    w.teacher = make.user(organization=org)
    w.leader = make.user(role=Role.SITE_LEADER, scope=make.site(organization=org))
    w.coordinator = make.user(role=Role.COORDINATOR, scope=org)
    w.own = building.create_template(w.methodist, "Обратная связь территории А", "Ответьте на вопросы.", w.a.id)
    building.add_item(w.own, w.methodist, "scale", SCALE)
    building.add_item(w.own, w.methodist, "ypn", {"text": "Остались ли трудности?"})
    building.add_item(w.own, w.methodist, "long_text", {"text": "Какие трудности остались?", "show_if_key": "q2",
                                                         "show_if_values": ["yes", "partial"]})
    w.network = building.create_template(w.admin, "Анкета сети", "", None)
    building.add_item(w.network, w.admin, "short_text", {"text": "Ваша должность"})
    db.session.commit()
    return w


def _freeze(template, db, make):
    """Give the current version a draft, as a respondent who started answering would
    (as tests/test_checklist_building.py does)."""
    user = make.user()
    assignment = ChecklistAssignment(template_id=template.id, period_start=date.today(), role=RespondentRole.MUNICIPALITY,
                                     opens_on=OpensOn.DATE, opens_dt=utcnow())
    db.session.add(assignment)
    db.session.flush()
    invitation = ChecklistInvitation(assignment_id=assignment.id, user_id=user.id, unit="0:0", opens_dt=utcnow(),
                                     closes_dt=utcnow() + timedelta(days=14))
    db.session.add(invitation)
    db.session.flush()
    db.session.add(ChecklistDraft(invitation_id=invitation.id, version_id=template.current_version.id,
                                  answers={"q1": "4"}))
    db.session.commit()


def _items(db, template) -> list[tuple[str, str]]:
    """(key, text) of the template's current version, read afresh."""
    db.session.expire_all()
    template = db.session.get(ChecklistTemplate, template.id)
    return [(i.key, i.text) for i in template.current_version.items]


def _counts(db) -> tuple[int, int, int]:
    return tuple(db.session.scalar(sa.select(sa.func.count(m.id)))
                 for m in (ChecklistTemplate, ChecklistVersion, ChecklistItem))


def _url(name: str, **values) -> str:
    from flask import url_for
    return url_for(f"checklists.{name}", _external=False, **values)


def _is_fragment(response) -> bool:
    return "<html" not in response.get_data(as_text=True)


def _item_post(kind="scale", **fields) -> dict:
    """What the add/edit form posts for one item (the form's own field names)."""
    data = {"kind": kind, "text": "Вопрос", "help": "", "scale_max": "5", "min_label": "", "max_label": "",
            "options": "", "max_choices": "", "max_length": "", "number_min": "", "number_max": "", "rows": "",
            "show_if_key": ""}
    data.update(fields)
    return data


def _upload(content: bytes | str, name="checklist.json", field="import-file", **extra) -> dict:
    body = content.encode("utf-8") if isinstance(content, str) else content
    return {field: (io.BytesIO(body), name), **extra}


# -- who may do what -------------------------------------------------------------------------

def _routes(w) -> list[tuple[str, str, dict]]:
    own = w.own.id
    return [
        ("get", _url("templates"), {}),
        ("post", _url("create_template"), {"title": "Новый"}),
        ("post", _url("import_template"), {}),
        ("get", _url("editor", template_id=own), {}),
        ("post", _url("update_template", template_id=own), {"title": "Новое название"}),
        ("get", _url("item_form", template_id=own), {}),
        ("post", _url("add_item", template_id=own), _item_post()),
        ("post", _url("update_item", template_id=own, key="q1"), _item_post()),
        ("post", _url("move_item", template_id=own, key="q1"), {"direction": "down"}),
        ("post", _url("delete_item", template_id=own, key="q1"), {}),
        ("get", _url("export_template", template_id=own), {}),
        ("post", _url("archive_template", template_id=own), {}),
        ("post", _url("copy_template", template_id=own), {}),
    ]


def test_anonymous_visitors_are_sent_to_log_in(client, w, db):
    before = _counts(db)
    for method, url, data in _routes(w):
        response = getattr(client, method)(url, data=data)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    assert _counts(db) == before


@pytest.mark.parametrize("who", ["teacher", "leader", "coordinator"])
def test_people_who_do_not_build_checklists_are_refused(client, auth, w, db, who):
    auth.login(getattr(w, who))
    before = _counts(db)
    for method, url, data in _routes(w):
        response = getattr(client, method)(url, data=data)
        assert response.status_code == 403, url
        response = getattr(client, method)(url, data=data, headers=HX)
        assert response.status_code == 403 and "Доступ запрещён" in text_of(response), url
    assert _counts(db) == before


def test_another_municipalitys_methodist_may_neither_see_nor_change_its_template(client, auth, w, db):
    auth.login(w.other)
    before = _counts(db)
    for method, url, data in _routes(w)[3:]:
        assert getattr(client, method)(url, data=data).status_code == 403, url
    assert _counts(db) == before
    assert w.own.title not in text_of(client.get(_url("templates")))


def test_unknown_templates_and_items_are_404(client, auth, w, db):
    auth.login(w.admin)
    assert client.get(_url("editor", template_id=9999)).status_code == 404
    assert client.get(_url("export_template", template_id=9999)).status_code == 404
    assert client.post(_url("add_item", template_id=9999), data=_item_post()).status_code == 404
    assert client.get(_url("item_form", template_id=w.own.id, key="nope"), headers=HX).status_code == 404
    response = client.post(_url("update_item", template_id=w.own.id, key="nope"), data=_item_post(), headers=HX)
    assert response.status_code == 404 and "Такого вопроса в чек-листе нет" in text_of(response)
    response = client.post(_url("delete_item", template_id=w.own.id, key="nope"), headers=HX)
    assert response.status_code == 404 and "Такого вопроса в чек-листе нет" in text_of(response)
    response = client.post(_url("move_item", template_id=w.own.id, key="nope"), data={"direction": "up"})
    assert response.status_code == 404 and "Такого вопроса в чек-листе нет" in text_of(response)


def test_admins_edit_export_and_copy_every_template(client, auth, w, db):
    auth.login(w.admin)
    for template in (w.own, w.network):
        page = client.get(_url("editor", template_id=template.id))
        assert page.status_code == 200 and "Добавить вопрос" in text_of(page) and "Сделать копию" in text_of(page)
        response = client.post(_url("add_item", template_id=template.id), data=_item_post("ypn", text="Было полезно?"),
                               headers=HX)
        assert response.status_code == 200 and "Было полезно?" in text_of(response)
        assert client.get(_url("export_template", template_id=template.id)).status_code == 200
    exported = client.get(_url("export_template", template_id=w.own.id)).data
    response = client.post(_url("import_template"), data=_upload(exported, **{"import-municipality_id": str(w.b.id)}),
                           content_type="multipart/form-data", headers=HX)
    assert response.status_code == 204 and response.headers["HX-Redirect"].startswith("/checklists/templates/")
    newest = db.session.scalar(sa.select(ChecklistTemplate).order_by(ChecklistTemplate.id.desc()))
    assert newest.municipality_id == w.b.id and len(newest.current_version.items) == 4


# -- the list --------------------------------------------------------------------------------

def test_the_list_shows_what_she_may_see_with_owner_questions_version_and_state(client, auth, w, db):
    w.network.is_starter = True
    archived = building.create_template(w.methodist, "Старая анкета", "", w.a.id)
    archived.archived_dt = utcnow()
    building.create_template(w.other, "Анкета территории Б", "", w.b.id)
    auth.login(w.methodist)
    page = client.get(_url("templates"))
    assert page.status_code == 200 and "HX-Request" in page.headers["Vary"]
    text = text_of(page)
    assert "Анкета территории Б" not in text
    assert text.index("Старая анкета") < text.index("Анкета сети") < text.index("Обратная связь территории А")
    assert "Обратная связь территории А Территория А 3 вопроса · версия 1" in text
    assert "Анкета сети Заготовка Вся сеть 1 вопрос · версия 1" in text
    assert "Старая анкета В архиве Территория А 0 вопросов" in text
    assert "Новый шаблон" in text and "Загрузить из файла" in text
    assert "Чей шаблон" not in text  # one municipality: nothing to choose
    fragment = client.get(_url("templates"), headers=HX)
    assert fragment.status_code == 200 and _is_fragment(fragment)
    assert 'id="templates-list"' in fragment.get_data(as_text=True) and "Новый шаблон" not in text_of(fragment)


def test_admins_choose_the_owner_among_the_network_and_every_municipality(client, auth, w, db):
    auth.login(w.admin)
    html = client.get(_url("templates")).get_data(as_text=True)
    select = re.search(r'<select id="municipality_id".*?</select>', html, re.S).group(0)
    assert re.findall(r">([^<]+)</option>", select) == ["Вся сеть", "Территория А", "Территория Б"]
    assert "Анкета сети" in html and "Обратная связь территории А" in html


def test_a_methodist_of_several_municipalities_chooses_among_hers_only(client, auth, w, db, make):
    c = make.municipality(name="Территория В")
    db.session.add(RoleGrant(user_id=w.methodist.id, role=Role.METHODIST, municipality_id=c.id))
    db.session.commit()
    auth.login(w.methodist)
    html = client.get(_url("templates")).get_data(as_text=True)
    select = re.search(r'<select id="municipality_id".*?</select>', html, re.S).group(0)
    assert re.findall(r">([^<]+)</option>", select) == ["Территория А", "Территория В"]
    response = client.post(_url("create_template"), data={"title": "Анкета В", "municipality_id": str(c.id)})
    assert response.status_code == 303
    assert db.session.scalar(sa.select(ChecklistTemplate.municipality_id).where(ChecklistTemplate.title == "Анкета В")) == c.id
    for foreign in (str(w.b.id), "None", "", "abc"):
        response = client.post(_url("create_template"), data={"title": "Чужая", "municipality_id": foreign})
        assert response.status_code == 422 and "Выберите из списка" in text_of(response), foreign
    assert db.session.scalar(sa.select(sa.func.count()).where(ChecklistTemplate.title == "Чужая")) == 0


def test_the_list_is_paginated(client, auth, w, db):
    for n in range(51):
        building.create_template(w.admin, f"Шаблон {n:02d}", "", None)
    auth.login(w.admin)
    first = text_of(client.get(_url("templates")))
    assert "Шаблонов: 53" in first and "Шаблон 50" in first and "Анкета сети" not in first
    second = client.get(_url("templates", page=2), headers=HX)
    assert "Анкета сети" in text_of(second) and "Обратная связь территории А" in text_of(second)
    assert "Шаблон 50" not in text_of(second)


def test_the_list_runs_as_many_queries_for_30_templates_as_for_3(client, auth, w, db, app):
    auth.login(w.methodist)

    def queries() -> int:
        with count_queries(db.engine) as statements:
            assert client.get(_url("templates")).status_code == 200
        return len(statements)

    building.create_template(w.methodist, "Третья анкета", "", w.a.id)
    db.session.commit()
    few = queries()
    for n in range(27):
        t = building.create_template(w.methodist if n % 2 else w.admin, f"Ещё анкета {n}", "",
                                     w.a.id if n % 2 else None)
        building.add_item(t, w.admin, "ypn", {"text": "Да?"})
    db.session.commit()
    assert "Шаблонов: 30" in text_of(client.get(_url("templates")))
    assert queries() == few


# -- create and import -----------------------------------------------------------------------

def test_creating_a_template_opens_its_editor(client, auth, w, db):
    auth.login(w.methodist)
    response = client.post(_url("create_template"), data={"title": "  Рефлексия  стажёра ", "instructions": "Кратко."})
    assert response.status_code == 303
    template = db.session.scalar(sa.select(ChecklistTemplate).where(ChecklistTemplate.title == "Рефлексия стажёра"))
    assert template.municipality_id == w.a.id and template.created_by_id == w.methodist.id
    assert response.headers["Location"].endswith(_url("editor", template_id=template.id))
    page = client.get(response.headers["Location"])
    assert "Чек-лист «Рефлексия стажёра» создан" in text_of(page) and "Версия 1" in text_of(page)
    over_htmx = client.post(_url("create_template"), data={"title": "Через htmx"}, headers=HX)
    assert over_htmx.status_code == 204 and "/checklists/templates/" in over_htmx.headers["HX-Redirect"]


def test_an_admins_template_may_belong_to_the_network(client, auth, w, db):
    auth.login(w.admin)
    assert client.post(_url("create_template"), data={"title": "Сетевой", "municipality_id": "None"}).status_code == 303
    assert client.post(_url("create_template"), data={"title": "Для Б", "municipality_id": str(w.b.id)}).status_code == 303
    owners = dict(db.session.execute(sa.select(ChecklistTemplate.title, ChecklistTemplate.municipality_id)
                                     .where(ChecklistTemplate.title.in_(["Сетевой", "Для Б"]))).all())
    assert owners == {"Сетевой": None, "Для Б": w.b.id}


@pytest.mark.parametrize("title, message", [
    ("   ", "Введите название чек-листа."),
    ("Я" * 301, "Название — не длиннее 300 символов."),
])
def test_a_bad_title_is_refused_keeping_what_was_typed(client, auth, w, db, title, message):
    auth.login(w.methodist)
    before = _counts(db)
    for headers in ({}, HX):
        response = client.post(_url("create_template"), data={"title": title, "instructions": "Моя инструкция"},
                               headers=headers)
        assert response.status_code == 422
        assert message in text_of(response) and "Моя инструкция" in response.get_data(as_text=True)
        assert 'id="template-create"' in response.get_data(as_text=True)
    assert _counts(db) == before


def test_an_exported_file_imported_over_http_gives_the_same_items(client, auth, w, db):
    auth.login(w.methodist)
    exported = client.get(_url("export_template", template_id=w.own.id))
    response = client.post(_url("import_template"), data=_upload(exported.data), content_type="multipart/form-data")
    assert response.status_code == 303
    copy = db.session.scalar(sa.select(ChecklistTemplate).order_by(ChecklistTemplate.id.desc()))
    assert copy.id != w.own.id and copy.municipality_id == w.a.id
    assert response.headers["Location"].endswith(_url("editor", template_id=copy.id))
    assert building.export_template(copy)["items"] == json.loads(exported.data)["items"]
    assert "загружен: 3 пункта" in text_of(client.get(response.headers["Location"]))


@pytest.mark.parametrize("upload, message", [
    (None, "Выберите файл чек-листа"),
    (_upload(""), "Файл пустой"),
    (_upload("это не json {"), "Это не файл JSON"),
    (_upload("[" * 100_000 + "]" * 100_000), "Это не файл JSON"),
    (_upload("Привет".encode("cp1251")), "не в кодировке UTF-8"),
    (_upload('{"format": "other"}'), "нет отметки формата"),
    (_upload('{"format": "network-checklist", "format_version": 1, "title": "Т", "items": '
             '[{"key": "a", "kind": "scale", "text": "Оценка", "settings": {"max": 7}}]}'), "Вопрос 1: Шкала"),
    (_upload(b" " * (1024 * 1024) + b"{}"), "Файл больше 1 МБ"),
])
def test_a_bad_file_is_refused_with_the_reason_and_nothing_is_written(client, auth, w, db, upload, message):
    auth.login(w.methodist)
    before = _counts(db)
    for headers in ({}, HX):
        data = {k: (io.BytesIO(v[0].getvalue()), v[1]) for k, v in (upload or {}).items()}
        response = client.post(_url("import_template"), data=data, content_type="multipart/form-data", headers=headers)
        assert response.status_code == 422
        assert message in text_of(response)
        assert 'id="template-import"' in response.get_data(as_text=True)
    assert _counts(db) == before


def test_a_file_whose_condition_key_is_not_text_is_refused(client, auth, w, db):
    auth.login(w.methodist)
    data = {"format": "network-checklist", "format_version": 1, "title": "Т", "items": [
        {"key": "a", "kind": "ypn", "text": "Да?"},
        {"key": "b", "kind": "short_text", "text": "Почему?", "show_if": {"key": 5, "values": ["yes"]}}]}
    response = client.post(_url("import_template"), data=_upload(json.dumps(data)), content_type="multipart/form-data")
    assert response.status_code == 422 and "Вопрос 2" in text_of(response)


# -- the editor ------------------------------------------------------------------------------

def test_the_editor_shows_items_conditions_the_form_and_the_preview(client, auth, w, db):
    auth.login(w.methodist)
    page = client.get(_url("editor", template_id=w.own.id))
    assert page.status_code == 200
    text, html = text_of(page), page.get_data(as_text=True)
    assert "Версия 1" in text and "Территория А" in text
    assert "1. Шкала обязательный Насколько тема соответствует вашим дефицитам?" in text
    assert "3. Развёрнутый ответ Какие трудности остались? показывается, если ответ на вопрос 2 — «Да» или «Частично»" in text
    assert "Добавить вопрос" in text and "Сохранить название и инструкцию" in text
    assert 'id="pv-q-q1"' in html and 'data-show-if="q2"' in html  # the preview, its condition for checklists.js
    assert "js/checklists.js" in html and "css/checklists-builder.css" in html
    assert "Скачать JSON" in text and "В архив" in text
    assert "На версию 1 уже отвечают" not in text
    fragment = client.get(_url("editor", template_id=w.own.id), headers=HX)
    assert _is_fragment(fragment) and fragment.get_data(as_text=True).lstrip().startswith('<div id="builder"')


def test_a_methodist_sees_a_network_template_read_only_and_copies_it(client, auth, w, db):
    auth.login(w.methodist)
    page = client.get(_url("editor", template_id=w.network.id))
    text = text_of(page)
    assert page.status_code == 200 and "Ваша должность" in text and "Копия для моей территории" in text
    assert "Добавить вопрос" not in text and "Изменить" not in text and "В архив" not in text
    for method, url, data in _routes(SimpleNamespace(own=w.network))[4:]:
        if "export" not in url and "copy" not in url:
            assert getattr(client, method)(url, data=data).status_code == 403, url
    response = client.post(_url("copy_template", template_id=w.network.id))
    assert response.status_code == 303
    copy = db.session.scalar(sa.select(ChecklistTemplate).order_by(ChecklistTemplate.id.desc()))
    assert copy.municipality_id == w.a.id and copy.title == "Анкета сети" and not copy.is_starter
    assert response.headers["Location"].endswith(_url("editor", template_id=copy.id))
    assert [i.text for i in copy.current_version.items] == ["Ваша должность"]
    page = client.get(response.headers["Location"])
    assert "Создана копия для: Территория А" in text_of(page) and "Добавить вопрос" in text_of(page)


def test_copies_go_where_the_copier_may_edit(client, auth, w, db, make):
    c = make.municipality(name="Территория В")
    db.session.add(RoleGrant(user_id=w.methodist.id, role=Role.METHODIST, municipality_id=c.id))
    db.session.commit()
    auth.login(w.methodist)
    assert "Для территории" in text_of(client.get(_url("editor", template_id=w.network.id)))
    response = client.post(_url("copy_template", template_id=w.network.id), data={"municipality_id": str(w.b.id)})
    assert response.status_code == 422 and "Выберите из списка" in text_of(response)
    response = client.post(_url("copy_template", template_id=w.network.id), data={"municipality_id": str(c.id)},
                           headers=HX)
    assert response.status_code == 204 and response.headers["HX-Redirect"]
    assert db.session.scalar(sa.select(sa.func.count()).where(ChecklistTemplate.municipality_id == c.id)) == 1
    auth.login(w.admin)
    assert client.post(_url("copy_template", template_id=w.own.id)).status_code == 303
    newest = db.session.scalar(sa.select(ChecklistTemplate).order_by(ChecklistTemplate.id.desc()))
    assert newest.municipality_id is None and newest.title == w.own.title


def test_an_empty_template_is_not_copied(client, auth, w, db):
    empty = building.create_template(w.admin, "Пустой", "", None)
    auth.login(w.methodist)
    before = _counts(db)
    response = client.post(_url("copy_template", template_id=empty.id), headers=HX)
    assert response.status_code == 422 and "копировать нечего" in text_of(response)
    assert _counts(db) == before


def test_the_heading_is_saved_over_htmx_and_as_a_plain_form(client, auth, w, db):
    auth.login(w.methodist)
    response = client.post(_url("update_template", template_id=w.own.id),
                           data={"title": "После семинара", "instructions": "Три минуты."}, headers=HX)
    assert response.status_code == 200 and _is_fragment(response)
    assert "Название и инструкция сохранены." in text_of(response) and "После семинара" in text_of(response)
    response = client.post(_url("update_template", template_id=w.own.id), data={"title": "Итоги", "instructions": ""})
    assert response.status_code == 303 and response.headers["Location"].endswith("#heading")
    db.session.expire_all()
    assert db.session.get(ChecklistTemplate, w.own.id).title == "Итоги"
    response = client.post(_url("update_template", template_id=w.own.id), data={"title": "", "instructions": "Новая"})
    assert response.status_code == 422 and "Введите название чек-листа." in text_of(response)
    assert "Новая" in response.get_data(as_text=True) and "<html" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ChecklistTemplate, w.own.id).instructions == ""


# -- items -----------------------------------------------------------------------------------

def test_an_item_is_added_over_htmx_and_the_region_comes_back(client, auth, w, db):
    auth.login(w.methodist)
    response = client.post(_url("add_item", template_id=w.own.id), headers=HX, data=_item_post(
        "single", text="Формат участия", options="Очно\n\n  Онлайн  \nСмешанно", required="y"))
    assert response.status_code == 200 and _is_fragment(response)
    html, text = response.get_data(as_text=True), text_of(response)
    assert html.lstrip().startswith('<div id="builder"') and "Вопрос добавлен." in text
    assert "4. Один вариант из списка обязательный Формат участия" in text
    assert 'id="pv-q-q4"' in html  # the preview shows it
    assert '<option selected value="single">' in html  # the next one is offered of the same kind
    item = db.session.scalar(sa.select(ChecklistItem).where(ChecklistItem.key == "q4"))
    assert item.settings["options"] == [{"value": "o1", "label": "Очно"}, {"value": "o2", "label": "Онлайн"},
                                        {"value": "o3", "label": "Смешанно"}]
    assert item.required is True


def test_an_item_is_added_as_a_plain_form(client, auth, w, db):
    auth.login(w.methodist)
    response = client.post(_url("add_item", template_id=w.own.id), data=_item_post(
        "number", text="Сколько уроков вы провели?", number_min="0", number_max="40", integer="y"))
    assert response.status_code == 303 and response.headers["Location"].endswith(
        _url("editor", template_id=w.own.id, kind="number") + "#item-q4")
    item = db.session.scalar(sa.select(ChecklistItem).where(ChecklistItem.key == "q4"))
    assert item.settings == {"min": 0.0, "max": 40.0, "integer": True}
    page = client.get(response.headers["Location"])
    assert "Вопрос добавлен." in text_of(page) and "Только целые числа" in text_of(page)


@pytest.mark.parametrize("kind, extra, message", [
    ("scale", {"text": "   "}, "Введите текст вопроса."),
    ("section", {"text": ""}, "Введите название раздела."),
    ("scale", {"scale_max": "7"}, "Шкала — от 1 до 5 или от 1 до 10."),
    ("matrix", {"scale_max": "десять", "rows": "Теория"}, "Шкала: введите целое число."),
    ("single", {"options": "Очно"}, "Добавьте хотя бы два варианта ответа"),
    ("single", {"options": "Очно\nочно"}, "«очно» повторяется."),
    ("single", {"options": "\n".join(f"Вариант {n}" for n in range(5000))}, "Не больше 30 вариантов."),
    ("single", {"options": "Да\n" + "Н" * 301}, "Каждый вариант — не длиннее 300 символов."),
    ("multiple", {"options": "А\nБ", "max_choices": "3"}, "Можно выбрать от 1 до 2 вариантов."),
    ("multiple", {"options": "А\nБ", "max_choices": "два"}, "Не больше вариантов: введите целое число."),
    ("number", {"number_min": "10", "number_max": "5"}, "Наибольшее значение должно быть больше наименьшего."),
    ("number", {"number_min": "10", "number_max": "10"}, "Наибольшее значение должно быть больше наименьшего."),
    ("number", {"number_min": "много"}, "Наименьшее: введите число."),
    ("number", {"number_max": "1e400"}, "Наибольшее: введите обычное число."),
    ("number", {"number_min": "0,5", "integer": "y"}, "Для целых чисел границы — целые."),
    ("short_text", {"max_length": "5000"}, "Длина ответа — от 1 до 1000 символов."),
    ("matrix", {"rows": ""}, "Добавьте хотя бы одну строку матрицы."),
    ("scale", {"text": "Я" * 1001}, "Не длиннее 1000 символов."),
    ("scale", {"text": "Я" * 200_000}, "Не длиннее 1000 символов."),
    ("scale", {"help": "п" * 1001}, "Пояснение — не длиннее 1000 символов."),
    ("table", {}, "Выберите тип вопроса из списка."),
    ("", {}, "Выберите тип вопроса из списка."),
    ("long_text", {"show_if_key": "nope", "show_if_values": "yes"}, "Условие может ссылаться только на вопрос выше"),
    ("long_text", {"show_if_key": "q1' OR 1=1", "show_if_values": "1"}, "Условие может ссылаться только на вопрос выше"),
    ("long_text", {"show_if_key": "q3", "show_if_values": "yes"}, "Условие может ссылаться только на вопрос выше"),
    ("long_text", {"show_if_key": "q2", "show_if_values": "maybe"}, "Таких ответов у вопроса-условия нет."),
    ("long_text", {"show_if_key": "q2"}, "Отметьте, при каких ответах показывать вопрос."),
])
def test_bad_item_input_is_refused_with_the_message_and_nothing_is_written(client, auth, w, db, kind, extra, message):
    auth.login(w.methodist)
    before = _counts(db)
    typed = "Мой вопрос, который нельзя потерять" if "text" not in extra else None
    data = _item_post(kind, **({"text": typed} if typed else {}), **extra)
    for headers in ({}, HX):
        response = client.post(_url("add_item", template_id=w.own.id), data=data, headers=headers)
        assert response.status_code == 422, text_of(response)
        assert message in text_of(response)
        html = response.get_data(as_text=True)
        assert 'id="item-form"' in html and ('<html' in html) == (headers == {})
        if typed:
            assert typed in html
    assert _counts(db) == before


def test_a_condition_may_not_test_a_later_item_when_editing(client, auth, w, db):
    auth.login(w.methodist)
    response = client.post(_url("update_item", template_id=w.own.id, key="q1"), headers=HX, data=_item_post(
        text="Актуальность", show_if_key="q2", show_if_values="yes"))
    assert response.status_code == 422
    assert "Условие может ссылаться только на вопрос выше" in text_of(response)
    assert "Актуальность" in response.get_data(as_text=True)
    assert _items(db, w.own)[0][1] == SCALE["text"]


def test_an_item_is_edited_keeping_option_values_when_relabelled(client, auth, w, db):
    choice = building.add_item(w.own, w.methodist, "single", {"text": "Формат", "settings": {"options": [
        {"value": "o1", "label": "Очно"}, {"value": "o2", "label": "Онлаин"}]}})
    db.session.commit()
    auth.login(w.methodist)
    form = client.get(_url("item_form", template_id=w.own.id, key=choice.key), headers=HX)
    html = form.get_data(as_text=True)
    assert form.status_code == 200 and html.lstrip().startswith('<form id="item-form"')
    assert "Изменить вопрос 4" in text_of(form) and "Очно\nОнлаин" in html
    assert f'action="{_url("update_item", template_id=w.own.id, key=choice.key)}"' in html
    response = client.post(_url("update_item", template_id=w.own.id, key=choice.key), headers=HX,
                           data=_item_post("single", text="Формат участия", options="Онлайн\nОчно\nСмешанно"))
    assert response.status_code == 200 and "Изменения сохранены." in text_of(response)
    db.session.expire_all()
    item = db.session.scalar(sa.select(ChecklistItem).where(ChecklistItem.key == choice.key))
    assert item.text == "Формат участия"
    assert item.settings["options"] == [{"value": "o2", "label": "Онлайн"}, {"value": "o1", "label": "Очно"},
                                        {"value": "o3", "label": "Смешанно"}]
    response = client.post(_url("update_item", template_id=w.own.id, key="q1"),
                           data=_item_post("scale", text="Польза для работы", scale_max="10"))
    assert response.status_code == 303 and response.headers["Location"].endswith("#item-q1")
    assert _items(db, w.own)[0] == ("q1", "Польза для работы")


def test_matrix_rows_keep_their_keys_when_relabelled(client, auth, w, db):
    building.add_item(w.own, w.methodist, "matrix", {"text": "Оцените", "settings": {"max": 5, "rows": [
        {"key": "r1", "label": "Теория"}, {"key": "r2", "label": "Практика"}]}})
    db.session.commit()
    auth.login(w.methodist)
    response = client.post(_url("update_item", template_id=w.own.id, key="q4"),
                           data=_item_post("matrix", text="Оцените части", rows="Практика\nТеоретическая часть\nДиалог"))
    assert response.status_code == 303
    item = db.session.scalar(sa.select(ChecklistItem).where(ChecklistItem.key == "q4"))
    assert item.settings["rows"] == [{"key": "r2", "label": "Практика"}, {"key": "r1", "label": "Теоретическая часть"},
                                     {"key": "r3", "label": "Диалог"}]


def test_items_move_up_and_down(client, auth, w, db):
    auth.login(w.methodist)
    building.add_item(w.own, w.methodist, "short_text", {"text": "Должность"})
    db.session.commit()
    response = client.post(_url("move_item", template_id=w.own.id, key="q4"), data={"direction": "up"}, headers=HX)
    assert response.status_code == 200 and _is_fragment(response)
    assert [k for k, _ in _items(db, w.own)] == ["q1", "q2", "q4", "q3"]
    assert "3. Короткий ответ Должность" in text_of(response)
    response = client.post(_url("move_item", template_id=w.own.id, key="q1"), data={"direction": "down"})
    assert response.status_code == 303 and response.headers["Location"].endswith("#item-q1")
    assert [k for k, _ in _items(db, w.own)] == ["q2", "q1", "q4", "q3"]


def test_a_move_that_breaks_a_condition_is_refused_with_409(client, auth, w, db):
    auth.login(w.methodist)
    for headers in (HX, {}):
        response = client.post(_url("move_item", template_id=w.own.id, key="q3"), data={"direction": "up"},
                               headers=headers)
        assert response.status_code == 409
        assert "должен стоять ниже него" in text_of(response)
    for direction in ("sideways", ""):
        response = client.post(_url("move_item", template_id=w.own.id, key="q3"), data={"direction": direction})
        assert response.status_code == 422 and "выше или ниже" in text_of(response)
    assert [k for k, _ in _items(db, w.own)] == ["q1", "q2", "q3"]


def test_items_are_deleted_unless_another_depends_on_them(client, auth, w, db):
    auth.login(w.methodist)
    response = client.post(_url("delete_item", template_id=w.own.id, key="q2"), headers=HX)
    assert response.status_code == 409 and "сначала измените или удалите условие" in text_of(response)
    assert len(_items(db, w.own)) == 3
    response = client.post(_url("delete_item", template_id=w.own.id, key="q3"), headers=HX)
    assert response.status_code == 200 and "Вопрос удалён." in text_of(response)
    assert "Какие трудности остались?" not in text_of(response)
    response = client.post(_url("delete_item", template_id=w.own.id, key="q1"))
    assert response.status_code == 303 and response.headers["Location"].endswith("#items")
    assert _items(db, w.own) == [("q2", "Остались ли трудности?")]


def test_editing_a_template_that_has_answers_makes_version_2(client, auth, w, db, make):
    _freeze(w.own, db, make)
    auth.login(w.methodist)
    page = text_of(client.get(_url("editor", template_id=w.own.id)))
    assert "Версия 1" in page and "На версию 1 уже отвечают" in page and "создаст версию 2" in page
    # a refused edit writes no version
    response = client.post(_url("add_item", template_id=w.own.id), data=_item_post(text=""), headers=HX)
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(ChecklistVersion.id))
                             .where(ChecklistVersion.template_id == w.own.id)) == 1
    response = client.post(_url("update_item", template_id=w.own.id, key="q1"), headers=HX,
                           data=_item_post("scale", text="Польза для работы", required="y"))
    assert response.status_code == 200
    assert "Версия 2" in text_of(response) and "уже отвечают" not in text_of(response)
    versions = db.session.scalars(sa.select(ChecklistVersion).where(ChecklistVersion.template_id == w.own.id)
                                  .order_by(ChecklistVersion.number)).all()
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].items[0].text == SCALE["text"] and versions[1].items[0].text == "Польза для работы"
    assert "версия 2" in text_of(client.get(_url("templates")))


# -- the item form fragment ------------------------------------------------------------------

def test_the_form_shows_the_fields_of_the_kind_asked_for(client, auth, w, db):
    auth.login(w.methodist)
    url = lambda **a: _url("item_form", template_id=w.own.id, **a)  # noqa: E731
    expected = {
        "scale": ["Шкала", "Подпись к 1", "Обязательный вопрос"],
        "single": ["Варианты ответа"],
        "multiple": ["Варианты ответа", "Можно выбрать не больше"],
        "short_text": ["Наибольшая длина ответа"],
        "long_text": ["Наибольшая длина ответа"],
        "number": ["Наименьшее значение", "Наибольшее значение", "Только целые числа"],
        "matrix": ["Шкала", "Строки матрицы"],
        "section": ["впишите его название"],
    }
    for kind, labels in expected.items():
        response = client.get(url(kind=kind), headers=HX)
        text = text_of(response)
        assert response.status_code == 200 and _is_fragment(response)
        assert all(label in text for label in labels), kind
        assert ("Обязательный вопрос" in text) == (kind != "section")
        assert ("Варианты ответа" in text) == (kind in ("single", "multiple"))
    page = client.get(url(kind="number"))  # without JavaScript: the editor with that form
    assert "<html" in page.get_data(as_text=True) and "Только целые числа" in text_of(page)
    assert client.get(url(kind="table"), headers=HX).status_code == 200  # unknown: the default kind


def test_changing_the_kind_keeps_what_was_typed(client, auth, w, db):
    auth.login(w.methodist)
    response = client.get(_url("item_form", template_id=w.own.id), headers=HX, query_string={
        "kind": "number", "shown_kind": "single", "text": "Сколько часов?", "help": "Примерно",
        "options": "А\nБ", "required": "y"})
    html = response.get_data(as_text=True)
    assert "Сколько часов?" in html and "Примерно" in html
    assert re.search(r'<input checked id="integer"', html)  # a box never shown starts checked
    assert re.search(r'<input checked id="required"', html)
    assert "Варианты ответа" not in text_of(response)
    response = client.get(_url("item_form", template_id=w.own.id), headers=HX, query_string={
        "kind": "number", "shown_kind": "number", "text": "Сколько?"})
    assert not re.search(r'<input checked id="integer"', response.get_data(as_text=True))  # she unchecked it


def test_choosing_a_condition_offers_that_items_answers(client, auth, w, db):
    auth.login(w.methodist)
    response = client.get(_url("item_form", template_id=w.own.id), headers=HX, query_string={
        "kind": "long_text", "shown_kind": "long_text", "text": "Почему?", "show_if_key": "q2"})
    text = text_of(response)
    assert "Показывать, только если ответ на вопрос" in text and "1. Насколько тема" in text
    assert "3. Какие трудности" not in text  # not a condition source
    assert re.findall(r'name="show_if_values"[^>]*value="([^"]+)"', response.get_data(as_text=True)) == \
        ["yes", "partial", "no"]
    scale = client.get(_url("item_form", template_id=w.own.id), headers=HX, query_string={
        "kind": "long_text", "shown_kind": "long_text", "show_if_key": "q1"})  # what htmx sends: no texts
    assert re.findall(r'name="show_if_values"[^>]*value="([^"]+)"', scale.get_data(as_text=True)) == \
        ["1", "2", "3", "4", "5"]
    # editing the third item, whose condition is on q2: choosing q1 instead offers q1's answers
    moved = client.get(_url("item_form", template_id=w.own.id), headers=HX, query_string={
        "key": "q3", "kind": "long_text", "shown_kind": "long_text", "show_if_key": "q1"}).get_data(as_text=True)
    assert re.search(r'<option selected value="q1">', moved)
    assert re.findall(r'name="show_if_values"[^>]*value="([^"]+)"', moved) == ["1", "2", "3", "4", "5"]
    # editing the first item: nothing above it to test
    first = client.get(_url("item_form", template_id=w.own.id, key="q1"), headers=HX)
    assert "Показывать, только если" not in text_of(first) and "Условие показа можно задать" in text_of(first)
    # an item's stored condition is shown ticked
    third = client.get(_url("item_form", template_id=w.own.id, key="q3"), headers=HX).get_data(as_text=True)
    assert re.search(r'<option selected value="q2">', third)
    assert len(re.findall(r'<input checked[^>]*name="show_if_values"', third)) == 2
    response = client.post(_url("add_item", template_id=w.own.id), headers=HX, data={
        **_item_post("long_text", text="Что помешало?", show_if_key="q2"), "show_if_values": ["no", "partial"]})
    assert response.status_code == 200
    assert "показывается, если ответ на вопрос 2 — «Частично» или «Нет»" in text_of(response) or \
        "показывается, если ответ на вопрос 2 — «Нет» или «Частично»" in text_of(response)


# -- export and archive ----------------------------------------------------------------------

def test_export_is_a_json_download_with_the_title_in_the_file_name(client, auth, w, db):
    auth.login(w.other)  # B's methodist may export the network's template
    response = client.get(_url("export_template", template_id=w.network.id))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="checklist-{w.network.id}.json"; filename*=UTF-8\'\'')
    assert unquote(disposition.split("UTF-8''")[1]) == "Анкета сети.json"
    body = response.get_data(as_text=True)
    assert "Ваша должность" in body and "\n  " in body  # readable: not escaped, indented
    data = json.loads(body)
    assert data["format"] == "network-checklist" and [i["text"] for i in data["items"]] == ["Ваша должность"]
    assert client.get(_url("export_template", template_id=w.own.id)).status_code == 403


def test_archiving_and_restoring(client, auth, w, db):
    auth.login(w.methodist)
    response = client.post(_url("archive_template", template_id=w.own.id), data={"state": "archived"}, headers=HX)
    assert response.status_code == 200 and "Чек-лист в архиве" in text_of(response)
    assert "Вернуть из архива" in text_of(response)
    # the second click of a double click changes nothing
    client.post(_url("archive_template", template_id=w.own.id), data={"state": "archived"}, headers=HX)
    db.session.expire_all()
    assert db.session.get(ChecklistTemplate, w.own.id).archived_dt is not None
    assert "В архиве" in text_of(client.get(_url("templates")))
    response = client.post(_url("archive_template", template_id=w.own.id))  # a bare post toggles
    assert response.status_code == 303 and response.headers["Location"].endswith(_url("editor", template_id=w.own.id))
    db.session.expire_all()
    assert db.session.get(ChecklistTemplate, w.own.id).archived_dt is None
    assert client.post(_url("archive_template", template_id=w.network.id)).status_code == 403
