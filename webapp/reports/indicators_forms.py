"""The admin's form for an indicator."""

from __future__ import annotations

import math

from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from webapp.forms import BaseForm, IntSelectField
from webapp.reports.indicators import COUNT_NOT_WHOLE, COUNT_TOO_BIG, MAX_COUNT_TARGET
from webapp.reports.models import MAX_PERCENT, Measure


class _Choice(IntSelectField):
    """An id picked from a list; an id that is not offered (typed by hand) gets a clear message."""

    def __init__(self, label=None, validators=None, invalid_message="Выберите значение из списка.", **kw):
        super().__init__(label, validators, **kw)
        self.invalid_message = invalid_message

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValueError:
            raise ValidationError(self.invalid_message) from None


class _MeasureField(SelectField):
    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValueError:
            raise ValidationError("Выберите, что измеряет показатель, из списка.") from None


class NumberField(StringField):
    """A number as people type it in Russia: «41», «41,5», «1 000». Kept as typed when invalid."""

    def process_formdata(self, valuelist):
        self.raw = valuelist[0] if valuelist else ""
        text = self.raw.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        self.data = None
        if not text:
            return
        try:
            value = float(text)
        except ValueError:
            self.parse_error = "Введите число, например 41 или 41,5."
            return
        if not math.isfinite(value):
            self.parse_error = "Введите число, например 41 или 41,5."
            return
        self.data = value

    def _value(self):
        if getattr(self, "raw", None) is not None:
            return self.raw
        if self.data is None:
            return ""
        return f"{self.data:g}".replace(".", ",")

    def pre_validate(self, form):
        error = getattr(self, "parse_error", None)
        if error:
            raise ValidationError(error)


class IndicatorForm(BaseForm):
    name = StringField("Название показателя", validators=[
        DataRequired(message="Укажите название показателя."),
        Length(max=300, message="Название длиннее 300 знаков: сократите его.")])
    description = TextAreaField("Пояснение (источник цели, как читать)", validators=[
        Optional(), Length(max=5000, message="Пояснение длиннее 5000 знаков.")])
    measure = _MeasureField("Что измеряется", choices=Measure.choices())
    direction_id = _Choice("Направление мероприятий", allow_blank=True, blank_label="Все направления",
                           invalid_message="Такого направления нет: выберите из списка.")
    audience_id = _Choice("Аудитория педагогов", allow_blank=True, blank_label="Все педагоги",
                          invalid_message="Такой аудитории нет: выберите из списка.")
    # InputRequired, not DataRequired: 0 is a valid target
    target_value = NumberField("Целевое значение", validators=[InputRequired(message="Укажите целевое значение.")])
    period_start = DateField("Период: с", validators=[DataRequired(message="Укажите начало периода.")])
    period_end = DateField("по", validators=[DataRequired(message="Укажите конец периода.")])
    municipality_id = _Choice("Муниципалитет", allow_blank=True, blank_label="Все муниципалитеты",
                              invalid_message="Такого муниципалитета нет: выберите из списка.")

    def _measure(self) -> Measure | None:
        return Measure.parse(self.measure.data)

    def validate_target_value(self, field):
        if field.data is None:
            return
        if field.data < 0:
            raise ValidationError("Целевое значение не может быть отрицательным.")
        measure = self._measure()
        if measure is not None and measure.is_percentage and field.data > MAX_PERCENT:
            raise ValidationError("Доля не может быть больше 100 %.")
        if measure is not None and not measure.is_percentage and field.data > MAX_COUNT_TARGET:
            raise ValidationError(COUNT_TOO_BIG)
        if measure is not None and not measure.is_percentage and field.data != int(field.data):
            raise ValidationError(COUNT_NOT_WHOLE)

    def validate_audience_id(self, field):
        measure = self._measure()
        if field.data is not None and measure is not None and not measure.uses_audience:
            raise ValidationError(f"Аудитория учитывается только в показателе «{Measure.TEACHERS_TRAINED.label}».")

    def validate_period_end(self, field):
        if self.period_start.data and field.data and field.data < self.period_start.data:
            raise ValidationError("Конец периода раньше начала.")
