"""Demo data: the small realistic network from content.py, and a large one for benchmarks."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from webapp import taxonomy_seed
from webapp.accounts.models import Role, RoleGrant, User
from webapp.dbtypes import utcnow
from webapp.demo import content
from webapp.extensions import db, savepoint
from webapp.orgs.models import Municipality, Organization, OrgKind, SchoolCategory
from webapp.plan.models import ItemStatus, Plan, PlanItem, PlanKind, PlanStatus, plan_item_audiences
from webapp.plan.services import normalize_timing, number_position
from webapp.reports.demo import seed_indicators
from webapp.sessions.models import ApprovalMode, Delivery, EventSession, SessionMaterial, session_audiences
from webapp.sessions.services import refresh_search_text
from webapp.sites.models import Level, Site, SiteKind, site_directions
from webapp.taxonomy.models import Audience, CompetenceArea, Direction, EventForm
from webapp.timefmt import academic_year_of, to_utc

DEMO_PASSWORD = "demo12345"
MARKER_EMAIL = "admin@demo.local"


def seed_taxonomies() -> None:
    """Create the taxonomies' initial terms; existing ones (maybe renamed by an admin) stay."""
    for model, names in ((Direction, taxonomy_seed.DIRECTIONS), (EventForm, taxonomy_seed.FORMS),
                         (Audience, taxonomy_seed.AUDIENCES), (CompetenceArea, taxonomy_seed.COMPETENCE_AREAS)):
        if db.session.scalar(sa.select(sa.func.count()).select_from(model)):
            continue
        db.session.add_all(model(name=name, position=i) for i, name in enumerate(names))
    db.session.flush()


def _by_name(model) -> dict[str, object]:
    return {t.name: t for t in db.session.scalars(sa.select(model))}


def _weekday(d: date) -> date:
    """Network events happen on working days: a weekend date moves to the nearest weekday."""
    if d.weekday() == 5:
        return d - timedelta(days=1)
    if d.weekday() == 6:
        return d + timedelta(days=1)
    return d


def _academic_date(year: int, month: int, day: int) -> date:
    calendar_year = year if month >= 9 else year + 1
    return _weekday(date(calendar_year, month, min(day, 28 if month == 2 else day)))


def seed_demo(today: date | None = None) -> bool:
    """Load the demo network into the current academic year. Returns False if already loaded."""
    seed_taxonomies()
    if db.session.scalar(sa.select(User.id).where(User.email == MARKER_EMAIL)):
        return False
    year = academic_year_of(today or date.today())
    directions, forms, audiences = _by_name(Direction), _by_name(EventForm), _by_name(Audience)

    municipalities = {}
    for m in content.MUNICIPALITIES:
        municipalities[m["code"]] = Municipality(name=m["name"], timezone=m["timezone"],
                                                 methodical_service=m.get("methodical_service", ""))
    db.session.add_all(municipalities.values())

    orgs = {}
    for o in content.ORGANIZATIONS:
        org = Organization(name=o["name"], full_name=o["full_name"], kind=OrgKind(o["kind"]),
                           municipality=municipalities[o["municipality"]], address=o["address"],
                           category=SchoolCategory(o["category"]) if o["category"] else None,
                           low_results=o["low_results"])
        org.refresh_search_text()
        orgs[o["key"]] = org
    db.session.add_all(orgs.values())
    db.session.flush()

    password_hash = generate_password_hash(DEMO_PASSWORD)
    people = {}
    for p in content.PEOPLE:
        user = User(email=p["email"], password_hash=password_hash, last_name=p["last_name"],
                    first_name=p["first_name"], middle_name=p["middle_name"], organization=orgs[p["organization"]],
                    position=p["position"], subjects=p["subjects"], years_experience=p["years_experience"],
                    consent_dt=utcnow())
        user.refresh_search_text()
        people[p["key"]] = user
    db.session.add_all(people.values())
    db.session.flush()

    sites = {}
    for s in content.SITES:
        site = Site(name=s["name"], kind=SiteKind(s["kind"]), level=Level(s["level"]),
                    organization=orgs[s["organization"]], curator=people.get(s["curator"]) if s["curator"] else None,
                    description=s["description"], programme=s["programme"], order_number=s["order_number"],
                    order_date=date.fromisoformat(s["order_date"]) if s["order_date"] else None,
                    period_start=date.fromisoformat(s["period_start"]) if s["period_start"] else None,
                    period_end=date.fromisoformat(s["period_end"]) if s["period_end"] else None)
        site.directions = [directions[d] for d in s["directions"]]
        sites[s["key"]] = site
    db.session.add_all(sites.values())
    db.session.flush()

    for p in content.PEOPLE:
        for role, scope in p["roles"]:
            grant = RoleGrant(user=people[p["key"]], role=Role(role))
            if role == "coordinator":
                grant.organization_id = orgs[scope].id
            elif role == "methodist":
                grant.municipality_id = municipalities[scope].id
            elif role == "site_leader":
                grant.site_id = sites[scope].id
            db.session.add(grant)

    resource_centre = next((o for o in orgs.values() if o.kind == OrgKind.INSTITUTE), next(iter(orgs.values())))
    online_room = iter(range(1, 10_000))

    def add_session(spec: dict, title: str, plan_item: PlanItem | None, form, direction, session_audiences_,
                    fallback_municipality: Municipality) -> None:
        site = sites.get(spec["site"]) if spec.get("site") else None
        municipality = site.organization.municipality if site else fallback_municipality
        day = _academic_date(year, spec["month"], spec["day"])
        hour, minute = (int(x) for x in spec["start"].split(":"))
        start_local = datetime(day.year, day.month, day.day, hour, minute)
        delivery = Delivery(spec["delivery"])
        start = to_utc(start_local, municipality.timezone)
        session = EventSession(
            plan_item=plan_item, site=site, municipality=municipality, title=spec.get("title") or title,
            description=spec.get("description", ""), form=form, direction=direction,
            start_dt=start, end_dt=start + timedelta(hours=spec["hours"]), timezone=municipality.timezone,
            delivery=delivery,
            address="" if delivery == Delivery.ONLINE else (site.organization.address if site else resource_centre.address),
            online_url="" if delivery == Delivery.IN_PERSON else f"https://vks.demo.local/room/{next(online_room)}",
            capacity=spec["capacity"],
            approval=ApprovalMode(spec.get("approval") or ("staff" if spec["approval_required"] else "none")),
            registration_closes_dt=start,
        )
        session.audiences = session_audiences_
        session.materials = [SessionMaterial(title=t, url=u) for t, u in spec.get("materials", [])]
        refresh_search_text(session)
        db.session.add(session)

    for p in content.PLANS:
        first, last = date(year, 9, 1), date(year + 1, 8, 31)
        if p["kind"] == "programme":
            last = date(year + 2, 8, 31)
        municipality = municipalities[p["municipality"]] if p["municipality"] else None
        plan = Plan(title=p["title"], kind=PlanKind(p["kind"]), municipality=municipality, period_start=first,
                    period_end=last, status=PlanStatus.PUBLISHED, description=p.get("description", ""))
        db.session.add(plan)
        for i in p["items"]:
            period = normalize_timing(i["timing_text"], first, last)
            item = PlanItem(plan=plan, number=i["number"], position=number_position(i["number"]), title=i["title"],
                            direction=directions[i["direction"]], form=forms[i["form"]],
                            site=sites.get(i["site"]) if i["site"] else None, timing_text=i["timing_text"],
                            period_start=period[0], period_end=period[1], expected_result=i["expected_result"],
                            responsible=i["responsible"], status=ItemStatus(i["status"]))
            item.audiences = [audiences[a] for a in i["audiences"]]
            db.session.add(item)
            for spec in i["sessions"]:
                add_session(spec, i["title"], item, item.form, item.direction, list(item.audiences),
                            municipality or resource_centre.municipality)
    for spec in content.SITE_SESSIONS:
        add_session(spec, spec["title"], None, forms[spec["form"]], directions[spec["direction"]],
                    [audiences[a] for a in spec["audiences"]], resource_centre.municipality)
    db.session.flush()
    _seed_people_audiences(people, audiences)
    extra = _seed_school_colleagues(orgs["krd-sosh-71"], password_hash)
    _seed_registrations([*people.values(), *extra], people["coord-krd71"], people["admin1"])
    _seed_attendance([*people.values(), *extra])
    _seed_checklists(people["admin1"])
    seed_indicators(today)
    return True


#: fictional colleagues at the demo coordinator's school, so that team nomination has people to pick
COLLEAGUES = [
    ("Белова", "Марина", "Андреевна", "Заместитель директора по учебно-воспитательной работе", 12),
    ("Гончаров", "Илья", "Петрович", "Директор", 22),
    ("Данилова", "Светлана", "Игоревна", "Учитель начальных классов", 1),
    ("Ершова", "Ольга", "Викторовна", "Учитель русского языка и литературы", 17),
    ("Комаров", "Артём", "Сергеевич", "Учитель физики", 3),
    ("Лебедева", "Нина", "Павловна", "Педагог-психолог", 8),
]


def _seed_people_audiences(people: dict, audiences: dict) -> None:
    """Self-declared categories: managers, young teachers (up to 3 years), kindergarten teachers,
    subject teachers, methodists."""
    for user in people.values():
        chosen = []
        position = user.position.lower()
        if position.startswith(("директор", "заместитель директора", "заведующ")):
            chosen.append(audiences["Управленческие команды"])
        if user.years_experience is not None and user.years_experience <= 3:
            chosen.append(audiences["Молодые педагоги"])
        if "воспитатель" in position:
            chosen.append(audiences["Педагоги ДОУ"])
        if position.startswith("учитель"):
            chosen.append(audiences["Учителя-предметники"])
        if "методист" in position:
            chosen.append(audiences["Методисты ТМС"])
        user.audiences = chosen


def _seed_school_colleagues(org: Organization, password_hash: str) -> list[User]:
    users = []
    for n, (last, first, middle, position, years) in enumerate(COLLEAGUES, start=1):
        user = User(email=f"colleague{n}@demo.local", password_hash=password_hash, last_name=last, first_name=first,
                    middle_name=middle, organization=org, position=position, years_experience=years,
                    consent_dt=utcnow())
        user.refresh_search_text()
        users.append(user)
    db.session.add_all(users)
    db.session.flush()
    return users


def _seed_registrations(people: list[User], coordinator: User, admin: User) -> None:
    """Registrations through the real rules: seats, a full session with a waiting list, approvals,
    a team nominated by the coordinator, and attended-looking history for past sessions."""
    from webapp.registration import services as reg
    from webapp.registration.models import Registration, RegistrationChange, RegStatus

    now = utcnow()
    rng = random.Random(7)
    participants = [u for u in people if not u.grants or all(g.role == Role.COORDINATOR for g in u.grants)]
    upcoming = list(db.session.scalars(sa.select(EventSession).where(EventSession.start_dt > now + timedelta(days=1))
                                       .order_by(EventSession.start_dt)))
    past = list(db.session.scalars(sa.select(EventSession).where(EventSession.end_dt < now)
                                   .order_by(EventSession.start_dt.desc()).limit(12)))
    if upcoming:
        # the nearest in-person session becomes a small full one with a waiting list
        full = next((s for s in upcoming if s.delivery == Delivery.IN_PERSON and s.capacity), upcoming[0])
        full.capacity = 6
        full.approval = ApprovalMode.NONE
        for user in participants[:9]:
            _try(reg.register, full.id, user, user)
    # the eleven nearest sessions, and the two nearest of every site at least two days ahead:
    # whatever the date the demo is built on, each site's leader finds registrants on her roster
    # (one of them may become the session on right now); 0, 14 and 15 are set up apart
    chosen = upcoming[1:12]
    special = {s.id for s in upcoming[:1] + upcoming[14:16]}
    per_site: dict[int, int] = {}
    for session in upcoming:
        if (session.site_id is None or session.id in special or session.start_dt <= now + timedelta(days=2)
                or per_site.get(session.site_id, 0) >= 2):
            continue
        per_site[session.site_id] = per_site.get(session.site_id, 0) + 1
        if session not in chosen:
            chosen.append(session)
    for session in chosen:
        for user in rng.sample(participants, min(len(participants), rng.randint(2, 6))):
            _try(reg.register, session.id, user, user)
    if len(upcoming) > 14:
        team_session = upcoming[14]
        team_session.audience_restricted = True
        team_session.audiences = [a for a in db.session.scalars(sa.select(Audience).where(
            Audience.name == "Управленческие команды"))]
        for user in (u for u in people if u.organization_id == coordinator.organization_id):
            if user.position.startswith(("Директор", "Заместитель")):
                _try(reg.register, team_session.id, user, coordinator, nominated=True)
    if len(upcoming) > 15:
        quota_session = upcoming[15]
        quota_session.org_quota = 2
        quota_session.approval = ApprovalMode.COORDINATOR
        for user in (u for u in people if u.organization_id == coordinator.organization_id):
            _try(reg.register, quota_session.id, user, user)
    for session in past:
        for user in rng.sample(participants, min(len(participants), rng.randint(3, 8))):
            if session.capacity is not None and session.seats_taken >= session.capacity:
                break
            registration = Registration(session=session, user_id=user.id, organization_id=user.organization_id,
                                        status=RegStatus.CONFIRMED, created_dt=session.start_dt - timedelta(days=7))
            session.seats_taken += 1
            db.session.add(registration)
            db.session.add(RegistrationChange(registration=registration, to_status=RegStatus.CONFIRMED,
                                              actor_id=user.id, created_dt=registration.created_dt))
    db.session.flush()


def _seed_attendance(people: list[User]) -> None:
    """Marks for past sessions (mostly present, some late, absent or excused; older rosters closed),
    and a session of the demo leader's site that is on right now, with registrants to mark."""
    from webapp.attendance.models import Attendance, AttendanceChange, AttendanceStatus, MarkSource
    from webapp.registration import services as reg
    from webapp.registration.models import Registration, RegStatus

    now = utcnow()
    rng = random.Random(11)
    # the demo teacher has a growth record to look at: three past sessions she attended
    teacher = db.session.scalar(sa.select(User).where(User.email == "teacher@demo.local"))
    if teacher is not None:
        mine = sa.select(Registration.session_id).where(Registration.user_id == teacher.id)
        for session in db.session.scalars(sa.select(EventSession).where(
                EventSession.end_dt < now, EventSession.id.not_in(mine), EventSession.status == "scheduled",
                sa.or_(EventSession.capacity.is_(None), EventSession.seats_taken < EventSession.capacity))
                .order_by(EventSession.start_dt.desc()).limit(3)):
            db.session.add(Registration(session=session, user_id=teacher.id, organization_id=teacher.organization_id,
                                        status=RegStatus.CONFIRMED, created_dt=session.start_dt - timedelta(days=5)))
            session.seats_taken += 1
        db.session.flush()
    choices = [AttendanceStatus.PRESENT] * 8 + [AttendanceStatus.LATE, AttendanceStatus.ABSENT,
                                                 AttendanceStatus.EXCUSED]
    confirmed = db.session.execute(
        sa.select(Registration, EventSession).join(EventSession, Registration.session_id == EventSession.id)
        .where(EventSession.end_dt < now, Registration.status == RegStatus.CONFIRMED)
        .order_by(EventSession.start_dt, Registration.id)).all()
    closed_before = now - timedelta(days=3)
    leaders = dict(db.session.execute(sa.select(RoleGrant.site_id, RoleGrant.user_id)
                                      .where(RoleGrant.role == Role.SITE_LEADER)).all())
    for registration, session in confirmed:
        leader = leaders.get(session.site_id)
        marked = session.end_dt + timedelta(minutes=5)
        status = AttendanceStatus.PRESENT if teacher is not None and registration.user_id == teacher.id \
            else rng.choice(choices)
        att = Attendance(session_id=session.id, user_id=registration.user_id, registration_id=registration.id,
                         organization_id=registration.organization_id, status=status,
                         remark="болела" if status == AttendanceStatus.EXCUSED else "",
                         source=MarkSource.STAFF, marked_by_id=leader, marked_dt=marked, created_dt=marked,
                         updated_dt=marked)
        db.session.add(att)
        db.session.flush()
        db.session.add(AttendanceChange(attendance_id=att.id, to_status=status, to_remark=att.remark,
                                        source=MarkSource.STAFF, actor_id=leader, created_dt=marked))
        if session.end_dt < closed_before and session.roster_closed_dt is None:
            session.roster_closed_dt, session.roster_closed_by_id = marked, leader
    # on right now: the demo leader's next in-person session moved to start half an hour ago
    leader = db.session.scalar(sa.select(User).where(User.email == "leader@demo.local"))
    if leader is None:
        return
    site_ids = leader.scope_ids(Role.SITE_LEADER)
    today = db.session.scalars(sa.select(EventSession).where(
        EventSession.site_id.in_(site_ids), EventSession.start_dt > now + timedelta(days=1),
        EventSession.delivery == Delivery.IN_PERSON).order_by(EventSession.start_dt)).first()
    if today is None:
        return
    today.capacity = None
    today.approval = ApprovalMode.NONE
    today.registration_opens_dt = today.registration_closes_dt = None
    for user in [u for u in people if not u.grants][:12]:
        _try(reg.register, today.id, user, user)
    start = now.replace(second=0, microsecond=0) - timedelta(minutes=30)
    today.start_dt, today.end_dt = start, start + timedelta(hours=3)
    today.cancel_deadline_dt = None
    today.walk_ins_allowed = True
    db.session.flush()


DEMO_TEXTS = ["Приёмы формирующего оценивания", "Больше практики в группах", "Шаблоны технологических карт",
              "Не хватило времени на вопросы", "Попробую на уроках в 7-х классах", "Всё понятно, спасибо"]


def _demo_answers(items, rng: random.Random):
    """A valid random answer to every question (answers to hidden ones are dropped by submit)."""
    from werkzeug.datastructures import MultiDict

    from webapp.checklists.models import ItemKind

    form = MultiDict()
    for item in items:
        s, name = item.settings or {}, f"a-{item.key}"
        if item.kind == ItemKind.SCALE:
            top = int(s.get("max", 5))
            form.add(name, str(rng.choices(range(1, top + 1), weights=[1] * (top - 3) + [3, 5, 4])[0]))
        elif item.kind == ItemKind.YES_PARTIAL_NO:
            form.add(name, rng.choice(["yes", "yes", "partial", "no"]))
        elif item.kind == ItemKind.SINGLE:
            form.add(name, rng.choice(s["options"])["value"])
        elif item.kind == ItemKind.MULTIPLE:
            for option in rng.sample(s["options"], rng.randint(1, min(len(s["options"]), s.get("max_choices") or 3))):
                form.add(name, option["value"])
        elif item.kind.is_text:
            form.add(name, rng.choice(DEMO_TEXTS)[:int(s.get("max_length") or 300)])
        elif item.kind == ItemKind.NUMBER:
            low, high = int(s.get("min") or 0), int(s.get("max") if s.get("max") is not None else 30)
            form.add(name, str(rng.randint(low, min(high, low + 30))))
        elif item.kind == ItemKind.MATRIX:
            for row in s["rows"]:
                form.add(f"{name}-{row['key']}", str(rng.randint(max(1, int(s.get("max", 5)) - 3), int(s.get("max", 5)))))
    return form


def _seed_checklists(admin: User) -> None:
    """The starter templates; the post-session check-list on every site (anonymous), with answers
    from past participants; the hosts' self-report; the school heads' delayed assessment; the
    November survey; and one check-list waiting for the demo teacher."""
    from webapp.attendance.models import Attendance
    from webapp.checklists import answering, building
    from webapp.checklists.models import ChecklistAssignment, ChecklistInvitation, OpensOn, RespondentRole

    templates = {t.starter_key: t for t in building.install_starters(admin)}
    if not templates:
        return
    now = utcnow()
    rng = random.Random(5)
    sites = db.session.scalars(sa.select(Site).order_by(Site.id)).all()
    for site in sites:
        municipality_id = site.organization.municipality_id
        db.session.add(ChecklistAssignment(template_id=templates["post_session"].id, site_id=site.id,
                                           municipality_id=municipality_id, role=RespondentRole.PARTICIPANT,
                                           opens_on=OpensOn.SESSION_END, open_days=30, anonymous=True,
                                           created_by_id=admin.id, created_dt=now - timedelta(days=200)))
        db.session.add(ChecklistAssignment(template_id=templates["host_self_report"].id, site_id=site.id,
                                           municipality_id=municipality_id, role=RespondentRole.HOST,
                                           opens_on=OpensOn.SESSION_END, open_days=30, created_by_id=admin.id,
                                           created_dt=now - timedelta(days=200)))
    leader = db.session.scalar(sa.select(User).where(User.email == "leader@demo.local"))
    if leader is not None:
        for site_id in leader.scope_ids(Role.SITE_LEADER):
            db.session.add(ChecklistAssignment(
                template_id=templates["head_delayed_assessment"].id, site_id=site_id,
                municipality_id=db.session.get(Site, site_id).organization.municipality_id, role=RespondentRole.HEAD,
                opens_on=OpensOn.DAYS_AFTER, days_after=30, open_days=30, created_by_id=admin.id))
    coordinator = db.session.scalar(sa.select(User).where(User.email == "coordinator@demo.local"))
    if coordinator is not None and coordinator.organization is not None:
        year = now.year if now.month >= 9 else now.year - 1
        db.session.add(ChecklistAssignment(
            template_id=templates["yearly_satisfaction"].id, period_start=date(year, 11, 1),
            period_end=date(year, 11, 30), municipality_id=coordinator.organization.municipality_id,
            role=RespondentRole.MUNICIPALITY, opens_on=OpensOn.DATE,
            opens_dt=datetime(year, 11, 1, 6, 0, tzinfo=timezone.utc), open_days=30, anonymous=True,
            created_by_id=admin.id))
    db.session.flush()
    # past participants answered (in time, while it was open); the demo teacher's wait for her
    answering.sync_invitations(now)
    teacher = db.session.scalar(sa.select(User).where(User.email == "teacher@demo.local"))
    invitations = db.session.scalars(sa.select(ChecklistInvitation).order_by(ChecklistInvitation.id)).all()
    people = {u.id: u for u in db.session.scalars(sa.select(User).where(
        User.id.in_({i.user_id for i in invitations} or {0})))}
    for invitation in invitations:
        if invitation.user_id == getattr(teacher, "id", None) or invitation.session_id is None \
                or rng.random() < 0.25:
            continue
        when = min(invitation.opens_dt + timedelta(hours=rng.randint(2, 100)), invitation.closes_dt - timedelta(hours=1))
        if when >= now:
            continue
        version = invitation.assignment.template.current_version
        answering.submit(invitation.id, people[invitation.user_id], _demo_answers(version.items, rng), now=when)
    if teacher is not None:
        last = db.session.scalar(sa.select(EventSession).join(Attendance, Attendance.session_id == EventSession.id)
                                 .where(Attendance.user_id == teacher.id, EventSession.end_dt < now)
                                 .order_by(EventSession.end_dt.desc()).limit(1))
        if last is not None:
            db.session.add(ChecklistAssignment(
                template_id=templates["internship_reflection"].id, session_id=last.id,
                municipality_id=last.municipality_id, role=RespondentRole.PARTICIPANT, opens_on=OpensOn.DATE,
                opens_dt=now - timedelta(days=1), open_days=14, created_by_id=admin.id))
            db.session.flush()
            answering.sync_invitations(now, user=teacher)
    db.session.flush()


def _try(operation, *args, **kwargs) -> None:
    from webapp.registration.services import RegistrationError

    try:
        with savepoint():
            operation(*args, **kwargs)
    except RegistrationError:
        pass  # a rule said no (audience, quota…): the demo keeps whatever the rules allow


# -- the large dataset, for benchmarks and query-count checks ---------------------------------

def seed_large(teachers: int = 50_000, organizations: int = 2_000, sessions: int = 5_000,
               today: date | None = None, seed: int = 7) -> dict[str, int]:
    """A big network built with bulk inserts: many municipalities, schools, sites, plans, sessions."""
    rng = random.Random(seed)
    seed_taxonomies()
    year = academic_year_of(today or date.today())
    direction_ids = db.session.scalars(sa.select(Direction.id)).all()
    form_ids = db.session.scalars(sa.select(EventForm.id)).all()
    audience_ids = db.session.scalars(sa.select(Audience.id)).all()
    start_id = (db.session.scalar(sa.select(sa.func.max(Municipality.id))) or 0) + 1

    n_municipalities = 60
    db.session.execute(sa.insert(Municipality), [
        {"name": f"Муниципалитет № {start_id + i}", "timezone": "Asia/Yekaterinburg" if i % 10 == 0 else "Europe/Moscow",
         "methodical_service": "ТМС"} for i in range(n_municipalities)])
    municipality_ids = db.session.scalars(
        sa.select(Municipality.id).where(Municipality.id >= start_id).order_by(Municipality.id)).all()
    tz_of = dict(db.session.execute(sa.select(Municipality.id, Municipality.timezone)).tuples().all())

    org_rows = []
    for i in range(organizations):
        name = f"МБОУ СОШ № {i + 1}" if i % 5 else f"МБДОУ д/с № {i + 1}"
        org_rows.append({"name": name, "full_name": "", "kind": OrgKind.SCHOOL if i % 5 else OrgKind.KINDERGARTEN,
                         "municipality_id": municipality_ids[i % n_municipalities],
                         "address": f"ул. Школьная, {i + 1}", "low_results": i % 17 == 0,
                         "search_text": name.casefold(), "created_dt": utcnow()})
    db.session.execute(sa.insert(Organization), org_rows)
    orgs = db.session.execute(
        sa.select(Organization.id, Organization.municipality_id, Organization.address)
        .where(Organization.municipality_id.in_(municipality_ids))).all()

    password_hash = generate_password_hash(DEMO_PASSWORD)
    last_names = ["Иванова", "Петрова", "Смирнова", "Кузнецова", "Попова", "Соколова", "Лебедева", "Козлова"]
    first_names = ["Анна", "Мария", "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана"]
    batch = []
    for i in range(teachers):
        ln, fn = rng.choice(last_names), rng.choice(first_names)
        email = f"teacher{i}.{start_id}@large.demo.local"
        batch.append({"email": email, "password_hash": password_hash, "last_name": ln, "first_name": fn,
                      "middle_name": "Ивановна", "organization_id": orgs[i % len(orgs)].id,
                      "position": "Учитель", "subjects": "", "years_experience": rng.randint(0, 40),
                      "is_active": True, "consent_dt": utcnow(), "created_dt": utcnow(),
                      "search_text": f"{ln} {fn} ивановна {email}".casefold()})
        if len(batch) == 5000:
            db.session.execute(sa.insert(User), batch)
            batch = []
    if batch:
        db.session.execute(sa.insert(User), batch)

    n_sites = min(300, len(orgs) // 2)
    site_orgs = rng.sample(orgs, n_sites)
    first_site = (db.session.scalar(sa.select(sa.func.max(Site.id))) or 0) + 1
    db.session.execute(sa.insert(Site), [
        {"name": f"Площадка «Практика {i + 1}»", "kind": list(SiteKind)[i % len(SiteKind)],
         "level": Level.MUNICIPAL, "organization_id": o.id, "description": "", "programme": "",
         "order_number": "", "is_active": True, "created_dt": utcnow(), "updated_dt": utcnow()}
        for i, o in enumerate(site_orgs)])
    sites = db.session.execute(
        sa.select(Site.id, Site.organization_id).where(Site.id >= first_site)).all()
    db.session.execute(sa.insert(site_directions), [
        {"site_id": s.id, "direction_id": rng.choice(direction_ids)} for s in sites])
    org_by_id = {o.id: o for o in orgs}

    first, last = date(year, 9, 1), date(year + 1, 8, 31)
    plan_ids = []
    for p in range(20):
        plan = Plan(title=f"План сетевых мероприятий муниципалитета № {p + 1}", kind=PlanKind.YEAR,
                    municipality_id=municipality_ids[p], period_start=first, period_end=last,
                    status=PlanStatus.PUBLISHED)
        db.session.add(plan)
        db.session.flush()
        plan_ids.append(plan.id)
    db.session.execute(sa.insert(PlanItem), [
        {"plan_id": pid, "number": str(n + 1), "position": number_position(str(n + 1)),
         "title": f"Мероприятие {n + 1} плана", "direction_id": rng.choice(direction_ids),
         "form_id": rng.choice(form_ids), "timing_text": "В течение учебного года", "expected_result": "",
         "responsible": "Методист ТМС", "status": ItemStatus.PLANNED, "created_dt": utcnow(), "updated_dt": utcnow()}
        for pid in plan_ids for n in range(50)])
    item_ids = db.session.scalars(sa.select(PlanItem.id).where(PlanItem.plan_id.in_(plan_ids))).all()
    db.session.execute(sa.insert(plan_item_audiences), [
        {"plan_item_id": i, "audience_id": rng.choice(audience_ids)} for i in item_ids])

    rows = []
    first_session = (db.session.scalar(sa.select(sa.func.max(EventSession.id))) or 0) + 1
    days = (last - first).days
    for n in range(sessions):
        site = rng.choice(sites)
        org = org_by_id[site.organization_id]
        tz = tz_of[org.municipality_id]
        day = first + timedelta(days=rng.randrange(days))
        start = to_utc(datetime(day.year, day.month, day.day, rng.choice([9, 10, 11, 14, 15])), tz)
        delivery = rng.choice([Delivery.IN_PERSON, Delivery.IN_PERSON, Delivery.ONLINE, Delivery.BLENDED])
        title = f"Семинар-практикум «Тема {n + 1}»"
        rows.append({
            "plan_item_id": rng.choice(item_ids) if n % 2 else None, "site_id": site.id,
            "municipality_id": org.municipality_id, "title": title, "description": "",
            "form_id": rng.choice(form_ids), "direction_id": rng.choice(direction_ids),
            "start_dt": start, "end_dt": start + timedelta(hours=3), "timezone": tz, "delivery": delivery,
            "address": "" if delivery == Delivery.ONLINE else org.address,
            "online_url": "" if delivery == Delivery.IN_PERSON else "https://vks.demo.local/room",
            "capacity": rng.choice([None, 20, 30, 50, 100]), "seats_taken": 0, "approval": ApprovalMode.NONE,
            "queue_counter": 0, "invitation_only": False, "audience_restricted": False, "waitlist_enabled": True,
            "status": "scheduled", "cancel_reason": "", "revision": 1, "search_text": title.casefold(),
            "created_dt": utcnow(), "updated_dt": utcnow()})
    db.session.execute(sa.insert(EventSession), rows)
    new_ids = db.session.scalars(sa.select(EventSession.id).where(EventSession.id >= first_session)).all()
    db.session.execute(sa.insert(session_audiences), [
        {"session_id": sid, "audience_id": aid} for sid in new_ids
        for aid in rng.sample(audience_ids, 2)])
    db.session.flush()
    return {"teachers": teachers, "organizations": organizations, "sessions": len(new_ids),
            "sites": len(sites), "plan_items": len(item_ids)}
