from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import BooleanField, DateTimeLocalField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, ValidationError

from webapp.forms import BaseForm, CheckboxListField, IntSelectField
from webapp.sessions.models import MAX_CAPACITY, ApprovalMode, Delivery
from webapp.sites.models import Level
from webapp.timefmt import is_valid_timezone, russian_zones

DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class SessionForm(BaseForm):
    title = StringField("Название", validators=[DataRequired(), Length(max=500)])
    description = TextAreaField("Описание для участников", validators=[Optional(), Length(max=10000)])
    plan_item_id = IntSelectField("Пункт плана", allow_blank=True, blank_label="— вне плана (программа площадки) —")
    site_id = IntSelectField("Площадка", allow_blank=True, blank_label="— без площадки —")
    municipality_id = IntSelectField("Территория", allow_blank=True, blank_label="— по площадке —")
    form_id = IntSelectField("Форма", allow_blank=True)
    direction_id = IntSelectField("Направление", allow_blank=True)
    audience_ids = CheckboxListField("Аудитория")
    level = SelectField("Уровень", choices=[("", "—")] + Level.choices(), validators=[Optional()])
    start = DateTimeLocalField("Начало", format=DT_FORMATS,
                               validators=[DataRequired(message="Укажите дату и время начала.")])
    end = DateTimeLocalField("Окончание", format=DT_FORMATS,
                             validators=[DataRequired(message="Укажите дату и время окончания.")])
    # A select of Russia's zones; any IANA name is still accepted (and checked) for other regions.
    timezone = SelectField("Часовой пояс", validators=[Optional(), Length(max=64)], validate_choice=False,
                           choices=[("", "— пояс территории —")] + russian_zones())
    delivery = RadioField("Формат проведения", choices=Delivery.choices(), default=Delivery.IN_PERSON.value)
    address = StringField("Адрес", validators=[Optional(), Length(max=500)])
    online_url = StringField("Ссылка на подключение", validators=[
        Optional(), Length(max=1000), URL(require_tld=False, message="Введите ссылку вида https://…")])
    capacity = IntegerField("Количество мест", validators=[
        Optional(strip_whitespace=True), NumberRange(min=0, max=MAX_CAPACITY, message=f"От 0 до {MAX_CAPACITY}.")],
        description="Пусто — без ограничений.")
    registration_opens = DateTimeLocalField("Регистрация открывается", format=DT_FORMATS, validators=[Optional()])
    registration_closes = DateTimeLocalField("Регистрация закрывается", format=DT_FORMATS, validators=[Optional()])
    approval = SelectField("Подтверждение заявок", choices=ApprovalMode.choices(),
                           default=ApprovalMode.NONE.value)
    org_quota = IntegerField("Квота на одну организацию", validators=[
        Optional(strip_whitespace=True), NumberRange(min=1, max=MAX_CAPACITY, message=f"От 1 до {MAX_CAPACITY}.")],
        description="Сколько мест может занять одна школа. Пусто — без квоты.")
    waitlist_enabled = BooleanField("Вести лист ожидания, когда места закончатся", default=True)
    invitation_only = BooleanField("Только по приглашению (выдвигает координатор школы или добавляет организатор)")
    audience_restricted = BooleanField("Регистрироваться могут только педагоги из выбранной аудитории")
    allowed_municipality_ids = CheckboxListField("Только для территорий",
                                                 description="Ничего не отмечено — для всех территорий.")
    cancel_deadline = DateTimeLocalField("Участник может отменить регистрацию до", format=DT_FORMATS,
                                         validators=[Optional()], description="Пусто — до начала мероприятия.")
    academic_hours = IntegerField("Академических часов", validators=[
        Optional(strip_whitespace=True), NumberRange(min=1, max=200, message="От 1 до 200.")],
        description="Пусто — по длительности: 45 минут — один час. Идёт в журнал роста и сертификат.")
    late_after_minutes = IntegerField("Опоздание при QR-отметке позже, мин", default=10, validators=[
        Optional(strip_whitespace=True), NumberRange(min=0, max=600, message="От 0 до 600 минут.")],
        description="Отметившиеся по QR-коду позже начала на столько минут отмечаются как опоздавшие.")
    walk_ins_allowed = BooleanField("По QR-коду могут отметиться и пришедшие без регистрации")

    def validate_end(self, field):
        if self.start.data and field.data and field.data <= self.start.data:
            raise ValidationError("Окончание должно быть позже начала.")

    def validate_timezone(self, field):
        if field.data and not is_valid_timezone(field.data.strip()):
            raise ValidationError("Неизвестный часовой пояс. Пример: Europe/Moscow, Asia/Yekaterinburg.")

    def validate_online_url(self, field):
        if self.delivery.data in (Delivery.ONLINE.value, Delivery.BLENDED.value) and not (field.data or "").strip():
            raise ValidationError("Для дистанционного или смешанного формата нужна ссылка на подключение.")

    def validate_registration_closes(self, field):
        opens, closes = self.registration_opens.data, field.data
        if opens and closes and closes <= opens:
            raise ValidationError("Регистрация должна закрываться позже, чем открывается.")
        if closes and self.end.data and closes > self.end.data:
            raise ValidationError("Регистрация не может закрываться после окончания мероприятия.")

    def validate_cancel_deadline(self, field):
        if field.data and self.start.data and field.data > self.start.data:
            raise ValidationError("Отмена участниками возможна не позже начала мероприятия.")

    def validate_site_id(self, field):
        if field.data is None and self.municipality_id.data is None:
            raise ValidationError("Выберите площадку или территорию.")


class CancelForm(BaseForm):
    reason = TextAreaField("Причина отмены", validators=[
        DataRequired(message="Укажите причину — её увидят участники."), Length(max=1000)])


ALLOWED_EXTENSIONS = {"pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "rtf", "txt",
                      "jpg", "jpeg", "png", "zip"}


class MaterialForm(BaseForm):
    title = StringField("Название материала", validators=[DataRequired(), Length(max=300)])
    url = StringField("Ссылка", validators=[Optional(), Length(max=1000),
                                            URL(require_tld=False, message="Введите ссылку вида https://…")])
    file = FileField("или файл")

    def validate_file(self, field):
        upload = field.data
        has_file = bool(upload and getattr(upload, "filename", ""))
        if not has_file and not (self.url.data or "").strip():
            raise ValidationError("Укажите ссылку или приложите файл.")
        if has_file:
            ext = upload.filename.rsplit(".", 1)[-1].lower() if "." in upload.filename else ""
            if ext not in ALLOWED_EXTENSIONS:
                raise ValidationError("Недопустимый тип файла. Разрешены: " + ", ".join(sorted(ALLOWED_EXTENSIONS)) + ".")
