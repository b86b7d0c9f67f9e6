"""The form that attaches a check-list: what it covers, who answers, when it opens.

Fields only parse what was typed; the rules (which combinations make sense, who may attach
what) are in assigning.create_assignment, whose messages land on the same field names.
"""

from __future__ import annotations

from wtforms import BooleanField, DateField, DateTimeLocalField, IntegerField, RadioField, StringField
from wtforms.validators import Length, Optional

from webapp.checklists.assigning import TargetKind
from webapp.checklists.models import OpensOn, RespondentRole
from webapp.forms import BaseForm, IntSelectField

DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
ANONYMOUS_HINT = ("Кто ответил, хранится отдельно от ответов; результаты группы меньше трёх ответов "
                  "не показываются.")


class AssignmentForm(BaseForm):
    template_id = IntSelectField("Чек-лист", allow_blank=True, blank_label="— выберите чек-лист —",
                                 invalid_choice_message="Выберите чек-лист из списка.")
    # Radios are checked by the rules (assigning), which name what is wrong better than «Неверный выбор».
    target = RadioField("К чему прикрепить", choices=list(TargetKind.LABELS.items()), default=TargetKind.SESSION,
                        validate_choice=False)
    session_q = StringField("Мероприятие", validators=[Optional(), Length(max=200)],
                            description="Показаны ваши мероприятия, сначала новые (не больше 50). "
                                        "Начните вводить название, площадку или адрес, чтобы найти другое.")
    #: carried by the picker's radio buttons
    session_id = StringField("Мероприятие", validators=[Optional()])
    site_id = IntSelectField("Площадка", allow_blank=True, blank_label="— выберите площадку —",
                             invalid_choice_message="Выберите площадку из списка.")
    plan_item_id = IntSelectField("Пункт плана", allow_blank=True, blank_label="— выберите пункт плана —",
                                  invalid_choice_message="Выберите пункт плана из списка.")
    period_start = DateField("Первый день периода", validators=[Optional()])
    period_end = DateField("Последний день периода", validators=[Optional()])
    municipality_id = IntSelectField("Территория", allow_blank=True, blank_label="— вся сеть —",
                                     invalid_choice_message="Выберите территорию из списка.")
    #: per-session roles; a period's respondents (the municipality's teachers) go with the target
    role = RadioField("Кто отвечает", choices=[(r.value, r.label) for r in RespondentRole if r.per_session],
                      default=RespondentRole.PARTICIPANT.value, validate_choice=False)
    opens_on = RadioField("Когда открывается", choices=OpensOn.choices(), default=OpensOn.SESSION_END.value,
                          validate_choice=False)
    opens_dt = DateTimeLocalField("Дата и время открытия (по московскому времени)", format=DT_FORMATS,
                                  validators=[Optional()])
    days_after = IntegerField("Через сколько дней после мероприятия", default=90,
                              validators=[Optional(strip_whitespace=True)])
    open_days = IntegerField("Сколько дней принимаются ответы", validators=[Optional(strip_whitespace=True)])
    anonymous = BooleanField("Анонимный опрос", description=ANONYMOUS_HINT)

    def limit_to(self, *, periods: bool, plan_items: bool) -> None:
        """Offer only the targets this person may use."""
        kinds = [k for k in TargetKind.ALL if (k != TargetKind.PERIOD or periods)
                 and (k != TargetKind.PLAN_ITEM or plan_items)]
        self.target.choices = [(k, TargetKind.LABELS[k]) for k in kinds]

    def picked_session_id(self) -> int | None:
        """The session radio's value: None when none is chosen, 0 (never an id) for junk."""
        raw = (self.session_id.data or "").strip()
        if not raw:
            return None
        return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else 0

    def service_args(self) -> dict:
        """What create_assignment needs: the chosen target's fields only."""
        target = self.target.data
        args = dict(template_id=self.template_id.data, role=self.role.data, opens_on=self.opens_on.data,
                    target=target, opens_dt=self.opens_dt.data, days_after=self.days_after.data,
                    open_days=self.open_days.data, anonymous=self.anonymous.data)
        if target == TargetKind.SESSION:
            args["session_id"] = self.picked_session_id()
        elif target == TargetKind.SITE:
            args["site_id"] = self.site_id.data
        elif target == TargetKind.PLAN_ITEM:
            args["plan_item_id"] = self.plan_item_id.data
        elif target == TargetKind.PERIOD:
            # the form asks a period's teachers without a role choice (the only role a period takes)
            args.update(period_start=self.period_start.data, period_end=self.period_end.data,
                        municipality_id=self.municipality_id.data, role=RespondentRole.MUNICIPALITY.value)
        return args

    def add_errors(self, errors: dict[str, str]) -> None:
        """A service's messages, each on its field (the form's top for the rest)."""
        for name, message in errors.items():
            field = self._fields.get(name) if name else None
            if field is not None:
                field.errors = [*field.errors, message]
            else:
                self.form_errors.append(message)
