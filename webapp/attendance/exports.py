"""Attendance exports: one session's roster with its marks, and every mark of a period.

Files are CSV or XLSX through webapp.spreadsheets (formula-safe, never cached). Each export runs
one query for its rows, whatever their number.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

import sqlalchemy as sa
from flask import render_template, request
from flask_login import login_required
from sqlalchemy.orm import joinedload
from wtforms import DateField
from wtforms.validators import InputRequired

from webapp import spreadsheets
from webapp.accounts import auth
from webapp.accounts.models import Role, User
from webapp.attendance import services
from webapp.attendance.models import Attendance, AttendanceStatus, MarkSource
from webapp.attendance.routes import _user, bp, load_staff_session
from webapp.errors import render_error
from webapp.extensions import db
from webapp.forms import BaseForm, IntSelectField
from webapp.orgs.models import Municipality, Organization
from webapp.sessions.models import EventSession, SessionStatus, session_hours
from webapp.sites.models import Site
from webapp.timefmt import academic_year_of, local

FORMATS = ("csv", "xlsx")
#: a period export larger than this is refused (the person narrows the period or the place)
MAX_ROWS = 100_000
#: an Excel file takes about half a millisecond a row to build; larger periods go as CSV
MAX_XLSX_ROWS = 20_000
MAX_PERIOD_DAYS = 2 * 366
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)

COLUMNS = ("ФИО", "Организация", "Территория", "Должность", "E-mail", "Статус", "Примечание", "Без записи",
           "Как отмечен", "Время отметки", "Мероприятие", "Площадка", "Начало", "Окончание", "Часы")
WIDTHS = (36, 34, 22, 26, 30, 20, 30, 11, 24, 17, 44, 30, 17, 17, 7)
NOT_MARKED = "не отмечен"


def table_file(fmt: str, sheet_title: str, rows: Iterable[Sequence], ascii_stem: str, name_stem: str):
    """The attendance rows as CSV or a one-sheet workbook."""
    return spreadsheets.table_file(fmt, sheet_title, COLUMNS, WIDTHS, rows, ascii_stem, name_stem)


# -- rows ------------------------------------------------------------------------------------

def export_line(*, full_name: str, organization: str, municipality: str, position: str, email: str,
                status: AttendanceStatus | None, remark: str, walk_in: bool, source: MarkSource | None,
                marked_dt: datetime | None, title: str, site: str, start_dt: datetime, end_dt: datetime,
                tz: str, hours: int) -> list:
    """One person at one session; times as naive local times of the session's zone."""

    def wall(dt: datetime | None) -> datetime | None:
        return local(dt, tz).replace(tzinfo=None) if dt else None

    return [full_name, organization, municipality, position, email,
            status.label if status else NOT_MARKED, remark, "да" if walk_in else "нет",
            source.label if source and status else "", wall(marked_dt) if status else None,
            title, site, wall(start_dt), wall(end_dt), hours if status and status.attended else 0]


def _session_lines(session: EventSession) -> list[list]:
    """Everyone on the roster, marked or not, in ФИО order: one query."""
    rows = db.session.execute(services.roster_query(session.id).options(joinedload(Attendance.organization)))
    site = session.site.name if session.site else ""
    lines = []
    for person, att in rows:
        # the organization she came from when marked; her current one while unmarked
        org = (att.organization if att is not None else None) or person.organization
        lines.append(export_line(
            full_name=person.full_name, organization=org.name if org else "",
            municipality=org.municipality.name if org else "", position=person.position, email=person.email,
            status=att.status if att else None, remark=att.remark if att else "",
            walk_in=bool(att and att.walk_in), source=att.source if att else None,
            marked_dt=att.marked_dt if att else None, title=session.title, site=site,
            start_dt=session.start_dt, end_dt=session.end_dt, tz=session.timezone, hours=session.hours))
    return lines


def _format_arg() -> str | None:
    fmt = (request.args.get("format") or "").strip().lower()
    return fmt if fmt in FORMATS else None


@bp.get("/sessions/<int:session_id>/attendance/export")
@login_required
def session_export(session_id: int):
    """The session's roster with marks, one row a person: for the site's report or the accountant."""
    session = load_staff_session(session_id)
    fmt = _format_arg()
    if fmt is None:
        return render_error(400, "Неизвестный формат файла: выберите CSV или Excel (xlsx).")
    day = local(session.start_dt, session.timezone).strftime(spreadsheets.DATE_TEXT)
    return table_file(fmt, "Посещаемость", _session_lines(session), f"attendance-{session.id}",
                      f"Посещаемость — {session.title[:80]} — {day}")


# -- the period export -----------------------------------------------------------------------

class PeriodExportForm(BaseForm):
    class Meta:
        # a GET form that changes nothing
        csrf = False

    date_from = DateField("Период: с", validators=[InputRequired(message="Укажите дату начала периода.")])
    date_to = DateField("по", validators=[InputRequired(message="Укажите дату окончания периода.")])
    municipality = IntSelectField("Территория", allow_blank=True, blank_label="Все доступные")
    site = IntSelectField("Площадка", allow_blank=True, blank_label="Все доступные")

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        start, end = self.date_from.data, self.date_to.data
        for f in (self.date_from, self.date_to):
            if not EARLIEST <= f.data <= LATEST:
                f.errors.append(f"Укажите дату между {EARLIEST.year} и {LATEST.year} годом.")
                return False
        if start > end:
            self.date_to.errors.append("Дата окончания раньше даты начала.")
            return False
        if (end - start).days > MAX_PERIOD_DAYS:
            self.date_to.errors.append("Период длиннее двух лет: выберите период короче.")
            return False
        return True


def _choices(user: User) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Municipalities and sites this person may filter by: her methodist's municipalities, her
    sites and their municipalities; everything for admins. Two queries."""
    municipalities = sa.select(Municipality.id, Municipality.name).order_by(Municipality.name)
    sites = (sa.select(Site.id, Site.name).join(Organization, Organization.id == Site.organization_id)
             .order_by(Site.name, Site.id))
    if not auth.is_admin(user):
        own = user.scope_ids(Role.METHODIST)
        led = user.scope_ids(Role.SITE_LEADER)
        municipalities = municipalities.where(sa.or_(
            Municipality.id.in_(own),
            Municipality.id.in_(sa.select(Organization.municipality_id).join(Site, Site.organization_id
                                                                              == Organization.id)
                                .where(Site.id.in_(led)))))
        sites = sites.where(sa.or_(Organization.municipality_id.in_(own), Site.id.in_(led)))
    return ([tuple(r) for r in db.session.execute(municipalities)],
            [tuple(r) for r in db.session.execute(sites)])


def _default_period(today: date) -> dict:
    """The school year so far."""
    return {"date_from": date(academic_year_of(today), 9, 1), "date_to": today}


@dataclass
class PeriodRows:
    lines: list[list]
    too_many: bool


def period_lines(user: User, start: date, end: date, municipality_id: int | None = None,
                 site_id: int | None = None) -> PeriodRows:
    """Every mark at sessions the person manages whose local start date falls in [start, end]:
    one query with joins. Session zones differ, so the query takes a day more on each side and
    the exact dates are checked in the session's own zone."""
    org_id = sa.func.coalesce(Attendance.organization_id, User.organization_id)
    stmt = (
        sa.select(User.last_name, User.first_name, User.middle_name, User.position, User.email,
                  Organization.name, Municipality.name, Attendance.status, Attendance.remark,
                  Attendance.walk_in, Attendance.source, Attendance.marked_dt, EventSession.title, Site.name,
                  EventSession.start_dt, EventSession.end_dt, EventSession.timezone,
                  EventSession.academic_hours)
        .select_from(Attendance)
        .join(User, User.id == Attendance.user_id)
        .join(EventSession, EventSession.id == Attendance.session_id)
        .outerjoin(Site, Site.id == EventSession.site_id)
        .outerjoin(Organization, Organization.id == org_id)
        .outerjoin(Municipality, Municipality.id == Organization.municipality_id)
        .where(services.managed_sessions(user), EventSession.status != SessionStatus.CANCELLED,
               EventSession.start_dt >= datetime.combine(start - timedelta(days=1), time(), timezone.utc),
               EventSession.start_dt < datetime.combine(end + timedelta(days=2), time(), timezone.utc))
        .order_by(EventSession.start_dt, EventSession.id, User.last_name, User.first_name, User.middle_name,
                  User.id)
        .limit(MAX_ROWS + 1)
    )
    if municipality_id is not None:
        stmt = stmt.where(EventSession.municipality_id == municipality_id)
    if site_id is not None:
        stmt = stmt.where(EventSession.site_id == site_id)
    rows = db.session.execute(stmt).all()
    lines = []
    for (last, first, middle, position, email, org, municipality, status, remark, walk_in, source, marked_dt,
         title, site, start_dt, end_dt, tz, academic_hours) in rows:
        if not start <= local(start_dt, tz).date() <= end:
            continue
        lines.append(export_line(
            full_name=" ".join(p for p in (last, first, middle) if p), organization=org or "",
            municipality=municipality or "", position=position, email=email, status=status, remark=remark,
            walk_in=walk_in, source=source, marked_dt=marked_dt, title=title, site=site or "",
            start_dt=start_dt, end_dt=end_dt, tz=tz, hours=session_hours(academic_hours, start_dt, end_dt)))
    return PeriodRows(lines=lines, too_many=len(rows) > MAX_ROWS)


def _export_page(form: PeriodExportForm, status: int = 200, error: str = ""):
    return render_template("attendance/export.html", form=form, error=error, max_rows=MAX_ROWS), status


@bp.get("/attendance/export")
@login_required
def period_export():
    """The form, and with a format and a valid period the file: one row per person per session."""
    user = _user()
    auth.require(auth.can_create_sessions(user))
    municipalities, sites = _choices(user)
    form = PeriodExportForm(formdata=request.args if request.args else None,
                            data=_default_period(local(datetime.now(timezone.utc), "Europe/Moscow").date()))
    form.municipality.set_choices(municipalities)
    form.site.set_choices(sites)
    if "format" not in request.args:
        return _export_page(form)
    fmt = _format_arg()
    if not form.validate():
        return _export_page(form, 422)
    if fmt is None:
        return _export_page(form, 422, "Выберите формат файла: CSV или Excel.")
    start, end = form.date_from.data, form.date_to.data
    result = period_lines(user, start, end, form.municipality.data, form.site.data)
    if result.too_many:
        limit = f"{MAX_ROWS:,}".replace(",", "\u00a0")
        return _export_page(form, 422, f"В выгрузке больше {limit} строк: сократите период или выберите "
                                       "территорию или площадку.")
    if fmt == "xlsx" and len(result.lines) > MAX_XLSX_ROWS:
        limit = f"{MAX_XLSX_ROWS:,}".replace(",", "\u00a0")
        return _export_page(form, 422, f"В выгрузке {len(result.lines)} строк, а файл Excel собирается для не "
                                       f"больше {limit}: выберите CSV (он открывается в Excel) или сократите период.")
    return table_file(fmt, "Посещаемость", result.lines, f"attendance-{start:%Y-%m-%d}-{end:%Y-%m-%d}",
                      f"Посещаемость {start:%d.%m.%Y}–{end:%d.%m.%Y}")
