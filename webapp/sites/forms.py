from __future__ import annotations

from wtforms import DateField, SelectField, StringField, TextAreaField, BooleanField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from webapp.forms import BaseForm, CheckboxListField, IntSelectField
from webapp.sites.models import Level, SiteKind


class SiteForm(BaseForm):
    name = StringField("Название площадки", validators=[DataRequired(), Length(max=300)])
    kind = SelectField("Вид площадки", choices=SiteKind.choices())
    level = SelectField("Уровень", choices=Level.choices(), default=Level.MUNICIPAL.value)
    organization_id = IntSelectField("Базовая организация")
    curator_id = IntSelectField("Куратор", allow_blank=True)
    direction_ids = CheckboxListField("Направления")
    description = TextAreaField("Описание практики", validators=[Optional(), Length(max=10000)])
    programme = TextAreaField("Модульная программа", validators=[Optional(), Length(max=20000)],
                              description="Один модуль — одна строка.")
    order_number = StringField("Приказ о присвоении статуса, №", validators=[Optional(), Length(max=100)])
    order_date = DateField("Дата приказа", validators=[Optional()])
    period_start = DateField("Работает с", validators=[Optional()])
    period_end = DateField("по", validators=[Optional()])
    is_active = BooleanField("Действующая площадка", default=True)

    def validate_period_end(self, field):
        if self.period_start.data and field.data and field.data < self.period_start.data:
            raise ValidationError("Конец периода раньше начала.")
