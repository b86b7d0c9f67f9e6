"""Form base and fields shared by the features' forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, widgets


class BaseForm(FlaskForm):
    class Meta:
        # WTForms ships Russian messages for its own validators.
        locales = ("ru_RU", "ru")


class IntSelectField(SelectField):
    """A select of ids; an empty or foreign value is a validation error, not a crash."""

    def __init__(self, label=None, validators=None, allow_blank=False, blank_label="— не выбрано —", **kw):
        super().__init__(label, validators, coerce=self._coerce, validate_choice=True, **kw)
        self.allow_blank = allow_blank
        self.blank_label = blank_label

    @staticmethod
    def _coerce(value):
        if value in (None, "", "None"):
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            return -1  # never a valid choice: reported as «Неверный выбор»

    def set_choices(self, pairs):
        choices = [(i, str(name)) for i, name in pairs]
        self.choices = ([(None, self.blank_label)] if self.allow_blank else []) + choices

    def pre_validate(self, form):
        if self.allow_blank and self.data is None:
            return
        super().pre_validate(form)


class CheckboxListField(SelectMultipleField):
    """Several choices as a list of checkboxes (usable on a phone, unlike a multi-select)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def __init__(self, label=None, validators=None, **kw):
        super().__init__(label, validators, coerce=self._coerce, **kw)

    @staticmethod
    def _coerce(value):
        try:
            return int(value)
        except (TypeError, ValueError):
            return -1
