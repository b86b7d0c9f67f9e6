"""The walk-in form: a person who came without registering and is not found in the network."""

from __future__ import annotations

from wtforms import EmailField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from webapp.extensions import db
from webapp.forms import BaseForm
from webapp.orgs.models import Organization


class WalkInForm(BaseForm):
    last_name = StringField("Фамилия", validators=[DataRequired(message="Укажите фамилию."), Length(max=100)])
    first_name = StringField("Имя", validators=[DataRequired(message="Укажите имя."), Length(max=100)])
    middle_name = StringField("Отчество", validators=[Optional(), Length(max=100)])
    email = EmailField("Электронная почта", validators=[
        DataRequired(message="Укажите электронную почту: по ней человек потом войдёт, и по ней мы не заведём "
                             "его дважды."),
        Email(message="Похоже, в адресе почты ошибка."), Length(max=254)])
    position = StringField("Должность", validators=[Optional(), Length(max=200)])
    org_q = StringField("Организация", validators=[Optional(), Length(max=200)],
                        description="Начните вводить название или номер: «СОШ 12», «гимназия».")
    #: carried by the picker's radio buttons
    organization_id = StringField("Организация", validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        raw = (self.organization_id.data or "").strip()
        if raw and (not raw.isdigit() or db.session.get(Organization, int(raw)) is None):
            # shown where the picker shows its messages (an empty org_q skips org_q's own validators)
            self.org_q.errors = [*self.org_q.errors, "Выберите организацию из списка."]
            valid = False
        return valid

    @property
    def organization(self) -> int | None:
        return int(self.organization_id.data) if (self.organization_id.data or "").strip() else None
