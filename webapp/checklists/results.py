"""Check-list results: what the respondents of a template answered, summed in SQL from the
tallies that submission keeps (`answering._count`), never by reading responses one by one.

A results page runs a constant number of queries whatever the number of responses: the template
with its items, its assignments, the filter choices, one grouped sum of the tallies per group shown
(the filtered scope, or each side of a comparison) and one count of invitations per group. Items
are shown as the template's current version has them; answers of earlier versions join them by
item key (an option value or a matrix row the current version no longer has is shown as such).

Who sees what, on every request: admins everything; a methodist the responses of her
municipalities; a site leader the responses for sessions of her sites. A filter outside her scope
yields nothing more: the scope is always ANDed in.

Anonymity: a group with one or two responses of anonymous assignments shows no distribution, mean
or text. Counting anonymous responses apart (rather than all the group's responses) matters when
a group mixes anonymous and named responses: the named ones can be read in the export, so the
anonymous ones would be their difference.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache, lru_cache

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload

from webapp.accounts.models import Role, User
from webapp.checklists.building import YPN_VALUES
from webapp.checklists.models import (
    ChecklistAnswer,
    ChecklistAssignment,
    ChecklistInvitation,
    ChecklistItem,
    ChecklistResponse,
    ChecklistTally,
    ChecklistTemplate,
    ChecklistVersion,
    ItemKind,
    RespondentRole,
)
from webapp.extensions import db
from webapp.orgs.models import Municipality
from webapp.plan.models import PlanItem
from webapp.sessions.models import EventSession
from webapp.sites.models import Site
from webapp.taxonomy.models import Direction
from webapp.timefmt import MOSCOW, academic_year_label, academic_year_of, local, month_name
from webapp.ui import format_number, parse_id, plural

#: fewer anonymous responses than this in a group: nothing but counts is shown
MIN_ANONYMOUS = 3
HIDDEN_NOTICE = "Ответов меньше трёх: результаты скрыты, чтобы сохранить анонимность."
TEXTS_PER_PAGE = 20
OLD_OPTION = "вариант прежней версии"
OLD_ROW = "строка прежней версии"
FIRST_YEAR, LAST_YEAR = 2000, 2100
EARLIEST, LATEST = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 1)
#: a number item with more distinct values than this is shown as a histogram of ranges
NUMBER_BARS = 8
NUMBER_BINS = 6
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")

FILTER_LABELS = {
    "session_id": "Мероприятие", "site_id": "Площадка", "plan_item_id": "Пункт плана",
    "direction_id": "Направление", "municipality_id": "Территория", "assignment_id": "Назначение",
    "role": "Кто отвечал", "from": "Период с", "to": "Период по",
}
ID_FILTERS = ("session_id", "site_id", "plan_item_id", "direction_id", "municipality_id", "assignment_id")
ROLE_SHORT = {
    RespondentRole.PARTICIPANT: "Участники", RespondentRole.HOST: "Руководитель площадки",
    RespondentRole.OBSERVER: "Наблюдатель", RespondentRole.HEAD: "Руководитель школы (отсроченная оценка)",
    RespondentRole.MUNICIPALITY: "Педагоги территории",
}


# -- who may see results ---------------------------------------------------------------------

@dataclass(frozen=True)
class Scope:
    """What a viewer may read: everything, or the responses of some municipalities and sites."""

    everything: bool
    municipality_ids: tuple[int, ...] = ()
    site_ids: tuple[int, ...] = ()


def scope_of(user: User | None) -> Scope | None:
    """None: no results for this person (teachers, coordinators)."""
    if user is None:
        return None
    if user.is_admin:
        return Scope(everything=True)
    municipalities = tuple(sorted(user.scope_ids(Role.METHODIST)))
    sites = tuple(sorted(user.scope_ids(Role.SITE_LEADER)))
    if not municipalities and not sites:
        return None
    return Scope(everything=False, municipality_ids=municipalities, site_ids=sites)


def can_see_results(user: User | None) -> bool:
    return scope_of(user) is not None


# -- filters ---------------------------------------------------------------------------------

@dataclass
class Filters:
    session_id: int | None = None
    site_id: int | None = None
    plan_item_id: int | None = None
    direction_id: int | None = None
    municipality_id: int | None = None
    assignment_id: int | None = None
    role: RespondentRole | None = None
    #: first days of the first and the last month of submission
    month_from: date | None = None
    month_to: date | None = None
    #: why some arguments were ignored, for the person to read
    notes: list[str] = field(default_factory=list)

    @property
    def is_filtered(self) -> bool:
        return any(v is not None for v in (
            *(getattr(self, name) for name in ID_FILTERS), self.role, self.month_from, self.month_to))

    def args(self) -> dict[str, str]:
        """The filters that apply, as query arguments (for links and the export)."""
        out = {name: str(getattr(self, name)) for name in ID_FILTERS if getattr(self, name) is not None}
        if self.role is not None:
            out["role"] = self.role.value
        if self.month_from is not None:
            out["from"] = f"{self.month_from:%Y-%m}"
        if self.month_to is not None:
            out["to"] = f"{self.month_to:%Y-%m}"
        return out

    def key(self) -> tuple:
        """The filters and the notes shown about ignored ones, as a cache key."""
        return (*sorted(self.args().items()), *self.notes)


@dataclass(frozen=True)
class Compare:
    """Two sites or two academic years side by side."""

    kind: str  # "site" | "year"
    a: int
    b: int

    def args(self) -> dict[str, str]:
        return {"compare": self.kind, "a": str(self.a), "b": str(self.b)}


@dataclass(frozen=True)
class Side:
    """One group shown: the whole filtered scope (key ""), or one side of a comparison."""

    key: str
    label: str
    site_id: int | None = None
    year: int | None = None


@lru_cache(maxsize=1024)
def _month_label(year: int, month: int) -> str:
    """«Октябрь 2026» (Babel is slow, and a page names the same months again and again)."""
    return month_name(year, month)


def count_text(n: int) -> str:
    """A count the Russian way («1 250»); most are small, and format_number is slow for them."""
    return str(n) if -1000 < n < 1000 else format_number(n)


def _shown(raw: str) -> str:
    raw = " ".join(raw.split())
    return raw if len(raw) <= 30 else raw[:29] + "…"


def parse_month(raw: str | None) -> date | None:
    match = MONTH_RE.match((raw or "").strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        return None
    return date(year, month, 1)


def parse_year(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) != 4:
        return None
    year = int(raw)
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


def parse_args(args: Mapping[str, str]) -> tuple[Filters, Compare | None]:
    """The filters and the comparison asked for. Malformed values are ignored, each with a note in
    Russian: a bookmarked or hand-edited link never ends in an error."""
    f = Filters()

    def ignore(name: str, raw: str, why: str) -> None:
        f.notes.append(f"Фильтр «{FILTER_LABELS[name]}» не применён: «{_shown(raw)}» — {why}.")

    for name in ID_FILTERS:
        raw = args.get(name) or ""
        if raw.strip():
            value = parse_id(raw)
            if value is None:
                ignore(name, raw, "не номер из списка")
            setattr(f, name, value)
    raw_role = (args.get("role") or "").strip()
    if raw_role:
        f.role = RespondentRole.parse(raw_role)
        if f.role is None:
            ignore("role", raw_role, "нет такой роли")
    for name, attr in (("from", "month_from"), ("to", "month_to")):
        raw = args.get(name) or ""
        if raw.strip():
            month = parse_month(raw)
            if month is None:
                ignore(name, raw, "ожидается месяц в виде ГГГГ-ММ")
            setattr(f, attr, month)
    if f.month_from and f.month_to and f.month_from > f.month_to:
        f.notes.append(f"Период не применён: «с» ({_month_label(f.month_from.year, f.month_from.month)}) позже, "
                       f"чем «по» ({_month_label(f.month_to.year, f.month_to.month)}).")
        f.month_from = f.month_to = None
    return f, _parse_compare(args, f.notes)


def _parse_compare(args: Mapping[str, str], notes: list[str]) -> Compare | None:
    kind = (args.get("compare") or "").strip()
    if not kind:
        return None
    if kind not in ("site", "year"):
        notes.append(f"Сравнение не применено: «{_shown(kind)}» — можно сравнить две площадки или два учебных года.")
        return None
    parse = parse_id if kind == "site" else parse_year
    a, b = parse(args.get("a")), parse(args.get("b"))
    if a is None or b is None:
        what = "две площадки" if kind == "site" else "два учебных года"
        notes.append(f"Сравнение не применено: выберите {what}.")
        return None
    if a == b:
        notes.append("Сравнение не применено: выбрано одно и то же дважды.")
        return None
    return Compare(kind, a, b)


# -- the scope as SQL ------------------------------------------------------------------------

@dataclass(frozen=True)
class _Columns:
    """Where tallies, responses and invitations keep the dimensions a scope is made of."""

    session: sa.ColumnElement
    municipality: sa.ColumnElement
    assignment: sa.ColumnElement
    role: Callable[[RespondentRole], sa.ColumnElement]
    #: months of submission, [first, last] (first days)
    months: Callable[[date, date], sa.ColumnElement]


def _next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def _moscow_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), MOSCOW)


def _assignments_of_role(role: RespondentRole):
    return sa.select(ChecklistAssignment.id).where(ChecklistAssignment.role == role).correlate(None)


T, R, A, I = ChecklistTally, ChecklistResponse, ChecklistAssignment, ChecklistInvitation
#: the session an invitation is for (an alias: subqueries on event_sessions must not correlate to it)
InvitedSession = EventSession.__table__.alias("invited_session")

TALLY = _Columns(
    session=T.session_id, municipality=T.municipality_id, assignment=T.assignment_id,
    role=lambda role: T.assignment_id.in_(_assignments_of_role(role)),
    months=lambda first, last: sa.and_(T.month >= first, T.month <= last))
RESPONSE = _Columns(
    session=R.session_id, municipality=R.municipality_id, assignment=R.assignment_id,
    role=lambda role: R.role == role,
    months=lambda first, last: sa.and_(R.submitted_on >= first, R.submitted_on < _next_month(last)))
#: needs `A` and `InvitedSession` (outer) joined; an invitation's month is when answering opened
INVITATION = _Columns(
    session=I.session_id, municipality=sa.func.coalesce(InvitedSession.c.municipality_id, A.municipality_id),
    assignment=I.assignment_id, role=lambda role: A.role == role,
    months=lambda first, last: sa.and_(I.opens_dt >= _moscow_midnight(first),
                                       I.opens_dt < _moscow_midnight(_next_month(last))))


def _sessions_where(*conditions) -> sa.Select:
    return sa.select(EventSession.id).where(*conditions).correlate(None)


def scope_conditions(cols: _Columns, scope: Scope) -> list:
    if scope.everything:
        return []
    allowed = []
    if scope.municipality_ids:
        allowed.append(cols.municipality.in_(scope.municipality_ids))
    if scope.site_ids:
        allowed.append(cols.session.in_(_sessions_where(EventSession.site_id.in_(scope.site_ids))))
    return [sa.or_(*allowed) if allowed else sa.false()]


def conditions(cols: _Columns, scope: Scope, f: Filters, side: Side | None = None) -> list:
    """The viewer's scope AND the filters AND the side of a comparison."""
    out = scope_conditions(cols, scope)
    if f.session_id is not None:
        out.append(cols.session == f.session_id)
    by_session = []
    for value, column in ((f.site_id, EventSession.site_id), (f.plan_item_id, EventSession.plan_item_id),
                          (f.direction_id, EventSession.direction_id),
                          (side.site_id if side else None, EventSession.site_id)):
        if value is not None:
            by_session.append(column == value)
    if by_session:
        out.append(cols.session.in_(_sessions_where(*by_session)))
    if f.municipality_id is not None:
        out.append(cols.municipality == f.municipality_id)
    if f.assignment_id is not None:
        out.append(cols.assignment == f.assignment_id)
    if f.role is not None:
        out.append(cols.role(f.role))
    first, last = f.month_from, f.month_to
    if side is not None and side.year is not None:
        first = max(first or EARLIEST, date(side.year, 9, 1))
        last = min(last or LATEST, date(side.year + 1, 8, 1))
    if first is not None or last is not None:
        out.append(cols.months(first or EARLIEST, last or LATEST))
    return out


# -- loading ---------------------------------------------------------------------------------

# Statements of a fixed shape are built once: building one costs more than running it here.
@cache
def _template_statement() -> sa.Select:
    return (sa.select(ChecklistTemplate).where(ChecklistTemplate.id == sa.bindparam("template_id"))
            .options(joinedload(ChecklistTemplate.versions).joinedload(ChecklistVersion.items)))


def load_template(template_id: int) -> ChecklistTemplate | None:
    """The template with every version's items, in one query."""
    return db.session.scalars(_template_statement(), {"template_id": template_id}).unique().one_or_none()


def _assigned_in_scope(scope: Scope, template_id_column) -> sa.ColumnElement:
    """An assignment of the template targets the viewer's municipalities or sites."""
    targets = []
    if scope.municipality_ids:
        targets += [A.municipality_id.in_(scope.municipality_ids),
                    A.session_id.in_(_sessions_where(EventSession.municipality_id.in_(scope.municipality_ids)))]
    if scope.site_ids:
        targets += [A.site_id.in_(scope.site_ids),
                    A.session_id.in_(_sessions_where(EventSession.site_id.in_(scope.site_ids)))]
    return sa.exists().where(A.template_id == template_id_column, sa.or_(*targets) if targets else sa.false())


def may_view(user: User | None, template: ChecklistTemplate) -> bool:
    """Admins every template; a methodist the network's and her municipality's templates; anyone
    with results the templates assigned in her scope or answered there (one query)."""
    scope = scope_of(user)
    if scope is None:
        return False
    if scope.everything:
        return True
    if scope.municipality_ids and (template.municipality_id is None or template.municipality_id in scope.municipality_ids):
        return True
    answered = sa.exists().where(T.template_id == template.id, T.item_key == "*", *scope_conditions(TALLY, scope))
    return bool(db.session.scalar(sa.select(sa.or_(answered, _assigned_in_scope(scope, template.id)))))


@dataclass
class IndexRow:
    template_id: int
    title: str
    archived: bool
    responses: int


def templates_with_results(user: User) -> list[IndexRow]:
    """The templates whose results she may read, with the number of responses in her scope: one
    grouped query. Admins see every template; others those answered or assigned in their scope
    (and a methodist also the network's and her municipality's)."""
    scope = scope_of(user)
    counts = (sa.select(T.template_id, sa.func.sum(T.count).label("n"))
              .where(T.item_key == "*", *scope_conditions(TALLY, scope)).group_by(T.template_id).subquery())
    n = sa.func.coalesce(counts.c.n, 0)
    stmt = (sa.select(ChecklistTemplate.id, ChecklistTemplate.title, ChecklistTemplate.archived_dt, n)
            .outerjoin(counts, counts.c.template_id == ChecklistTemplate.id)
            .order_by(ChecklistTemplate.archived_dt.is_not(None), ChecklistTemplate.title, ChecklistTemplate.id))
    if not scope.everything:
        visible = [n > 0, _assigned_in_scope(scope, ChecklistTemplate.id)]
        if scope.municipality_ids:
            visible += [ChecklistTemplate.municipality_id.is_(None),
                        ChecklistTemplate.municipality_id.in_(scope.municipality_ids)]
        stmt = stmt.where(sa.or_(*visible))
    return [IndexRow(tid, title, archived is not None, int(count or 0))
            for tid, title, archived, count in db.session.execute(stmt)]


@dataclass
class AssignmentInfo:
    id: int
    role: RespondentRole
    anonymous: bool
    label: str
    municipality_id: int | None
    site_id: int | None
    session_site_id: int | None


def _day(d: date | datetime | None, tz: str | None = None) -> str:
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = local(d, tz).date()
    return f"{d:%d.%m.%Y}"


@cache
def _assignments_statement() -> sa.Select:
    return (sa.select(A.id, A.role, A.anonymous, A.municipality_id, A.site_id, A.period_start, A.period_end,
                      A.cancelled_dt, EventSession.title, EventSession.start_dt, EventSession.timezone,
                      EventSession.site_id, Site.name, PlanItem.number, PlanItem.title, Municipality.name)
            .outerjoin(EventSession, EventSession.id == A.session_id)
            .outerjoin(Site, Site.id == A.site_id)
            .outerjoin(PlanItem, PlanItem.id == A.plan_item_id)
            .outerjoin(Municipality, Municipality.id == A.municipality_id)
            .where(A.template_id == sa.bindparam("template_id")).order_by(A.id))


def template_assignments(template_id: int) -> list[AssignmentInfo]:
    """Every assignment of the template with a label saying whom it asked about what (one query)."""
    rows = db.session.execute(_assignments_statement(), {"template_id": template_id})
    out = []
    for (aid, role, anonymous, municipality_id, site_id, start, end, cancelled, s_title, s_start, s_tz,
         s_site, site_name, item_number, item_title, municipality_name) in rows:
        if s_title is not None:
            target = f"«{s_title}», {_day(s_start, s_tz)}"
        elif site_name is not None:
            target = f"площадка «{site_name}»"
        elif item_title is not None:
            target = f"пункт плана {item_number} «{item_title[:60]}»"
        else:
            target = f"опрос {_day(start)}–{_day(end)}" if end else f"опрос с {_day(start)}"
            if municipality_name:
                target += f", {municipality_name}"
        label = f"{ROLE_SHORT.get(role, role.label)}: {target}"
        if anonymous:
            label += " (анонимно)"
        if cancelled is not None:
            label += " (отменено)"
        out.append(AssignmentInfo(aid, role, anonymous, label, municipality_id, site_id, s_site))
    return out


@dataclass
class Choices:
    """What the filters offer: only what has responses in the viewer's scope."""

    sessions: list[tuple[int, str]]
    sites: list[tuple[int, str]]
    plan_items: list[tuple[int, str]]
    directions: list[tuple[int, str]]
    municipalities: list[tuple[int, str]]
    assignments: list[tuple[int, str]]
    roles: list[tuple[str, str]]
    months: list[tuple[str, str]]
    years: list[tuple[int, str]]
    site_names: dict[int, str]


def filter_choices(template_id: int, scope: Scope, assignments: list[AssignmentInfo]) -> Choices:
    """One query: the distinct (assignment, session, municipality, month) of the template's
    responses in the viewer's scope, with the names the filters show."""
    cells = (sa.select(T.assignment_id, T.session_id, T.municipality_id, T.month)
             .where(T.template_id == template_id, T.item_key == "*", *scope_conditions(TALLY, scope))
             .distinct().subquery())
    rows = db.session.execute(
        sa.select(cells.c.assignment_id, cells.c.session_id, cells.c.month, EventSession.title,
                  EventSession.start_dt, EventSession.timezone, EventSession.site_id, Site.name,
                  EventSession.plan_item_id, PlanItem.number, PlanItem.title, EventSession.direction_id,
                  Direction.name, cells.c.municipality_id, Municipality.name)
        .select_from(cells)
        .outerjoin(EventSession, EventSession.id == cells.c.session_id)
        .outerjoin(Site, Site.id == EventSession.site_id)
        .outerjoin(PlanItem, PlanItem.id == EventSession.plan_item_id)
        .outerjoin(Direction, Direction.id == EventSession.direction_id)
        .outerjoin(Municipality, Municipality.id == cells.c.municipality_id)).all()
    sessions: dict[int, tuple] = {}
    sites, items, directions, municipalities = {}, {}, {}, {}
    months, answered_assignments = set(), set()
    for (aid, sid, month, title, start, tz, site_id, site_name, item_id, item_number, item_title, direction_id,
         direction_name, municipality_id, municipality_name) in rows:
        answered_assignments.add(aid)
        months.add(month)
        if title is not None and sid not in sessions:
            sessions[sid] = (start, f"{_day(start, tz)} — {title}")
        if site_id is not None:
            sites[site_id] = site_name
        if item_id is not None:
            items[item_id] = f"{item_number}. {item_title[:80]}"
        if direction_id is not None:
            directions[direction_id] = direction_name
        if municipality_id is not None:
            municipalities[municipality_id] = municipality_name
    visible = [a for a in assignments if scope.everything or a.id in answered_assignments
               or a.municipality_id in scope.municipality_ids
               or (a.site_id or a.session_site_id) in scope.site_ids]
    by_name = lambda pairs: sorted(pairs.items(), key=lambda p: (p[1] or "").casefold())  # noqa: E731
    ordered_months = sorted(months)
    return Choices(
        sessions=[(sid, label) for sid, (_, label) in sorted(sessions.items(), key=lambda p: p[1][0], reverse=True)],
        sites=by_name(sites), plan_items=sorted(items.items(), key=lambda p: p[1]), directions=by_name(directions),
        municipalities=by_name(municipalities), assignments=[(a.id, a.label) for a in visible],
        roles=[(r.value, r.label) for r in RespondentRole if any(a.role == r for a in visible)],
        months=[(f"{m:%Y-%m}", _month_label(m.year, m.month)) for m in ordered_months],
        years=[(y, academic_year_label(y)) for y in sorted({academic_year_of(m) for m in ordered_months})],
        site_names=sites)


# -- sums ------------------------------------------------------------------------------------

@dataclass
class Cell:
    row_key: str
    value: str
    count: int

    @property
    def number(self) -> float | None:
        """The value as a number: scale points, matrix points and numbers are counted as their text
        (answering._tally_cells), so the text is the number; a choice is None."""
        try:
            number = float(self.value)
        except ValueError:
            return None
        return number if math.isfinite(number) else None


@dataclass
class Group:
    notice = HIDDEN_NOTICE

    side: Side
    responses: int = 0
    #: of them, responses of anonymous assignments
    anonymous_responses: int = 0
    invited: int = 0
    #: item key → its summed tally cells ("*" included)
    cells: dict[str, list[Cell]] = field(default_factory=dict)

    @property
    def hidden(self) -> bool:
        return 0 < self.anonymous_responses < MIN_ANONYMOUS

    @property
    def rate(self) -> float | None:
        return 100.0 * self.responses / self.invited if self.invited else None


def sum_cells(template_id: int, where: list, anonymous_ids: list[int]) -> Group:
    """Every tally cell of the template in the scope, summed over sessions and months: one query
    grouped by item, row and value (and, with anonymous assignments, how much of each is theirs)."""
    columns = [T.item_key, T.row_key, T.value, sa.func.sum(T.count)]
    if anonymous_ids:
        columns.append(sa.func.sum(sa.case((T.assignment_id.in_(anonymous_ids), T.count), else_=0)))
    rows = db.session.execute(sa.select(*columns).where(T.template_id == template_id, *where)
                              .group_by(T.item_key, T.row_key, T.value))
    group = Group(Side("", ""))
    cells = group.cells
    for item_key, row_key, value, count, *anonymous in rows:
        if item_key == "*":
            group.responses += int(count)
            group.anonymous_responses += int(anonymous[0]) if anonymous else 0
        elif item_key in cells:
            cells[item_key].append(Cell(row_key, value, int(count)))
        else:
            cells[item_key] = [Cell(row_key, value, int(count))]
    return group


def count_invited(template_id: int, scope: Scope, f: Filters, side: Side | None = None) -> int:
    """Invitations in the scope: one count. The invitation's session is joined only when a
    municipality condition needs it (a period survey's municipality is its assignment's)."""
    stmt = sa.select(sa.func.count()).select_from(I).join(A, A.id == I.assignment_id)
    if (not scope.everything and scope.municipality_ids) or f.municipality_id is not None:
        stmt = stmt.outerjoin(InvitedSession, InvitedSession.c.id == I.session_id)
    return int(db.session.scalar(stmt.where(A.template_id == template_id,
                                            *conditions(INVITATION, scope, f, side))) or 0)


# -- charts: the geometry and the words of templates/_macros/charts.html ------------------------

CHART_WIDTH = 320
#: room right of a full-length bar for its figure («1 234 · 100 %»)
FIGURE_ROOM = 92
SHORT_ROW, LONG_ROW = 22, 38
#: characters of a label that fit: in a column of this many units / per line above the bar
CHAR_UNITS, LONG_LABEL = 7, 48
STACK_WIDTH = 200


def percent_text(share: float | None) -> str:
    if share is None:
        return ""
    return "<1\u00a0%" if 0 < share < 1 else f"{round(share)}\u00a0%"


@dataclass
class Bar:
    label: str
    count: int
    #: percent of those who answered the item (or the matrix row)
    share: float | None
    old: bool = False

    @property
    def figure(self) -> str:
        """«12 · 30 %»."""
        count = count_text(self.count)
        return f"{count} · {percent_text(self.share)}" if self.share is not None else count


def describe(bars: list[Bar], figures: list[str] | None = None) -> str:
    """Every number of a chart in words, for its <title>: «4 — 12 · 30 %; 5 — 28 · 70 %.»"""
    figures = figures or [b.figure for b in bars]
    return "; ".join(f"{b.label} — {figure}" for b, figure in zip(bars, figures, strict=True)) + "."


@dataclass
class ChartRow:
    label: str
    #: the whole label when `label` is cut short
    title: str
    figure: str
    y: int
    x: float
    width: float
    figure_x: float
    old: bool


@dataclass
class Chart:
    """Horizontal bars: short labels in a column left of the bars, long ones on a line above."""

    short: bool
    #: where the bars start (the label column's width)
    left: int
    height: int
    rows: list[ChartRow]
    text: str


def bar_chart(bars: list[Bar], label_width: int | None = None) -> Chart:
    """Bars as long as their share of those who answered (or, without shares, of the longest)."""
    short = label_width is not None
    left = label_width or 0
    span = CHART_WIDTH - left - FIGURE_ROOM
    step = SHORT_ROW if short else LONG_ROW
    limit = left // CHAR_UNITS if short else LONG_LABEL
    top = max((b.count for b in bars), default=0) or 1
    rows, figures = [], []
    for index, bar in enumerate(bars):
        ratio = bar.share / 100 if bar.share is not None else bar.count / top
        width = round(span * ratio, 1)
        if bar.count and width < 1:
            width = 1.0
        label = bar.label if len(bar.label) <= limit else bar.label[:limit - 1] + "…"
        figure = bar.figure
        figures.append(figure)
        rows.append(ChartRow(label, bar.label if label != bar.label else "", figure, step * index + 2, left,
                             width, round(left + width + 4, 1), bar.old))
    return Chart(short, left, step * len(bars) + 4, rows, describe(bars, figures))


@dataclass
class Segment:
    x: float
    width: float
    css: str
    title: str


def shade(position: int, points: int) -> int:
    """A scale point's shade, 1 (light) … 5 (dark), whatever the scale's length."""
    return 1 + (position - 1) * 4 // max(points - 1, 1)


def stack(bars: list[Bar], points: int) -> list[Segment]:
    """One stacked bar (a matrix row): each scale point's share of the row's answers."""
    segments, x = [], 0.0
    for position, bar in enumerate(bars, start=1):
        if not bar.count or bar.share is None:
            continue
        width = round(STACK_WIDTH * bar.share / 100, 1)
        css = "chart-old" if bar.old else f"chart-seg-{shade(position, points)}"
        segments.append(Segment(round(x, 1), width, css, f"{bar.label}: {bar.figure}"))
        x += width
    return segments


# -- items -----------------------------------------------------------------------------------

@dataclass
class MatrixRow:
    label: str
    answered: int
    mean: float | None
    bars: list[Bar]
    old: bool = False
    segments: list[Segment] = field(default_factory=list)

    @property
    def text(self) -> str:
        return describe(self.bars)


@dataclass
class ItemSide:
    answered: int = 0
    bars: list[Bar] = field(default_factory=list)
    mean: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    rows: list[MatrixRow] = field(default_factory=list)
    chart: Chart | None = None


@dataclass
class ItemResult:
    item: ChecklistItem
    #: the question's number (sections are not numbered); 0 for a section
    number: int
    sides: list[ItemSide]

    @property
    def kind(self) -> str:
        return self.item.kind.value

    @property
    def scale_max(self) -> int:
        return int((self.item.settings or {}).get("max", 5))

    @property
    def scale_key(self) -> list[tuple[int, int]]:
        """(point, shade) for the key under a matrix's stacked bars."""
        return [(n, shade(n, self.scale_max)) for n in range(1, self.scale_max + 1)]


def _share(count: int, total: int) -> float | None:
    return 100.0 * count / total if total else None


def _mean(cells: list[Cell]) -> float | None:
    numbered = [(c.number, c.count) for c in cells if c.number is not None]
    total = sum(n for _, n in numbered)
    return sum(v * n for v, n in numbered) / total if total else None


def _labelled_bars(known: list[tuple[str, str]], cells: list[Cell], total: int, earlier: Mapping[str, str]
                   ) -> list[Bar]:
    """A bar per known (value, label), in order, then one per value only earlier versions offered
    (labelled as they had it)."""
    counts = {c.value: c.count for c in cells}
    bars = [Bar(label, counts.pop(value, 0), None) for value, label in known]
    for value, count in sorted(counts.items(), key=lambda p: (-p[1], p[0])):
        label = earlier.get(value)
        bars.append(Bar(f"{label} ({OLD_OPTION})" if label else OLD_OPTION.capitalize(), count, None, old=True))
    for bar in bars:
        bar.share = _share(bar.count, total)
    return bars


def _scale_bars(cells: list[Cell], total: int, top: int) -> list[Bar]:
    """1…max, then values outside the current scale (an earlier version's wider scale)."""
    counts = {c.value: c.count for c in cells}
    bars = [Bar(str(n), counts.pop(str(n), 0), None) for n in range(1, top + 1)]
    for value, count in sorted(counts.items(), key=lambda p: (_as_float(p[0]), p[0])):
        bars.append(Bar(f"{value} ({OLD_OPTION})", count, None, old=True))
    for bar in bars:
        bar.share = _share(bar.count, total)
    return bars


def _as_float(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return math.inf


def _histogram(cells: list[Cell], total: int, integer: bool) -> list[Bar]:
    """Few distinct values: a bar each; more: NUMBER_BINS equal ranges between the least and the
    greatest (whole-number edges for whole-number items)."""
    values = sorted((c.number, c.count) for c in cells if c.number is not None)
    if not values:
        return []
    if len(values) <= NUMBER_BARS:
        return [Bar(format_number(v), n, _share(n, total)) for v, n in values]
    low, high = values[0][0], values[-1][0]
    width = max(1, math.ceil((high - low + 1) / NUMBER_BINS)) if integer else (high - low) / NUMBER_BINS
    counts = [0] * NUMBER_BINS
    for v, n in values:
        counts[min(int((v - low) // width), NUMBER_BINS - 1)] += n
    bars = []
    for i, n in enumerate(counts):
        start, end = low + width * i, low + width * (i + 1)
        if integer:
            if start > high:
                break
            end = min(end - 1, high)
            label = format_number(start) if start == end else f"{format_number(start)}–{format_number(end)}"
        else:
            label = f"{format_number(start)}–{format_number(end)}"
        bars.append(Bar(label, n, _share(n, total)))
    return bars


#: label column widths (chart units) of the kinds whose labels are short
LABEL_WIDTHS = {ItemKind.YES_PARTIAL_NO: 72, ItemKind.NUMBER: 112}


def summarize(item: ChecklistItem, cells: list[Cell], earlier: Mapping[str, str] | None = None) -> ItemSide:
    """One item's answers in one group, from its summed tally cells. `earlier`: labels of option
    values and matrix rows that only earlier versions of the item have."""
    settings = item.settings or {}
    earlier = earlier or {}
    answered = sum(c.count for c in cells if c.value == "*" and c.row_key == "")
    values = [c for c in cells if c.value != "*"]
    side = ItemSide(answered=answered)
    kind = item.kind
    top = int(settings.get("max", 5))
    if kind == ItemKind.SCALE:
        plain = [c for c in values if c.row_key == ""]
        side.bars = _scale_bars(plain, answered, top)
        side.mean = _mean(plain)
        side.chart = bar_chart(side.bars, 30 if top < 10 else 36)
    elif kind == ItemKind.YES_PARTIAL_NO:
        side.bars = _labelled_bars(list(YPN_VALUES.items()), values, answered, earlier)
        side.chart = bar_chart(side.bars, LABEL_WIDTHS[kind])
    elif kind.has_options:
        side.bars = _labelled_bars([(o["value"], o["label"]) for o in settings.get("options", [])], values,
                                   answered, earlier)
        side.chart = bar_chart(side.bars)
    elif kind == ItemKind.NUMBER:
        numbered = [c for c in values if c.number is not None]
        side.mean = _mean(numbered)
        if numbered:
            side.minimum = min(c.number for c in numbered)
            side.maximum = max(c.number for c in numbered)
            side.bars = _histogram(numbered, answered, bool(settings.get("integer", True)))
            side.chart = bar_chart(side.bars, LABEL_WIDTHS[kind])
    elif kind == ItemKind.MATRIX:
        by_row: dict[str, list[Cell]] = {}
        for c in values:
            by_row.setdefault(c.row_key, []).append(c)
        rows = [(r["key"], r["label"], False) for r in settings.get("rows", [])]
        current = {key for key, _, _ in rows}
        rows += [(key, f"{earlier[key]} ({OLD_ROW})" if key in earlier else OLD_ROW.capitalize(), True)
                 for key in sorted(by_row) if key not in current]
        for key, label, old in rows:
            row_cells = by_row.get(key, [])
            row_total = sum(c.count for c in row_cells)
            bars = _scale_bars(row_cells, row_total, top)
            side.rows.append(MatrixRow(label, row_total, _mean(row_cells), bars, old=old, segments=stack(bars, top)))
    return side


def earlier_labels(template: ChecklistTemplate) -> dict[str, dict[str, str]]:
    """Item key → option value or matrix row key → its label in the latest version that had it."""
    out: dict[str, dict[str, str]] = {}
    for version in template.versions:
        for item in version.items:
            settings = item.settings or {}
            labels = out.setdefault(item.key, {})
            labels.update({o.get("value"): o.get("label") for o in settings.get("options", []) if isinstance(o, dict)})
            labels.update({r.get("key"): r.get("label") for r in settings.get("rows", []) if isinstance(r, dict)})
    return out


# -- the report ------------------------------------------------------------------------------

@dataclass
class Report:
    template: ChecklistTemplate
    scope: Scope
    filters: Filters
    compare: Compare | None
    groups: list[Group]
    items: list[ItemResult]
    choices: Choices | None
    assignments: list[AssignmentInfo]

    @property
    def has_old_versions(self) -> bool:
        return len(self.template.versions) > 1

    @property
    def query_args(self) -> dict[str, str]:
        """The filters and comparison in force, as query arguments."""
        return {**self.filters.args(), **(self.compare.args() if self.compare else {})}

    @property
    def any_hidden(self) -> bool:
        return any(g.hidden for g in self.groups)


def sides_of(compare: Compare | None, site_names: Mapping[int, str]) -> list[Side]:
    if compare is None:
        return [Side("", "")]
    if compare.kind == "site":
        return [Side(key, f"Площадка «{site_names.get(site_id, f'№ {site_id}')}»", site_id=site_id)
                for key, site_id in (("a", compare.a), ("b", compare.b))]
    return [Side(key, academic_year_label(year), year=year) for key, year in (("a", compare.a), ("b", compare.b))]


def anonymous_ids(assignments: list[AssignmentInfo]) -> list[int]:
    return [a.id for a in assignments if a.anonymous]


def build(template: ChecklistTemplate, user: User, filters: Filters, compare: Compare | None,
          with_choices: bool = True) -> Report:
    """The whole results page: the assignments, the filter choices, then per group shown (one, or
    two when comparing) the summed tallies and the invitations; as many queries whatever the data."""
    scope = scope_of(user)
    assignments = template_assignments(template.id)
    choices = filter_choices(template.id, scope, assignments) if with_choices else None
    site_names = choices.site_names if choices else {}
    if compare is not None and compare.kind == "site" and not (compare.a in site_names and compare.b in site_names):
        site_names = {**site_names, **site_names_of([compare.a, compare.b])}
    groups = []
    for side in sides_of(compare, site_names):
        group = sum_cells(template.id, conditions(TALLY, scope, filters, side), anonymous_ids(assignments))
        group.side = side
        group.invited = count_invited(template.id, scope, filters, side)
        groups.append(group)
    labels = earlier_labels(template)
    items, number = [], 0
    for item in template.current_version.items:
        if item.kind == ItemKind.SECTION:
            items.append(ItemResult(item, 0, []))
            continue
        number += 1
        items.append(ItemResult(item, number, [summarize(item, g.cells.get(item.key, []), labels.get(item.key))
                                               for g in groups]))
    return Report(template, scope, filters, compare, groups, items, choices, assignments)


def site_names_of(site_ids: list[int]) -> dict[int, str]:
    """Names of sites a comparison names but her responses do not include (they show nothing)."""
    return dict(db.session.execute(sa.select(Site.id, Site.name).where(Site.id.in_(site_ids))).all())


# -- text answers ----------------------------------------------------------------------------

@dataclass
class TextAnswer:
    text: str
    anonymous: bool
    #: «Петрова Анна Сергеевна» (named responses only)
    who: str
    #: «12.03.2026» for named responses, «Март 2026» for anonymous ones
    when: str
    session: str


@dataclass
class TextsPage:
    template_id: int
    item: ChecklistItem
    side: Side
    hidden: bool
    answers: list[TextAnswer]
    page: int
    total: int
    notice = HIDDEN_NOTICE

    @property
    def total_text(self) -> str:
        return f"{self.total} {plural(self.total, 'ответ', 'ответа', 'ответов')}"

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / TEXTS_PER_PAGE))

    @property
    def first_number(self) -> int:
        return (self.page - 1) * TEXTS_PER_PAGE + 1


def text_answers(template: ChecklistTemplate, item: ChecklistItem, user: User, filters: Filters, side: Side,
                 page: int) -> TextsPage:
    """One page of one text item's answers, newest first: three queries (the anonymity check, the
    count, the page). Anonymous answers carry neither a name nor a day, only the month."""
    scope = scope_of(user)
    tally_where = conditions(TALLY, scope, filters, side)
    anonymous = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(sa.case((A.anonymous, T.count), else_=0)), 0))
        .select_from(T).join(A, A.id == T.assignment_id)
        .where(T.template_id == template.id, T.item_key == "*", *tally_where))
    if 0 < int(anonymous) < MIN_ANONYMOUS:
        return TextsPage(template.id, item, side, True, [], 1, 0)
    where = [R.template_id == template.id, ChecklistAnswer.item_key == item.key, ChecklistAnswer.row_key == "",
             *conditions(RESPONSE, scope, filters, side)]
    total = int(db.session.scalar(
        sa.select(sa.func.count()).select_from(ChecklistAnswer).join(R, R.id == ChecklistAnswer.response_id)
        .where(*where)) or 0)
    pages = max(1, math.ceil(total / TEXTS_PER_PAGE))
    page = min(max(page, 1), pages)
    session = aliased(EventSession)
    rows = db.session.execute(
        sa.select(ChecklistAnswer.value_text, A.anonymous, R.submitted_on, User.last_name, User.first_name,
                  User.middle_name, session.title)
        .select_from(ChecklistAnswer).join(R, R.id == ChecklistAnswer.response_id)
        .join(A, A.id == R.assignment_id)
        .outerjoin(User, User.id == R.user_id)
        .outerjoin(session, session.id == R.session_id)
        .where(*where).order_by(R.submitted_on.desc(), R.id.desc())
        .limit(TEXTS_PER_PAGE).offset((page - 1) * TEXTS_PER_PAGE))
    answers = []
    for text, is_anonymous, day, last, first, middle, title in rows:
        if is_anonymous:
            answers.append(TextAnswer(text, True, "", _month_label(day.year, day.month), title or ""))
        else:
            who = " ".join(p for p in (last, first, middle) if p)
            answers.append(TextAnswer(text, False, who, f"{day:%d.%m.%Y}", title or ""))
    return TextsPage(template.id, item, side, False, answers, page, total)
