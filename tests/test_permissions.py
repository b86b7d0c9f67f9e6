"""Who may open and post what: every route of the app × every role, own scope and foreign scope.

One scenario: municipalities A and B, each with an organization, a site (with its leader), a
published plan with an item and a session at the site (with a file handout), and a draft plan
with an item and a session. People: anonymous, a teacher (no role), the coordinator of A's
organization, the leader of A's site, the methodist of A and a network admin.

Registrations (issue 3): each municipality also has a course («Курсы», approval by the school
coordinator and then by staff, two seats) where its own teacher and the other municipality's
teacher have applied (pending) and a colleague of its teacher waits in the waiting list, with a
seat free again (the capacity was raised) so that staff can take her out of turn. The teacher of
A's organization thus has applications at A (scope «A») and at B («A@B»); B's teacher at B («B»)
and at A («B@A»). The sessions themselves have no registrations, so anyone may register there.

Attendance (issue 4): each municipality also has a session at its site that started half an hour
ago («nowA», «nowB»: marking is open), with its own teacher as the one confirmed registrant (B's
allows walk-ins to check in by the QR code, A's does not), and a session that ended two days ago
(«pastA», «pastB») that its own teacher and her colleague attended; the colleague already has a
certificate for it, the teacher has none yet.

Every rule in app.url_map must be listed in ROUTES (test_every_route_is_in_the_table fails
otherwise): a new route cannot ship without deciding who may use it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Callable
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from conftest import HX, PASSWORD, text_of

from webapp.accounts import models as user_models
from webapp.accounts.models import Role
from webapp.attendance import certificates
from webapp.attendance.models import Attendance, AttendanceStatus, Certificate, MarkSource
from webapp.attendance.services import checkin_token
from webapp.orgs.models import Municipality, Organization
from webapp.plan.models import PlanStatus
from webapp.registration import services as registration
from webapp.registration.models import Registration, RegStatus
from webapp.sessions.models import ApprovalMode, EventSession, SessionMaterial
from webapp.sites.models import Site
from webapp.taxonomy.models import Direction

ROLES = ("anon", "teacher", "coordinator", "site_leader", "methodist", "admin")
SESSION_TIMES = {"start": "2031-03-12T10:00", "end": "2031-03-12T13:00"}
FILE_BYTES = b"%PDF-1.4 handout\n"
PLAN_CSV = "\ufeff№;Мероприятие;Сроки\r\n1;Семинар для молодых педагогов;Март 2031\r\n2;Круглый стол;Апрель 2031\r\n".encode()


# -- the scenario ----------------------------------------------------------------------------

def _build_world(make, db, upload_dir: Path) -> SimpleNamespace:
    w = SimpleNamespace()
    now = datetime.now(timezone.utc).replace(microsecond=0)
    for key, tz in (("a", "Europe/Moscow"), ("b", "Asia/Yekaterinburg")):
        m = make.municipality(name=f"Территория {key.upper()}", timezone=tz)
        org = make.organization(municipality=m, name=f"МБОУ СОШ № 1{key}")
        site = make.site(organization=org, name=f"Площадка {key.upper()}")
        plan = make.plan(municipality=m, title=f"План {key.upper()}")
        item = make.item(plan=plan, number="1")
        session = make.session(site=site, plan_item=item, title=f"Семинар {key.upper()}")
        draft = make.plan(municipality=m, status=PlanStatus.DRAFT, title=f"Черновик {key.upper()}")
        draft_item = make.item(plan=draft, number="1")
        draft_session = make.session(site=site, plan_item=draft_item, title=f"Семинар черновика {key.upper()}")
        materials = {}
        for name, s in (("session", session), ("draft_session", draft_session)):
            stored = f"perm{key}{name}{s.id}"
            (upload_dir / stored).write_bytes(FILE_BYTES)
            mat = SessionMaterial(session=s, title="Раздаточный материал", stored_name=stored,
                                  file_name="handout.pdf", content_type="application/pdf", size=len(FILE_BYTES))
            db.session.add(mat)
            db.session.flush()
            materials[name] = mat.id
        course = make.session(site=site, plan_item=item, title=f"Курсы {key.upper()}", capacity=2,
                              approval=ApprovalMode.BOTH)
        # attendance: on now (marking and the QR check-in open), and over (certificates)
        on_now = make.session(site=site, plan_item=item, title=f"Идёт сейчас {key.upper()}",
                              start=now - timedelta(minutes=30), walk_ins_allowed=key == "b")
        past = make.session(site=site, plan_item=item, title=f"Прошедший семинар {key.upper()}",
                            start=now - timedelta(days=2))
        setattr(w, key, SimpleNamespace(
            municipality=m.id, org=org.id, site=site.id, plan=plan.id, item=item.id, session=session.id,
            draft=draft.id, draft_item=draft_item.id, draft_session=draft_session.id,
            material=materials["session"], draft_material=materials["draft_session"], course=course.id,
            now=on_now.id, past=past.id))
    org_a = db.session.get(Organization, w.a.org)
    w.users = {
        "teacher": make.user(organization=org_a, email="teacher@example.org"),
        "coordinator": make.user(Role.COORDINATOR, scope=org_a, organization=org_a, email="coord@example.org"),
        "site_leader": make.user(Role.SITE_LEADER, scope=db.session.get(Site, w.a.site), email="leader@example.org"),
        "methodist": make.user(Role.METHODIST, scope=db.session.get(Municipality, w.a.municipality),
                               email="methodist@example.org"),
        "admin": make.user(Role.ADMIN, email="admin@example.org"),
    }
    target = make.user(Role.COORDINATOR, scope=db.session.get(Organization, w.b.org), email="target@example.org")
    w.target = target.id
    w.target_grant = target.grants[0].id
    org_b = db.session.get(Organization, w.b.org)
    teacher_b = make.user(organization=org_b, email="teacher.b@example.org", last_name="Сидорова")
    colleagues = {"a": make.user(organization=org_a, email="colleague.a@example.org", last_name="Кузнецова"),
                  "b": make.user(organization=org_b, email="colleague.b@example.org", last_name="Орлова")}
    w.teacher_b = teacher_b.id
    w.colleague_a, w.colleague_b = colleagues["a"].id, colleagues["b"].id
    for key, own, visitor in (("a", w.users["teacher"], teacher_b), ("b", teacher_b, w.users["teacher"])):
        ns = getattr(w, key)
        ns.pending = registration.register(ns.course, own, own).id
        ns.visitor = registration.register(ns.course, visitor, visitor).id
        ns.waiting = registration.register(ns.course, colleagues[key], colleagues[key]).id  # the course is full
        db.session.get(EventSession, ns.course).capacity = 3  # a seat for taking her out of turn
        # attendance: the session on now has her as its confirmed registrant, not marked yet; she and
        # her colleague attended the past one, and the colleague has her certificate
        ns.teacher, ns.colleague = own.id, colleagues[key].id
        db.session.add(Registration(session_id=ns.now, user_id=own.id, organization_id=own.organization_id,
                                    status=RegStatus.CONFIRMED))
        past = db.session.get(EventSession, ns.past)
        marked = past.end_dt + timedelta(minutes=5)
        for person in (own, colleagues[key]):
            db.session.add(Attendance(session_id=past.id, user_id=person.id,
                                      organization_id=person.organization_id, status=AttendanceStatus.PRESENT,
                                      source=MarkSource.STAFF, marked_dt=marked, created_dt=marked,
                                      updated_dt=marked))
        db.session.flush()
        attended = db.session.scalar(sa.select(Attendance.id).where(Attendance.session_id == past.id,
                                                                    Attendance.user_id == colleagues[key].id))
        cert = Certificate(number=certificates.new_number(marked.year), attendance_id=attended,
                           user_id=colleagues[key].id, session_id=past.id, hours=past.hours, issued_dt=marked)
        db.session.add(cert)
        ns.certificate = cert.number
    db.session.flush()
    # imports (issue 7): A's methodist has uploaded a plan file for A's plan, not confirmed yet
    from webapp.imports.models import ImportBatch, ImportKind

    batch = ImportBatch(kind=ImportKind.PLAN, user_id=w.users["methodist"].id, plan_id=w.a.plan, file_name="plan.csv",
                        file_size=len(PLAN_CSV), content=PLAN_CSV, mapping={"number": 0, "title": 1, "timing": 2})
    db.session.add(batch)
    db.session.flush()
    w.plan_batch = batch.id
    # reports (issue 7): a network-wide indicator
    from webapp.reports.models import Indicator, Measure

    indicator = Indicator(name="Доля педагогов", measure=Measure.TEACHERS_TRAINED, target_value=41,
                          period_start=date(2030, 9, 1), period_end=date(2031, 8, 31))
    archived = Indicator(name="Доля молодых педагогов", measure=Measure.YOUNG_REACHED, target_value=50,
                         period_start=date(2030, 9, 1), period_end=date(2031, 8, 31), is_active=False)
    db.session.add_all([indicator, archived])
    db.session.flush()
    w.indicator, w.archived_indicator = indicator.id, archived.id
    w.direction = Direction(name="Функциональная грамотность", position=10)
    w.direction2 = Direction(name="Воспитание", position=20, is_active=False)  # retired
    db.session.add_all([w.direction, w.direction2])
    db.session.flush()
    w.direction = w.direction.id
    w.direction2 = w.direction2.id
    # check-lists (issue 5): each municipality has a template of its own and the past session's
    # post-session check-list for its participants; its teacher has not answered yet, her colleague
    # has. The network has a template of its own (admins edit it).
    from werkzeug.datastructures import MultiDict

    from webapp.checklists import answering, building
    from webapp.checklists.models import ChecklistAssignment, ChecklistInvitation, OpensOn, RespondentRole

    items = [{"key": "useful", "kind": "scale", "text": "Польза", "required": True, "settings": {"max": 5}},
             {"key": "note", "kind": "long_text", "text": "Что примените?"}]
    w.net_template = building.import_template({"format": "network-checklist", "format_version": 1,
                                               "title": "Сетевой шаблон", "items": items}, w.users["admin"]).id
    for key in ("a", "b"):
        ns = getattr(w, key)
        template = building.import_template({"format": "network-checklist", "format_version": 1,
                                             "title": f"Шаблон {key.upper()}", "items": items},
                                            w.users["admin"], ns.municipality)
        ns.template = template.id
        ns.item_key = "useful"
        assignment = ChecklistAssignment(template_id=template.id, session_id=ns.past, municipality_id=ns.municipality,
                                         role=RespondentRole.PARTICIPANT, opens_on=OpensOn.SESSION_END, open_days=14)
        db.session.add(assignment)
        db.session.flush()
        ns.assignment = assignment.id
    answering.sync_invitations()
    for key in ("a", "b"):
        ns = getattr(w, key)
        invitations = {i.user_id: i.id for i in db.session.scalars(
            sa.select(ChecklistInvitation).where(ChecklistInvitation.assignment_id == ns.assignment))}
        ns.invitation = invitations[ns.teacher]
        colleague = db.session.get(user_models.User, ns.colleague)
        answering.submit(invitations[ns.colleague], colleague, MultiDict({"a-useful": "4", "a-note": "Приёмы"}))
    # calendar feeds (issue 6): A's teacher has her personal feed, A's site leader her sites' feed
    from webapp.calendar import tokens as feed_tokens
    from webapp.calendar.models import CalendarFeed, FeedKind

    w.feed_tokens = {}
    for kind, user in ((FeedKind.PERSONAL, w.users["teacher"]), (FeedKind.LEADER, w.users["site_leader"])):
        feed = CalendarFeed(user_id=user.id, kind=kind, selector=feed_tokens.new_selector())
        db.session.add(feed)
        w.feed_tokens[kind.value] = feed_tokens.token_for(kind.value, feed.selector)
    db.session.commit()
    return w


@pytest.fixture
def world(make, db, app, monkeypatch):
    upload_dir = Path(app.config["UPLOAD_DIR"])
    upload_dir.mkdir(parents=True, exist_ok=True)
    return _build_world(make, db, upload_dir)


def snapshot(db) -> dict:
    """Every row of every table, as committed: what a forbidden request must leave alone."""
    db.session.rollback()  # what the request left unflushed is dropped at teardown in production too
    state = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            state[table.name] = sorted(repr(tuple(row)) for row in conn.execute(sa.select(table)))
    return state


# -- the table -------------------------------------------------------------------------------

@dataclass
class Case:
    scope: str
    url: Callable[[SimpleNamespace], str]
    expect: dict[str, int]
    body: Callable[[SimpleNamespace], dict] | None = None
    #: e.g. HX: an htmx request, answered with the fragment and the real status of a refusal
    headers: dict[str, str] | None = None
    #: a route with refusal pages of its own (the QR check-in, the certificate check, a mark of
    #: someone not on the roster): its 403/404 show this text (or the generic page, for those
    #: refused before the route's own rules)
    own_page: str | None = None


def everyone(status=200) -> dict[str, int]:
    return {r: status for r in ROLES}


def logged_in(ok=200, anon=302) -> dict[str, int]:
    return {"anon": anon, **{r: ok for r in ROLES if r != "anon"}}


def only(*allowed: str, ok=200, deny=403) -> dict[str, int]:
    """Login required; the allowed roles get ok, the other signed-in roles deny."""
    return {"anon": 302, **{r: (ok if r in allowed else deny) for r in ROLES if r != "anon"}}


def public_only(*allowed: str, ok=200, deny=404) -> dict[str, int]:
    """No login needed; the allowed roles see it, everyone else gets deny (a draft: 404)."""
    return {r: (ok if r in allowed else deny) for r in ROLES}


def anon_only(ok=200) -> dict[str, int]:
    return {"anon": ok, **{r: 302 for r in ROLES if r != "anon"}}


MANAGERS_A = ("methodist", "admin")
SESSION_MANAGERS_A = ("site_leader", "methodist", "admin")


def _plan_body(w, key, draft=False):
    ns = getattr(w, key)
    return {"title": f"План {key.upper()} (изм.)", "kind": "year", "municipality_id": ns.municipality,
            "period_start": "2030-09-01", "period_end": "2031-08-31", "status": "draft" if draft else "published",
            "description": "Уточнено"}


def _item_body(number="1"):
    return {"number": number, "title": "Стажировка для молодых педагогов", "status": "planned",
            "timing_text": "Март 2031"}


def _session_body(w, key, draft=False):
    ns = getattr(w, key)
    # every field a browser sends: the territory select is left blank («по площадке»)
    return {"title": f"Семинар {key.upper()} (перенесён)", "site_id": ns.site, "municipality_id": "",
            "plan_item_id": ns.draft_item if draft else ns.item, "delivery": "in_person",
            "address": "ул. Мира, 5", "capacity": "25", **SESSION_TIMES}


def _site_body(w, key):
    ns = getattr(w, key)
    return {"name": f"Площадка {key.upper()} (изм.)", "kind": "internship", "level": "municipal",
            "organization_id": ns.org, "is_active": "y"}


def _org_body(w, key, name=None):
    ns = getattr(w, key)
    return {"name": name or f"МБОУ СОШ № 1{key} (изм.)", "kind": "school", "municipality_id": ns.municipality,
            "address": "ул. Новая, 1", "category": ""}


def _profile_body(w):
    return {"last_name": "Иванова", "first_name": "Мария", "middle_name": "Петровна", "org_q": "",
            "organization_id": str(w.a.org), "position": "Учитель математики"}


def _signup_body(w):
    return {**_profile_body(w), "email": "new.teacher@example.org", "password": "new-password-1",
            "password2": "new-password-1", "consent": "y"}


def reg_url(action: str, key: str, attr: str) -> Callable[[SimpleNamespace], str]:
    """/registrations/<id>/<action> for a registration of the scenario (e.g. "a", "pending")."""
    return lambda w: f"/registrations/{getattr(getattr(w, key), attr)}/{action}"


REASON = {"reason": "Группа уже набрана"}


def _indicator_body():
    return {"name": "Доля", "measure": "teachers_trained", "target_value": "41", "period_start": "2030-09-01",
            "period_end": "2031-08-31"}


def scoped(pattern: str, key: str, attr: str) -> Callable[[SimpleNamespace], str]:
    return lambda w: pattern.format(getattr(getattr(w, key), attr))


def plain(url: str) -> Callable[[SimpleNamespace], str]:
    return lambda w: url


def mark_url(key: str, attr: str = "now", person: str = "teacher") -> Callable[[SimpleNamespace], str]:
    """/sessions/<id>/attendance/<user id>: a person of the scenario («teacher»: the municipality's own)."""
    def url(w):
        ns = getattr(w, key)
        return f"/sessions/{getattr(ns, attr)}/attendance/{getattr(ns, person)}"
    return url


def checkin_url(key: str, attr: str) -> Callable[[SimpleNamespace], str]:
    """The link a check-in screen shows right now (a fresh token, made when the request is sent)."""
    return lambda w: f"/checkin/{checkin_token(getattr(getattr(w, key), attr))}"


def _period(municipality: int | None = None) -> str:
    today = date.today()
    args = f"format=csv&date_from={today - timedelta(days=30)}&date_to={today + timedelta(days=1)}"
    return f"/attendance/export?{args}" + (f"&municipality={municipality}" if municipality else "")


MARK = {"status": "late"}
#: an unknown but well-formed certificate number
NO_SUCH_CERTIFICATE = "2031-22222-22222"
CHECKIN_REFUSED = "Отметка не выполнена"


#: what every draft-plan route answers to those who cannot manage the plan: it does not exist
DRAFT_HIDDEN = 404

ROUTES: dict[tuple[str, str], list[Case]] = {
    # -- public plan and plan documents
    ("plan.index", "GET"): [Case("-", plain("/"), everyone())],
    ("plan.plans", "GET"): [Case("-", plain("/plans"), everyone())],
    ("plan.plan_detail", "GET"): [
        Case("A", scoped("/plans/{}", "a", "plan"), everyone()),
        Case("B", scoped("/plans/{}", "b", "plan"), everyone()),
        Case("draftA", scoped("/plans/{}", "a", "draft"), public_only(*MANAGERS_A)),
        Case("draftB", scoped("/plans/{}", "b", "draft"), public_only("admin")),
    ],
    ("plan.plan_create", "GET"): [Case("-", plain("/plans/new"), only(*MANAGERS_A))],
    ("plan.plan_create", "POST"): [
        Case("empty", plain("/plans/new"), only(*MANAGERS_A, ok=422), body=lambda w: {}),
        Case("A", plain("/plans/new"), only(*MANAGERS_A, ok=303), body=lambda w: _plan_body(w, "a")),
        # the methodist of A cannot file a plan under B: B is not among her choices
        Case("B", plain("/plans/new"), {**only("admin", ok=303), "methodist": 422},
             body=lambda w: _plan_body(w, "b")),
    ],
    ("plan.plan_edit", "GET"): [
        Case("A", scoped("/plans/{}/edit", "a", "plan"), only(*MANAGERS_A)),
        Case("B", scoped("/plans/{}/edit", "b", "plan"), only("admin")),
        Case("draftA", scoped("/plans/{}/edit", "a", "draft"), only(*MANAGERS_A, deny=DRAFT_HIDDEN)),
        Case("draftB", scoped("/plans/{}/edit", "b", "draft"), only("admin", deny=DRAFT_HIDDEN)),
    ],
    ("plan.plan_edit", "POST"): [
        Case("A", scoped("/plans/{}/edit", "a", "plan"), only(*MANAGERS_A, ok=303), body=lambda w: _plan_body(w, "a")),
        Case("B", scoped("/plans/{}/edit", "b", "plan"), only("admin", ok=303), body=lambda w: _plan_body(w, "b")),
        Case("draftA", scoped("/plans/{}/edit", "a", "draft"), only(*MANAGERS_A, ok=303, deny=DRAFT_HIDDEN),
             body=lambda w: _plan_body(w, "a", draft=True)),
        Case("draftB", scoped("/plans/{}/edit", "b", "draft"), only("admin", ok=303, deny=DRAFT_HIDDEN),
             body=lambda w: _plan_body(w, "b", draft=True)),
    ],
    ("plan.item_detail", "GET"): [
        Case("A", scoped("/plan-items/{}", "a", "item"), everyone()),
        Case("B", scoped("/plan-items/{}", "b", "item"), everyone()),
        Case("draftA", scoped("/plan-items/{}", "a", "draft_item"), public_only(*MANAGERS_A)),
        Case("draftB", scoped("/plan-items/{}", "b", "draft_item"), public_only("admin")),
    ],
    ("plan.item_create", "GET"): [
        Case("A", scoped("/plans/{}/items/new", "a", "plan"), only(*MANAGERS_A)),
        Case("B", scoped("/plans/{}/items/new", "b", "plan"), only("admin")),
        Case("draftA", scoped("/plans/{}/items/new", "a", "draft"), only(*MANAGERS_A, deny=DRAFT_HIDDEN)),
        Case("draftB", scoped("/plans/{}/items/new", "b", "draft"), only("admin", deny=DRAFT_HIDDEN)),
    ],
    ("plan.item_create", "POST"): [
        Case("A", scoped("/plans/{}/items/new", "a", "plan"), only(*MANAGERS_A, ok=303),
             body=lambda w: _item_body("2")),
        Case("B", scoped("/plans/{}/items/new", "b", "plan"), only("admin", ok=303), body=lambda w: _item_body("2")),
        Case("draftA", scoped("/plans/{}/items/new", "a", "draft"), only(*MANAGERS_A, ok=303, deny=DRAFT_HIDDEN),
             body=lambda w: _item_body("2")),
        Case("draftB", scoped("/plans/{}/items/new", "b", "draft"), only("admin", ok=303, deny=DRAFT_HIDDEN),
             body=lambda w: _item_body("2")),
    ],
    ("plan.item_edit", "GET"): [
        Case("A", scoped("/plan-items/{}/edit", "a", "item"), only(*MANAGERS_A)),
        Case("B", scoped("/plan-items/{}/edit", "b", "item"), only("admin")),
        Case("draftA", scoped("/plan-items/{}/edit", "a", "draft_item"), only(*MANAGERS_A, deny=DRAFT_HIDDEN)),
        Case("draftB", scoped("/plan-items/{}/edit", "b", "draft_item"), only("admin", deny=DRAFT_HIDDEN)),
    ],
    ("plan.item_edit", "POST"): [
        Case("A", scoped("/plan-items/{}/edit", "a", "item"), only(*MANAGERS_A, ok=303), body=lambda w: _item_body()),
        Case("B", scoped("/plan-items/{}/edit", "b", "item"), only("admin", ok=303), body=lambda w: _item_body()),
        Case("draftA", scoped("/plan-items/{}/edit", "a", "draft_item"), only(*MANAGERS_A, ok=303, deny=DRAFT_HIDDEN),
             body=lambda w: _item_body()),
        Case("draftB", scoped("/plan-items/{}/edit", "b", "draft_item"), only("admin", ok=303, deny=DRAFT_HIDDEN),
             body=lambda w: _item_body()),
    ],
    # -- sessions
    ("sessions.detail", "GET"): [
        Case("A", scoped("/sessions/{}", "a", "session"), everyone()),
        Case("B", scoped("/sessions/{}", "b", "session"), everyone()),
        Case("draftA", scoped("/sessions/{}", "a", "draft_session"), public_only(*SESSION_MANAGERS_A)),
        Case("draftB", scoped("/sessions/{}", "b", "draft_session"), public_only("admin")),
    ],
    ("sessions.create", "GET"): [Case("-", plain("/sessions/new"), only(*SESSION_MANAGERS_A))],
    ("sessions.create", "POST"): [
        Case("empty", plain("/sessions/new"), only(*SESSION_MANAGERS_A, ok=422), body=lambda w: {}),
        Case("A", plain("/sessions/new"), only(*SESSION_MANAGERS_A, ok=303), body=lambda w: _session_body(w, "a")),
        # B's site is not among the choices of A's methodist or A's site leader
        Case("B", plain("/sessions/new"), {**only("admin", ok=303), "site_leader": 422, "methodist": 422},
             body=lambda w: _session_body(w, "b")),
    ],
    ("sessions.edit", "GET"): [
        Case("A", scoped("/sessions/{}/edit", "a", "session"), only(*SESSION_MANAGERS_A)),
        Case("B", scoped("/sessions/{}/edit", "b", "session"), only("admin")),
        Case("draftA", scoped("/sessions/{}/edit", "a", "draft_session"), only(*SESSION_MANAGERS_A, deny=404)),
        Case("draftB", scoped("/sessions/{}/edit", "b", "draft_session"), only("admin", deny=404)),
    ],
    ("sessions.edit", "POST"): [
        Case("A", scoped("/sessions/{}/edit", "a", "session"), only(*SESSION_MANAGERS_A, ok=303),
             body=lambda w: _session_body(w, "a")),
        Case("B", scoped("/sessions/{}/edit", "b", "session"), only("admin", ok=303),
             body=lambda w: _session_body(w, "b")),
        Case("draftA", scoped("/sessions/{}/edit", "a", "draft_session"), only(*SESSION_MANAGERS_A, ok=303, deny=404),
             body=lambda w: _session_body(w, "a", draft=True)),
        Case("draftB", scoped("/sessions/{}/edit", "b", "draft_session"), only("admin", ok=303, deny=404),
             body=lambda w: _session_body(w, "b", draft=True)),
    ],
    ("sessions.cancel", "POST"): [
        Case("A", scoped("/sessions/{}/cancel", "a", "session"), only(*SESSION_MANAGERS_A, ok=303),
             body=lambda w: {"reason": "Карантин"}),
        Case("B", scoped("/sessions/{}/cancel", "b", "session"), only("admin", ok=303),
             body=lambda w: {"reason": "Карантин"}),
        Case("emptyA", scoped("/sessions/{}/cancel", "a", "session"), only(*SESSION_MANAGERS_A, ok=422),
             body=lambda w: {}),
    ],
    ("sessions.restore", "POST"): [
        Case("A", scoped("/sessions/{}/restore", "a", "session"), only(*SESSION_MANAGERS_A, ok=303),
             body=lambda w: {}),
        Case("B", scoped("/sessions/{}/restore", "b", "session"), only("admin", ok=303), body=lambda w: {}),
    ],
    ("sessions.material_add", "POST"): [
        Case("A", scoped("/sessions/{}/materials", "a", "session"), only(*SESSION_MANAGERS_A, ok=303),
             body=lambda w: {"title": "Презентация", "url": "https://disk.example/p.pdf"}),
        Case("B", scoped("/sessions/{}/materials", "b", "session"), only("admin", ok=303),
             body=lambda w: {"title": "Презентация", "url": "https://disk.example/p.pdf"}),
        Case("emptyA", scoped("/sessions/{}/materials", "a", "session"), only(*SESSION_MANAGERS_A, ok=422),
             body=lambda w: {}),
    ],
    ("sessions.material_delete", "POST"): [
        Case("A", lambda w: f"/sessions/{w.a.session}/materials/{w.a.material}/delete",
             only(*SESSION_MANAGERS_A, ok=303), body=lambda w: {}),
        Case("B", lambda w: f"/sessions/{w.b.session}/materials/{w.b.material}/delete", only("admin", ok=303),
             body=lambda w: {}),
        # a material of B reached through A's session: not found, even for A's managers
        Case("mixed", lambda w: f"/sessions/{w.a.session}/materials/{w.b.material}/delete",
             only(*SESSION_MANAGERS_A, ok=404), body=lambda w: {}),
    ],
    ("sessions.material_download", "GET"): [
        Case("A", lambda w: f"/sessions/{w.a.session}/materials/{w.a.material}", everyone()),
        Case("B", lambda w: f"/sessions/{w.b.session}/materials/{w.b.material}", everyone()),
        Case("draftA", lambda w: f"/sessions/{w.a.draft_session}/materials/{w.a.draft_material}",
             public_only(*SESSION_MANAGERS_A)),
        Case("mixed", lambda w: f"/sessions/{w.a.session}/materials/{w.b.material}", everyone(404)),
    ],
    # -- registration: the panel, registering, cancelling, «Мои мероприятия»
    ("registration.panel", "GET"): [
        # a plain visit goes to the session page; htmx gets the panel
        Case("A", scoped("/sessions/{}/registration", "a", "session"), everyone(302)),
        Case("A htmx", scoped("/sessions/{}/registration", "a", "session"), everyone(), headers=HX),
        Case("B htmx", scoped("/sessions/{}/registration", "b", "session"), everyone(), headers=HX),
        Case("draftA htmx", scoped("/sessions/{}/registration", "a", "draft_session"),
             public_only(*SESSION_MANAGERS_A), headers=HX),
        Case("draftB htmx", scoped("/sessions/{}/registration", "b", "draft_session"), public_only("admin"),
             headers=HX),
    ],
    ("registration.register", "POST"): [
        Case("A", scoped("/sessions/{}/register", "a", "session"), logged_in(303), body=lambda w: {}),
        Case("B", scoped("/sessions/{}/register", "b", "session"), logged_in(303), body=lambda w: {}),
        Case("A htmx", scoped("/sessions/{}/register", "a", "session"), logged_in(200), body=lambda w: {},
             headers=HX),
        # she has applied already: refused with 409 and the panel, nothing written
        Case("A@B htmx", scoped("/sessions/{}/register", "b", "course"), {**logged_in(200), "teacher": 409},
             body=lambda w: {}, headers=HX),
        # a session of an unpublished plan does not exist for those who cannot manage it, and
        # registration opens with publication (the session form says «Пусто — сразу после публикации»)
        Case("draftA htmx", scoped("/sessions/{}/register", "a", "draft_session"),
             only(*SESSION_MANAGERS_A, ok=409, deny=404), body=lambda w: {}, headers=HX),
        Case("draftB htmx", scoped("/sessions/{}/register", "b", "draft_session"), only("admin", ok=409, deny=404),
             body=lambda w: {}, headers=HX),
    ],
    ("registration.cancel", "POST"): [
        # her own: the teacher herself; her school's coordinator; the staff of A's session
        Case("A", reg_url("cancel", "a", "pending"), logged_in(303), body=lambda w: REASON),
        # her own at B: the teacher and her coordinator, not A's site leader or methodist
        Case("A@B", reg_url("cancel", "b", "visitor"), only("teacher", "coordinator", "admin", ok=303),
             body=lambda w: REASON),
        # B's teacher at A: A's staff, not A's teacher or A's coordinator
        Case("B@A", reg_url("cancel", "a", "visitor"), only(*SESSION_MANAGERS_A, ok=303), body=lambda w: REASON),
        Case("B", reg_url("cancel", "b", "pending"), only("admin", ok=303), body=lambda w: REASON),
        # cancelling someone else's registration needs a reason (she will read it); her own does not
        Case("emptyA htmx", reg_url("cancel", "a", "pending"), {**logged_in(422), "teacher": 200},
             body=lambda w: {"from": "panel"}, headers=HX),
        Case("B htmx", reg_url("cancel", "b", "pending"), only("admin", ok=200),
             body=lambda w: {**REASON, "from": "panel"}, headers=HX),
        Case("missing", plain("/registrations/999999/cancel"), logged_in(404), body=lambda w: REASON),
    ],
    ("registration.mine", "GET"): [Case("-", plain("/my/registrations"), logged_in())],
    # -- the school coordinator: team nomination and «Моя школа»
    ("registration.nominate", "GET"): [
        Case("A", scoped("/sessions/{}/nominate", "a", "session"), only("coordinator")),
        Case("B", scoped("/sessions/{}/nominate", "b", "session"), only("coordinator")),
        Case("draftA", scoped("/sessions/{}/nominate", "a", "draft_session"),
             {**only(), "teacher": 404, "coordinator": 404}),
    ],
    ("registration.nominate", "POST"): [
        Case("A", scoped("/sessions/{}/nominate", "a", "session"), only("coordinator", ok=303),
             body=lambda w: {"user_ids": [str(w.users["teacher"].id), str(w.colleague_a)]}),
        Case("B", scoped("/sessions/{}/nominate", "b", "session"), only("coordinator", ok=303),
             body=lambda w: {"user_ids": [str(w.users["teacher"].id)]}),
        Case("empty", scoped("/sessions/{}/nominate", "a", "session"), only("coordinator", ok=422),
             body=lambda w: {}),
        Case("draftA", scoped("/sessions/{}/nominate", "a", "draft_session"),
             {**only(), "teacher": 404, "coordinator": 404}, body=lambda w: {"user_ids": [str(w.colleague_a)]}),
        # a teacher of another school, even alongside her own colleague: nobody may nominate her
        Case("outsider", scoped("/sessions/{}/nominate", "a", "session"), only(),
             body=lambda w: {"user_ids": [str(w.colleague_a), str(w.teacher_b)]}),
    ],
    ("registration.school", "GET"): [
        Case("-", plain("/school"), only("coordinator")),
        # asking for B's school shows her own school (see the test below the table)
        Case("B", lambda w: f"/school?org={w.b.org}", only("coordinator")),
    ],
    # -- the roster (staff of the session), and decisions shared with the school coordinator
    ("registration.roster", "GET"): [
        Case("A", scoped("/sessions/{}/roster", "a", "course"), only(*SESSION_MANAGERS_A)),
        Case("B", scoped("/sessions/{}/roster", "b", "course"), only("admin")),
        Case("draftA", scoped("/sessions/{}/roster", "a", "draft_session"), only(*SESSION_MANAGERS_A, deny=404)),
        Case("draftB", scoped("/sessions/{}/roster", "b", "draft_session"), only("admin", deny=404)),
    ],
    ("registration.approve", "POST"): [
        # the coordinator gives the school's approval, staff the second one
        Case("A", reg_url("approve", "a", "pending"), only("coordinator", *SESSION_MANAGERS_A, ok=303),
             body=lambda w: {}),
        Case("A@B", reg_url("approve", "b", "visitor"), only("coordinator", "admin", ok=303), body=lambda w: {}),
        Case("B@A", reg_url("approve", "a", "visitor"), only(*SESSION_MANAGERS_A, ok=303), body=lambda w: {}),
        Case("B", reg_url("approve", "b", "pending"), only("admin", ok=303), body=lambda w: {}),
        # from the roster: staff get the roster back; the coordinator has no roster, so a flash and 303
        Case("A htmx", reg_url("approve", "a", "pending"), {**only(*SESSION_MANAGERS_A), "coordinator": 303},
             body=lambda w: {"from": "roster"}, headers=HX),
    ],
    ("registration.reject", "POST"): [
        Case("A", reg_url("reject", "a", "pending"), only("coordinator", *SESSION_MANAGERS_A, ok=303),
             body=lambda w: REASON),
        Case("A@B", reg_url("reject", "b", "visitor"), only("coordinator", "admin", ok=303), body=lambda w: REASON),
        Case("B@A", reg_url("reject", "a", "visitor"), only(*SESSION_MANAGERS_A, ok=303), body=lambda w: REASON),
        Case("B", reg_url("reject", "b", "pending"), only("admin", ok=303), body=lambda w: REASON),
        # the waiting list: her coordinator may take her off it too
        Case("waitA", reg_url("reject", "a", "waiting"), only("coordinator", *SESSION_MANAGERS_A, ok=303),
             body=lambda w: REASON),
        # no reason: staff get the roster with 422; the coordinator (no roster) the flash and a 303
        Case("emptyA htmx", reg_url("reject", "a", "pending"),
             {**only(*SESSION_MANAGERS_A, ok=422), "coordinator": 303}, body=lambda w: {"from": "roster"},
             headers=HX),
    ],
    ("registration.promote", "POST"): [
        # out of turn: staff only, not the coordinator
        Case("waitA", reg_url("promote", "a", "waiting"), only(*SESSION_MANAGERS_A, ok=303), body=lambda w: {}),
        Case("waitB", reg_url("promote", "b", "waiting"), only("admin", ok=303), body=lambda w: {}),
    ],
    ("registration.roster_bulk", "POST"): [
        Case("A", scoped("/sessions/{}/roster/bulk", "a", "course"), only(*SESSION_MANAGERS_A, ok=303),
             body=lambda w: {"action": "approve", "ids": [str(w.a.pending), str(w.a.visitor)]}),
        Case("B", scoped("/sessions/{}/roster/bulk", "b", "course"), only("admin", ok=303),
             body=lambda w: {"action": "approve", "ids": [str(w.b.pending), str(w.b.visitor)]}),
        Case("emptyA", scoped("/sessions/{}/roster/bulk", "a", "course"), only(*SESSION_MANAGERS_A, ok=422),
             body=lambda w: {}),
        # B's applications ticked through A's roster: none of them is decided
        Case("mixed", scoped("/sessions/{}/roster/bulk", "a", "course"), only(*SESSION_MANAGERS_A, ok=303),
             body=lambda w: {"action": "reject", "reason": "Нет мест", "ids": [str(w.b.pending), str(w.b.visitor)]}),
    ],
    ("registration.roster_people", "GET"): [
        Case("A", lambda w: f"/sessions/{w.a.course}/roster/people?q=Орлова", only(*SESSION_MANAGERS_A)),
        Case("B", lambda w: f"/sessions/{w.b.course}/roster/people?q=Кузнецова", only("admin")),
    ],
    ("registration.roster_add", "POST"): [
        Case("A", scoped("/sessions/{}/roster/add", "a", "course"), only(*SESSION_MANAGERS_A, ok=303),
             body=lambda w: {"user_id": str(w.colleague_b)}),
        Case("B", scoped("/sessions/{}/roster/add", "b", "course"), only("admin", ok=303),
             body=lambda w: {"user_id": str(w.colleague_a)}),
        Case("nobodyA", scoped("/sessions/{}/roster/add", "a", "course"), only(*SESSION_MANAGERS_A, ok=404),
             body=lambda w: {"user_id": "999999"}),
        # nobody is added to a session of an unpublished plan: she could not even open it
        Case("draftA htmx", scoped("/sessions/{}/roster/add", "a", "draft_session"),
             only(*SESSION_MANAGERS_A, ok=409, deny=404),
             body=lambda w: {"user_id": str(w.colleague_a), "from": "roster"}, headers=HX),
    ],
    ("registration.roster_csv", "GET"): [
        Case("A", scoped("/sessions/{}/roster.csv", "a", "course"), only(*SESSION_MANAGERS_A)),
        Case("B", scoped("/sessions/{}/roster.csv", "b", "course"), only("admin")),
        Case("draftA", scoped("/sessions/{}/roster.csv", "a", "draft_session"), only(*SESSION_MANAGERS_A, deny=404)),
    ],
    ("registration.roster_xlsx", "GET"): [
        Case("A", scoped("/sessions/{}/roster.xlsx", "a", "course"), only(*SESSION_MANAGERS_A)),
        Case("B", scoped("/sessions/{}/roster.xlsx", "b", "course"), only("admin")),
    ],
    # -- attendance: the leader's list, the marking roster, walk-ins (staff of the session)
    ("attendance.index", "GET"): [
        Case("-", plain("/attendance"), only(*SESSION_MANAGERS_A)),
        Case("past htmx", plain("/attendance?when=past"), only(*SESSION_MANAGERS_A), headers=HX),
    ],
    ("attendance.roster", "GET"): [
        Case("nowA", scoped("/sessions/{}/attendance", "a", "now"), only(*SESSION_MANAGERS_A)),
        Case("nowA htmx", scoped("/sessions/{}/attendance?show=unmarked", "a", "now"), only(*SESSION_MANAGERS_A),
             headers=HX),
        Case("nowB", scoped("/sessions/{}/attendance", "b", "now"), only("admin")),
        # not open for marking yet: the roster is there, with the reason
        Case("A", scoped("/sessions/{}/attendance", "a", "session"), only(*SESSION_MANAGERS_A)),
        Case("draftA", scoped("/sessions/{}/attendance", "a", "draft_session"), only(*SESSION_MANAGERS_A, deny=404)),
        Case("draftB", scoped("/sessions/{}/attendance", "b", "draft_session"), only("admin", deny=404)),
        Case("missing", plain("/sessions/999999/attendance"), logged_in(404)),
    ],
    ("attendance.mark", "POST"): [
        # a plain form goes back to the roster; htmx gets the row and the counts
        Case("nowA", mark_url("a"), only(*SESSION_MANAGERS_A, ok=303), body=lambda w: MARK),
        Case("nowA htmx", mark_url("a"), only(*SESSION_MANAGERS_A), body=lambda w: MARK, headers=HX),
        Case("nowB", mark_url("b"), only("admin", ok=303), body=lambda w: MARK),
        Case("badA htmx", mark_url("a"), only(*SESSION_MANAGERS_A, ok=422), body=lambda w: {"status": "sick"},
             headers=HX),
        # not on the roster: the row says so
        Case("nobodyA htmx", mark_url("a", person="colleague"), only(*SESSION_MANAGERS_A, ok=404),
             body=lambda w: MARK, headers=HX, own_page="нет в списке участников"),
        # a week ahead, marking is not open yet; a draft cannot be marked
        Case("A htmx", mark_url("a", "session"), only(*SESSION_MANAGERS_A, ok=409), body=lambda w: MARK,
             headers=HX),
        Case("draftA htmx", mark_url("a", "draft_session"), only(*SESSION_MANAGERS_A, ok=409, deny=404),
             body=lambda w: MARK, headers=HX),
        Case("missing", lambda w: f"/sessions/999999/attendance/{w.a.teacher}", logged_in(404), body=lambda w: MARK),
    ],
    ("attendance.mark_all", "POST"): [
        Case("nowA", scoped("/sessions/{}/attendance/mark-all", "a", "now"), only(*SESSION_MANAGERS_A, ok=303),
             body=lambda w: {}),
        Case("nowA htmx", scoped("/sessions/{}/attendance/mark-all", "a", "now"), only(*SESSION_MANAGERS_A),
             body=lambda w: {}, headers=HX),
        Case("nowB", scoped("/sessions/{}/attendance/mark-all", "b", "now"), only("admin", ok=303),
             body=lambda w: {}),
        Case("A htmx", scoped("/sessions/{}/attendance/mark-all", "a", "session"),
             only(*SESSION_MANAGERS_A, ok=409), body=lambda w: {}, headers=HX),
        Case("draftA htmx", scoped("/sessions/{}/attendance/mark-all", "a", "draft_session"),
             only(*SESSION_MANAGERS_A, ok=409, deny=404), body=lambda w: {}, headers=HX),
    ],
    ("attendance.close", "POST"): [
        Case("nowA", scoped("/sessions/{}/attendance/close", "a", "now"), only(*SESSION_MANAGERS_A, ok=303),
             body=lambda w: {}),
        Case("nowA htmx", scoped("/sessions/{}/attendance/close", "a", "now"), only(*SESSION_MANAGERS_A),
             body=lambda w: {}, headers=HX),
        Case("nowB", scoped("/sessions/{}/attendance/close", "b", "now"), only("admin", ok=303),
             body=lambda w: {}),
        # before the start nothing can be closed (and a week ahead nothing can be marked)
        Case("A htmx", scoped("/sessions/{}/attendance/close", "a", "session"), only(*SESSION_MANAGERS_A, ok=409),
             body=lambda w: {}, headers=HX),
        Case("draftA htmx", scoped("/sessions/{}/attendance/close", "a", "draft_session"),
             only(*SESSION_MANAGERS_A, ok=409, deny=404), body=lambda w: {}, headers=HX),
    ],
    ("attendance.people", "GET"): [
        Case("nowA", lambda w: f"/sessions/{w.a.now}/attendance/people?people_q=Орлова",
             only(*SESSION_MANAGERS_A)),
        Case("nowA htmx", lambda w: f"/sessions/{w.a.now}/attendance/people?people_q=Орлова",
             only(*SESSION_MANAGERS_A), headers=HX),
        Case("nowB htmx", lambda w: f"/sessions/{w.b.now}/attendance/people?people_q=Кузнецова", only("admin"),
             headers=HX),
        Case("draftA htmx", lambda w: f"/sessions/{w.a.draft_session}/attendance/people?people_q=Орлова",
             only(*SESSION_MANAGERS_A, deny=404), headers=HX),
    ],
    ("attendance.walk_in", "POST"): [
        # B's colleague comes to A's session unregistered (and A's to B's)
        Case("nowA", scoped("/sessions/{}/attendance/walk-in", "a", "now"), only(*SESSION_MANAGERS_A, ok=303),
             body=lambda w: {"user_id": str(w.colleague_b)}),
        Case("nowA htmx", scoped("/sessions/{}/attendance/walk-in", "a", "now"), only(*SESSION_MANAGERS_A),
             body=lambda w: {"user_id": str(w.colleague_b)}, headers=HX),
        Case("nowB", scoped("/sessions/{}/attendance/walk-in", "b", "now"), only("admin", ok=303),
             body=lambda w: {"user_id": str(w.colleague_a)}),
        # a new person without a name or e-mail: the form comes back with its errors
        Case("emptyA htmx", scoped("/sessions/{}/attendance/walk-in", "a", "now"), only(*SESSION_MANAGERS_A, ok=422),
             body=lambda w: {"last_name": "Новикова"}, headers=HX),
        Case("draftA htmx", scoped("/sessions/{}/attendance/walk-in", "a", "draft_session"),
             only(*SESSION_MANAGERS_A, ok=409, deny=404), body=lambda w: {"user_id": str(w.colleague_b)},
             headers=HX),
    ],
    # -- QR self check-in: the projector screen (staff) and the link in the code (participants)
    ("attendance.checkin_screen", "GET"): [
        Case("nowA", scoped("/sessions/{}/checkin-screen", "a", "now"), only(*SESSION_MANAGERS_A)),
        Case("nowB", scoped("/sessions/{}/checkin-screen", "b", "now"), only("admin")),
        # a week ahead: the screen says when the check-in opens
        Case("A", scoped("/sessions/{}/checkin-screen", "a", "session"), only(*SESSION_MANAGERS_A)),
        Case("draftA", scoped("/sessions/{}/checkin-screen", "a", "draft_session"),
             only(*SESSION_MANAGERS_A, deny=404)),
        Case("missing", plain("/sessions/999999/checkin-screen"), logged_in(404)),
    ],
    ("attendance.checkin_code", "GET"): [
        # polled by the screen, so no login redirect: a stranger (anonymous too) is refused, a plain
        # visit of the staff goes to the screen
        Case("nowA", scoped("/sessions/{}/checkin-screen/code", "a", "now"),
             public_only(*SESSION_MANAGERS_A, ok=302, deny=403)),
        Case("nowA htmx", scoped("/sessions/{}/checkin-screen/code", "a", "now"),
             public_only(*SESSION_MANAGERS_A, deny=403), headers=HX),
        Case("nowB htmx", scoped("/sessions/{}/checkin-screen/code", "b", "now"), public_only("admin", deny=403),
             headers=HX),
        Case("draftA htmx", scoped("/sessions/{}/checkin-screen/code", "a", "draft_session"),
             public_only(*SESSION_MANAGERS_A), headers=HX),
        Case("missing htmx", plain("/sessions/999999/checkin-screen/code"), everyone(404), headers=HX),
    ],
    ("attendance.checkin", "GET"): [
        # A's session: only its registrant (A's teacher) checks in; anonymous scanners log in first
        Case("nowA", checkin_url("a", "now"), only("teacher", deny=403), own_page=CHECKIN_REFUSED),
        # B's session lets walk-ins check in: anyone signed in
        Case("nowB", checkin_url("b", "now"), logged_in()),
        # a week ahead, or a draft: closed, before any login
        Case("A", checkin_url("a", "session"), everyone(409)),
        Case("draftA", checkin_url("a", "draft_session"), everyone(409)),
        Case("missing", lambda w: f"/checkin/{checkin_token(999999)}", everyone(404), own_page=CHECKIN_REFUSED),
        Case("forged", plain("/checkin/not-a-token"), everyone(400)),
    ],
    ("attendance.checkin_complete", "GET"): [
        # no scan remembered in the cookie: nothing to complete
        Case("-", plain("/checkin/complete"), logged_in(410)),
    ],
    # -- the growth record: the teacher, her coordinator, the methodist of her municipality, admins
    ("attendance.growth_mine", "GET"): [
        Case("-", plain("/growth"), logged_in()),
        Case("xlsx", plain("/growth?format=xlsx"), logged_in()),
    ],
    ("attendance.growth_person", "GET"): [
        Case("A", scoped("/people/{}/growth", "a", "teacher"), only("teacher", "coordinator", *MANAGERS_A)),
        Case("A xlsx", scoped("/people/{}/growth?format=xlsx", "a", "teacher"),
             only("teacher", "coordinator", *MANAGERS_A)),
        Case("B", scoped("/people/{}/growth", "b", "teacher"), only("admin")),
        Case("missing", plain("/people/999999/growth"), logged_in(404)),
    ],
    # -- exports
    ("attendance.session_export", "GET"): [
        Case("nowA", scoped("/sessions/{}/attendance/export?format=xlsx", "a", "now"), only(*SESSION_MANAGERS_A)),
        Case("pastA csv", scoped("/sessions/{}/attendance/export?format=csv", "a", "past"),
             only(*SESSION_MANAGERS_A)),
        Case("nowB", scoped("/sessions/{}/attendance/export?format=csv", "b", "now"), only("admin")),
        Case("nowA noformat", scoped("/sessions/{}/attendance/export", "a", "now"),
             only(*SESSION_MANAGERS_A, ok=400)),
        Case("draftA", scoped("/sessions/{}/attendance/export?format=csv", "a", "draft_session"),
             only(*SESSION_MANAGERS_A, deny=404)),
    ],
    ("attendance.period_export", "GET"): [
        Case("-", plain("/attendance/export"), only(*SESSION_MANAGERS_A)),
        Case("csv", lambda w: _period(), only(*SESSION_MANAGERS_A)),
        # B is not among the territories of A's methodist or A's site leader
        Case("B csv", lambda w: _period(w.b.municipality), {**only("admin"), "site_leader": 422, "methodist": 422}),
    ],
    # -- paper: the sign-in sheet, certificates and their public check
    ("attendance.sign_in_sheet", "GET"): [
        Case("nowA", scoped("/sessions/{}/sign-in-sheet", "a", "now"), only(*SESSION_MANAGERS_A)),
        Case("nowB", scoped("/sessions/{}/sign-in-sheet", "b", "now"), only("admin")),
        Case("draftA", scoped("/sessions/{}/sign-in-sheet", "a", "draft_session"),
             only(*SESSION_MANAGERS_A, deny=404)),
    ],
    ("attendance.issue_certificate", "POST"): [
        # her own, for the session she attended: only A's teacher has one to get (htmx: HX-Redirect)
        Case("pastA htmx", scoped("/sessions/{}/certificate", "a", "past"), {**logged_in(409), "teacher": 204},
             body=lambda w: {}, headers=HX),
        # A's teacher's, by the staff of the session
        Case("pastA", scoped("/sessions/{}/certificate", "a", "past"), only("teacher", *SESSION_MANAGERS_A, ok=303),
             body=lambda w: {"user_id": str(w.a.teacher)}),
        Case("pastB", scoped("/sessions/{}/certificate", "b", "past"), only("admin", ok=303),
             body=lambda w: {"user_id": str(w.b.teacher)}),
        # a session a week ahead: refused (a plain form gets the message on the page it came from)
        Case("A", scoped("/sessions/{}/certificate", "a", "session"), logged_in(303), body=lambda w: {}),
        Case("A htmx", scoped("/sessions/{}/certificate", "a", "session"), logged_in(409), body=lambda w: {},
             headers=HX),
        Case("draftA htmx", scoped("/sessions/{}/certificate", "a", "draft_session"),
             only(*SESSION_MANAGERS_A, ok=409, deny=404), body=lambda w: {}, headers=HX),
        Case("missing", plain("/sessions/999999/certificate"), logged_in(404), body=lambda w: {}),
    ],
    ("attendance.certificate", "GET"): [
        # A's colleague's: hers, her coordinator's, the session staff's; not A's teacher's
        Case("A", scoped("/certificates/{}", "a", "certificate"), only("coordinator", *SESSION_MANAGERS_A)),
        Case("B", scoped("/certificates/{}", "b", "certificate"), only("admin")),
        Case("missing", plain(f"/certificates/{NO_SUCH_CERTIFICATE}"), logged_in(404)),
        Case("junk", plain("/certificates/not-a-number"), logged_in(404)),
    ],
    ("attendance.verify", "GET"): [
        Case("-", plain("/verify"), everyone()),
        Case("A", scoped("/verify/{}", "a", "certificate"), everyone()),
        Case("missing", plain(f"/verify/{NO_SUCH_CERTIFICATE}"), everyone(404), own_page="не найден"),
        Case("junk", plain("/verify?number=12345"), everyone(400)),
    ],
    # -- sites
    ("sites.index", "GET"): [Case("-", plain("/sites/"), everyone())],
    ("sites.detail", "GET"): [
        Case("A", scoped("/sites/{}", "a", "site"), everyone()),
        Case("B", scoped("/sites/{}", "b", "site"), everyone()),
    ],
    ("sites.create", "GET"): [Case("-", plain("/sites/new"), only(*MANAGERS_A))],
    ("sites.create", "POST"): [
        Case("A", plain("/sites/new"), only(*MANAGERS_A, ok=303), body=lambda w: _site_body(w, "a")),
        Case("B", plain("/sites/new"), {**only("admin", ok=303), "methodist": 422}, body=lambda w: _site_body(w, "b")),
    ],
    ("sites.edit", "GET"): [
        # a site leader runs the site's sessions but does not edit the site itself
        Case("A", scoped("/sites/{}/edit", "a", "site"), only(*MANAGERS_A)),
        Case("B", scoped("/sites/{}/edit", "b", "site"), only("admin")),
    ],
    ("sites.edit", "POST"): [
        Case("A", scoped("/sites/{}/edit", "a", "site"), only(*MANAGERS_A, ok=303), body=lambda w: _site_body(w, "a")),
        Case("B", scoped("/sites/{}/edit", "b", "site"), only("admin", ok=303), body=lambda w: _site_body(w, "b")),
        # moving A's site to B's organization: the methodist of A cannot hand it away
        Case("A→B", scoped("/sites/{}/edit", "a", "site"), {**only("admin", ok=303), "methodist": 422},
             body=lambda w: _site_body(w, "b")),
    ],
    # -- organizations and municipalities
    ("orgs.index", "GET"): [Case("-", plain("/organizations"), only(*MANAGERS_A))],
    ("orgs.search", "GET"): [Case("-", plain("/organizations/search?q=СОШ"), everyone())],
    ("orgs.create", "GET"): [Case("-", plain("/organizations/new"), only(*MANAGERS_A))],
    ("orgs.create", "POST"): [
        Case("A", plain("/organizations/new"), only(*MANAGERS_A, ok=303),
             body=lambda w: _org_body(w, "a", "МБОУ СОШ № 77")),
        Case("B", plain("/organizations/new"), {**only("admin", ok=303), "methodist": 422},
             body=lambda w: _org_body(w, "b", "МБОУ СОШ № 77")),
    ],
    ("orgs.edit", "GET"): [
        Case("A", scoped("/organizations/{}/edit", "a", "org"), only(*MANAGERS_A)),
        Case("B", scoped("/organizations/{}/edit", "b", "org"), only("admin")),
    ],
    ("orgs.edit", "POST"): [
        Case("A", scoped("/organizations/{}/edit", "a", "org"), only(*MANAGERS_A, ok=303),
             body=lambda w: _org_body(w, "a")),
        Case("B", scoped("/organizations/{}/edit", "b", "org"), only("admin", ok=303),
             body=lambda w: _org_body(w, "b")),
    ],
    ("orgs.municipalities", "GET"): [Case("-", plain("/municipalities"), only("admin"))],
    ("orgs.municipality_create", "GET"): [Case("-", plain("/municipalities/new"), only("admin"))],
    ("orgs.municipality_create", "POST"): [
        Case("-", plain("/municipalities/new"), only("admin", ok=303),
             body=lambda w: {"name": "Территория В", "timezone": "Asia/Omsk"}),
    ],
    ("orgs.municipality_edit", "GET"): [
        Case("A", scoped("/municipalities/{}/edit", "a", "municipality"), only("admin")),
        Case("B", scoped("/municipalities/{}/edit", "b", "municipality"), only("admin")),
    ],
    ("orgs.municipality_edit", "POST"): [
        Case("A", scoped("/municipalities/{}/edit", "a", "municipality"), only("admin", ok=303),
             body=lambda w: {"name": "Территория А (изм.)", "timezone": "Europe/Samara"}),
        Case("B", scoped("/municipalities/{}/edit", "b", "municipality"), only("admin", ok=303),
             body=lambda w: {"name": "Территория Б (изм.)", "timezone": "Europe/Samara"}),
    ],
    # -- taxonomies (admins)
    ("taxonomy.index", "GET"): [Case("-", plain("/admin/taxonomies/"), only("admin"))],
    ("taxonomy.terms", "GET"): [Case("-", plain("/admin/taxonomies/directions"), only("admin"))],
    ("taxonomy.add", "POST"): [
        Case("-", plain("/admin/taxonomies/directions/add"), only("admin", ok=303),
             body=lambda w: {"new-name": "Наставничество"}),
    ],
    ("taxonomy.rename", "GET"): [
        Case("-", lambda w: f"/admin/taxonomies/directions/{w.direction}/rename", only("admin")),
    ],
    ("taxonomy.rename", "POST"): [
        Case("-", lambda w: f"/admin/taxonomies/directions/{w.direction}/rename", only("admin", ok=303),
             body=lambda w: {f"t{w.direction}-name": "Читательская грамотность"}),
    ],
    ("taxonomy.move", "POST"): [
        Case("-", lambda w: f"/admin/taxonomies/directions/{w.direction}/move/down", only("admin", ok=303),
             body=lambda w: {}),
    ],
    ("taxonomy.retire", "POST"): [
        Case("-", lambda w: f"/admin/taxonomies/directions/{w.direction}/retire", only("admin", ok=303),
             body=lambda w: {}),
    ],
    ("taxonomy.restore", "POST"): [
        Case("-", lambda w: f"/admin/taxonomies/directions/{w.direction2}/restore", only("admin", ok=303),
             body=lambda w: {}),
    ],
    # -- people and roles (admins)
    ("admin.users", "GET"): [Case("-", plain("/admin/users"), only("admin"))],
    ("admin.user_detail", "GET"): [Case("-", lambda w: f"/admin/users/{w.target}", only("admin"))],
    ("admin.user_detail", "POST"): [
        Case("-", lambda w: f"/admin/users/{w.target}", only("admin", ok=303),
             body=lambda w: {"role": "methodist", "municipality_id": str(w.a.municipality)}),
    ],
    ("admin.toggle_active", "POST"): [
        Case("-", lambda w: f"/admin/users/{w.target}/active", only("admin", ok=303), body=lambda w: {}),
    ],
    ("admin.revoke", "POST"): [
        Case("-", lambda w: f"/admin/users/{w.target}/grants/{w.target_grant}/revoke", only("admin", ok=303),
             body=lambda w: {}),
    ],
    # -- accounts
    ("accounts.login", "GET"): [Case("-", plain("/login"), anon_only())],
    ("accounts.login", "POST"): [
        Case("-", plain("/login"), anon_only(422), body=lambda w: {"email": "nobody@example.org", "password": "x"}),
    ],
    ("accounts.logout", "POST"): [Case("-", plain("/logout"), everyone(303), body=lambda w: {})],
    ("accounts.signup", "GET"): [Case("-", plain("/signup"), anon_only())],
    ("accounts.signup", "POST"): [Case("-", plain("/signup"), anon_only(303), body=_signup_body)],
    ("accounts.forgot_password", "GET"): [Case("-", plain("/password/forgot"), everyone())],
    ("accounts.forgot_password", "POST"): [
        Case("-", plain("/password/forgot"), everyone(303), body=lambda w: {"email": "nobody@example.org"}),
    ],
    ("accounts.reset_password", "GET"): [Case("-", plain("/password/reset/not-a-token"), everyone(302))],
    ("accounts.reset_password", "POST"): [
        Case("-", plain("/password/reset/not-a-token"), everyone(302),
             body=lambda w: {"password": "new-password-1", "password2": "new-password-1"}),
    ],
    ("accounts.profile", "GET"): [Case("-", plain("/profile"), logged_in())],
    ("accounts.profile", "POST"): [Case("-", plain("/profile"), logged_in(303), body=_profile_body)],
    ("accounts.change_password", "POST"): [
        Case("-", plain("/profile/password"), logged_in(422),
             body=lambda w: {"current": "wrong-password", "password": "new-password-1",
                             "password2": "new-password-1"}),
    ],
    # -- check-lists: templates (methodists of the owner municipality and admins edit; a methodist
    #    sees the network's templates read-only and may copy them)
    ("checklists.templates", "GET"): [Case("-", plain("/checklists/templates"), only(*MANAGERS_A))],
    ("checklists.create_template", "POST"): [
        Case("-", plain("/checklists/templates"), only(*MANAGERS_A, ok=303),
             body=lambda w: {"title": "Новый чек-лист", "instructions": "", "municipality_id": ""}),
    ],
    ("checklists.import_template", "POST"): [
        Case("no file", plain("/checklists/templates/import"), only(*MANAGERS_A, ok=422), body=lambda w: {}),
    ],
    ("checklists.editor", "GET"): [
        Case("A", scoped("/checklists/templates/{}", "a", "template"), only(*MANAGERS_A)),
        Case("B", scoped("/checklists/templates/{}", "b", "template"), only("admin")),
        Case("network", lambda w: f"/checklists/templates/{w.net_template}", only(*MANAGERS_A)),
    ],
    ("checklists.update_template", "POST"): [
        Case("A", scoped("/checklists/templates/{}", "a", "template"), only(*MANAGERS_A, ok=303),
             body=lambda w: {"title": "Шаблон А (изм.)", "instructions": "Коротко"}),
        Case("B", scoped("/checklists/templates/{}", "b", "template"), only("admin", ok=303),
             body=lambda w: {"title": "Шаблон Б (изм.)", "instructions": ""}),
        Case("network", lambda w: f"/checklists/templates/{w.net_template}", only("admin", ok=303),
             body=lambda w: {"title": "Сетевой (изм.)", "instructions": ""}),
    ],
    ("checklists.item_form", "GET"): [
        Case("A", scoped("/checklists/templates/{}/items/form?kind=scale", "a", "template"), only(*MANAGERS_A)),
        Case("B", scoped("/checklists/templates/{}/items/form?kind=scale", "b", "template"), only("admin")),
    ],
    ("checklists.add_item", "POST"): [
        Case("A", scoped("/checklists/templates/{}/items", "a", "template"), only(*MANAGERS_A, ok=303),
             body=lambda w: {"kind": "short_text", "text": "Ваша должность", "max_length": "200"}),
        Case("B", scoped("/checklists/templates/{}/items", "b", "template"), only("admin", ok=303),
             body=lambda w: {"kind": "short_text", "text": "Ваша должность", "max_length": "200"}),
    ],
    ("checklists.update_item", "POST"): [
        Case("A", scoped("/checklists/templates/{}/items/note", "a", "template"), only(*MANAGERS_A, ok=303),
             body=lambda w: {"kind": "long_text", "text": "Что вы примените на уроках?", "max_length": "2000"}),
        Case("B", scoped("/checklists/templates/{}/items/note", "b", "template"), only("admin", ok=303),
             body=lambda w: {"kind": "long_text", "text": "Что вы примените на уроках?", "max_length": "2000"}),
    ],
    ("checklists.move_item", "POST"): [
        Case("A", scoped("/checklists/templates/{}/items/note/move", "a", "template"), only(*MANAGERS_A, ok=303),
             body=lambda w: {"direction": "up"}),
        Case("B", scoped("/checklists/templates/{}/items/note/move", "b", "template"), only("admin", ok=303),
             body=lambda w: {"direction": "up"}),
    ],
    ("checklists.delete_item", "POST"): [
        Case("A", scoped("/checklists/templates/{}/items/note/delete", "a", "template"), only(*MANAGERS_A, ok=303),
             body=lambda w: {}),
        Case("B", scoped("/checklists/templates/{}/items/note/delete", "b", "template"), only("admin", ok=303),
             body=lambda w: {}),
    ],
    ("checklists.export_template", "GET"): [
        Case("A", scoped("/checklists/templates/{}/export", "a", "template"), only(*MANAGERS_A)),
        Case("B", scoped("/checklists/templates/{}/export", "b", "template"), only("admin")),
        Case("network", lambda w: f"/checklists/templates/{w.net_template}/export", only(*MANAGERS_A)),
    ],
    ("checklists.archive_template", "POST"): [
        Case("A", scoped("/checklists/templates/{}/archive", "a", "template"), only(*MANAGERS_A, ok=303),
             body=lambda w: {"state": "archived"}),
        Case("B", scoped("/checklists/templates/{}/archive", "b", "template"), only("admin", ok=303),
             body=lambda w: {"state": "archived"}),
    ],
    ("checklists.copy_template", "POST"): [
        Case("network", lambda w: f"/checklists/templates/{w.net_template}/copy", only(*MANAGERS_A, ok=303),
             body=lambda w: {"municipality_id": ""}),
        Case("B", scoped("/checklists/templates/{}/copy", "b", "template"), only("admin", ok=303),
             body=lambda w: {"municipality_id": ""}),
    ],
    # -- check-lists: who answers (staff of the target: its site's leader, its municipality's
    #    methodist, admins)
    ("checklists.assignments", "GET"): [Case("-", plain("/checklists/assignments"), only(*SESSION_MANAGERS_A))],
    ("checklists.new_assignment", "GET"): [
        Case("-", plain("/checklists/assignments/new"), only(*SESSION_MANAGERS_A)),
        Case("A", scoped("/checklists/assignments/new?session_id={}", "a", "session"), only(*SESSION_MANAGERS_A)),
        Case("B", scoped("/checklists/assignments/new?session_id={}", "b", "session"), only("admin")),
    ],
    ("checklists.new_assignment", "POST"): [
        Case("A", plain("/checklists/assignments/new"), only(*SESSION_MANAGERS_A, ok=303),
             body=lambda w: {"template_id": w.net_template, "target": "session", "session_id": w.a.session,
                             "role": "participant", "opens_on": "session_end", "open_days": "14"}),
        Case("B", plain("/checklists/assignments/new"), {**only("admin", ok=303), "site_leader": 403, "methodist": 403},
             body=lambda w: {"template_id": w.net_template, "target": "session", "session_id": w.b.session,
                             "role": "participant", "opens_on": "session_end", "open_days": "14"},
             own_page="Вы не ведёте это"),
    ],
    ("checklists.cancel_assignment", "POST"): [
        Case("A", scoped("/checklists/assignments/{}/cancel", "a", "assignment"), only(*SESSION_MANAGERS_A, ok=303),
             body=lambda w: {}),
        Case("B", scoped("/checklists/assignments/{}/cancel", "b", "assignment"), only("admin", ok=303),
             body=lambda w: {}),
    ],
    # -- check-lists: results (admins all; a methodist her municipality's; a site leader her sites')
    ("checklists.results_index", "GET"): [Case("-", plain("/checklists/results"), only(*SESSION_MANAGERS_A))],
    ("checklists.results", "GET"): [
        Case("A", scoped("/checklists/templates/{}/results", "a", "template"), only(*SESSION_MANAGERS_A)),
        Case("B", scoped("/checklists/templates/{}/results", "b", "template"), only("admin")),
    ],
    ("checklists.results_texts", "GET"): [
        Case("A", scoped("/checklists/templates/{}/results/texts?item=note", "a", "template"),
             only(*SESSION_MANAGERS_A)),
        Case("B", scoped("/checklists/templates/{}/results/texts?item=note", "b", "template"), only("admin")),
    ],
    ("checklists.results_export", "GET"): [
        Case("A", scoped("/checklists/templates/{}/results/export?format=csv", "a", "template"),
             only(*SESSION_MANAGERS_A)),
        Case("B", scoped("/checklists/templates/{}/results/export?format=xlsx&kind=summary", "b", "template"),
             only("admin")),
    ],
    # -- check-lists: answering (only the person asked; anyone else is told nothing exists)
    ("checklists.mine", "GET"): [Case("-", plain("/my/checklists"), logged_in())],
    ("checklists.answer", "GET"): [
        Case("A", scoped("/my/checklists/{}", "a", "invitation"), only("teacher", deny=404)),
    ],
    ("checklists.save_draft", "POST"): [
        Case("A", scoped("/my/checklists/{}/draft", "a", "invitation"), only("teacher", ok=303, deny=404),
             body=lambda w: {"a-useful": "3"}),
    ],
    ("checklists.submit", "POST"): [
        Case("A", scoped("/my/checklists/{}", "a", "invitation"), only("teacher", ok=303, deny=404),
             body=lambda w: {"a-useful": "5", "a-note": "Приёмы"}),
    ],
    # -- imports (issue 7): a batch is its uploader's alone (anyone else, the admin too: 404); the plan's
    #    managers upload plans; an organization's coordinator, its municipality's methodist and admins
    #    upload staff (tests/test_import_people.py walks a real staff batch through every role)
    ("imports.plan_upload", "GET"): [
        Case("A", scoped("/imports/plans/{}/upload", "a", "plan"), only(*MANAGERS_A)),
        Case("B", scoped("/imports/plans/{}/upload", "b", "plan"), only("admin")),
        Case("draftB", scoped("/imports/plans/{}/upload", "b", "draft"), only("admin", deny=DRAFT_HIDDEN)),
    ],
    ("imports.plan_upload", "POST"): [
        Case("A", scoped("/imports/plans/{}/upload", "a", "plan"), only(*MANAGERS_A, ok=303),
             body=lambda w: {"file": (io.BytesIO(PLAN_CSV), "plan.csv")}),
        Case("B", scoped("/imports/plans/{}/upload", "b", "plan"), only("admin", ok=303),
             body=lambda w: {"file": (io.BytesIO(PLAN_CSV), "plan.csv")}),
    ],
    ("imports.plan_template", "GET"): [Case("any", plain("/imports/plans/template.xlsx"), only(*MANAGERS_A))],
    ("imports.plan_mapping", "GET"): [
        Case("own", lambda w: f"/imports/{w.plan_batch}/mapping", only("methodist", deny=404))],
    ("imports.plan_mapping", "POST"): [
        Case("own", lambda w: f"/imports/{w.plan_batch}/mapping", only("methodist", ok=303, deny=404),
             body=lambda w: {"number": "0", "title": "1"})],
    ("imports.plan_preview", "GET"): [
        Case("own", lambda w: f"/imports/{w.plan_batch}/preview", only("methodist", deny=404))],
    ("imports.plan_apply", "POST"): [
        Case("own", lambda w: f"/imports/{w.plan_batch}/apply", only("methodist", ok=303, deny=404))],
    ("imports.plan_discard", "POST"): [
        Case("own", lambda w: f"/imports/{w.plan_batch}/discard", only("methodist", ok=303, deny=404))],
    # not applied yet: its result page leads to its preview
    ("imports.plan_result", "GET"): [
        Case("own", lambda w: f"/imports/{w.plan_batch}/result", only("methodist", ok=303, deny=404))],
    ("imports.people_upload", "GET"): [
        Case("A", scoped("/imports/organizations/{}/people/upload", "a", "org"), only("coordinator", *MANAGERS_A)),
        Case("B", scoped("/imports/organizations/{}/people/upload", "b", "org"), only("admin")),
    ],
    ("imports.people_upload", "POST"): [
        Case("A no file", scoped("/imports/organizations/{}/people/upload", "a", "org"),
             only("coordinator", *MANAGERS_A, ok=422), body=lambda w: {}),
        Case("B no file", scoped("/imports/organizations/{}/people/upload", "b", "org"), only("admin", ok=422),
             body=lambda w: {}),
    ],
    ("imports.people_template", "GET"): [
        Case("-", plain("/imports/people/template.xlsx"), only("coordinator", *MANAGERS_A)),
    ],
    ("imports.people_mapping", "GET"): [Case("none", plain("/imports/999999/people-mapping"), logged_in(404))],
    ("imports.people_mapping", "POST"): [
        Case("none", plain("/imports/999999/people-mapping"), logged_in(404), body=lambda w: {"email": "0"}),
    ],
    ("imports.people_preview", "GET"): [Case("none", plain("/imports/999999/people-preview"), logged_in(404))],
    ("imports.people_apply", "POST"): [
        Case("none", plain("/imports/999999/people-apply"), logged_in(404), body=lambda w: {}),
        Case("plan batch", lambda w: f"/imports/{w.plan_batch}/people-apply", logged_in(404), body=lambda w: {}),
    ],
    ("imports.people_discard", "POST"): [
        Case("none", plain("/imports/999999/people-discard"), logged_in(404), body=lambda w: {}),
    ],
    ("imports.people_result", "GET"): [Case("none", plain("/imports/999999/people-result"), logged_in(404))],
    # -- invitations: the link is the credential (no login); a bad one gets its own page
    ("accounts.accept_invitation", "GET"): [
        Case("-", plain("/invite/not-a-token"), everyone(404), own_page="Ссылка недействительна"),
    ],
    ("accounts.accept_invitation", "POST"): [
        Case("-", plain("/invite/not-a-token"), everyone(404), own_page="Ссылка недействительна",
             body=lambda w: {"password": "new-password-1", "password2": "new-password-1", "consent": "y"}),
    ],
    # -- reports (issue 7): admins everything; a methodist her municipality's; nobody else
    ("reports.index", "GET"): [
        Case("-", plain("/reports/"), only(*MANAGERS_A)),
        Case("B", scoped("/reports/?municipality={}", "b", "municipality"), only("admin")),
    ],
    ("reports.fulfilment", "GET"): [
        Case("-", plain("/reports/fulfilment"), only(*MANAGERS_A)),
        Case("A", scoped("/reports/fulfilment?municipality={}", "a", "municipality"), only(*MANAGERS_A)),
        Case("B", scoped("/reports/fulfilment?municipality={}", "b", "municipality"), only("admin")),
        Case("hx", plain("/reports/fulfilment?page=2&sites_page=2"), only(*MANAGERS_A), headers=HX),
    ],
    ("reports.fulfilment_export", "GET"): [
        Case("A", scoped("/reports/fulfilment/export?fmt=xlsx&municipality={}", "a", "municipality"),
             only(*MANAGERS_A)),
        Case("B", scoped("/reports/fulfilment/export?fmt=xlsx&municipality={}", "b", "municipality"), only("admin")),
    ],
    ("reports.participation", "GET"): [
        Case("-", plain("/reports/participation?by=organization"), only(*MANAGERS_A)),
        Case("A", scoped("/reports/participation?by=session&municipality={}", "a", "municipality"),
             only(*MANAGERS_A)),
        Case("B", scoped("/reports/participation?by=audience&municipality={}", "b", "municipality"), only("admin")),
        Case("hx", plain("/reports/participation?by=site&page=2"), only(*MANAGERS_A), headers=HX),
    ],
    ("reports.participation_export", "GET"): [
        Case("A", scoped("/reports/participation/export?fmt=csv&municipality={}", "a", "municipality"),
             only(*MANAGERS_A)),
        Case("B", scoped("/reports/participation/export?fmt=xlsx&by=municipality&municipality={}", "b",
                         "municipality"), only("admin")),
    ],
    ("reports.interaction_map", "GET"): [
        Case("A", scoped("/reports/interaction-map?municipality={}", "a", "municipality"), only(*MANAGERS_A)),
        Case("B", scoped("/reports/interaction-map?municipality={}", "b", "municipality"), only("admin")),
    ],
    ("reports.interaction_map_export", "GET"): [
        Case("A", scoped("/reports/interaction-map/export?fmt=xlsx&municipality={}", "a", "municipality"),
             only(*MANAGERS_A)),
        Case("B", scoped("/reports/interaction-map/export?fmt=csv&municipality={}", "b", "municipality"),
             only("admin")),
    ],
    ("reports.feedback", "GET"): [
        Case("A", scoped("/reports/feedback?municipality={}", "a", "municipality"), only(*MANAGERS_A)),
        Case("B", scoped("/reports/feedback?municipality={}", "b", "municipality"), only("admin")),
    ],
    ("reports.feedback_export", "GET"): [
        Case("A", scoped("/reports/feedback/export?fmt=xlsx&municipality={}", "a", "municipality"),
             only(*MANAGERS_A)),
        Case("B", scoped("/reports/feedback/export?municipality={}", "b", "municipality"), only("admin")),
    ],
    ("reports.indicators", "GET"): [
        Case("-", plain("/reports/indicators"), only(*MANAGERS_A)),
        Case("A", scoped("/reports/indicators?municipality={}", "a", "municipality"), only(*MANAGERS_A)),
        Case("B", scoped("/reports/indicators?municipality={}", "b", "municipality"), only("admin")),
    ],
    ("reports.indicators_export", "GET"): [
        Case("-", plain("/reports/indicators/export?fmt=xlsx"), only(*MANAGERS_A)),
        Case("B", scoped("/reports/indicators/export?municipality={}", "b", "municipality"), only("admin")),
    ],
    ("reports.indicators_manage", "GET"): [Case("-", plain("/reports/indicators/manage"), only("admin"))],
    ("reports.indicator_create", "GET"): [Case("-", plain("/reports/indicators/new"), only("admin"))],
    ("reports.indicator_create", "POST"): [
        Case("empty", plain("/reports/indicators/new"), only("admin", ok=422), body=lambda w: {}),
        Case("-", plain("/reports/indicators/new"), only("admin", ok=303), body=lambda w: _indicator_body()),
    ],
    ("reports.indicator_edit", "GET"): [
        Case("-", lambda w: f"/reports/indicators/{w.indicator}/edit", only("admin")),
        Case("unknown", plain("/reports/indicators/999999/edit"), only("admin", ok=404)),
    ],
    ("reports.indicator_edit", "POST"): [
        Case("-", lambda w: f"/reports/indicators/{w.indicator}/edit", only("admin", ok=303),
             body=lambda w: _indicator_body()),
    ],
    ("reports.indicator_archive", "POST"): [
        Case("-", lambda w: f"/reports/indicators/{w.indicator}/archive", only("admin", ok=303))],
    ("reports.indicator_restore", "POST"): [
        Case("-", lambda w: f"/reports/indicators/{w.archived_indicator}/restore", only("admin", ok=303))],
    ("reports.annual", "GET"): [
        Case("A", scoped("/reports/annual?municipality={}", "a", "municipality"), only(*MANAGERS_A)),
        Case("B", scoped("/reports/annual?municipality={}", "b", "municipality"), only("admin")),
    ],
    ("reports.annual_export", "GET"): [
        Case("A", scoped("/reports/annual/export?fmt=xlsx&municipality={}", "a", "municipality"),
             only(*MANAGERS_A)),
        Case("B", scoped("/reports/annual/export?fmt=xlsx&municipality={}", "b", "municipality"), only("admin")),
    ],
    # -- calendar feeds: a secret feed's URL is its credential, whoever holds it (no login: calendars
    # fetch it); a forged or foreign-kind token is 404 for everyone
    ("calendar.public_feed", "GET"): [
        Case("A", lambda w: f"/calendar/plan.ics?municipality={w.a.municipality}", everyone()),
    ],
    ("calendar.personal_feed", "GET"): [
        Case("own", lambda w: f"/calendar/my/{w.feed_tokens['personal']}.ics", everyone()),
        Case("forged", lambda w: f"/calendar/my/{w.feed_tokens['personal'][:-4]}AAAA.ics", everyone(404),
             own_page="Календарь не найден"),
        Case("other kind", lambda w: f"/calendar/my/{w.feed_tokens['leader']}.ics", everyone(404),
             own_page="Календарь не найден"),
    ],
    ("calendar.leader_feed", "GET"): [
        Case("own", lambda w: f"/calendar/sites/{w.feed_tokens['leader']}.ics", everyone()),
        Case("other kind", lambda w: f"/calendar/sites/{w.feed_tokens['personal']}.ics", everyone(404),
             own_page="Календарь не найден"),
    ],
    ("calendar.session_ics", "GET"): [
        Case("A", scoped("/sessions/{}/event.ics", "a", "session"), everyone()),
        Case("A draft", scoped("/sessions/{}/event.ics", "a", "draft_session"),
             public_only("site_leader", *MANAGERS_A)),
        Case("B draft", scoped("/sessions/{}/event.ics", "b", "draft_session"), public_only("admin")),
    ],
    ("calendar.subscriptions", "GET"): [Case("-", plain("/calendar"), logged_in())],
    ("calendar.reset", "POST"): [
        Case("personal", plain("/calendar/personal/reset"), logged_in(ok=303)),
        Case("leader", plain("/calendar/leader/reset"), only("site_leader", ok=303, deny=404)),
        Case("unknown", plain("/calendar/other/reset"), logged_in(ok=404)),
    ],
    ("calendar.alarm", "POST"): [
        Case("personal", plain("/calendar/personal/alarm"), logged_in(ok=303), body=lambda w: {"personal-alarm": "60"}),
        Case("leader", plain("/calendar/leader/alarm"), only("site_leader", ok=303, deny=404),
             body=lambda w: {"leader-alarm": "1440"}),
        Case("bad value", plain("/calendar/personal/alarm"), logged_in(ok=422), body=lambda w: {"personal-alarm": "7"}),
    ],
    # -- infrastructure
    ("healthz", "GET"): [Case("-", plain("/healthz"), everyone())],
    ("static", "GET"): [Case("-", plain("/static/css/app.css"), everyone())],
}

#: statuses after which the database must be exactly as before
UNCHANGED = {302, 400, 403, 404, 405, 409, 422}

#: (endpoint, method, scope, role) -> reason: app bugs found by this matrix, strict xfail until fixed.
#: The draft-plan 404s, the site leader's draft-plan session and staff registering for sessions of
#: unpublished plans were fixed.
KNOWN_BUGS: dict[tuple[str, str, str, str], str] = {}


class KnownBug(AssertionError):
    """Raised when only KNOWN_BUGS mismatched: the strict xfail catches this and nothing else."""


def _params():
    for (endpoint, method), cases in ROUTES.items():
        for case in cases:
            bugs = {role: KNOWN_BUGS[(endpoint, method, case.scope, role)]
                    for role in ROLES if (endpoint, method, case.scope, role) in KNOWN_BUGS}
            marks = [pytest.mark.xfail(strict=True, raises=KnownBug, reason="; ".join(sorted(set(bugs.values()))))
                     ] if bugs else []
            yield pytest.param(endpoint, method, case, id=f"{method} {endpoint} [{case.scope}]", marks=marks)


def test_every_route_is_in_the_table(app):
    registered = set()
    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            registered.add((rule.endpoint, method))
    missing = registered - set(ROUTES)
    stale = set(ROUTES) - registered
    assert not missing, f"routes without expected statuses in test_permissions.ROUTES: {sorted(missing)}"
    assert not stale, f"ROUTES lists routes the app no longer has: {sorted(stale)}"
    for key, cases in ROUTES.items():
        for case in cases:
            assert set(case.expect) == set(ROLES), (key, case.scope)
    for endpoint, method, scope, role in KNOWN_BUGS:
        assert any(c.scope == scope for c in ROUTES[(endpoint, method)]), (endpoint, method, scope)


def _reset(db, make, upload_dir) -> SimpleNamespace:
    """Empty every table and build the scenario again (after a request that changed it)."""
    db.session.rollback()
    db.session.expunge_all()
    db.session.close()
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            conn.execute(sa.text(f"TRUNCATE {', '.join(t.name for t in tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())
    return _build_world(make, db, upload_dir)


def _check(endpoint, method, case, role, w, client, auth, db) -> tuple[list[str], bool]:
    """Problems with one role's answer, and whether the request changed the database."""
    if role == "anon":
        auth.logout()
    else:
        auth.login(w.users[role])
    url = case.url(w)
    expected = case.expect[role]
    before = snapshot(db) if method == "POST" else None
    if method == "GET":
        response = client.get(url, headers=case.headers)
    else:
        response = client.post(url, data=case.body(w) if case.body else {}, headers=case.headers)
    problems = []
    page = text_of(response) if response.mimetype.startswith("text/") else ""  # not a spreadsheet
    if response.status_code != expected:
        problems.append(f"expected {expected}, got {response.status_code}: {page[:300]}")
    elif expected == 302 and role == "anon" and case.expect["admin"] != 302:
        if urlsplit(response.headers["Location"]).path != "/login":
            problems.append(f"redirected to {response.headers['Location']}, not to /login")
    elif case.own_page and expected in (403, 404) and case.own_page not in page \
            and {403: "Доступ запрещён", 404: "Страница не найдена"}[expected] not in page:
        problems.append(f"{expected} without «{case.own_page}» or the generic Russian page")
    elif not case.own_page and expected == 403 and "Доступ запрещён" not in page:
        problems.append("403 without the Russian «Доступ запрещён» page")
    elif not case.own_page and expected == 404 and "Страница не найдена" not in page:
        problems.append("404 without the Russian «Страница не найдена» page")
    changed = False
    if before is not None:
        changed = snapshot(db) != before
        if response.status_code in UNCHANGED and changed:
            problems.append(f"answered {response.status_code} but changed the database")
        if (endpoint, case.scope) in UNCHANGED_BY_303:
            if response.status_code == 303 and changed:
                problems.append("answered 303 to a request that must change nothing, but changed the database")
        elif expected == 303 and response.status_code == 303 and not changed and endpoint not in NO_CHANGE_ON_SUCCESS:
            problems.append("answered 303 but saved nothing")
    return [f"{method} {url} as {role}: {p}" for p in problems], changed


#: successful POSTs that rightly change nothing in the database in this scenario
NO_CHANGE_ON_SUCCESS = {"accounts.logout", "accounts.forgot_password", "sessions.restore"}

#: (endpoint, scope) answered 303 that must leave the database as it was: a refusal flashed to a
#: plain form (the registration views answer so), or a decision about nothing
UNCHANGED_BY_303 = {("registration.reject", "emptyA htmx"), ("registration.roster_bulk", "mixed"),
                    ("attendance.issue_certificate", "A")}


@pytest.mark.parametrize(("endpoint", "method", "case"), list(_params()))
def test_route_answers_each_role_as_the_rules_say(endpoint, method, case, world, client, auth, db, make, app):
    """Each role in turn; a POST that changed the database gets a fresh scenario for the next role.

    Forbidden and refused POSTs (403, 302 to /login, 404, 422) must leave every table as it was.
    """
    upload_dir = Path(app.config["UPLOAD_DIR"])
    w = world
    real, known = [], []
    for role in ROLES:
        problems, changed = _check(endpoint, method, case, role, w, client, auth, db)
        (known if (endpoint, method, case.scope, role) in KNOWN_BUGS else real).extend(problems)
        if changed:
            w = _reset(db, make, upload_dir)
    if real:
        raise AssertionError("\n".join(real))
    if known:
        raise KnownBug("\n".join(known))


def test_session_of_another_site_in_the_same_municipality_is_not_the_site_leaders(world, make, db, client, auth):
    """The leader of A's site manages that site's sessions only, not every session in A."""
    other_site = make.site(organization=db.session.get(Organization, world.a.org), name="Другая площадка")
    other = make.session(site=other_site, title="Чужой семинар")
    db.session.commit()
    auth.login(world.users["site_leader"])
    before = snapshot(db)
    assert client.get(f"/sessions/{other.id}/edit").status_code == 403
    assert client.post(f"/sessions/{other.id}/cancel", data={"reason": "Просто так"}).status_code == 403
    assert snapshot(db) == before
    # while the methodist of A does manage it
    auth.login(world.users["methodist"])
    assert client.get(f"/sessions/{other.id}/edit").status_code == 200


def test_site_leader_cannot_move_own_session_to_a_site_she_does_not_lead(world, make, db, client, auth):
    other_site = make.site(organization=db.session.get(Organization, world.a.org), name="Соседняя площадка")
    db.session.commit()
    auth.login(world.users["site_leader"])
    body = {**_session_body(world, "a"), "site_id": str(other_site.id)}
    response = client.post(f"/sessions/{world.a.session}/edit", data=body)
    assert response.status_code in (403, 422)
    db.session.expire_all()
    assert db.session.get(EventSession, world.a.session).site_id == world.a.site


def test_coordinator_asking_for_another_school_sees_her_own(world, client, auth):
    """«Моя школа» with B's organization in the address: her own school, none of B's people."""
    auth.login(world.users["coordinator"])
    page = text_of(client.get(f"/school?org={world.b.org}"))
    assert "МБОУ СОШ № 1a" in page and "МБОУ СОШ № 1b" not in page
    # her colleague waiting at A's course is there; B's teacher, who applied to the same course, is not
    assert "Кузнецова" in page and "Сидорова" not in page


def test_deactivated_user_is_logged_out(world, db, client, auth):
    user = world.users["methodist"]
    auth.login(user)
    assert client.get("/plans/new").status_code == 200
    user.is_active = False
    db.session.commit()
    response = client.get("/plans/new")
    assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/login"


def test_login_with_the_scenario_password_then_forbidden_page(world, client):
    """A real login (not a session cookie planted by the fixture) gets the same 403."""
    response = client.post("/login", data={"email": "teacher@example.org", "password": PASSWORD})
    assert response.status_code == 303
    assert client.get("/admin/users").status_code == 403
    assert client.get("/plans/new").status_code == 403
