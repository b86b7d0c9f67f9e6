from __future__ import annotations

from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from webapp.forms import BaseForm, CheckboxListField, IntSelectField
from webapp.plan.models import ItemStatus, PlanKind, PlanStatus


class PlanForm(BaseForm):
    title = StringField("Название плана", validators=[DataRequired(), Length(max=500)])
    kind = SelectField("Вид", choices=PlanKind.choices())
    municipality_id = IntSelectField("Территория", allow_blank=True, blank_label="Вся сеть")
    period_start = DateField("Начало периода", validators=[DataRequired(message="Укажите дату начала.")])
    period_end = DateField("Конец периода", validators=[DataRequired(message="Укажите дату окончания.")])
    status = SelectField("Статус", choices=PlanStatus.choices())
    description = TextAreaField("Описание", validators=[Optional(), Length(max=5000)])

    def validate_period_end(self, field):
        if self.period_start.data and field.data and field.data < self.period_start.data:
            raise ValidationError("Конец периода раньше начала.")


class PlanItemForm(BaseForm):
    number = StringField("№", validators=[DataRequired(), Length(max=20)])
    title = TextAreaField("Мероприятие", validators=[DataRequired(), Length(max=2000)])
    direction_id = IntSelectField("Направление", allow_blank=True)
    form_id = IntSelectField("Форма", allow_blank=True)
    audience_ids = CheckboxListField("Аудитория")
    site_id = IntSelectField("Площадка", allow_blank=True)
    timing_text = StringField("Сроки (как в плане)", validators=[Optional(), Length(max=300)])
    period_start = DateField("Период: с", validators=[Optional()])
    period_end = DateField("по", validators=[Optional()])
    expected_result = TextAreaField("Прогнозируемый результат", validators=[Optional(), Length(max=5000)])
    responsible = StringField("Ответственный", validators=[Optional(), Length(max=500)])
    status = SelectField("Статус", choices=ItemStatus.choices())

    def validate_period_end(self, field):
        if self.period_start.data and field.data and field.data < self.period_start.data:
            raise ValidationError("Конец периода раньше начала.")
