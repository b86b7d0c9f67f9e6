"""Building check-list templates: items and their validation, versions, JSON export and import,
the starter templates. Functions flush, never commit.

Items are addressed by their `key`, not their id: editing a version that already has answers
copies it into a new version (same keys, new ids), and the editor keeps working on the copy.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa

from webapp.accounts.models import Role, User
from webapp.checklists.models import (
    ChecklistDraft,
    ChecklistItem,
    ChecklistResponse,
    ChecklistTemplate,
    ChecklistVersion,
    ItemKind,
)
from webapp.dbtypes import utcnow
from webapp.extensions import db

EXPORT_FORMAT = "network-checklist"
EXPORT_FORMAT_VERSION = 1
MAX_ITEMS = 100
MAX_OPTIONS = 30
MAX_ROWS = 30
MAX_TEXT = 1000
MAX_TITLE = 300
MAX_INSTRUCTIONS = 5000
TEXT_LIMITS = {ItemKind.SHORT_TEXT: (300, 1000), ItemKind.LONG_TEXT: (4000, 10000)}  # default, ceiling
SCALE_MAXIMA = (5, 10)
YPN_VALUES = {"yes": "Да", "partial": "Частично", "no": "Нет"}
#: items whose answers a condition may test
CONDITION_SOURCES = (ItemKind.YES_PARTIAL_NO, ItemKind.SINGLE, ItemKind.MULTIPLE, ItemKind.SCALE)
KEY_RE = re.compile(r"^[a-z0-9_]{1,40}$")


class ChecklistError(Exception):
    """A rule was broken. `errors`: field → message in Russian (field "" for the whole form)."""

    def __init__(self, errors: dict[str, str] | str, status: int = 422):
        if isinstance(errors, str):
            errors = {"": errors}
        super().__init__("; ".join(errors.values()))
        self.errors = errors
        self.status = status

    @property
    def message(self) -> str:
        return " ".join(self.errors.values())


# -- who may do what -------------------------------------------------------------------------

def can_build(user: User | None) -> bool:
    return bool(user) and (user.is_admin or user.has_role(Role.METHODIST))


def can_edit(user: User | None, template: ChecklistTemplate) -> bool:
    """Admins edit every template; a methodist those of her municipality."""
    if not user:
        return False
    if user.is_admin:
        return True
    return template.municipality_id is not None and template.municipality_id in user.scope_ids(Role.METHODIST)


def visible_templates_clause(user: User):
    """Templates she sees: the network's, her municipalities' (a methodist) and those of her sites'
    municipalities (a site leader attaches them to her sessions); admins all."""
    if user.is_admin:
        return sa.true()
    from webapp.orgs.models import Organization
    from webapp.sites.models import Site

    conditions = [ChecklistTemplate.municipality_id.is_(None)]
    if municipalities := user.scope_ids(Role.METHODIST):
        conditions.append(ChecklistTemplate.municipality_id.in_(municipalities))
    if sites := user.scope_ids(Role.SITE_LEADER):
        conditions.append(ChecklistTemplate.municipality_id.in_(
            sa.select(Organization.municipality_id).join(Site, Site.organization_id == Organization.id)
            .where(Site.id.in_(sites))))
    return sa.or_(*conditions)


# -- item data: one validator for the editor, the JSON import and the starters ----------------

@dataclass
class ItemData:
    kind: ItemKind
    text: str
    help: str = ""
    required: bool = False
    settings: dict = field(default_factory=dict)
    show_if_key: str | None = None
    show_if_values: list = field(default_factory=list)


def _clean_text(value, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit + 1]


def _int(value, name: str, errors: dict, label: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        errors[name] = f"{label}: введите целое число."
        return None


def _number(value, name: str, errors: dict, label: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        errors[name] = f"{label}: введите число."
        return None
    if number != number or number in (float("inf"), float("-inf")) or abs(number) > 1e12:
        errors[name] = f"{label}: введите обычное число."
        return None
    return number


def fresh_key(taken: set[str], prefix: str = "q") -> str:
    n = 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


def options_from_labels(labels: list[str], existing: list[dict], prefix: str = "o") -> list[dict]:
    """Options (or matrix rows: `existing` as {value, label}) for the labels typed, one per line.

    A label that was there keeps its value; the changed labels take, in order, the values of the
    options whose labels are gone, so fixing a typo keeps answers comparable; the rest get new values.
    """
    by_label = {o["label"]: o["value"] for o in existing}
    matched = {by_label[label] for label in labels if label in by_label}
    leftovers = [o["value"] for o in existing if o["value"] not in matched]
    taken = {o["value"] for o in existing}
    out: list[dict] = []
    for label in labels:
        if label in by_label and by_label[label] in matched:
            value = by_label[label]
            matched.discard(value)  # a label typed twice keeps its value once
        elif leftovers:
            value = leftovers.pop(0)
        else:
            value = fresh_key(taken, prefix)
        taken.add(value)
        out.append({"value": value, "label": label})
    return out


def validate_item(kind_value, raw: dict, earlier: list[ChecklistItem | dict]) -> ItemData:
    """Check one item's fields; raise ChecklistError with a message per field.

    `raw`: text, help, required, settings (dict, as stored), show_if_key, show_if_values.
    `earlier`: the items before it (a condition may test only those).
    """
    errors: dict[str, str] = {}
    try:
        kind = ItemKind(kind_value)
    except ValueError:
        raise ChecklistError({"kind": "Выберите тип вопроса из списка."}) from None
    text = _clean_text(raw.get("text"), MAX_TEXT)
    if not text:
        errors["text"] = "Введите текст вопроса." if kind.is_question else "Введите название раздела."
    elif len(text) > MAX_TEXT:
        errors["text"] = f"Не длиннее {MAX_TEXT} символов."
    help_text = str(raw.get("help") or "").strip()
    if len(help_text) > MAX_TEXT:
        errors["help"] = f"Пояснение — не длиннее {MAX_TEXT} символов."
    given = raw.get("settings") or {}
    if not isinstance(given, dict):
        raise ChecklistError({"": "Настройки вопроса повреждены."})
    settings: dict = {}
    if kind in (ItemKind.SCALE, ItemKind.MATRIX):
        maximum = _int(given.get("max", 5), "max", errors, "Шкала")
        if maximum not in SCALE_MAXIMA and "max" not in errors:
            errors["max"] = "Шкала — от 1 до 5 или от 1 до 10."
        settings.update(min=1, max=maximum or 5,
                        min_label=_clean_text(given.get("min_label"), 100)[:100],
                        max_label=_clean_text(given.get("max_label"), 100)[:100])
    if kind.has_options or kind == ItemKind.MATRIX:
        name, limit, noun = ("rows", MAX_ROWS, "строк") if kind == ItemKind.MATRIX else ("options", MAX_OPTIONS, "вариантов")
        entries = given.get(name) or []
        cleaned, seen_values, seen_labels = [], set(), set()
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict):
                continue
            value = str(entry.get("key" if kind == ItemKind.MATRIX else "value") or "")
            label = _clean_text(entry.get("label"), 300) if isinstance(entry.get("label"), str) else ""
            if not label:
                continue
            if not KEY_RE.match(value) or value in seen_values:
                errors[name] = "Повреждены значения вариантов: сохраните список заново."
                break
            if label.casefold() in seen_labels:
                errors[name] = f"«{label}» повторяется."
                break
            if len(label) > 300:
                errors[name] = "Каждый вариант — не длиннее 300 символов."
                break
            seen_values.add(value)
            seen_labels.add(label.casefold())
            cleaned.append({"key": value, "label": label} if kind == ItemKind.MATRIX else {"value": value, "label": label})
        if name not in errors:
            if len(cleaned) < (1 if kind == ItemKind.MATRIX else 2):
                errors[name] = ("Добавьте хотя бы одну строку матрицы." if kind == ItemKind.MATRIX
                                else "Добавьте хотя бы два варианта ответа, по одному в строке.")
            elif len(cleaned) > limit:
                errors[name] = f"Не больше {limit} {noun}."
        settings[name] = cleaned
    if kind == ItemKind.MULTIPLE:
        max_choices = _int(given.get("max_choices"), "max_choices", errors, "Не больше вариантов")
        if max_choices is not None and "options" not in errors and not 1 <= max_choices <= len(settings["options"]):
            errors["max_choices"] = f"Можно выбрать от 1 до {len(settings['options'])} вариантов."
        settings["max_choices"] = max_choices
    if kind.is_text:
        default, ceiling = TEXT_LIMITS[kind]
        max_length = _int(given.get("max_length", default), "max_length", errors, "Длина ответа")
        if max_length is not None and not 1 <= max_length <= ceiling:
            errors["max_length"] = f"Длина ответа — от 1 до {ceiling} символов."
        settings["max_length"] = max_length or default
    if kind == ItemKind.NUMBER:
        low = _number(given.get("min"), "min", errors, "Наименьшее")
        high = _number(given.get("max"), "max", errors, "Наибольшее")
        integer = given.get("integer", True)
        integer = integer.strip().lower() in ("1", "true", "on", "yes") if isinstance(integer, str) else bool(integer)
        if low is not None and high is not None and low >= high:
            errors["max"] = "Наибольшее значение должно быть больше наименьшего."
        if integer:
            for name, value in (("min", low), ("max", high)):
                if value is not None and value != int(value):
                    errors[name] = "Для целых чисел границы — целые."
        settings.update(min=low, max=high, integer=integer)
    show_if_key = raw.get("show_if_key")
    if show_if_key is not None and not isinstance(show_if_key, str):
        errors["show_if_key"] = "Условие показа повреждено: укажите вопрос выше."
        show_if_key = None
    show_if_key = (show_if_key or "").strip() or None
    show_if_values = [str(v) for v in (raw.get("show_if_values") or []) if str(v).strip()]
    if show_if_key:
        source = next((_as_dict(e) for e in earlier if _as_dict(e)["key"] == show_if_key), None)
        if source is None or ItemKind(source["kind"]) not in CONDITION_SOURCES:
            errors["show_if_key"] = "Условие может ссылаться только на вопрос выше с вариантами или шкалой."
        else:
            allowed = {v for v, _ in answer_values(source)}
            if not show_if_values:
                errors["show_if_values"] = "Отметьте, при каких ответах показывать вопрос."
            elif not set(show_if_values) <= allowed:
                errors["show_if_values"] = "Таких ответов у вопроса-условия нет."
    else:
        show_if_values = []
    if errors:
        raise ChecklistError(errors)
    return ItemData(kind=kind, text=text, help=help_text, required=bool(raw.get("required")) and kind.is_question,
                    settings=settings, show_if_key=show_if_key, show_if_values=show_if_values)


def _as_dict(item: ChecklistItem | dict) -> dict:
    if isinstance(item, dict):
        return item
    return {"key": item.key, "kind": item.kind.value, "settings": item.settings or {}}


def answer_values(item: ChecklistItem | dict) -> list[tuple[str, str]]:
    """(value, label) of every answer a condition can test."""
    data = _as_dict(item)
    kind, settings = ItemKind(data["kind"]), data.get("settings") or {}
    if kind == ItemKind.YES_PARTIAL_NO:
        return list(YPN_VALUES.items())
    if kind.has_options:
        return [(o["value"], o["label"]) for o in settings.get("options", [])]
    if kind == ItemKind.SCALE:
        return [(str(n), str(n)) for n in range(1, int(settings.get("max", 5)) + 1)]
    return []


# -- templates and versions ------------------------------------------------------------------

def _clean_heading(title: str, instructions: str) -> tuple[str, str]:
    title = _clean_text(title, MAX_TITLE)
    errors = {}
    if not title:
        errors["title"] = "Введите название чек-листа."
    elif len(title) > MAX_TITLE:
        errors["title"] = f"Название — не длиннее {MAX_TITLE} символов."
    if len(instructions or "") > MAX_INSTRUCTIONS:
        errors["instructions"] = f"Инструкция — не длиннее {MAX_INSTRUCTIONS} символов."
    if errors:
        raise ChecklistError(errors)
    return title, (instructions or "").strip()


def create_template(actor: User, title: str, instructions: str = "", municipality_id: int | None = None,
                    *, uid: str | None = None) -> ChecklistTemplate:
    title, instructions = _clean_heading(title, instructions)
    template = ChecklistTemplate(uid=uid or str(uuid.uuid4()), title=title, instructions=instructions,
                                 municipality_id=municipality_id, created_by_id=actor.id if actor else None)
    template.versions.append(ChecklistVersion(number=1, created_by_id=template.created_by_id))
    db.session.add(template)
    db.session.flush()
    return template


def update_template(template: ChecklistTemplate, title: str, instructions: str) -> ChecklistTemplate:
    """Title and instructions belong to the template, not a version: rewording them changes no answer."""
    title, instructions = _clean_heading(title, instructions)
    template.title, template.instructions = title, instructions
    template.updated_dt = utcnow()
    db.session.flush()
    return template


def set_archived(template: ChecklistTemplate, archived: bool) -> ChecklistTemplate:
    """Archive (no new assignments; answers and results stay) or restore. Idempotent."""
    if archived and template.archived_dt is None:
        template.archived_dt = utcnow()
    elif not archived:
        template.archived_dt = None
    db.session.flush()
    return template


def is_frozen(version: ChecklistVersion) -> bool:
    """A version with a draft or a response keeps its items as they were answered."""
    return bool(db.session.scalar(sa.select(
        sa.exists().where(ChecklistResponse.version_id == version.id)
        | sa.exists().where(ChecklistDraft.version_id == version.id))))


def editable_version(template: ChecklistTemplate, actor: User | None) -> ChecklistVersion:
    """The version edits go to: the current one, or a copy of it once it has answers."""
    current = template.current_version
    if not is_frozen(current):
        return current
    copy = ChecklistVersion(template_id=template.id, number=current.number + 1,
                            created_by_id=actor.id if actor else None)
    db.session.add(copy)
    for item in current.items:
        copy.items.append(ChecklistItem(
            position=item.position, key=item.key, kind=item.kind, text=item.text, help=item.help,
            required=item.required, settings=dict(item.settings or {}), show_if_key=item.show_if_key,
            show_if_values=list(item.show_if_values or [])))
    db.session.flush()
    db.session.refresh(template, ["versions"])
    return copy


def _find(version: ChecklistVersion, key: str) -> ChecklistItem:
    item = next((i for i in version.items if i.key == key), None)
    if item is None:
        raise ChecklistError("Такого вопроса в чек-листе нет (возможно, его уже удалили).", 404)
    return item


def _touch(template: ChecklistTemplate) -> None:
    template.updated_dt = utcnow()


def add_item(template: ChecklistTemplate, actor: User | None, kind, raw: dict,
             after_key: str | None = None) -> ChecklistItem:
    """A new item at the end (or right after `after_key`)."""
    version = editable_version(template, actor)
    items = list(version.items)
    if len(items) >= MAX_ITEMS:
        raise ChecklistError(f"В чек-листе не больше {MAX_ITEMS} вопросов.")
    index = len(items)
    if after_key:
        index = items.index(_find(version, after_key)) + 1
    data = validate_item(kind, raw, items[:index])
    key = raw.get("key") if KEY_RE.match(str(raw.get("key") or "")) and raw.get("key") not in {i.key for i in items} \
        else fresh_key({i.key for i in items})
    item = ChecklistItem(key=key, position=0, kind=data.kind, text=data.text, help=data.help,
                         required=data.required, settings=data.settings, show_if_key=data.show_if_key,
                         show_if_values=data.show_if_values)
    items.insert(index, item)
    _renumber(version, items)
    _touch(template)
    return item


def update_item(template: ChecklistTemplate, actor: User | None, key: str, raw: dict) -> ChecklistItem:
    version = editable_version(template, actor)
    item = _find(version, key)
    items = list(version.items)
    data = validate_item(raw.get("kind", item.kind.value), raw, items[:items.index(item)])
    item.kind, item.text, item.help, item.required = data.kind, data.text, data.help, data.required
    item.settings, item.show_if_key, item.show_if_values = data.settings, data.show_if_key, data.show_if_values
    _drop_broken_conditions(items)
    _touch(template)
    db.session.flush()
    return item


def move_item(template: ChecklistTemplate, actor: User | None, key: str, step: int) -> ChecklistItem:
    """Up (-1) or down (+1) by one place. A condition must stay below the item it tests."""
    current = template.current_version
    index = current.items.index(_find(current, key))
    if not 0 <= index + (1 if step > 0 else -1) < len(current.items):
        return current.items[index]  # already first (last): no new version for nothing
    version = editable_version(template, actor)
    item = _find(version, key)
    items = list(version.items)
    index = items.index(item)
    target = index + (1 if step > 0 else -1)
    other = items[target]
    upper, lower = (other, item) if step < 0 else (item, other)
    if lower.show_if_key == upper.key:
        raise ChecklistError(f"Вопрос «{_short(lower.text)}» показывается по ответу на «{_short(upper.text)}» "
                             "и должен стоять ниже него.", 409)
    items[index], items[target] = items[target], items[index]
    _renumber(version, items)
    _touch(template)
    return item


def delete_item(template: ChecklistTemplate, actor: User | None, key: str) -> None:
    """Remove an item from the version being edited (answers to earlier versions keep it)."""
    version = editable_version(template, actor)
    item = _find(version, key)
    dependants = [i for i in version.items if i.show_if_key == key]
    if dependants:
        raise ChecklistError(f"От этого вопроса зависит показ вопроса «{_short(dependants[0].text)}»: "
                             "сначала измените или удалите условие.", 409)
    items = [i for i in version.items if i is not item]
    version.items.remove(item)
    db.session.flush()
    _renumber(version, items)
    _touch(template)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _drop_broken_conditions(items: list[ChecklistItem]) -> None:
    """After an edit changed an item's answers, conditions testing values it no longer has go."""
    for index, item in enumerate(items):
        if not item.show_if_key:
            continue
        source = next((i for i in items[:index] if i.key == item.show_if_key), None)
        allowed = {v for v, _ in answer_values(source)} if source is not None and source.kind in CONDITION_SOURCES else set()
        values = [v for v in item.show_if_values or [] if v in allowed]
        if not values:
            item.show_if_key, item.show_if_values = None, []
        elif values != item.show_if_values:
            item.show_if_values = values


def _renumber(version: ChecklistVersion, items: list[ChecklistItem]) -> None:
    """Positions 1…n in the given order, in two steps: unique (version, position) holds throughout."""
    for item in items:
        if item not in version.items:
            version.items.append(item)
    db.session.flush()
    for offset, item in enumerate(items, start=1):
        item.position = -offset
    db.session.flush()
    for offset, item in enumerate(items, start=1):
        item.position = offset
    db.session.flush()
    db.session.refresh(version, ["items"])


# -- JSON export and import ------------------------------------------------------------------

def item_to_dict(item: ChecklistItem) -> dict:
    data = {"key": item.key, "kind": item.kind.value, "text": item.text, "help": item.help,
            "required": item.required, "settings": item.settings or {}}
    if item.show_if_key:
        data["show_if"] = {"key": item.show_if_key, "values": list(item.show_if_values or [])}
    return data


def export_template(template: ChecklistTemplate) -> dict:
    return {"format": EXPORT_FORMAT, "format_version": EXPORT_FORMAT_VERSION, "uid": template.uid,
            "title": template.title, "instructions": template.instructions,
            "items": [item_to_dict(i) for i in template.current_version.items]}


def import_template(data, actor: User, municipality_id: int | None = None, *, starter_key: str | None = None
                    ) -> ChecklistTemplate:
    """A new template from exported JSON (already parsed). Everything is checked before anything is
    written; an error names the item by its number."""
    if not isinstance(data, dict):
        raise ChecklistError({"file": "Это не файл чек-листа: ожидается объект JSON."})
    if starter_key is None and data.get("format") != EXPORT_FORMAT:
        raise ChecklistError({"file": "Это не файл чек-листа (нет отметки формата «network-checklist»)."})
    if starter_key is None and data.get("format_version") != EXPORT_FORMAT_VERSION:
        raise ChecklistError({"file": "Файл сделан более новой версией программы: обновите её."})
    items = data.get("items")
    if not isinstance(items, list) or not items:
        raise ChecklistError({"file": "В файле нет вопросов."})
    if len(items) > MAX_ITEMS:
        raise ChecklistError({"file": f"В чек-листе не больше {MAX_ITEMS} вопросов."})
    checked: list[tuple[str, ItemData]] = []
    earlier: list[dict] = []
    for number, entry in enumerate(items, start=1):
        if not isinstance(entry, dict):
            raise ChecklistError({"file": f"Вопрос {number}: повреждён."})
        key = str(entry.get("key") or "")
        if not KEY_RE.match(key) or key in {k for k, _ in checked}:
            raise ChecklistError({"file": f"Вопрос {number}: ключ «{key[:40]}» недопустим или повторяется."})
        condition = entry.get("show_if") if isinstance(entry.get("show_if"), dict) else {}
        raw = {**entry, "show_if_key": condition.get("key"), "show_if_values": condition.get("values") or []}
        try:
            data_item = validate_item(entry.get("kind"), raw, earlier)
        except ChecklistError as error:
            raise ChecklistError({"file": f"Вопрос {number}: {error.message}"}) from None
        checked.append((key, data_item))
        earlier.append({"key": key, "kind": data_item.kind.value, "settings": data_item.settings})
    uid = str(data.get("uid") or "")
    try:
        uid = str(uuid.UUID(uid))
    except ValueError:
        uid = ""
    if not uid or db.session.scalar(sa.select(ChecklistTemplate.id).where(ChecklistTemplate.uid == uid)):
        uid = str(uuid.uuid4())  # a second copy of a shared template is a template of its own
    try:
        template = create_template(actor, data.get("title") or "", str(data.get("instructions") or ""),
                                   municipality_id, uid=uid)
    except ChecklistError as error:
        raise ChecklistError({"file": error.message}) from None
    template.is_starter = starter_key is not None
    template.starter_key = starter_key
    version = template.current_version
    for position, (key, item) in enumerate(checked, start=1):
        version.items.append(ChecklistItem(
            key=key, position=position, kind=item.kind, text=item.text, help=item.help, required=item.required,
            settings=item.settings, show_if_key=item.show_if_key, show_if_values=item.show_if_values))
    db.session.flush()
    return template


def install_starters(actor: User | None = None) -> list[ChecklistTemplate]:
    """Create the starter templates that are not there yet (by key): run twice, get them once.
    A starter an admin has edited is left as it is."""
    from webapp.checklists.starters import STARTERS

    existing = set(db.session.scalars(sa.select(ChecklistTemplate.starter_key)
                                      .where(ChecklistTemplate.starter_key.is_not(None))))
    created = []
    for starter in STARTERS:
        if starter["starter_key"] in existing:
            continue
        created.append(import_template(starter, actor, None, starter_key=starter["starter_key"]))
    return created
