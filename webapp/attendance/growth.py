"""The teacher's record of professional growth: every session she attended, with its hours,
and the totals per direction and per school year; on screen, printed, or as an Excel workbook.

Seen by the teacher, the coordinator of her school, the methodists of its municipality and admins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import abort, request, url_for
from flask_login import login_required
from openpyxl import Workbook
from sqlalchemy.orm import contains_eager, joinedload

from webapp import spreadsheets as files
from webapp.accounts import auth
from webapp.accounts.models import User

# the module, not its names: importing exports first imports routes, which imports this module
from webapp.attendance.models import ATTENDED_STATUSES, Attendance, AttendanceStatus, Certificate
from webapp.attendance.routes import _user, bp
from webapp.extensions import db
from webapp.htmx import render
from webapp.sessions.models import EventSession, SessionStatus
from webapp.timefmt import academic_year_of, local

NO_DIRECTION = "Без направления"
FIRST_YEAR, LAST_YEAR = 2000, 2100


def school_year_label(start_year: int) -> str:
    """«2026/27»."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def parse_year(raw: str | None) -> int | None:
    """A school year's first calendar year from ?year=; anything else means all years."""
    raw = (raw or "").strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) != 4:
        return None
    year = int(raw)
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


@dataclass
class GrowthEntry:
    attendance: Attendance
    certificate_number: str | None

    @property
    def session(self) -> EventSession:
        return self.attendance.session

    @property
    def local_start(self) -> datetime:
        return local(self.session.start_dt, self.session.timezone)

    @property
    def school_year(self) -> int:
        """In the session's own zone: a session at 01:00 on 1 September belongs to the new year."""
        return academic_year_of(self.local_start.date())

    @property
    def hours(self) -> int:
        return self.session.hours

    @property
    def is_late(self) -> bool:
        return self.attendance.status == AttendanceStatus.LATE

    @property
    def direction_name(self) -> str:
        return self.session.direction.name if self.session.direction else NO_DIRECTION


@dataclass
class Total:
    label: str
    sessions: int = 0
    hours: int = 0

    def add(self, entry: GrowthEntry) -> None:
        self.sessions += 1
        self.hours += entry.hours


@dataclass
class GrowthRecord:
    person: User
    #: the attended sessions shown (of the chosen year, or all), oldest first
    entries: list[GrowthEntry]
    #: every school year with an attended session, oldest first (for the year switch)
    years: list[int]
    year: int | None
    by_direction: list[Total] = field(default_factory=list)
    by_year: list[Total] = field(default_factory=list)
    total: Total = field(default_factory=lambda: Total("Всего"))

    @property
    def groups(self) -> list[tuple[int, list[GrowthEntry]]]:
        """The entries under their school years."""
        groups: dict[int, list[GrowthEntry]] = {}
        for entry in self.entries:
            groups.setdefault(entry.school_year, []).append(entry)
        return list(groups.items())


def _direction_key(entry: GrowthEntry):
    direction = entry.session.direction
    return (1, 0, "", 0) if direction is None else (0, direction.position, direction.name, direction.id)


def growth_record(person: User, year: int | None = None) -> GrowthRecord:
    """Her attended sessions (present or late; cancelled sessions do not count) with the totals:
    one query, whatever their number. The school year is taken in each session's zone, so the
    year filter runs here rather than in SQL; one person's record is small."""
    rows = db.session.execute(
        sa.select(Attendance, Certificate.number)
        .join(Attendance.session)
        .outerjoin(EventSession.site)
        .outerjoin(EventSession.form)
        .outerjoin(EventSession.direction)
        .outerjoin(Certificate, Certificate.attendance_id == Attendance.id)
        .where(Attendance.user_id == person.id, Attendance.status.in_(ATTENDED_STATUSES),
               EventSession.status != SessionStatus.CANCELLED)
        .options(contains_eager(Attendance.session).contains_eager(EventSession.site),
                 contains_eager(Attendance.session).contains_eager(EventSession.form),
                 contains_eager(Attendance.session).contains_eager(EventSession.direction))
        .order_by(EventSession.start_dt, EventSession.id)
    ).all()
    every = [GrowthEntry(att, number) for att, number in rows]
    years = sorted({e.school_year for e in every})
    entries = [e for e in every if year is None or e.school_year == year]
    record = GrowthRecord(person=person, entries=entries, years=years, year=year)
    directions: dict[tuple, Total] = {}
    for entry in sorted(entries, key=_direction_key):
        directions.setdefault(_direction_key(entry), Total(entry.direction_name)).add(entry)
    record.by_direction = list(directions.values())
    per_year: dict[int, Total] = {}
    for entry in entries:
        per_year.setdefault(entry.school_year, Total(school_year_label(entry.school_year))).add(entry)
        record.total.add(entry)
    record.by_year = list(per_year.values())
    return record


def may_see_growth(viewer: User | None, person: User) -> bool:
    """The teacher herself, her school's coordinator, the methodists of its municipality, admins."""
    if viewer is None:
        return False
    if viewer.id == person.id or auth.is_admin(viewer):
        return True
    org = person.organization
    return org is not None and (auth.coordinator_of(viewer, org.id) or auth.methodist_of(viewer, org.municipality_id))


# -- the workbook ----------------------------------------------------------------------------

ROW_COLUMNS = ("Дата", "Учебный год", "Мероприятие", "Площадка", "Форма", "Направление", "Часы", "Отметка",
               "Сертификат")
ROW_WIDTHS = (12, 12, 56, 34, 28, 40, 7, 16, 16)


def growth_workbook(record: GrowthRecord) -> bytes:
    """Two sheets: «Журнал» (a row per session) and «Итоги» (per direction, per year, in all)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Журнал"
    files.fill_table(sheet, ROW_COLUMNS, (
        [e.local_start.date(), school_year_label(e.school_year), e.session.title,
         e.session.site.name if e.session.site else "", e.session.form.name if e.session.form else "",
         e.direction_name, e.hours, e.attendance.status.label, e.certificate_number or ""]
        for e in record.entries), ROW_WIDTHS)
    totals = book.create_sheet("Итоги")
    person = record.person
    files.append_row(totals, ["Педагог", person.full_name], bold=True)
    files.append_row(totals, ["Организация", person.organization.name if person.organization else ""])
    files.append_row(totals, ["Должность", person.position])
    files.append_row(totals, ["Период", school_year_label(record.year) + " учебный год" if record.year else "все годы"])
    for heading, rows in (("Направление", record.by_direction), ("Учебный год", record.by_year)):
        files.append_row(totals, [])
        files.append_row(totals, [heading, "Мероприятий", "Часов"], bold=True)
        for total in rows:
            files.append_row(totals, [total.label, total.sessions, total.hours])
    files.append_row(totals, [])
    files.append_row(totals, [record.total.label, record.total.sessions, record.total.hours], bold=True)
    for column, width in zip("ABC", (50, 14, 10), strict=True):
        totals.column_dimensions[column].width = width
    return files.workbook_bytes(book)


# -- pages -----------------------------------------------------------------------------------

def _respond(person: User, endpoint: str, **view_args):
    year = parse_year(request.args.get("year"))
    record = growth_record(person, year)
    if request.args.get("format") == "xlsx":
        period = f" {school_year_label(year).replace('/', '-')}" if year else ""
        return files.download(growth_workbook(record), "xlsx", f"growth-{person.id}{'-' + str(year) if year else ''}",
                        f"Журнал роста — {person.last_name}{period}")

    def link(**args) -> str:
        """This record's URL with other arguments (the year switch, the download)."""
        values = {"year": year, **args}
        return url_for(endpoint, **view_args, **{k: v for k, v in values.items() if v is not None})

    is_self = (_user() is not None and _user().id == person.id)
    return render("attendance/growth.html", "attendance/_growth.html", record=record, link=link,
                  is_self=is_self, school_year_label=school_year_label)


@bp.get("/growth")
@login_required
def growth_mine():
    """My record of professional growth."""
    return _respond(_user(), "attendance.growth_mine")


@bp.get("/people/<int:user_id>/growth")
@login_required
def growth_person(user_id: int):
    """A teacher's record, for her coordinator, the methodist or an admin."""
    person = db.session.scalars(
        sa.select(User).where(User.id == user_id).options(joinedload(User.organization))).one_or_none()
    if person is None or not person.is_active:
        abort(404)
    auth.require(may_see_growth(_user(), person))
    return _respond(person, "attendance.growth_person", user_id=person.id)
