"""Certificates of participation: their numbers, issuing them, who may see them, and whether one
is still genuine.

A number is «2027-7KQ4M-2XPRD»: the session's year and ten random characters from an alphabet
without look-alikes (no 0/O, 1/I/L, U), about 49 bits, so the public verification page cannot be
walked by guessing. A certificate stays genuine only while its attendance counts as attended: a
mark changed to «отсутствовал» later makes it «аннулирован» without touching the certificate row.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from webapp.accounts import auth
from webapp.accounts.models import User
from webapp.attendance import services
from webapp.attendance.models import Attendance, Certificate
from webapp.dbtypes import utcnow
from webapp.errors import RuleError
from webapp.extensions import db, savepoint
from webapp.sessions.models import EventSession
from webapp.sites.models import Site
from webapp.timefmt import format_day, local
from webapp.ui import plural

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_LENGTH = 10
#: how many fresh numbers to try when one is already taken (one retry is already a rarity)
NUMBER_ATTEMPTS = 5
#: longer input is junk, not a mistyped number
MAX_INPUT = 40
EXAMPLE_NUMBER = "2027-7KQ4M-2XPRD"

_NUMBER = re.compile(rf"([0-9]{{4}})([{ALPHABET}]{{{RANDOM_LENGTH}}})")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212_.]+")
# a number copied through a Russian-made document or typed with Cyrillic capitals looking the same
_CYRILLIC_TWINS = str.maketrans("АВЕКМНОРСТУХ", "ABEKMHOPCTYX")


class CertificateError(RuleError):
    """A certificate rule said no."""


# -- numbers ---------------------------------------------------------------------------------

def _random_part() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))


def new_number(year: int) -> str:
    """A fresh random number for a session held in `year`: «2027-7KQ4M-2XPRD»."""
    part = _random_part()
    return f"{year:04d}-{part[:5]}-{part[5:]}"


def normalize_number(raw: str | None) -> str:
    """The canonical form of what a person typed or scanned (any case, with or without dashes or
    spaces, Cyrillic look-alike capitals); CertificateError(400) for anything that cannot be one."""
    raw = raw or ""
    if len(raw) > MAX_INPUT:
        raise CertificateError(f"Номер сертификата слишком длинный. Он выглядит так: {EXAMPLE_NUMBER}.", 400)
    compact = _SEPARATORS.sub("", raw).upper().translate(_CYRILLIC_TWINS)
    match = _NUMBER.fullmatch(compact)
    if not compact or match is None:
        raise CertificateError(f"Номер сертификата записан неверно. Он выглядит так: {EXAMPLE_NUMBER}.", 400)
    year, part = match.groups()
    return f"{year}-{part[:5]}-{part[5:]}"


# -- issuing ---------------------------------------------------------------------------------

def refusal(attendance: Attendance | None, session: EventSession, now: datetime | None = None) -> str | None:
    """Why no certificate can be issued for this attendance now, or None."""
    now = now or utcnow()
    if session.is_cancelled:
        return "Мероприятие отменено: сертификат не выдаётся."
    if now < session.end_dt:
        return "Сертификат выдаётся после окончания мероприятия."
    if attendance is None or not attendance.attended:
        return "Сертификат выдаётся только участникам, отмеченным как присутствовавшие."
    return None


def issue(attendance: Attendance, actor: User, now: datetime | None = None) -> Certificate:
    """The certificate of an attendance, issued on first request (one per attendance): to the
    participant herself, or by the session's staff. Locks the session row, as marking does, so a
    mark being changed to «отсутствовал» at this moment is either seen here or comes after."""
    now = now or utcnow()
    try:
        session = services.lock_session(attendance.session_id)
    except services.AttendanceError as error:
        raise CertificateError(error.message, error.status) from None
    att = db.session.scalar(sa.select(Attendance).where(Attendance.id == attendance.id)
                            .execution_options(populate_existing=True))
    if actor.id != att.user_id and not services.can_mark(actor, session):
        raise CertificateError("Сертификат может получить только сам участник или организатор мероприятия.", 403)
    reason = refusal(att, session, now)
    if reason:
        raise CertificateError(reason, 409)
    existing = _for_attendance(att.id)
    if existing is not None:
        return existing
    year = local(session.start_dt, session.timezone).year
    for _ in range(NUMBER_ATTEMPTS):
        cert = Certificate(number=new_number(year), attendance_id=att.id, user_id=att.user_id,
                           session_id=session.id, hours=session.hours, issued_dt=now)
        try:
            with savepoint():
                db.session.add(cert)
        except IntegrityError:
            # either the number is taken (retry with another) or a twin request got here first
            existing = _for_attendance(att.id)
            if existing is not None:
                return existing
            continue
        return cert
    raise CertificateError("Не удалось присвоить номер сертификату. Попробуйте ещё раз.", 503)


def _for_attendance(attendance_id: int) -> Certificate | None:
    return db.session.scalar(sa.select(Certificate).where(Certificate.attendance_id == attendance_id))


def numbers_for(attendance_ids) -> dict[int, str]:
    """Certificate numbers by attendance id, for lists that link to certificates: one query."""
    ids = list(attendance_ids)
    if not ids:
        return {}
    rows = db.session.execute(sa.select(Certificate.attendance_id, Certificate.number)
                              .where(Certificate.attendance_id.in_(ids)))
    return dict(rows.tuples().all())


# -- reading and checking --------------------------------------------------------------------

def find(number: str) -> Certificate | None:
    """A certificate by its canonical number, with everything its pages show: one query."""
    return db.session.scalars(
        sa.select(Certificate).where(Certificate.number == number)
        .options(joinedload(Certificate.attendance), joinedload(Certificate.user),
                 joinedload(Certificate.session).joinedload(EventSession.site).joinedload(Site.organization),
                 joinedload(Certificate.session).joinedload(EventSession.form))
    ).unique().one_or_none()


def is_valid(cert: Certificate) -> bool:
    """Genuine while the attendance still counts as attended."""
    return cert.attendance is not None and cert.attendance.attended


def can_view(user: User | None, cert: Certificate) -> bool:
    """Its owner, the session's staff (leaders of its site, the methodist, admins), the
    coordinator of the owner's organization (now, or when she was marked)."""
    if user is None:
        return False
    if user.id == cert.user_id or services.can_mark(user, cert.session):
        return True
    org_ids = {cert.user.organization_id, cert.attendance.organization_id if cert.attendance else None}
    return any(auth.coordinator_of(user, org_id) for org_id in org_ids)


# -- wording ---------------------------------------------------------------------------------

def hours_text(hours: int) -> str:
    """What follows «в объёме»: «1 академического часа», «21 академического часа», but
    «11 академических часов», «4 академических часов» (the genitive after a numeral)."""
    return f"{hours} {plural(hours, 'академического часа', 'академических часов', 'академических часов')}"


def hours_count(hours: int) -> str:
    """The same on its own (nominative): «1 академический час», «3 академических часа», «5 академических часов»."""
    return f"{hours} {plural(hours, 'академический час', 'академических часа', 'академических часов')}"


def took_part(user: User) -> str:
    """«принял» or «приняла» by the patronymic, «принял(а)» when it does not tell."""
    patronymic = (user.middle_name or "").strip().lower()
    if patronymic.endswith(("вна", "чна", "кызы", "гызы")):
        return "приняла"
    if patronymic.endswith(("вич", "ьич", "оглы", "улы", "уулу")):
        return "принял"
    return "принял(а)"


def session_dates(session: EventSession) -> str:
    """«12 марта 2027», or «12 марта 2027 – 14 марта 2027» for a session over several days."""
    first, last = format_day(session.start_dt, session.timezone), format_day(session.end_dt, session.timezone)
    return first if first == last else f"{first} – {last}"


def host_name(session: EventSession) -> str:
    """The organization that held the session (its site's), for the certificate and its check."""
    return session.site.organization.name if session.site else ""
