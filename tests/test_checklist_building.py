"""Building check-list templates: items of every kind, validation, reorder, conditions, versions,
JSON export and import, the starter templates."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from webapp.accounts.models import Role
from webapp.checklists import building
from webapp.checklists.building import ChecklistError
from webapp.checklists.models import (
    ChecklistAssignment,
    ChecklistDraft,
    ChecklistInvitation,
    ChecklistItem,
    ChecklistTemplate,
    ChecklistVersion,
    ItemKind,
    OpensOn,
    RespondentRole,
)
from webapp.dbtypes import utcnow

SCALE = {"text": "Насколько тема соответствует вашим дефицитам?", "required": True,
         "settings": {"max": 5, "min_label": "совсем нет", "max_label": "полностью"}}


@pytest.fixture
def admin(make, db):
    user = make.user(role=Role.ADMIN)
    db.session.commit()
    return user


@pytest.fixture
def template(admin, db):
    t = building.create_template(admin, "Обратная связь после семинара", "Ответьте, пожалуйста, на вопросы.")
    db.session.commit()
    return t


def _keys(template) -> list[str]:
    return [i.key for i in template.current_version.items]


def _freeze(template, db, make):
    """Give the current version a draft, as a respondent who started answering would."""
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


# -- items -----------------------------------------------------------------------------------

def test_every_kind_of_item_can_be_added(template, admin, db):
    building.add_item(template, admin, "section", {"text": "Содержание"})
    building.add_item(template, admin, "scale", SCALE)
    building.add_item(template, admin, "ypn", {"text": "Остались ли трудности?", "required": True})
    building.add_item(template, admin, "single", {"text": "Формат", "settings": {"options": [
        {"value": "o1", "label": "Очно"}, {"value": "o2", "label": "Онлайн"}]}})
    building.add_item(template, admin, "multiple", {"text": "Что пригодится?", "settings": {"options": [
        {"value": "o1", "label": "Презентация"}, {"value": "o2", "label": "Конспект"},
        {"value": "o3", "label": "Шаблоны"}], "max_choices": 2}})
    building.add_item(template, admin, "short_text", {"text": "Ваша должность"})
    building.add_item(template, admin, "long_text", {"text": "Что вы примените?", "settings": {"max_length": 2000}})
    building.add_item(template, admin, "number", {"text": "Сколько уроков?", "settings": {"min": 0, "max": 40}})
    building.add_item(template, admin, "matrix", {"text": "Оцените части", "settings": {"max": 10, "rows": [
        {"key": "r1", "label": "Теория"}, {"key": "r2", "label": "Практика"}]}})
    db.session.commit()
    items = template.current_version.items
    assert [i.kind for i in items] == list(ItemKind)
    assert [i.position for i in items] == list(range(1, 10))
    assert len(set(_keys(template))) == 9
    assert items[0].required is False  # a section is never required
    assert items[1].settings == {"min": 1, "max": 5, "min_label": "совсем нет", "max_label": "полностью"}
    assert items[4].settings["max_choices"] == 2
    assert items[5].settings == {"max_length": 300}
    assert items[7].settings == {"min": 0.0, "max": 40.0, "integer": True}


@pytest.mark.parametrize("kind, raw, field, message", [
    ("scale", {"text": "Оценка", "settings": {"max": 7}}, "max", "от 1 до 5 или от 1 до 10"),
    ("scale", {"text": "  ", "settings": {"max": 5}}, "text", "Введите текст вопроса"),
    ("single", {"text": "Формат", "settings": {"options": [{"value": "o1", "label": "Очно"}]}}, "options",
     "хотя бы два варианта"),
    ("single", {"text": "Формат", "settings": {"options": [{"value": "o1", "label": "Очно"},
                                                            {"value": "o2", "label": "очно"}]}}, "options", "повторяется"),
    ("multiple", {"text": "Что?", "settings": {"options": [{"value": "a", "label": "А"}, {"value": "b", "label": "Б"}],
                                               "max_choices": 3}}, "max_choices", "от 1 до 2"),
    ("number", {"text": "Сколько?", "settings": {"min": 10, "max": 5}}, "max", "больше наименьшего"),
    ("number", {"text": "Сколько?", "settings": {"min": "много"}}, "min", "введите число"),
    ("number", {"text": "Сколько?", "settings": {"min": 0.5, "max": 5}}, "min", "целые"),
    ("short_text", {"text": "Кто?", "settings": {"max_length": 5000}}, "max_length", "от 1 до 1000"),
    ("matrix", {"text": "Оцените", "settings": {"max": 5, "rows": []}}, "rows", "хотя бы одну строку"),
    ("table", {"text": "?"}, "kind", "Выберите тип"),
    ("scale", {"text": "x" * 1001, "settings": {"max": 5}}, "text", "Не длиннее 1000"),
])
def test_bad_item_data_is_refused_with_the_field_named(template, admin, db, kind, raw, field, message):
    with pytest.raises(ChecklistError) as caught:
        building.add_item(template, admin, kind, raw)
    assert field in caught.value.errors and message in caught.value.errors[field]
    db.session.rollback()
    assert _keys(template) == []


def test_a_condition_may_only_test_an_earlier_item_and_its_real_values(template, admin, db):
    first = building.add_item(template, admin, "ypn", {"text": "Остались ли трудности?"})
    with pytest.raises(ChecklistError) as caught:
        building.add_item(template, admin, "long_text", {"text": "Какие?", "show_if_key": first.key,
                                                          "show_if_values": ["maybe"]})
    assert "show_if_values" in caught.value.errors
    with pytest.raises(ChecklistError) as caught:
        building.add_item(template, admin, "long_text", {"text": "Какие?", "show_if_key": "nope",
                                                          "show_if_values": ["yes"]})
    assert "show_if_key" in caught.value.errors
    which = building.add_item(template, admin, "long_text", {"text": "Какие?", "show_if_key": first.key,
                                                              "show_if_values": ["yes", "partial"]})
    db.session.commit()
    assert (which.show_if_key, which.show_if_values) == (first.key, ["yes", "partial"])
    # the tested item cannot move below, nor the conditional one above, nor be deleted first
    with pytest.raises(ChecklistError, match="должен стоять ниже"):
        building.move_item(template, admin, first.key, +1)
    with pytest.raises(ChecklistError, match="должен стоять ниже"):
        building.move_item(template, admin, which.key, -1)
    with pytest.raises(ChecklistError, match="зависит показ"):
        building.delete_item(template, admin, first.key)


def test_changing_an_items_answers_drops_conditions_on_values_that_are_gone(template, admin, db):
    choice = building.add_item(template, admin, "single", {"text": "Формат", "settings": {"options": [
        {"value": "o1", "label": "Очно"}, {"value": "o2", "label": "Онлайн"}, {"value": "o3", "label": "Смешанно"}]}})
    follow = building.add_item(template, admin, "short_text", {"text": "Какая платформа?", "show_if_key": choice.key,
                                                                "show_if_values": ["o2", "o3"]})
    building.update_item(template, admin, choice.key, {"kind": "single", "text": "Формат", "settings": {"options": [
        {"value": "o1", "label": "Очно"}, {"value": "o2", "label": "Онлайн"}]}})
    assert follow.show_if_values == ["o2"]
    building.update_item(template, admin, choice.key, {"kind": "ypn", "text": "Было ли онлайн?"})
    assert follow.show_if_key is None and follow.show_if_values == []


def test_reorder_up_and_down_keeps_positions_dense(template, admin, db):
    for text in ("Первый", "Второй", "Третий"):
        building.add_item(template, admin, "short_text", {"text": text})
    db.session.commit()
    first, second, third = _keys(template)
    building.move_item(template, admin, third, -1)
    assert _keys(template) == [first, third, second]
    building.move_item(template, admin, first, -1)  # already at the top: nothing happens
    building.move_item(template, admin, first, +1)
    db.session.commit()
    assert _keys(template) == [third, first, second]
    assert [i.position for i in template.current_version.items] == [1, 2, 3]
    building.delete_item(template, admin, first)
    db.session.commit()
    assert _keys(template) == [third, second]
    assert [i.position for i in template.current_version.items] == [1, 2]
    with pytest.raises(ChecklistError) as caught:
        building.delete_item(template, admin, first)
    assert caught.value.status == 404


def test_options_keep_their_values_when_relabelled():
    existing = [{"value": "o1", "label": "Очно"}, {"value": "o2", "label": "Онлаин"}]
    assert building.options_from_labels(["Онлайн", "Очно", "Смешанно"], existing) == [
        {"value": "o2", "label": "Онлайн"}, {"value": "o1", "label": "Очно"}, {"value": "o3", "label": "Смешанно"}]
    assert building.options_from_labels(["Очно", "Онлайн"], existing) == [
        {"value": "o1", "label": "Очно"}, {"value": "o2", "label": "Онлайн"}]


# -- versions --------------------------------------------------------------------------------

def test_editing_a_template_with_answers_makes_a_new_version(template, admin, db, make):
    scale = building.add_item(template, admin, "scale", SCALE)
    text = building.add_item(template, admin, "long_text", {"text": "Что примените?"})
    db.session.commit()
    first_version = template.current_version
    building.update_item(template, admin, scale.key, {**SCALE, "kind": "scale", "text": "Актуальность темы"})
    db.session.commit()
    assert template.current_version.id == first_version.id  # no answers yet: edited in place

    _freeze(template, db, make)
    building.update_item(template, admin, scale.key, {**SCALE, "kind": "scale", "text": "Польза для работы"})
    db.session.commit()
    versions = db.session.scalars(sa.select(ChecklistVersion).where(ChecklistVersion.template_id == template.id)
                                  .order_by(ChecklistVersion.number)).all()
    assert [v.number for v in versions] == [1, 2]
    assert [i.text for i in versions[0].items] == ["Актуальность темы", "Что примените?"]
    assert [i.text for i in versions[1].items] == ["Польза для работы", "Что примените?"]
    assert [i.key for i in versions[1].items] == [scale.key, text.key]  # items line up across versions
    # the new version has no answers yet: further edits stay in it
    building.delete_item(template, admin, text.key)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(ChecklistVersion.id))) == 2
    assert [i.key for i in template.current_version.items] == [scale.key]
    assert len(versions[0].items) == 2


# -- JSON ------------------------------------------------------------------------------------

def test_export_and_import_round_trip(template, admin, db):
    choice = building.add_item(template, admin, "ypn", {"text": "Остались ли трудности?", "required": True})
    building.add_item(template, admin, "long_text", {"text": "Какие?", "show_if_key": choice.key,
                                                      "show_if_values": ["yes"]})
    building.add_item(template, admin, "matrix", {"text": "Оцените", "settings": {"max": 5, "rows": [
        {"key": "r1", "label": "Теория"}]}})
    db.session.commit()
    exported = json.loads(json.dumps(building.export_template(template), ensure_ascii=False))
    assert exported["format"] == "network-checklist" and exported["uid"] == template.uid
    copy = building.import_template(exported, admin)
    db.session.commit()
    assert copy.id != template.id and copy.uid != template.uid  # the uid is taken here: a copy of its own
    assert building.export_template(copy)["items"] == exported["items"]
    assert copy.title == template.title and copy.instructions == template.instructions


@pytest.mark.parametrize("data, message", [
    ([], "ожидается объект JSON"),
    ({"format": "other"}, "нет отметки формата"),
    ({"format": "network-checklist", "format_version": 99, "items": []}, "более новой версией"),
    ({"format": "network-checklist", "format_version": 1, "title": "Т", "items": []}, "нет вопросов"),
    ({"format": "network-checklist", "format_version": 1, "title": "Т",
      "items": [{"key": "a", "kind": "scale", "text": "Оценка", "settings": {"max": 4}}]}, "Вопрос 1: Шкала"),
    ({"format": "network-checklist", "format_version": 1, "title": "Т",
      "items": [{"key": "a", "kind": "short_text", "text": "А"}, {"key": "a", "kind": "short_text", "text": "Б"}]},
     "Вопрос 2: ключ"),
    ({"format": "network-checklist", "format_version": 1, "title": "",
      "items": [{"key": "a", "kind": "short_text", "text": "А"}]}, "Введите название"),
])
def test_a_bad_file_is_refused_and_nothing_is_written(admin, db, data, message):
    with pytest.raises(ChecklistError) as caught:
        building.import_template(data, admin)
    assert message in caught.value.errors["file"]
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(ChecklistTemplate.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(ChecklistItem.id))) == 0


# -- starters --------------------------------------------------------------------------------

def test_starters_install_once_and_are_marked(db, runner):
    result = runner.invoke(args=["checklists", "install-starters"])
    assert result.exit_code == 0, result.output
    templates = db.session.scalars(sa.select(ChecklistTemplate).order_by(ChecklistTemplate.id)).all()
    assert {t.starter_key for t in templates} == {
        "post_session", "internship_reflection", "host_self_report", "competence_self_assessment",
        "yearly_satisfaction", "head_delayed_assessment"}
    assert all(t.is_starter and t.municipality_id is None and len(t.current_version.items) >= 5 for t in templates)
    kinds = {i.kind for t in templates for i in t.current_version.items}
    assert kinds == set(ItemKind)
    assert "Установлено шаблонов: 6" in result.output
    again = runner.invoke(args=["checklists", "install-starters"])
    assert "Установлено шаблонов: 0" in again.output
    assert db.session.scalar(sa.select(sa.func.count(ChecklistTemplate.id))) == 6
