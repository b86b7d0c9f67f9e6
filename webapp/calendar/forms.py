"""The reminder setting of a personal feed."""

from __future__ import annotations

from wtforms import SelectField

from webapp.calendar.models import ALARM_CHOICES
from webapp.forms import BaseForm


class AlarmForm(BaseForm):
    alarm = SelectField("Напоминание в календаре",
                        choices=[("", "без напоминания")] + [(str(m), label) for m, label in ALARM_CHOICES])
