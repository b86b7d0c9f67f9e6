"""The public plan: which sessions a visitor sees, filtered and paginated."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from webapp.dbtypes import matches_words
from webapp.extensions import db
from webapp.orgs.models import Municipality
from webapp.plan.models import Plan, PlanItem, PlanStatus
from webapp.sessions.models import Delivery, EventSession, session_audiences
from webapp.sites.models import Site
from webapp.taxonomy.models import Audience, Direction, EventForm
from webapp.timefmt import MOSCOW, academic_year_bounds, academic_year_of
from webapp.ui import Page, parse_id, parse_page

MAX_QUERY_LENGTH = 100


def _month(raw: str | None) -> tuple[int, int] | None:
    try:
        year, month = (int(part) for part in (raw or "").split("-"))
    except ValueError:
        return None
    return (year, month) if 2000 <= year <= 2100 and 1 <= month <= 12 else None


@dataclass
class PlanFilters:
    """The plan page's filters, parsed leniently: a malformed value is dropped, never an error."""

    municipality: int | None = None
    direction: int | None = None
    form: int | None = None
    audience: int | None = None
    site: int | None = None
    delivery: Delivery | None = None
    month: tuple[int, int] | None = None
    q: str = ""
    year: int = field(default_factory=lambda: academic_year_of(date.today()))
    past: bool = False
    view: str = "list"
    page: int = 1

    @classmethod
    def from_args(cls, args, today: date | None = None) -> PlanFilters:
        today = today or datetime.now(MOSCOW).date()
        year = parse_id(args.get("year"))
        year = year if year and 2000 <= year <= 2100 else academic_year_of(today)
        month = _month(args.get("month"))
        if month:
            first, last = academic_year_bounds(year)
            if not first <= date(*month, 1) <= last:
                month = None
        return cls(
            municipality=parse_id(args.get("municipality")),
            direction=parse_id(args.get("direction")),
            form=parse_id(args.get("form")),
            audience=parse_id(args.get("audience")),
            site=parse_id(args.get("site")),
            delivery=Delivery.parse(args.get("delivery")),
            month=month,
            q=(args.get("q") or "").strip()[:MAX_QUERY_LENGTH],
            year=year,
            # a past year is shown whole; the current one from today unless asked otherwise
            past=args.get("past") == "1" or year < academic_year_of(today),
            view="calendar" if args.get("view") == "calendar" else "list",
            page=parse_page(args.get("page")),
        )

    @property
    def month_value(self) -> str:
        return f"{self.month[0]:04d}-{self.month[1]:02d}" if self.month else ""

    @property
    def is_filtered(self) -> bool:
        return any([self.municipality, self.direction, self.form, self.audience, self.site,
                    self.delivery, self.month, self.q])


def _moscow_midnight(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=MOSCOW).astimezone(timezone.utc)


def _month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    return _moscow_midnight(start), _moscow_midnight(end)


def visible_sessions() -> sa.Select:
    """Sessions a visitor may see: those of published plans and those outside any plan."""
    return (
        sa.select(EventSession)
        .outerjoin(PlanItem, EventSession.plan_item_id == PlanItem.id)
        .outerjoin(Plan, PlanItem.plan_id == Plan.id)
        .where(sa.or_(EventSession.plan_item_id.is_(None), Plan.status == PlanStatus.PUBLISHED))
    )


def apply_filters(stmt: sa.Select, f: PlanFilters, now: datetime | None = None) -> sa.Select:
    now = now or datetime.now(timezone.utc)
    first, last = academic_year_bounds(f.year)
    stmt = stmt.where(EventSession.start_dt >= _moscow_midnight(first),
                      EventSession.start_dt < _moscow_midnight(last + timedelta(days=1)))
    if f.month:
        lo, hi = _month_bounds(*f.month)
        stmt = stmt.where(EventSession.start_dt >= lo, EventSession.start_dt < hi)
    elif not f.past and f.view == "list":
        stmt = stmt.where(EventSession.end_dt >= now)
    return stmt.where(*selection_conditions(f))


def selection_conditions(f) -> list[sa.ColumnElement[bool]]:
    """The plan filters that select sessions by what they are (also the calendar feeds' selection):
    municipality, direction, form, site, delivery, audience and words of the search."""
    conditions = []
    for value, column in ((f.municipality, EventSession.municipality_id),
                          (f.direction, EventSession.direction_id),
                          (f.form, EventSession.form_id),
                          (f.site, EventSession.site_id),
                          (f.delivery, EventSession.delivery)):
        if value is not None:
            conditions.append(column == value)
    if f.audience:
        conditions.append(
            sa.exists().where(session_audiences.c.session_id == EventSession.id,
                              session_audiences.c.audience_id == f.audience)
        )
    if f.q:
        conditions.append(matches_words(EventSession.search_text, f.q))
    return conditions


def _with_display_relations(stmt: sa.Select) -> sa.Select:
    """Everything a plan row shows, in one joined query plus one for audiences."""
    return stmt.options(
        joinedload(EventSession.site),
        joinedload(EventSession.form),
        joinedload(EventSession.direction),
        joinedload(EventSession.municipality),
        selectinload(EventSession.audiences),
    )


def plan_page(f: PlanFilters, per_page: int) -> Page:
    stmt = apply_filters(visible_sessions(), f)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    pages = max(1, -(-total // per_page))
    f.page = min(f.page, pages)
    rows = db.session.scalars(
        _with_display_relations(stmt)
        .order_by(EventSession.start_dt, EventSession.id)
        .limit(per_page)
        .offset((f.page - 1) * per_page)
    ).unique().all()
    return Page(items=list(rows), page=f.page, per_page=per_page, total=total)


CALENDAR_LIMIT = 1000


def calendar_month(f: PlanFilters) -> tuple[int, int, list[EventSession], bool]:
    """The month shown in calendar view and its sessions (bounded; the grid shows a few a day)."""
    if f.month:
        year, month = f.month
    else:
        today = datetime.now(MOSCOW).date()
        first, last = academic_year_bounds(f.year)
        pick = today if first <= today <= last else first
        year, month = pick.year, pick.month
    stmt = apply_filters(visible_sessions(), PlanFilters(**{**f.__dict__, "month": (year, month)}))
    rows = db.session.scalars(
        _with_display_relations(stmt).order_by(EventSession.start_dt, EventSession.id).limit(CALENDAR_LIMIT + 1)
    ).unique().all()
    return year, month, list(rows[:CALENDAR_LIMIT]), len(rows) > CALENDAR_LIMIT


@dataclass
class FilterOptions:
    municipalities: list
    directions: list
    forms: list
    audiences: list
    sites: list


#: above this many sites the site picker waits for a municipality: a select of hundreds is unusable
SITE_PICKER_LIMIT = 60


def filter_options(f: PlanFilters | None = None) -> FilterOptions:
    def active(model):
        return db.session.execute(
            sa.select(model.id, model.name).where(model.is_active).order_by(model.position, model.name)
        ).all()

    return FilterOptions(
        municipalities=db.session.execute(
            sa.select(Municipality.id, Municipality.name).order_by(Municipality.name)).all(),
        directions=active(Direction),
        forms=active(EventForm),
        audiences=active(Audience),
        sites=_site_options(f),
    )


def _site_options(f: PlanFilters | None) -> list | None:
    """Sites for the picker: those of the chosen municipality, or all when there are few.

    None means «choose a municipality first». The chosen site always stays listed.
    """
    from webapp.orgs.models import Organization

    stmt = sa.select(Site.id, Site.name).where(sa.or_(Site.is_active, Site.id == (f.site if f else None)))
    if f and f.municipality:
        stmt = stmt.join(Organization, Site.organization_id == Organization.id).where(
            sa.or_(Organization.municipality_id == f.municipality, Site.id == f.site))
    rows = db.session.execute(stmt.order_by(Site.name).limit(SITE_PICKER_LIMIT + 1)).all()
    if len(rows) > SITE_PICKER_LIMIT:
        return [row for row in rows if f and row.id == f.site] or None
    return rows


def _content_version_statement():
    def latest(column):
        return sa.select(sa.func.max(column)).scalar_subquery()

    # Nothing the plan shows is ever deleted (cancel, don't delete) and a new row carries the
    # newest updated_dt, so the indexed maxima alone see every change.
    return sa.select(latest(EventSession.updated_dt), latest(Plan.updated_dt), latest(PlanItem.updated_dt),
                     latest(Site.updated_dt))


_CONTENT_VERSION = None


def content_version() -> tuple:
    """What the public plan shows, summarized in one cheap query (four indexed maxima).

    Every edit of a session, plan, plan item or site moves one of these, so the page cache
    (webapp/pagecache.py) never serves a page older than the data it was rendered from.
    """
    global _CONTENT_VERSION
    if _CONTENT_VERSION is None:
        _CONTENT_VERSION = _content_version_statement()
    return tuple(db.session.execute(_CONTENT_VERSION).one())
