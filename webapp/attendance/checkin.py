"""QR self check-in: the projector screen with a QR code that changes every 30 seconds, and the
link in the code, which marks the teacher who scans it (after she logs in, if she has to).

The link carries a signed, timestamped token (services.checkin_token) that stops working a minute
after it was shown, so a link forwarded from the room does not work at home. The rules (the window,
who may check in, present or late) live in services.check_in; these views only carry the token to
it and tell the person what happened.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import flash, make_response, redirect, render_template, url_for
from flask import session as cookie_session
from flask_login import login_required

from webapp.attendance import services
from webapp.attendance.models import AttendanceStatus
from webapp.attendance.routes import _user, bp, load_staff_session
from webapp.ui import qr_svg
from webapp.extensions import db
from webapp.htmx import is_fragment_request
from webapp.mail.services import external_url
from webapp.sessions.models import EventSession
from webapp.timefmt import format_range, local

#: the screen asks for a new code this often (a code works services' CHECKIN_LINK_SECONDS)
REFRESH_SECONDS = 30
#: after a scan by someone not logged in, this long to type the password (the token itself is short-lived)
GRANT_SECONDS = 15 * 60
#: where the scanned check-in waits in the (signed) cookie session while she logs in
GRANT_KEY = "attendance_checkin"

STATUS_WORDS = {
    AttendanceStatus.PRESENT: "присутствовал(а)",
    AttendanceStatus.LATE: "опоздание",
}


def _no_store(response, token_in_url: bool = False):
    response.headers["Cache-Control"] = "no-store"
    if token_in_url:
        # the address holds a working token: it must not travel on as a Referer
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


# -- the projector screen --------------------------------------------------------------------

def _short_link(link: str) -> str:
    """«example.org/checkin/eyJzIjo…»: enough to see where the code leads."""
    parts = urlsplit(link)
    return f"{parts.netloc}{parts.path[:len('/checkin/') + 8]}…"


def _code_context(session: EventSession) -> dict:
    """Everything the code fragment shows; a constant number of queries (the roster counts)."""
    refusal = services.checkin_refusal(session)
    context = {"s": session, "refusal": refusal, "counts": services.roster_counts(session.id),
               "refresh_seconds": REFRESH_SECONDS, "link": None, "short_link": None, "qr": None}
    if refusal is None:
        link = external_url("attendance.checkin", token=services.checkin_token(session.id))
        context.update(link=link, short_link=_short_link(link), qr=qr_svg(link, "checkin-qr-svg", "QR-код для отметки на мероприятии"))
    return context


@bp.get("/sessions/<int:session_id>/checkin-screen")
@login_required
def checkin_screen(session_id: int):
    """The page a leader puts on the projector; the code on it renews itself (see checkin_code)."""
    session = load_staff_session(session_id)
    response = make_response(render_template("attendance/checkin_screen.html", **_code_context(session)))
    return _no_store(response)


@bp.get("/sessions/<int:session_id>/checkin-screen/code")
def checkin_code(session_id: int):
    """The code with a fresh token and the live count, polled by the screen; a plain visit goes
    to the screen."""
    session = load_staff_session(session_id)
    if not is_fragment_request():
        return redirect(url_for("attendance.checkin_screen", session_id=session.id))
    response = make_response(render_template("attendance/_checkin_code.html", **_code_context(session)))
    response.vary.add("HX-Request")
    return _no_store(response)


# -- the link in the code --------------------------------------------------------------------

def _session_facts(session: EventSession | None) -> dict:
    """Plain strings (read before the commit expires the session)."""
    if session is None:
        return {"session_title": None, "session_when": None}
    return {"session_title": session.title,
            "session_when": format_range(session.start_dt, session.end_dt, session.timezone)}


def _result(status: int, kind: str, message: str, **facts):
    response = make_response(render_template("attendance/checkin_result.html", kind=kind, message=message,
                                             **{"session_title": None, "session_when": None, **facts}), status)
    return _no_store(response, token_in_url=True)


def _refused(error: services.AttendanceError, session_id: int | None = None):
    session = db.session.get(EventSession, session_id) if session_id is not None else None
    return _result(error.status, "refused", error.message, **_session_facts(session))


def _check_in(session_id: int):
    """Mark the logged-in person and say how; a refusal writes nothing."""
    try:
        att, changed = services.check_in(session_id, _user())
    except services.AttendanceError as error:
        db.session.rollback()
        return _refused(error, session_id if error.status != 404 else None)
    session = db.session.get(EventSession, session_id)  # locked and loaded by check_in: no query
    facts = _session_facts(session)
    mark = f"{STATUS_WORDS.get(att.status, att.status.label.lower())}, " \
           f"{local(att.marked_dt, session.timezone):%H:%M}"
    if changed:
        kind = "late" if att.status == AttendanceStatus.LATE else "present"
        message = f"Вы отмечены: {mark}"
    else:
        kind, message = "already", f"Вы уже отмечены: {mark}"
    db.session.commit()
    return _result(200, kind, message, **facts)


@bp.get("/checkin/<token>")
def checkin(token: str):
    """The link in the QR code. A GET that writes: the token is a fresh capability that only
    someone in the room could have read off the screen a moment ago, so it stands in for the form
    and the CSRF token (and checking in twice changes nothing)."""
    try:
        session_id = services.session_for_checkin_token(token)
    except services.AttendanceError as error:
        return _refused(error)
    user = _user()
    if user is not None:
        return _check_in(session_id)
    # not logged in: say «closed» now rather than after the password; else remember the scan
    session = db.session.get(EventSession, session_id)
    if session is None:
        return _result(404, "refused", "Мероприятие не найдено.")
    reason = services.checkin_refusal(session)
    if reason:
        return _refused(services.AttendanceError(reason, 409), session_id)
    cookie_session[GRANT_KEY] = {"session_id": session_id, "granted_at": int(time.time())}
    flash(f"Войдите, чтобы отметиться на мероприятии «{session.title}».", "info")
    response = redirect(url_for("accounts.login", next=url_for("attendance.checkin_complete")))
    return _no_store(response, token_in_url=True)


@bp.get("/checkin/complete")
@login_required
def checkin_complete():
    """Where the login sends her back: the check-in remembered from the scan, used once."""
    grant = cookie_session.pop(GRANT_KEY, None)
    session_id = grant.get("session_id") if isinstance(grant, dict) else None
    granted_at = grant.get("granted_at") if isinstance(grant, dict) else None
    if not isinstance(session_id, int) or not isinstance(granted_at, int) \
            or not 0 <= time.time() - granted_at <= GRANT_SECONDS:
        return _result(410, "refused", "Отметка не выполнена: прошло слишком много времени после "
                                       "сканирования. Отсканируйте QR-код на экране ещё раз.")
    return _check_in(session_id)
