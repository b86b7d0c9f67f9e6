"""Sign-up, login, logout, password reset, profile."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from webapp.accounts import services
from webapp.accounts.forms import (
    ChangePasswordForm,
    LoginForm,
    ProfileForm,
    ResetPasswordForm,
    ResetRequestForm,
    SignupForm,
)
from webapp.extensions import db, limiter
from webapp.htmx import redirect_after_post, redirect_to
from webapp.htmx_forms import form_response
from webapp.orgs.services import picker_context
from webapp.ui import safe_next as _safe_next

bp = Blueprint("accounts", __name__)


class InvitationForm(ResetPasswordForm):
    """The invitation page: a password and the consent sign-up asks for (same wording)."""

    consent = SignupForm.consent


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
    if user.consent_dt is None:
        # an invited person who never gave her consent: the invitation page asks for it too
        return redirect(url_for("accounts.accept_invitation", token=services.make_invitation_token(user)))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(user, form.password.data)
        db.session.commit()
        flash("Пароль изменён. Войдите с новым паролем.", "success")
        return redirect_after_post("accounts.login")
    return form_response("accounts/_reset.html", form, "Новый пароль", token=token)


#: what an unusable invitation link page says: (status, heading, explanation)
INVITATION_PROBLEMS = {
    services.InvitationProblem.EXPIRED: (
        410, "Срок действия приглашения истёк",
        "Ссылка из письма-приглашения действует ограниченное время. Запросите новую: введите свой адрес "
        "электронной почты на странице восстановления пароля, и мы пришлём свежую ссылку."),
    services.InvitationProblem.USED: (
        410, "Приглашение уже принято",
        "По этой ссылке уже задан пароль. Войдите с ним; если вы его не помните, восстановите пароль."),
    services.InvitationProblem.INVALID: (
        404, "Ссылка недействительна",
        "Ссылка повреждена или неполна: скопируйте её из письма целиком. Если не получается, запросите новую "
        "ссылку на странице восстановления пароля."),
}


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """An invited person (added by her school's coordinator or a methodist) sets her password and
    gives her consent to personal-data processing; then she is signed in."""
    user, problem = services.check_invitation_token(token)
    if user is None:
        status, title, text = INVITATION_PROBLEMS[problem]
        response = make_response(render_template("accounts/invitation_invalid.html", title=title, text=text,
                                                  problem=problem.value), status)
        response.headers["Cache-Control"] = "no-store"
        return response
    form = InvitationForm()
    if form.validate_on_submit():
        services.accept_invitation(user, form.password.data)
        db.session.commit()
        logout_user()  # someone else signed in on this device: she is now herself
        login_user(user)
        flash(f"Добро пожаловать, {user.first_name}! Пароль задан. Проверьте, всё ли верно в профиле.", "success")
        return redirect_after_post("accounts.profile")
    return form_response("accounts/_invitation.html", form, "Приглашение в сеть стажировочных площадок",
                         token=token, user=user)


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
