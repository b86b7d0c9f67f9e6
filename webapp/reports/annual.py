"""The annual report (годовой отчёт) of a municipality — or, for the resource centre, of the whole
network — laid out like the reports methodists write by hand (seeds 002, 003): numbered sections,
each with a table and a few sentences of conclusions in words.

1. Выполнение плана — fulfilment.summary: plan items and sessions by status.
2. Мероприятия по направлениям и формам — fulfilment.summary's directions, and one grouped query
   of its own (events): held sessions per direction × form, and the distinct host organizations
   (the organizations of the sites where a held session took place).
3. Охват педагогов и образовательных организаций — participation.summary (teachers and young
   teachers reached, registrations, no-shows) and interaction_map.summary over the schools (reached,
   management teams: the sources aim at 100 %).
4. Обратная связь — feedback.summary: responses, response rate, satisfaction index, a year earlier.
5. Показатели — indicators.summary: target against actual.

"Held" means what fulfilment means: not cancelled and already ended, started in the period
(scope.session_conditions). The other modules' figures are composed, never recomputed here.
Sentences are built by pure functions from the figures (plural word forms by webapp.ui.plural),
so that they can be tested on their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import sqlalchemy as sa

from webapp.extensions import db
from webapp.orgs.models import OrgKind
from webapp.reports import feedback, fulfilment, indicators, interaction_map, participation
from webapp.reports.fulfilment import FulfilmentSummary, ItemCounts, SessionCounts
from webapp.reports.scope import ReportFilters, session_conditions
from webapp.sessions.models import EventSession, SessionStatus
from webapp.sites.models import Site
from webapp.taxonomy.models import EventForm
from webapp.timefmt import MOSCOW, format_day
from webapp.ui import format_number, plural

NO_EVENTS = "За период мероприятия не проводились."
NO_FORM = "Форма не указана"
NETWORK = "Вся сеть"
#: how many forms the conclusions name
TOP_FORMS = 3


# -- words -------------------------------------------------------------------------------------

def num(n: int | float) -> str:
    """«1 005»: a number as the text shows it."""
    return format_number(n)


def counted(n: int, one: str, few: str, many: str) -> str:
    """«21 мероприятие», «3 мероприятия», «5 мероприятий»."""
    return f"{num(n)} {plural(n, one, few, many)}"


def percent(value: float | None) -> str:
    """«76,9 %»; «—» when there is nothing to divide by."""
    return "—" if value is None else f"{format_number(value, 1)}\u00a0%"


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def in_sentence(name: str) -> str:
    """A taxonomy name inside a sentence: «Семинар-практикум» → «семинар-практикум»; an
    abbreviation («РМО», «ИКТ-…») keeps its capitals."""
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]


def is_academic_year(f: ReportFilters) -> bool:
    return (f.start.month, f.start.day, f.end.month, f.end.day) == (9, 1, 8, 31) and f.end.year == f.start.year + 1


def period_title(f: ReportFilters) -> str:
    """«за 2026/2027 учебный год», «за период с 1 сентября 2026 по 15 марта 2027»."""
    if is_academic_year(f):
        return f"за {f.period_label}"
    return f"за период с {format_day(f.start)} по {format_day(f.end)}"


# -- the figures of its own: held sessions by direction and form, host organizations -----------

@dataclass
class FormLine:
    """A form of the held sessions."""

    form_id: int | None
    label: str
    held: int
    #: percent of all held sessions
    share: float | None = None


@dataclass
class DirectionLine:
    """A direction: plan items and sessions (fulfilment's row), host organizations, forms."""

    direction_id: int | None
    label: str
    items: ItemCounts
    sessions: SessionCounts
    #: distinct organizations whose sites held a session in this direction
    hosts: int = 0
    #: (form, held sessions), most used first
    forms: list[tuple[str, int]] = field(default_factory=list)

    @property
    def forms_text(self) -> str:
        """«семинар-практикум — 3, мастер-класс — 2»; «—» when nothing was held."""
        return ", ".join(f"{in_sentence(name)} — {num(n)}" for name, n in self.forms) or "—"


@dataclass
class Events:
    """Section 2: held sessions, their host organizations, per direction and per form."""

    held: int
    #: distinct host organizations of the held sessions (sessions without a site have none)
    hosts: int
    directions: list[DirectionLine]
    forms: list[FormLine]

    @property
    def direction_count(self) -> int:
        """Directions (named ones) with at least one held session."""
        return sum(1 for d in self.directions if d.direction_id is not None and d.sessions.held)


@dataclass
class _Held:
    """What the events query found, before it meets fulfilment's directions."""

    held: int = 0
    hosts: int = 0
    #: direction → (held, hosts)
    per_direction: dict[int | None, tuple[int, int]] = field(default_factory=dict)
    #: (direction, form id, form name, form position, held)
    pairs: list[tuple[int | None, int | None, str, int, int]] = field(default_factory=list)


def _held_statement(f: ReportFilters, now: datetime):
    """One statement: held sessions counted per (direction, form), per direction and in all, with
    the distinct host organizations of each (grain 0, 1, 2), form names joined."""
    held = (sa.select(EventSession.direction_id.label("direction_id"), EventSession.form_id.label("form_id"),
                      Site.organization_id.label("host_id"))
            .select_from(EventSession)
            .outerjoin(Site, Site.id == EventSession.site_id)
            .where(*session_conditions(f), EventSession.status != SessionStatus.CANCELLED,
                   EventSession.end_dt <= now)
            .cte("held"))
    no_id = sa.cast(sa.null(), sa.Integer)
    measures = [sa.func.count().label("held"), sa.func.count(sa.distinct(held.c.host_id)).label("hosts")]
    # constants inlined: PostgreSQL cannot type a bare parameter in a UNION's select list
    pairs = (sa.select(sa.literal_column("0").label("grain"), held.c.direction_id, held.c.form_id, *measures)
             .group_by(held.c.direction_id, held.c.form_id))
    directions = (sa.select(sa.literal_column("1"), held.c.direction_id, no_id, *measures)
                  .group_by(held.c.direction_id))
    total = sa.select(sa.literal_column("2"), no_id, no_id, *measures)
    rows = sa.union_all(pairs, directions, total).subquery("rows")
    return (sa.select(rows, EventForm.name.label("form_name"), EventForm.position.label("form_position"))
            .outerjoin(EventForm, EventForm.id == rows.c.form_id))


def _held(f: ReportFilters, now: datetime) -> _Held:
    out = _Held()
    for r in db.session.execute(_held_statement(f, now)):
        grain, held, hosts = int(r.grain), int(r.held or 0), int(r.hosts or 0)
        if grain == 2:
            out.held, out.hosts = held, hosts
        elif grain == 1:
            out.per_direction[r.direction_id] = (held, hosts)
        else:
            out.pairs.append((r.direction_id, r.form_id, r.form_name or NO_FORM,
                              r.form_position if r.form_position is not None else 1 << 30, held))
    return out


def _form_order(form_id: int | None, name: str, position: int, held: int) -> tuple:
    """Most held first; then the taxonomy's order; «Форма не указана» last."""
    return (form_id is None, -held, position, name)


def events(fs: FulfilmentSummary, f: ReportFilters, now: datetime) -> Events:
    """Section 2 from fulfilment's directions and one grouped query (held sessions per direction ×
    form, host organizations)."""
    found = _held(f, now)
    forms: dict[int | None, list] = {}
    by_direction: dict[int | None, list] = {}
    for direction_id, form_id, name, position, held in found.pairs:
        entry = forms.setdefault(form_id, [form_id, name, position, 0])
        entry[3] += held
        by_direction.setdefault(direction_id, []).append((form_id, name, position, held))
    form_lines = [FormLine(form_id, name, held, 100.0 * held / found.held if found.held else None)
                  for form_id, name, _, held in sorted(forms.values(), key=lambda e: _form_order(*e))]
    lines = []
    for row in fs.by_direction:
        pairs = sorted(by_direction.get(row.key, []), key=lambda e: _form_order(*e))
        lines.append(DirectionLine(row.key, row.label, row.items, row.sessions,
                                   hosts=found.per_direction.get(row.key, (0, 0))[1],
                                   forms=[(name, held) for _, name, _, held in pairs]))
    return Events(held=found.held, hosts=found.hosts, directions=lines, forms=form_lines)


# -- conclusions, in words ---------------------------------------------------------------------

def plan_sentences(fs: FulfilmentSummary) -> list[str]:
    """«В плане на период — 39 пунктов: проведено 30 (76,9 %), …», «Проведено 21 мероприятие из 25…»."""
    items, sessions = fs.items, fs.sessions
    if not items.total and not sessions.total:
        return [NO_EVENTS, "Пунктов плана на этот период нет."]
    out = []
    if items.total:
        parts = [f"проведено {num(items.held)} ({percent(items.held_share)})"]
        parts += [f"{word} {num(n)}" for word, n in (("запланировано", items.planned), ("перенесено", items.moved),
                                                      ("отменено", items.cancelled)) if n]
        out.append(f"В плане на период — {counted(items.total, 'пункт', 'пункта', 'пунктов')}: {', '.join(parts)}.")
    else:
        out.append("Пунктов плана на этот период нет.")
    rest = []
    if sessions.planned:
        rest.append(f"ещё {num(sessions.planned)} предстоит")
    if sessions.cancelled:
        rest.append(f"отменено {num(sessions.cancelled)}")
    tail = f", {', '.join(rest)}" if rest else ""
    if sessions.held:
        out.append(f"Проведено {counted(sessions.held, 'мероприятие', 'мероприятия', 'мероприятий')} из "
                   f"{counted(sessions.total, 'назначенного', 'назначенных', 'назначенных')} на период "
                   f"({percent(sessions.held_share)}){tail}.")
    elif sessions.total:
        out.append(f"Мероприятия за период ещё не проводились: назначено "
                   f"{counted(sessions.total, 'мероприятие', 'мероприятия', 'мероприятий')}{tail}.")
    else:
        out.append(NO_EVENTS)
    if sessions.moved:
        out.append(f"Сроки {counted(sessions.moved, 'мероприятия', 'мероприятий', 'мероприятий')} переносились.")
    if fs.items_without_session:
        k = fs.items_without_session
        out.append(f"По {counted(k, 'пункту', 'пунктам', 'пунктам')} плана мероприятия ещё не назначены.")
    return out


def events_sentences(ev: Events) -> list[str]:
    """«Проведено 21 мероприятие на базе 19 организаций по 7 направлениям.» and the main forms."""
    if not ev.held:
        return [NO_EVENTS]
    text = f"Проведено {counted(ev.held, 'мероприятие', 'мероприятия', 'мероприятий')}"
    if ev.hosts:
        text += f" на базе {counted(ev.hosts, 'организации', 'организаций', 'организаций')}"
    if ev.direction_count:
        text += f" по {counted(ev.direction_count, 'направлению', 'направлениям', 'направлениям')}"
    out = [text + "."]
    named = [f for f in ev.forms if f.form_id is not None][:TOP_FORMS]
    if named:
        lead = "Основная форма проведения" if len(named) == 1 else "Основные формы проведения"
        out.append(f"{lead}: {', '.join(f'{in_sentence(f.label)} ({num(f.held)})' for f in named)}.")
    return out


def coverage_sentences(p: participation.ParticipationSummary, schools: interaction_map.MapSummary) -> list[str]:
    """Teachers and young teachers reached, registrations and no-shows, schools and their
    management teams reached."""
    out = []
    t = p.coverage.total
    if not t.teachers:
        out.append("Педагоги в системе пока не зарегистрированы.")
    elif not t.reached:
        out.append(f"За период мероприятия сети не посетил ни один педагог (всего педагогов — {num(t.teachers)}).")
    else:
        text = (f"Хотя бы одно мероприятие {plural(t.reached, 'посетил', 'посетили', 'посетили')} {num(t.reached)} "
                f"из {counted(t.teachers, 'педагога', 'педагогов', 'педагогов')} ({percent(t.share)})")
        if t.young:
            text += (f", в том числе {num(t.young_reached)} из "
                     f"{counted(t.young, 'молодого педагога', 'молодых педагогов', 'молодых педагогов')} "
                     f"({percent(t.young_share)})")
        out.append(text + ".")
    totals = p.totals
    if totals.registrations or totals.marks:
        r = totals.registrations
        text = (f"На мероприятия {plural(r, 'подана', 'подано', 'подано')} "
                f"{counted(r, 'заявка', 'заявки', 'заявок')}, отмечено "
                f"{counted(totals.attended, 'посещение', 'посещения', 'посещений')}")
        if totals.due:
            text += f"; неявки — {percent(totals.no_show_share)} подтверждённых заявок на прошедшие мероприятия"
        out.append(text + ".")
    if not schools.organizations:
        out.append("Школы в справочник организаций пока не внесены.")
    elif not schools.reached:
        out.append("Педагоги школ в мероприятиях за период не участвовали "
                   f"(всего школ — {num(schools.organizations)}).")
    else:
        text = (f"В мероприятиях участвовали педагоги {num(schools.reached)} из "
                f"{counted(schools.organizations, 'школы', 'школ', 'школ')} ({percent(schools.reached_share)})")
        if schools.management:
            text += (f", в том числе управленческие команды {counted(schools.management, 'школы', 'школ', 'школ')} "
                     f"({percent(schools.management_share)}; цель — 100\u00a0%).")
        else:
            text += "; управленческие команды школ пока не участвовали (цель — 100\u00a0%)."
        out.append(text)
        u = schools.unreached
        if u:
            out.append(f"Пока не {plural(u, 'охвачена', 'охвачены', 'охвачено')} "
                       f"{counted(u, 'школа', 'школы', 'школ')}.")
    return out


def feedback_sentences(fb: feedback.FeedbackSummary) -> list[str]:
    """Responses, the response rate and the satisfaction index beside a year earlier."""
    c, before = fb.total.current, fb.total.previous
    if not c.responses and not c.invited:
        return ["За период отзывов по чек-листам обратной связи не поступало."]
    text = (f"{capitalized(plural(c.responses, 'получен', 'получено', 'получено'))} "
            f"{counted(c.responses, 'ответ', 'ответа', 'ответов')} на чек-листы обратной связи")
    if c.invited:
        text += (f"; {plural(c.answered, 'ответил', 'ответили', 'ответили')} {num(c.answered)} из "
                 f"{counted(c.invited, 'приглашённого', 'приглашённых', 'приглашённых')} ({percent(c.rate)})")
    out = [text + "."]
    if c.hidden:
        out.append("Оценки не приводятся: ответов слишком мало, чтобы сохранить анонимность.")
    elif c.index is not None:
        text = f"Индекс удовлетворённости — {percent(c.index)}"
        if before.index is not None:
            text += f" (годом ранее — {percent(before.index)})"
        out.append(text + ".")
    return out


def indicator_sentences(ind: indicators.IndicatorSummary) -> list[str]:
    """«Достигнуто 3 из 5 показателей.», the ones still running, the ones without data."""
    rows = ind.rows
    if not rows:
        return ["Показатели на этот период не заданы."]
    met = ind.met_count
    out = [f"{capitalized(plural(met, 'достигнут', 'достигнуто', 'достигнуто'))} {num(met)} из "
           f"{counted(len(rows), 'показателя', 'показателей', 'показателей')}."]
    running = sum(1 for r in rows if r.status == "running")
    if running:
        out.append(f"По {counted(running, 'показателю', 'показателям', 'показателям')} период ещё не завершён: "
                   "значение может измениться.")
    nodata = sum(1 for r in rows if r.status == "nodata")
    if nodata:
        out.append(f"По {counted(nodata, 'показателю', 'показателям', 'показателям')} нет данных.")
    return out


# -- the report --------------------------------------------------------------------------------

@dataclass
class AnnualReport:
    #: the municipality's name, or «Вся сеть»
    area: str
    is_network: bool
    #: «за 2026/2027 учебный год»
    period_title: str
    #: the day the figures were read (Moscow)
    as_of: date
    fulfilment: FulfilmentSummary
    events: Events
    participation: participation.ParticipationSummary
    #: the schools of the area (interaction map, schools only)
    schools: interaction_map.MapSummary
    feedback: feedback.FeedbackSummary
    indicators: indicators.IndicatorSummary
    intro: str = ""
    plan_text: list[str] = field(default_factory=list)
    events_text: list[str] = field(default_factory=list)
    coverage_text: list[str] = field(default_factory=list)
    feedback_text: list[str] = field(default_factory=list)
    indicators_text: list[str] = field(default_factory=list)


def intro_text(f: ReportFilters, area: str, is_network: bool, as_of: date) -> str:
    where = "по всей сети" if is_network else f"по муниципальному образованию {area}"
    text = (f"Отчёт составлен по данным системы сетевого взаимодействия стажировочных площадок {where} "
            f"{period_title(f)} ({format_day(f.start)} — {format_day(f.end)}): план сетевых мероприятий, "
            "записи педагогов на мероприятия, отметки посещения и ответы на чек-листы обратной связи.")
    limits = []
    if f.site_name:
        limits.append(f"площадкой «{f.site_name}»")
    if f.direction_name:
        limits.append(f"направлением «{f.direction_name}»")
    if limits:
        text += f" Отчёт ограничен {' и '.join(limits)}."
    return text + f" Данные на {format_day(as_of)}."


def build(f: ReportFilters, now: datetime | None = None) -> AnnualReport:
    """The whole report for the filters' area (one municipality, or the network when none and
    the reader is an admin): the five modules' summaries and one grouped query of its own — a
    constant number of queries (about fifteen) whatever the data."""
    now = now or datetime.now(timezone.utc)
    today = now.astimezone(MOSCOW).date()
    is_network = f.municipality_ids is None
    area = NETWORK if is_network else (f.municipality_name or f.scope_label)
    fs = fulfilment.summary(f, now=now)
    ev = events(fs, f, now)
    ps = participation.summary(f, now=now)
    schools = interaction_map.summary(f, interaction_map.MapOptions(kind=OrgKind.SCHOOL), now=now)
    fb = feedback.summary(f)
    ind = indicators.summary(f, today=today)
    return AnnualReport(
        area=area, is_network=is_network, period_title=period_title(f), as_of=today,
        fulfilment=fs, events=ev, participation=ps, schools=schools, feedback=fb, indicators=ind,
        intro=intro_text(f, area, is_network, today),
        plan_text=plan_sentences(fs), events_text=events_sentences(ev),
        coverage_text=coverage_sentences(ps, schools), feedback_text=feedback_sentences(fb),
        indicators_text=indicator_sentences(ind))


# -- the workbook: one sheet per section -------------------------------------------------------

def _percent_cell(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


def _conclusions(sentences: list[str]) -> list[list]:
    return [[], ["Выводы"], *([s] for s in sentences)]


PLAN_HEADER = ("", "Всего", "Проведено", "Запланировано / предстоит", "Перенесено", "Отменено", "Проведено, %")
EVENTS_HEADER = ("Направление", "Пунктов плана", "Проведено мероприятий", "Предстоит", "Отменено",
                 "Базовых организаций", "Формы проведения (проведено мероприятий)")
COVERAGE_HEADER = ("Показатель", "Всего", "Охвачено", "Доля, %")
INDICATORS_HEADER = ("Показатель", "Период", "Цель", "Факт", "Числитель / знаменатель", "Итог")


def plan_rows(r: AnnualReport) -> Iterator[list]:
    i, s = r.fulfilment.items, r.fulfilment.sessions
    yield ["Пункты плана", i.total, i.held, i.planned, i.moved, i.cancelled, _percent_cell(i.held_share)]
    yield ["Мероприятия", s.total, s.held, s.planned, s.moved, s.cancelled, _percent_cell(s.held_share)]
    yield ["Пунктов плана без мероприятий", r.fulfilment.items_without_session]
    yield from _conclusions(r.plan_text)


def events_rows(r: AnnualReport) -> Iterator[list]:
    ev = r.events
    for d in ev.directions:
        yield [d.label, d.items.total, d.sessions.held, d.sessions.planned, d.sessions.cancelled, d.hosts,
               d.forms_text]
    fs = r.fulfilment
    yield ["Итого", fs.items.total, ev.held, fs.sessions.planned, fs.sessions.cancelled, ev.hosts, ""]
    yield []
    yield ["Форма проведения", "Проведено мероприятий", "Доля, %"]
    for line in ev.forms:
        yield [line.label, line.held, _percent_cell(line.share)]
    yield from _conclusions(r.events_text)


def coverage_rows(r: AnnualReport) -> Iterator[list]:
    t, m, totals = r.participation.coverage.total, r.schools, r.participation.totals
    yield ["Педагоги", t.teachers, t.reached, _percent_cell(t.share)]
    yield ["Молодые педагоги", t.young, t.young_reached, _percent_cell(t.young_share)]
    yield ["Школы", m.organizations, m.reached, _percent_cell(m.reached_share)]
    yield ["Школы, управленческие команды которых участвовали", m.organizations, m.management,
           _percent_cell(m.management_share)]
    yield []
    yield ["Заявок на мероприятия", totals.registrations]
    yield ["Посещений (присутствовали и опоздавшие)", totals.attended]
    yield ["Неявки, % подтверждённых заявок на прошедшие мероприятия", _percent_cell(totals.no_show_share)]
    rows = r.participation.coverage.rows
    if len(rows) > 1:
        yield []
        yield ["Муниципалитет", "Педагогов", "Посетили", "Доля, %", "Молодых педагогов", "Посетили", "Доля, %"]
        for row in rows:
            yield [row.name, row.teachers, row.reached, _percent_cell(row.share), row.young, row.young_reached,
                   _percent_cell(row.young_share)]
    yield from _conclusions(r.coverage_text)


def _index_cell(figures) -> float | str | None:
    return feedback.FEW_ANSWERS if figures.hidden else _percent_cell(figures.index)


def feedback_header(r: AnnualReport) -> tuple[str, ...]:
    return ("Показатель", r.feedback.period_label, r.feedback.previous_label)


def feedback_rows(r: AnnualReport) -> Iterator[list]:
    c, p = r.feedback.total.current, r.feedback.total.previous
    yield ["Ответов на чек-листы", c.responses, p.responses]
    yield ["Приглашено ответить", c.invited, p.invited]
    yield ["Ответили на приглашения", c.answered, p.answered]
    yield ["Доля ответивших, %", _percent_cell(c.rate), _percent_cell(p.rate)]
    yield ["Индекс удовлетворённости, %", _index_cell(c), _index_cell(p)]
    if r.feedback.by_direction:
        yield []
        yield ["Направление", "Ответов", "Доля ответивших, %", "Индекс удовлетворённости, %"]
        for row in r.feedback.by_direction:
            yield [row.label, row.current.responses, _percent_cell(row.current.rate), _index_cell(row.current)]
    yield from _conclusions(r.feedback_text)


def indicator_rows(r: AnnualReport) -> Iterator[list]:
    for row in r.indicators.rows:
        yield [row.name, row.period_text, row.target_text, row.actual_text, row.ratio_text, row.status_label]
    yield from _conclusions(r.indicators_text)
