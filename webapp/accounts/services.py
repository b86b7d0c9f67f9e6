"""Accounts: sign-up, password reset, profile. Functions flush, never commit."""

from __future__ import annotations

import enum
import hashlib
import hmac

import sqlalchemy as sa
from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from webapp.accounts.models import Role, RoleGrant, User
from webapp.audit.models import record
from webapp.dbtypes import utcnow
from webapp.extensions import db
from webapp.mail.services import external_url, queue_email
from webapp.orgs.models import Organization
from webapp.taxonomy.models import Audience


class AccountError(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalize_email(email)))


def apply_profile(user: User, data: dict) -> None:
    org_id = data.get("organization_id")
    if org_id in (None, ""):
        raise AccountError("org_q", "Выберите организацию из списка.")
    try:
        org = db.session.get(Organization, int(org_id))
    except (TypeError, ValueError):
        org = None
    if org is None:
        raise AccountError("org_q", "Организация не найдена — выберите её из списка.")
    user.last_name = data["last_name"].strip()
    user.first_name = data["first_name"].strip()
    user.middle_name = (data.get("middle_name") or "").strip()
    user.organization_id = org.id
    user.position = data["position"].strip()
    user.subjects = (data.get("subjects") or "").strip()
    user.years_experience = data.get("years_experience")
    if "audience_ids" in data:
        wanted = {i for i in data.get("audience_ids") or [] if isinstance(i, int) and i > 0}
        had = {a.id for a in user.audiences}  # a retired term may be kept (or unticked), never newly taken
        user.audiences = list(db.session.scalars(
            sa.select(Audience).where(Audience.id.in_(wanted), sa.or_(Audience.is_active, Audience.id.in_(had)))
            .order_by(Audience.position))) if wanted else []
    user.refresh_search_text()


def sign_up(data: dict) -> User:
    """A new teacher account, with the time of consent to personal-data processing."""
    email = normalize_email(data["email"])
    if find_by_email(email) is not None:
        raise AccountError("email", "Этот адрес уже зарегистрирован. Войдите или восстановите пароль.")
    if not data.get("consent"):
        raise AccountError("consent", "Без согласия на обработку персональных данных регистрация невозможна.")
    user = User(email=email, consent_dt=utcnow())
    apply_profile(user, data)
    user.set_password(data["password"])
    db.session.add(user)
    db.session.flush()
    record("user", user.id, "created", user)
    return user


def create_admin(email: str, password: str, last_name: str, first_name: str, middle_name: str = "") -> User:
    """Create (or promote) a network administrator: used by `flask create-admin`."""
    user = find_by_email(email)
    if user is None:
        user = User(email=normalize_email(email), last_name=last_name, first_name=first_name,
                    middle_name=middle_name, consent_dt=utcnow())
        db.session.add(user)
    user.set_password(password)
    user.refresh_search_text()
    db.session.flush()
    if not user.is_admin:
        db.session.add(RoleGrant(user_id=user.id, role=Role.ADMIN))
    db.session.flush()
    return user


# -- password reset --------------------------------------------------------------------------
# A signed, timed token that also carries a fingerprint of the current password hash:
# once the password changes, every earlier link stops working (no table of tokens needed).

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_reset_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "p": _fingerprint(user)})


def user_for_reset_token(token: str) -> User | None:
    """The user a valid, unexpired, unused reset token belongs to; None otherwise."""
    try:
        payload = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(payload, dict):
        return None
    user = db.session.get(User, payload.get("u")) if isinstance(payload.get("u"), int) else None
    if user is None or not user.is_active:
        return None
    if not hmac.compare_digest(str(payload.get("p", "")), _fingerprint(user)):
        return None
    return user


def request_password_reset(email: str) -> None:
    """Queue a reset link if the address is known; say nothing either way (no account probing).

    Someone who never gave her consent (an imported colleague, a walk-in) gets a fresh invitation
    instead: its page asks for the consent along with the password."""
    user = find_by_email(email)
    if user is None or not user.is_active:
        return
    if user.consent_dt is None:
        queue_invitation(user)
        return
    link = url_for("accounts.reset_password", token=make_reset_token(user), _external=True)
    hours = current_app.config["PASSWORD_RESET_MAX_AGE"] // 3600
    queue_email(
        user.email,
        "Восстановление пароля",
        f"Здравствуйте, {user.first_name} {user.middle_name}!\n\n"
        f"Чтобы задать новый пароль, откройте ссылку (действует {hours} ч и только один раз):\n{link}\n\n"
        "Если вы не запрашивали восстановление, просто проигнорируйте это письмо.",
    )


def reset_password(user: User, password: str) -> None:
    user.set_password(password)
    db.session.flush()
    record("user", user.id, "password_reset", user)


# -- invitations -----------------------------------------------------------------------------
# A person added by someone else (a staff import, a walk-in) has an account without a password
# and without consent. The invitation link works like a reset link — signed, timed, void once the
# password is set (the fingerprint) — but with its own salt, so neither kind of link opens the other
# page, and a longer life: people read such e-mails days later.

INVITATION_MAX_AGE_DEFAULT = 14 * 24 * 60 * 60


class InvitationProblem(enum.Enum):
    EXPIRED = "expired"
    USED = "used"
    INVALID = "invalid"


def _invitation_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="invitation")


def invitation_max_age() -> int:
    """Seconds an invitation link works (config INVITATION_MAX_AGE, 14 days by default)."""
    return int(current_app.config.get("INVITATION_MAX_AGE") or INVITATION_MAX_AGE_DEFAULT)


def make_invitation_token(user: User) -> str:
    return _invitation_serializer().dumps({"u": user.id, "p": _fingerprint(user)})


def check_invitation_token(token: str) -> tuple[User | None, InvitationProblem | None]:
    """(the invited user, None) for a valid link; (None, what is wrong with it) otherwise."""
    try:
        payload = _invitation_serializer().loads(token, max_age=invitation_max_age())
    except SignatureExpired:
        return None, InvitationProblem.EXPIRED
    except BadSignature:
        return None, InvitationProblem.INVALID
    user_id = payload.get("u") if isinstance(payload, dict) else None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.is_active:
        return None, InvitationProblem.INVALID
    if user.consent_dt is not None or not hmac.compare_digest(str(payload.get("p", "")), _fingerprint(user)):
        return None, InvitationProblem.USED
    return user, None


def invitation_messages(users, organization: str = "", inviter: str = "") -> list[dict]:
    """Subject, plain text and HTML of the e-mails asking people to set their password, one per
    user (each with an id, e-mail, names and password hash: a User or the staff import's rows).
    `organization` and `inviter` say who added them, when someone did.

    The templates and the signer are prepared once: the staff import invites thousands at a time."""
    env = current_app.jinja_env
    text, html = env.get_template("mail/invitation.txt"), env.get_template("mail/invitation.html")
    signer = _invitation_serializer()
    common = dict(organization=organization, inviter=inviter, login_url=external_url("accounts.login"),
                  days=invitation_max_age() // (24 * 60 * 60))
    subject = "Приглашение в сеть стажировочных площадок" if organization else "Задайте пароль для входа"
    messages = []
    for user in users:
        token = signer.dumps({"u": user.id, "p": _fingerprint(user)})
        values = dict(common, user=user, link=external_url("accounts.accept_invitation", token=token))
        messages.append(dict(recipient=user.email, subject=subject, body=text.render(values),
                             html=html.render(values)))
    return messages


def queue_invitation(user: User, organization: str = "", inviter: str = ""):
    """Queue one invitation e-mail (the staff import inserts its invitations in bulk instead)."""
    message = invitation_messages([user], organization, inviter)[0]
    return queue_email(user.email, message["subject"], message["body"], message["html"])


def accept_invitation(user: User, password: str) -> None:
    """The invited person sets her password and gives her consent (152-ФЗ): the account is usable."""
    user.set_password(password)
    user.consent_dt = utcnow()
    db.session.flush()
    record("user", user.id, "invitation_accepted", user)
