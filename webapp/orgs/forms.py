from __future__ import annotations

from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from webapp.forms import BaseForm, IntSelectField
from webapp.orgs.models import OrgKind, SchoolCategory
from webapp.timefmt import is_valid_timezone, russian_zones


class OrganizationForm(BaseForm):
    name = StringField("Краткое название", validators=[DataRequired(message="Укажите название организации."),
                                                       Length(max=300)])
    full_name = StringField("Полное название", validators=[Optional(), Length(max=600)])
    kind = SelectField("Тип организации", choices=OrgKind.choices(), default=OrgKind.SCHOOL.value)
    municipality_id = IntSelectField("Территория")
    address = StringField("Адрес", validators=[Optional(), Length(max=500)])
    category = SelectField("Категория школы", choices=[("", "— без категории —"), *SchoolCategory.choices()],
                           default="")
    low_results = BooleanField("ШНОР — школа с низкими образовательными результатами")

    def fill_from(self, org) -> None:
        """Enum fields show the stored value (the form would otherwise print the member's repr)."""
        self.kind.data = org.kind.value
        self.category.data = org.category.value if org.category else ""


class MunicipalityForm(BaseForm):
    name = StringField("Название", validators=[DataRequired(message="Укажите название территории."),
                                               Length(max=200)])
    # Any IANA zone is accepted (the select offers Russia's); the message is ours, not «Неверный выбор».
    timezone = SelectField("Часовой пояс", validate_choice=False, default="Europe/Moscow")
    methodical_service = StringField("Методическая служба (ТМС/ММС)", validators=[Optional(), Length(max=300)])

    def offer_zones(self, *keep: str | None) -> None:
        """Russia's zones, plus the stored (or typed) zone when it is valid but not among them."""
        choices = russian_zones()
        known = {value for value, _ in choices}
        for zone_name in keep:
            if zone_name and zone_name not in known and is_valid_timezone(zone_name):
                choices.append((zone_name, zone_name))
                known.add(zone_name)
        self.timezone.choices = choices

    def validate_timezone(self, field):
        if not is_valid_timezone((field.data or "").strip()):
            raise ValidationError("Неизвестный часовой пояс")
