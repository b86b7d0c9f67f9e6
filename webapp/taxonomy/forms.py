from __future__ import annotations

from wtforms import StringField
from wtforms.validators import DataRequired, Length

from webapp.forms import BaseForm


class TermForm(BaseForm):
    """Adding or renaming a term; a prefix keeps the add form and an inline rename apart on one page."""

    name = StringField("Название", validators=[DataRequired(message="Введите название."), Length(max=200)])
