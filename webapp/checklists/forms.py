"""Forms of the check-list builder.

The rules (lengths, scales, options, conditions) live in `building.validate_item`: these forms only
carry what was typed, turn it into the item dict the service takes, and put the service's
messages back under the fields.
"""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField, widgets
from wtforms.validators import ValidationError

from webapp.checklists.building import (
    MAX_INSTRUCTIONS,
    MAX_OPTIONS,
    MAX_ROWS,
    MAX_TITLE,
    ChecklistError,
    options_from_labels,
)
from webapp.checklists.models import ChecklistItem, ItemKind
from webapp.forms import BaseForm, IntSelectField

NETWORK_LABEL = "Вся сеть"
DEFAULT_KIND = ItemKind.SCALE
SCALE_CHOICES = [("5", "от 1 до 5"), ("10", "от 1 до 10")]
#: what is typed into a list textarea is read up to this many lines: one more than allowed, so
#: the service still says «не больше …», and a pasted book costs nothing
MAX_LINES = max(MAX_OPTIONS, MAX_ROWS) + 1


class OwnerMixin:
    """«Чей шаблон»: asked only when there is a choice (an admin; a methodist of several
    municipalities); otherwise the one possible owner is taken and the field is dropped."""

    sole_owner: int | None = None

    def offer_owners(self, network: bool, municipalities: list[tuple[int, str]]) -> None:
        """`network`: the whole network («Вся сеть», None) may own it; `municipalities`: (id, name)."""
        if (1 if network else 0) + len(municipalities) <= 1:
            self.sole_owner = None if network or not municipalities else municipalities[0][0]
            del self.municipality_id
            return
        field = self.municipality_id
        field.allow_blank = network
        field.set_choices(municipalities)
        if field.data is None and not network and not field.raw_data:
            field.data = municipalities[0][0]

    @property
    def asks_owner(self) -> bool:
        return "municipality_id" in self

    def owner(self) -> int | None:
        return self.municipality_id.data if self.asks_owner else self.sole_owner


class OwnerField(IntSelectField):
    """A municipality id, or «Вся сеть» (None) where offered; anything else is refused in Russian."""

    def __init__(self, label=None, **kw):
        super().__init__(label, allow_blank=True, blank_label=NETWORK_LABEL, **kw)

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValueError:
            raise ValidationError("Выберите из списка: другим территориям чек-лист не создать.") from None


class HeadingForm(BaseForm):
    title = StringField("Название", render_kw={"maxlength": MAX_TITLE})
    instructions = TextAreaField("Инструкция для отвечающих", render_kw={"rows": 3, "maxlength": MAX_INSTRUCTIONS})


class TemplateForm(OwnerMixin, HeadingForm):
    municipality_id = OwnerField("Чей шаблон")


class ImportForm(OwnerMixin, BaseForm):
    file = FileField("Файл чек-листа (.json)", render_kw={"accept": ".json,application/json"})
    municipality_id = OwnerField("Чей шаблон")


class CopyForm(OwnerMixin, BaseForm):
    municipality_id = OwnerField("Для территории")


class ActionForm(BaseForm):
    """CSRF only: a button that posts (delete, archive)."""


class MoveForm(BaseForm):
    direction = HiddenField()


class ChoiceList(SelectMultipleField):
    """Several string values as checkboxes; the service checks them against the real answers."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def __init__(self, label=None, **kw):
        super().__init__(label, coerce=str, validate_choice=False, **kw)


def _lines(text: str | None) -> list[str]:
    """One label a line, blanks dropped, spaces folded as the service folds them."""
    labels = []
    for line in (text or "").splitlines():
        label = " ".join(line.split())
        if label:
            labels.append(label)
            if len(labels) >= MAX_LINES:
                break
    return labels


def _number_text(value) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value) == int(value) else str(value)


class ItemForm(BaseForm):
    kind = SelectField("Тип вопроса", choices=ItemKind.choices(), default=DEFAULT_KIND.value, validate_choice=False)
    #: the kind whose fields the form showed: fields a new kind brings start from their defaults
    shown_kind = HiddenField()
    text = TextAreaField("Текст вопроса", render_kw={"rows": 2})
    help = TextAreaField("Пояснение (необязательно)", render_kw={"rows": 2})
    scale_max = SelectField("Шкала", choices=SCALE_CHOICES, default="5", validate_choice=False)
    min_label = StringField("Подпись к 1", render_kw={"maxlength": 100, "placeholder": "например: совсем нет"})
    max_label = StringField("Подпись к наибольшему баллу", render_kw={"maxlength": 100,
                                                                        "placeholder": "например: полностью"})
    options = TextAreaField("Варианты ответа", render_kw={"rows": 4})
    max_choices = StringField("Можно выбрать не больше", render_kw={"inputmode": "numeric"})
    max_length = StringField("Наибольшая длина ответа, символов", render_kw={"inputmode": "numeric"})
    number_min = StringField("Наименьшее значение", render_kw={"inputmode": "decimal"})
    number_max = StringField("Наибольшее значение", render_kw={"inputmode": "decimal"})
    integer = BooleanField("Только целые числа", default=True)
    rows = TextAreaField("Строки матрицы", render_kw={"rows": 4})
    required = BooleanField("Обязательный вопрос")
    show_if_key = SelectField("Показывать, только если ответ на вопрос", validate_choice=False, default="")
    show_if_values = ChoiceList("…один из этих")

    # -- what the form shows -----------------------------------------------------------------

    @property
    def kind_value(self) -> ItemKind | None:
        return ItemKind.parse(self.kind.data)

    @property
    def shown(self) -> ItemKind:
        """The kind whose fields are rendered (the default for an unknown one)."""
        return self.kind_value or DEFAULT_KIND

    def prepare(self, sources: list[tuple[str, str]], answers: list[tuple[str, str]]) -> None:
        """The condition's choices, and the defaults of fields the kind just chosen brings.

        `sources`: (key, label) of earlier items a condition may test; `answers`: the chosen
        source's (value, label) answers."""
        kind = self.shown
        if kind == ItemKind.NUMBER and self.shown_kind.data and self.shown_kind.data != kind.value:
            self.integer.data = True  # a box that was not on the form was not unchecked
        self.shown_kind.data = kind.value
        self.show_if_key.choices = [("", "— показывать всегда —"), *sources]
        self.show_if_values.choices = answers
        if not self.show_if_key.data:
            self.show_if_values.data = []

    def fill_from(self, item: ChecklistItem) -> None:
        """The stored item as it would be typed."""
        s = item.settings or {}
        self.kind.data = item.kind.value
        self.text.data, self.help.data, self.required.data = item.text, item.help, item.required
        if item.kind.is_scaled:
            self.scale_max.data = str(s.get("max", 5))
            self.min_label.data, self.max_label.data = s.get("min_label", ""), s.get("max_label", "")
        if item.kind.has_options:
            self.options.data = "\n".join(o["label"] for o in s.get("options", []))
        if item.kind == ItemKind.MULTIPLE:
            self.max_choices.data = "" if s.get("max_choices") is None else str(s["max_choices"])
        if item.kind.is_text:
            self.max_length.data = str(s.get("max_length") or "")
        if item.kind == ItemKind.NUMBER:
            self.number_min.data, self.number_max.data = _number_text(s.get("min")), _number_text(s.get("max"))
            self.integer.data = bool(s.get("integer", True))
        if item.kind == ItemKind.MATRIX:
            self.rows.data = "\n".join(r["label"] for r in s.get("rows", []))
        self.show_if_key.data = item.show_if_key or ""
        self.show_if_values.data = list(item.show_if_values or [])

    # -- what the service takes --------------------------------------------------------------

    def to_raw(self, existing: ChecklistItem | None = None) -> tuple[str, dict]:
        """(kind as typed, the item dict for building.add_item / update_item).

        Option values and matrix row keys of `existing` are kept for the labels that stay."""
        kind = self.kind_value
        old = (existing.settings or {}) if existing is not None else {}
        settings: dict = {}
        if kind is not None and kind.is_scaled:
            settings.update(max=self.scale_max.data, min_label=self.min_label.data, max_label=self.max_label.data)
        if kind is not None and kind.has_options:
            settings["options"] = options_from_labels(_lines(self.options.data), old.get("options") or [])
        if kind == ItemKind.MULTIPLE:
            settings["max_choices"] = (self.max_choices.data or "").strip() or None
        if kind is not None and kind.is_text:
            settings["max_length"] = (self.max_length.data or "").strip() or None
        if kind == ItemKind.NUMBER:
            settings.update(min=self.number_min.data, max=self.number_max.data, integer=bool(self.integer.data))
        if kind == ItemKind.MATRIX:
            existing_rows = [{"value": r["key"], "label": r["label"]} for r in old.get("rows") or []]
            settings["rows"] = [{"key": r["value"], "label": r["label"]}
                                for r in options_from_labels(_lines(self.rows.data), existing_rows, prefix="r")]
        raw = {"kind": self.kind.data or "", "text": self.text.data, "help": self.help.data,
               "required": bool(self.required.data), "settings": settings,
               "show_if_key": self.show_if_key.data or None,
               "show_if_values": list(self.show_if_values.data or [])}
        return raw["kind"], raw

    def take_errors(self, error: ChecklistError) -> None:
        """The service's messages under the fields they are about ("" : above the form)."""
        scaled = self.kind_value is not None and self.kind_value.is_scaled
        where = {"max": self.scale_max if scaled else self.number_max, "min": self.number_min}
        for name, message in error.errors.items():
            field = where.get(name) or (self[name] if name and name in self else None)
            if field is None:
                self.form_errors.append(message)
            else:
                field.errors = [*field.errors, message]
