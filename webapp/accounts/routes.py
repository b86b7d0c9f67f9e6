"""Sign-up, login, logout, password reset, profile."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from webapp.accounts import services
from webapp.accounts.forms import (ChangePasswordForm, LoginForm, ProfileForm, ResetPasswordForm,
                                   ResetRequestForm, SignupForm)
from webapp.extensions import db, limiter
from webapp.htmx import redirect_after_post, redirect_to
from webapp.htmx_forms import form_response
from webapp.orgs.services import picker_context
from webapp.ui import safe_next as _safe_next

bp = Blueprint("accounts", __name__)


def _apply_error(form, error: services.AccountError) -> None:
    getattr(form, error.field).errors = [*getattr(form, error.field).errors, error.message]


def _audience_choices(form, user) -> None:
    from webapp.taxonomy.models import Audience
    from webapp.taxonomy.services import choices

    form.audience_ids.choices = choices(Audience, [a.id for a in user.audiences] if user else [])


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    next_url = _safe_next(request.args.get("next"))  # e.g. back to a QR check-in after signing up
    if current_user.is_authenticated:
        return redirect(next_url or url_for("plan.index"))
    form = SignupForm()
    _audience_choices(form, None)
    if form.validate_on_submit():
        try:
            user = services.sign_up(form.data)
        except services.AccountError as error:
            _apply_error(form, error)
        else:
            db.session.commit()
            login_user(user)
            flash("Добро пожаловать! Учётная запись создана.", "success")
            return redirect_to(next_url) if next_url else redirect_after_post("plan.index")
    elif request.method == "POST" and not form.organization_id.data:
        form.org_q.errors = [*form.org_q.errors, "Выберите организацию из списка."]
    return form_response("accounts/_signup.html", form, "Регистрация педагога", next_url=next_url,
                         **picker_context(form))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    next_url = _safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("plan.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.find_by_email(form.email.data)
        if user is not None and user.is_active and user.check_password(form.password.data):
            login_user(user, remember=form.remember.data)
            flash(f"Здравствуйте, {user.first_name}!", "success")
            return redirect_to(next_url or url_for("plan.index"))
        form.password.errors = ["Неверная электронная почта или пароль."]
    return form_response("accounts/_login.html", form, "Вход", next_url=next_url)


@bp.post("/logout")
def logout():
    logout_user()
    flash("Вы вышли из системы.", "info")
    return redirect_after_post("plan.index")


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def forgot_password():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash("Если этот адрес зарегистрирован, мы отправили на него ссылку для восстановления пароля.", "info")
        return redirect_after_post("accounts.login")
    return form_response("accounts/_forgot.html", form, "Восстановление пароля")


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user = services.user_for_reset_token(token)
    if user is None:
        flash("Ссылка недействительна или устарела. Запросите новую.", "error")
        return redirect(url_for("accounts.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(user, form.password.data)
        db.session.commit()
        flash("Пароль изменён. Войдите с новым паролем.", "success")
        return redirect_after_post("accounts.login")
    return form_response("accounts/_reset.html", form, "Новый пароль", token=token)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    user = current_user
    form = ProfileForm(obj=user)
    _audience_choices(form, user)
    if request.method == "GET":
        form.organization_id.data = user.organization_id
        form.audience_ids.data = [a.id for a in user.audiences]
    if form.validate_on_submit():
        try:
            services.apply_profile(user, form.data)
        except services.AccountError as error:
            _apply_error(form, error)
        else:
            db.session.commit()
            flash("Профиль сохранён.", "success")
            return redirect_after_post("accounts.profile")
    return form_response("accounts/_profile.html", form, "Профиль", user=user, password_form=ChangePasswordForm(),
                         **picker_context(form))


@bp.post("/profile/password")
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if current_user.check_password(form.current.data):
            services.reset_password(current_user, form.password.data)
            db.session.commit()
            login_user(current_user)  # keep this device signed in
            flash("Пароль изменён.", "success")
            return redirect_after_post("accounts.profile")
        form.current.errors = ["Текущий пароль введён неверно."]
    profile_form = ProfileForm(obj=current_user)
    _audience_choices(profile_form, current_user)
    profile_form.organization_id.data = current_user.organization_id
    profile_form.audience_ids.data = [a.id for a in current_user.audiences]
    return form_response("accounts/_profile.html", profile_form, "Профиль", failed=True, user=current_user,
                         password_form=form, **picker_context(profile_form))
