from __future__ import annotations

from wtforms import BooleanField, EmailField, IntegerField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, NumberRange, Optional

from webapp.forms import BaseForm, CheckboxListField

PASSWORD_RULES = [DataRequired(), Length(min=8, max=128, message="Пароль — от 8 до 128 символов.")]


class ProfileFieldsMixin:
    last_name = StringField("Фамилия", validators=[DataRequired(), Length(max=100)])
    first_name = StringField("Имя", validators=[DataRequired(), Length(max=100)])
    middle_name = StringField("Отчество", validators=[Optional(), Length(max=100)])
    org_q = StringField("Организация", validators=[Optional(), Length(max=200)],
                        description="Начните вводить название или номер: «СОШ 12», «гимназия», «д/с 5».")
    #: carried by the picker's radio buttons (never a hidden input: two values would clash)
    organization_id = StringField("Организация", validators=[Optional()])
    position = StringField("Должность", validators=[DataRequired(), Length(max=200)])
    subjects = StringField("Предметы", validators=[Optional(), Length(max=300)],
                           description="Через запятую, например: математика, информатика.")
    years_experience = IntegerField("Педагогический стаж, лет", validators=[
        Optional(), NumberRange(min=0, max=80, message="От 0 до 80 лет.")])
    audience_ids = CheckboxListField("Я отношусь к категориям",
                                     description="Некоторые мероприятия открыты только для отдельных категорий.")


class SignupForm(ProfileFieldsMixin, BaseForm):
    email = EmailField("Электронная почта", validators=[
        DataRequired(), Email(message="Неверный адрес электронной почты."), Length(max=254)])
    password = PasswordField("Пароль", validators=PASSWORD_RULES)
    password2 = PasswordField("Пароль ещё раз", validators=[
        DataRequired(), EqualTo("password", message="Пароли не совпадают.")])
    consent = BooleanField(
        "Даю согласие на обработку моих персональных данных в соответствии с Федеральным законом "
        "от 27.07.2006 № 152-ФЗ «О персональных данных»",
        validators=[InputRequired(message="Без согласия на обработку персональных данных регистрация невозможна.")])


class ProfileForm(ProfileFieldsMixin, BaseForm):
    pass


class LoginForm(BaseForm):
    email = EmailField("Электронная почта", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Пароль", validators=[DataRequired(), Length(max=128)])
    remember = BooleanField("Запомнить меня на этом устройстве")


class ResetRequestForm(BaseForm):
    email = EmailField("Электронная почта", validators=[
        DataRequired(), Email(message="Неверный адрес электронной почты."), Length(max=254)])


class ResetPasswordForm(BaseForm):
    password = PasswordField("Новый пароль", validators=PASSWORD_RULES)
    password2 = PasswordField("Новый пароль ещё раз", validators=[
        DataRequired(), EqualTo("password", message="Пароли не совпадают.")])


class ChangePasswordForm(BaseForm):
    current = PasswordField("Текущий пароль", validators=[DataRequired()])
    password = PasswordField("Новый пароль", validators=PASSWORD_RULES)
    password2 = PasswordField("Новый пароль ещё раз", validators=[
        DataRequired(), EqualTo("password", message="Пароли не совпадают.")])
