from __future__ import annotations

from wtforms import SelectField

from webapp.accounts.models import Role
from webapp.forms import BaseForm, IntSelectField


class GrantForm(BaseForm):
    role = SelectField("Роль", choices=Role.choices())
    organization_id = IntSelectField("Организация (для координатора)", allow_blank=True)
    municipality_id = IntSelectField("Территория (для методиста)", allow_blank=True)
    site_id = IntSelectField("Площадка (для руководителя)", allow_blank=True)
