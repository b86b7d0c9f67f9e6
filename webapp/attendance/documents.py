"""Paper: the sign-in sheet for sites that keep one, certificates of participation and their
public verification page.

Both documents are HTML pages with print styles (static/css/documents.css); the browser's
«Сохранить как PDF» in the print dialog is the PDF, so no PDF library is needed.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import login_required

from webapp.accounts import auth
from webapp.attendance import certificates, services
from webapp.attendance.models import Attendance
from webapp.attendance.routes import _user, bp, load_session, load_staff_session
from webapp.extensions import db, limiter
from webapp.htmx import redirect_after_post
from webapp.mail.services import external_url
from webapp.ui import parse_id, qr_svg, safe_next

#: empty numbered rows at the end of the sign-in sheet, for people who come without registering
BLANK_ROWS = 10


# -- the sign-in sheet -----------------------------------------------------------------------

@bp.get("/sessions/<int:session_id>/sign-in-sheet")
@login_required
def sign_in_sheet(session_id: int):
    """«Лист регистрации участников»: the roster in ФИО order with a signature column, ready to
    print on A4 (one query for the people, whatever their number)."""
    session = load_staff_session(session_id)
    rows = db.session.execute(services.roster_query(session.id)).all()
    people = [user for user, _attendance in rows]
    response = make_response(render_template("attendance/sign_in_sheet.html", s=session, people=people,
                                              blank_rows=BLANK_ROWS))
    response.headers["Cache-Control"] = "private, no-store"  # names of people
    return response


# -- certificates ----------------------------------------------------------------------------

@bp.post("/sessions/<int:session_id>/certificate")
@login_required
def issue_certificate(session_id: int):
    """Issue (or find again) a certificate: the participant her own, staff anyone's (user_id)."""
    session = load_session(session_id)
    actor = _user()
    back = safe_next(request.form.get("next")) or url_for("sessions.detail", session_id=session.id)
    raw_user_id = request.form.get("user_id")
    if raw_user_id:
        user_id = parse_id(raw_user_id)
        if user_id is None:
            abort(404)
        auth.require(user_id == actor.id or services.can_mark(actor, session))
    else:
        user_id = actor.id
    attendance = db.session.scalar(sa.select(Attendance).where(Attendance.session_id == session.id,
                                                               Attendance.user_id == user_id))
    try:
        if attendance is None:
            raise certificates.CertificateError(certificates.refusal(None, session), 409)
        cert = certificates.issue(attendance, actor)
        number = cert.number
        db.session.commit()
    except certificates.CertificateError as error:
        db.session.rollback()
        return _refused(error, back)
    return redirect_after_post("attendance.certificate", number=number)


def _refused(error: certificates.CertificateError, back: str):
    if getattr(request, "htmx", None):
        return make_response(render_template("attendance/_certificate_refusal.html", message=error.message),
                             error.status)
    flash(error.message, "error")
    return redirect(back, code=303)


@bp.get("/certificates/<number>")
@login_required
def certificate(number: str):
    """The certificate, print-ready on A4 landscape: its owner, the session's staff, her coordinator."""
    try:
        cert = certificates.find(certificates.normalize_number(number))
    except certificates.CertificateError:
        abort(404)
    if cert is None:
        abort(404)
    auth.require(certificates.can_view(_user(), cert))
    if number != cert.number:  # typed in lower case or without dashes: one address per certificate
        return redirect(url_for("attendance.certificate", number=cert.number))
    verify_url = external_url("attendance.verify", number=cert.number)
    response = make_response(render_template(
        "attendance/certificate.html", cert=cert, s=cert.session, person=cert.user,
        valid=certificates.is_valid(cert), verify_url=verify_url, qr_svg=qr_svg(verify_url, "qr", "QR-код для проверки сертификата"),
        took_part=certificates.took_part(cert.user), hours_text=certificates.hours_text(cert.hours),
        dates=certificates.session_dates(cert.session), host=certificates.host_name(cert.session)))
    response.headers["Cache-Control"] = "private, no-store"
    return response


# -- public verification ---------------------------------------------------------------------

def _verify_limit() -> str:
    return current_app.config.get("VERIFY_RATE_LIMIT", "30 per minute")


@bp.get("/verify", defaults={"number": None})
@bp.get("/verify/<number>")
@limiter.shared_limit(_verify_limit, scope="certificate-verify")
def verify(number: str | None = None):
    """Is a certificate genuine? Public, no login; shows no more than the certificate itself says."""
    raw = (number if number is not None else request.args.get("number")) or ""
    context = {"asked": bool(raw.strip()), "cert": None, "number": "", "error": "",
               # what was typed goes back into the field, without control characters
               "typed": "".join(c for c in raw if c.isprintable())[:certificates.MAX_INPUT]}
    status = 200
    if context["asked"]:
        try:
            context["number"] = certificates.normalize_number(raw)
        except certificates.CertificateError as refusal:
            status, context["error"] = refusal.status, refusal.message
        else:
            cert = context["cert"] = certificates.find(context["number"])
            if cert is None:
                status = 404
            else:
                context.update(valid=certificates.is_valid(cert), hours_count=certificates.hours_count(cert.hours),
                               dates=certificates.session_dates(cert.session),
                               host=certificates.host_name(cert.session))
    response = make_response(render_template("attendance/verify.html", **context), status)
    response.headers["Cache-Control"] = "no-store"
    return response
