"""The measures behind indicators, checked on a small hand-built network whose every number can be
counted by hand: exact numerators and denominators per municipality, the direction and audience
parameters, what does not count (cancelled, draft-plan, out-of-period, future sessions; absences;
inactive people; people without an organization), and one query per measure.

The network (academic year 2025/26, all of it past):

- municipality A: schools A1 and A2, a methodical centre A3; B: school B1, kindergarten B2;
  C: nothing at all.
- people of A: t1 (young: 2 years; subject teacher), t2 (Директор), t3 (subject teacher),
  t4 (inactive), t5, m1 and m2 (methodical-service specialists at A3; m2 is young: 1 year);
  of B: t6 (young by her declared audience), t7 (Заместитель директора), t8; u0 has no organization.
- s1: A, direction D1, October 2025: t1, t2 (late), m1, t6, t4, u0 attended.
- s2: B, direction D2, February 2026: t1, t7 attended; t8 absent; t3 excused.
- s7: A, no direction, March 2026, nobody marked.
- not held in the period: s3 (A, cancelled; t5 attended), s4 (A, May 2025; t5), s5 (B, of a draft
  plan; t8), s6 (A, 31 August 2025 at 23:30 Moscow — still the previous academic year).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from conftest import count_queries

from webapp.attendance.models import Attendance, AttendanceStatus
from webapp.orgs.models import OrgKind
from webapp.plan.models import ItemStatus, PlanStatus
from webapp.reports.measures import Figure, MeasureQuery, compute, compute_many, empty_figure
from webapp.reports.models import Measure
from webapp.sessions.models import SessionStatus
from webapp.taxonomy.models import Audience, Direction

START, END = date(2025, 9, 1), date(2026, 8, 31)
UTC = timezone.utc


def _at(y, m, d, h=9):
    return datetime(y, m, d, h, 0, tzinfo=UTC)


@pytest.fixture
def net(make, db):
    n = SimpleNamespace()
    n.young = Audience(name="Молодые педагоги", position=1)
    n.managers = Audience(name="Управленческие команды", position=2)
    n.methodists = Audience(name="Методисты ТМС", position=3)
    n.subject = Audience(name="Учителя-предметники", position=4)
    n.d1, n.d2 = Direction(name="Методические компетенции"), Direction(name="ИКТ-компетенции")
    db.session.add_all([n.young, n.managers, n.methodists, n.subject, n.d1, n.d2])
    db.session.flush()

    n.a, n.b, n.c = (make.municipality(name=f"Муниципалитет {k}") for k in "ABC")
    a1 = make.organization(municipality=n.a, name="A1")
    a2 = make.organization(municipality=n.a, name="A2")
    a3 = make.organization(municipality=n.a, name="A3", kind=OrgKind.METHODICAL_CENTRE)
    b1 = make.organization(municipality=n.b, name="B1")
    b2 = make.organization(municipality=n.b, name="B2", kind=OrgKind.KINDERGARTEN)

    def person(org, audiences=(), **kw):
        years = kw.pop("years", 10)
        user = make.user(organization=org, years_experience=years, **kw)
        user.audiences = list(audiences)
        return user

    p = n.people = SimpleNamespace(
        t1=person(a1, [n.subject], years=2), t2=person(a1, position="Директор"), t3=person(a1, [n.subject]),
        t4=person(a1, is_active=False), t5=person(a2),
        m1=person(a3, [n.methodists], position="Методист"), m2=person(a3, [n.methodists], years=1),
        t6=person(b1, [n.young]), t7=person(b1, position="Заместитель директора по УВР"), t8=person(b2),
        u0=person(None))
    site_a, site_b = make.site(organization=a1), make.site(organization=b1)

    draft_plan = make.plan(municipality=n.b, status=PlanStatus.DRAFT, period_start=START, period_end=END)
    sessions = {
        "s1": make.session(site=site_a, start=_at(2025, 10, 15), direction=n.d1),
        "s2": make.session(site=site_b, start=_at(2026, 2, 10), direction=n.d2),
        "s7": make.session(site=site_a, start=_at(2026, 3, 3)),
        "s3": make.session(site=site_a, start=_at(2025, 11, 1), status=SessionStatus.CANCELLED),
        "s4": make.session(site=site_a, start=_at(2025, 5, 10), direction=n.d1),
        "s5": make.session(site=site_b, start=_at(2025, 12, 1), plan_item=make.item(plan=draft_plan)),
        # 31 August, 20:30 UTC = 23:30 in Moscow: the day before the period
        "s6": make.session(site=site_a, start=datetime(2025, 8, 31, 18, 30, tzinfo=UTC), hours=2),
    }
    n.s = SimpleNamespace(**sessions)
    present, late = AttendanceStatus.PRESENT, AttendanceStatus.LATE
    marks = [("s1", p.t1, present), ("s1", p.t2, late), ("s1", p.m1, present), ("s1", p.t6, present),
             ("s1", p.t4, present), ("s1", p.u0, present),
             ("s2", p.t1, present), ("s2", p.t7, present), ("s2", p.t8, AttendanceStatus.ABSENT),
             ("s2", p.t3, AttendanceStatus.EXCUSED),
             ("s3", p.t5, present), ("s4", p.t5, present), ("s5", p.t8, present), ("s6", p.t5, present)]
    db.session.add_all(Attendance(session_id=sessions[s].id, user_id=u.id, organization_id=u.organization_id,
                                  status=status) for s, u, status in marks)

    # plans: A's (published), B's (published) and a draft of B's, and a network-wide one
    plan_a = make.plan(municipality=n.a, period_start=START, period_end=END)
    plan_b = make.plan(municipality=n.b, period_start=START, period_end=END)
    network = make.plan(municipality=None, period_start=START, period_end=END)
    make.item(plan=plan_a, status=ItemStatus.HELD, direction=n.d1)
    make.item(plan=plan_a, status=ItemStatus.PLANNED)
    make.item(plan=plan_a, status=ItemStatus.HELD, period_start=date(2025, 3, 1), period_end=date(2025, 3, 31))
    make.item(plan=plan_b, status=ItemStatus.CANCELLED)
    make.item(plan=draft_plan, status=ItemStatus.HELD)
    make.item(plan=network, status=ItemStatus.HELD)
    db.session.commit()
    return n


def _figures(net, measure, **params):
    result = compute(MeasureQuery(measure, START, END, **params), (net.a.id, net.b.id, net.c.id))
    return {key: result.get(m.id, empty_figure(measure)) for key, m in (("A", net.a), ("B", net.b), ("C", net.c))}


def test_teachers_trained_counts_each_teacher_once_wherever_she_went(net):
    # A: t1, t2 (late counts), m1 of t1 t2 t3 t5 m1 m2 (t4 inactive); B: t6 (went to A), t7 of t6 t7 t8
    assert _figures(net, Measure.TEACHERS_TRAINED) == {"A": Figure(3, 6), "B": Figure(2, 3), "C": Figure(0, 0)}
    assert Figure(0, 0).value is None
    assert Figure(3, 6).value == 50.0


def test_teachers_trained_in_a_direction(net):
    assert _figures(net, Measure.TEACHERS_TRAINED, direction_id=net.d1.id) == {
        "A": Figure(3, 6), "B": Figure(1, 3), "C": Figure(0, 0)}
    assert _figures(net, Measure.TEACHERS_TRAINED, direction_id=net.d2.id) == {
        "A": Figure(1, 6), "B": Figure(1, 3), "C": Figure(0, 0)}


def test_teachers_trained_of_an_audience(net):
    # subject teachers: t1 (attended) and t3 (excused only) in A; none in B
    assert _figures(net, Measure.TEACHERS_TRAINED, audience_id=net.subject.id) == {
        "A": Figure(1, 2), "B": Figure(0, 0), "C": Figure(0, 0)}
    assert _figures(net, Measure.TEACHERS_TRAINED, audience_id=net.subject.id, direction_id=net.d2.id)["A"] \
        == Figure(1, 2)


def test_young_teachers_by_experience_or_declared_audience(net):
    # A: t1 (2 years, attended), m2 (1 year); B: t6 (declared «Молодые педагоги», attended)
    assert _figures(net, Measure.YOUNG_REACHED) == {"A": Figure(1, 2), "B": Figure(1, 1), "C": Figure(0, 0)}


def test_methodical_specialists(net):
    assert _figures(net, Measure.METHODISTS_TRAINED) == {"A": Figure(1, 2), "B": Figure(0, 0), "C": Figure(0, 0)}
    assert _figures(net, Measure.METHODISTS_TRAINED, direction_id=net.d2.id)["A"] == Figure(0, 2)


def test_events_held_are_counted_by_the_sessions_municipality(net):
    # s1 and s7 in A, s2 in B; s3 cancelled, s4 and s6 before the period, s5 of a draft plan
    assert _figures(net, Measure.EVENTS_HELD) == {"A": Figure(2), "B": Figure(1), "C": Figure(0)}
    assert _figures(net, Measure.EVENTS_HELD, direction_id=net.d1.id) == {"A": Figure(1), "B": Figure(0),
                                                                         "C": Figure(0)}
    # the previous academic year: s4 (May) and s6 (31 August, late evening in Moscow)
    result = compute(MeasureQuery(Measure.EVENTS_HELD, date(2024, 9, 1), date(2025, 8, 31)), None)
    assert result == {net.a.id: Figure(2)}


def test_a_session_still_to_come_is_not_held(net, make, db):
    now = datetime.now(UTC).replace(microsecond=0)
    site = make.site(organization=make.organization(municipality=net.c))
    make.session(site=site, start=now - timedelta(days=2))
    make.session(site=site, start=now + timedelta(days=2))
    db.session.commit()
    today = now.date()
    result = compute(MeasureQuery(Measure.EVENTS_HELD, today - timedelta(days=30), today + timedelta(days=30)),
                     (net.c.id,))
    assert result == {net.c.id: Figure(1)}


def test_organizations_reached_are_educational_ones(net):
    # A: A1 reached, A2 not (t5's sessions do not count); the methodical centre A3 is no audience
    assert _figures(net, Measure.ORGS_REACHED) == {"A": Figure(1, 2), "B": Figure(1, 2), "C": Figure(0, 0)}


def test_management_teams(net):
    # A1 by its director (t2), B1 by its deputy head (t7)
    assert _figures(net, Measure.MANAGEMENT_TEAMS) == {"A": Figure(1, 2), "B": Figure(1, 2), "C": Figure(0, 0)}
    # in D1 only t2 (s1); t7 attended s2 (D2)
    assert _figures(net, Measure.MANAGEMENT_TEAMS, direction_id=net.d1.id) == {
        "A": Figure(1, 2), "B": Figure(0, 2), "C": Figure(0, 0)}


def test_plan_items_held(net):
    # A: the held and the planned item (the third is dated March 2025); B: a cancelled one; the
    # draft plan's item never counts
    assert _figures(net, Measure.PLAN_ITEMS_HELD) == {"A": Figure(1, 2), "B": Figure(0, 1), "C": Figure(0, 0)}
    assert _figures(net, Measure.PLAN_ITEMS_HELD, direction_id=net.d1.id)["A"] == Figure(1, 1)
    # the whole network: the network-wide plan's item belongs to no municipality (None)
    everything = compute(MeasureQuery(Measure.PLAN_ITEMS_HELD, START, END), None)
    assert everything[None] == Figure(1, 1)
    assert sum(everything.values(), empty_figure(Measure.PLAN_ITEMS_HELD)) == Figure(2, 4)


def test_scope_limits_the_municipalities(net):
    result = compute(MeasureQuery(Measure.TEACHERS_TRAINED, START, END), (net.b.id,))
    assert result == {net.b.id: Figure(2, 3)}
    assert compute(MeasureQuery(Measure.TEACHERS_TRAINED, START, END), ()) == {}


@pytest.mark.parametrize("measure", list(Measure))
def test_each_measure_is_one_query(net, db, measure):
    direction_id = net.d1.id
    with count_queries(db.engine) as statements:
        compute(MeasureQuery(measure, START, END, direction_id=direction_id), None)
    assert len(statements) == 1
    assert "GROUP BY" in statements[0]


def test_many_measures_in_one_statement_give_what_each_gives_alone(net, db):
    everyone = (net.a.id, net.b.id, net.c.id)
    keys = [(MeasureQuery(m, START, END, direction_id=d), ids) for m in Measure
            for d in (None, net.d1.id) for ids in (None, everyone, (net.b.id,), ())]
    alone = {key: compute(*key) for key in keys}
    with count_queries(db.engine) as statements:
        together = compute_many(keys)
    assert len(statements) == 1
    assert together == alone
