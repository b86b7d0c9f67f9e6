#!/usr/bin/env python3
"""Benchmark for issue 6's figures: «A feed of 2,000 sessions: the app's total time is at most 1.5×
the time `icalendar` itself takes to build and serialize the same 2,000 events in the same process,
with a constant number of queries. A conditional request answered with 304 costs at most 1.5×
GET /healthz in the same run.»
Run: .venv/bin/python scripts/bench_calendar.py [--rounds 7] [--requests 300] [--pg | --pg-only] [--profile]

(started with another Python, the script re-runs itself with the project's venv.) Takes about two
and a half minutes per database on 2 CPUs.

1. builds a fresh SQLite database (with --pg also a PostgreSQL one, network_bench_cal_<pid> on
   --pg-dsn, dropped at the end unless --keep-db; --pg-only: PostgreSQL alone) from the migrations
   with the demo network (`flask db upgrade`, `flask seed-demo`), plus the wider network of the
   demo's large-data helper (seed_large: 60 more municipalities, every tenth in Asia/Yekaterinburg,
   schools, sites, published plans; few teachers and sessions);
2. tops the public plan feed (GET /calendar/plan.ics, no filter) up to exactly 200 sessions
   (--small) with bulk inserts: sessions at random sites (or none), in the site's municipality and
   time zone (Europe/Moscow, Asia/Yekaterinburg), from 85 days ago to 9 months ahead, in person /
   online / blended, of published plans or outside any plan, 1–3 audiences, some with a long
   description, registration dates, approval, invitation only; some moved (revision 2–3), some
   cancelled within the last 50 days (STATUS:CANCELLED); plus 10 % that no feed may show (ended
   100+ days ago, cancelled 70+ days ago, of a draft plan). Counts the SQL statements of the feed
   (cold and warm event cache) in process; then tops up to 2,000 (--sessions) and counts again:
   the counts must be equal;
3. adds a teacher with 20 registrations (confirmed, waiting list, pending, one cancelled) and her
   personal feed row (calendar_feeds; URL built with webapp.calendar.tokens.token_for), reminder 1 h;
4. checks the feeds: the public one holds exactly 2,000 VEVENTs (counted, and parsed with
   icalendar), a VTIMEZONE for both zones; the personal one 20 VEVENTs; a request with the ETag
   answers 304 with no body;
5. times, interleaved, --rounds times each, medians:
   - baseline: icalendar alone building the same calendar — a Calendar with the feed's properties
     and VTIMEZONEs (components made once, before timing), and 2,000 Event objects filled with the
     same property values (uid, dtstamp, last-modified, created, sequence, dtstart/dtend with
     their zone, summary, location, url, description, categories, status, transp; values computed
     beforehand from the app's own loaded sessions) — then to_ical(); its output is checked to be
     the app's feed byte for byte, so both sides make the very same bytes;
   - the app in process (Flask test client): cold = the per-process event cache
     (app.extensions["calendar_event_cache"]) cleared before every request, warm = cache kept;
   - the app over HTTP, gunicorn with 1 sync worker as production would serve it: warm = the same
     URL again; cold = each request with another Host header (the events' URLs, hence the cache
     keys, change with the host: nothing of the worker's cache fits);
   ratio app / baseline; goal ≤ 1.5×;
6. waits until the newest change is 35 s old (the app remembers a feed's version only then), and
   times, --requests times each, in batches of 20 per kind, interleaved: GET /healthz; the public
   feed and the personal feed with If-None-Match: <current ETag> (answered 304), a calendar's usual
   poll when nothing changed since the last one; and the same two «after a change elsewhere»:
   another person's registration touched just before each request (nothing these feeds show, so
   still 304; a personal feed's remembered version no longer matches once the worker re-reads the
   change marker, at most once a second: the polls of that second share the marker's read and the
   feed's recomputed version. The touched times are old, so the version is remembered again at
   once; a fresh registration keeps it from being remembered for 30 s, each poll then reading her
   feed's row and version as well — session 7 measured that path at 1.6–2.3× healthz). Over HTTP
   (a new connection per request, as gunicorn's sync worker closes it anyway; connect to last
   byte), in process (test client), and the CPU time the gunicorn worker spent per request
   (/proc/<pid>/schedstat); SQL statements of each. Ratio 304 / healthz; goal ≤ 1.5×, judged
   over HTTP and on the worker's CPU for the plain polls (the test client's time, without the HTTP
   both requests pay, and the polls right after another person's change, which mostly measure that
   commit's load on the machine, are shown but not judged).
   --profile: also cProfile a cold and a warm feed request, the 304s and /healthz in process, and
   print the hot functions.

Machines are noisy: compare the ratios, measured in the same run, not milliseconds.
Exit status 1 if a check fails or a goal is not met.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import http.client
import os
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import ROOT, VENV_BIN, flask, free_port  # noqa: E402
from bench import counted as count_statements  # noqa: E402

GOAL_FEED_RATIO = 1.5
GOAL_304_RATIO = 1.5
USER_AGENT = "bench-calendar"
FEED_PATH = "/calendar/plan.ics"
N_REGISTRATIONS = 20
ELSEWHERE = "{} feed → 304, after a change elsewhere"

TOPICS = ["Формирующее оценивание на уроках математики", "Смысловое чтение в начальной школе",
          "Функциональная грамотность: естественнонаучная", "Проектная деятельность, 5–9 классы",
          "Наставничество молодых педагогов", "Цифровая образовательная среда школы",
          "Инклюзивное образование: адаптированные программы", "Подготовка к ОГЭ по русскому языку",
          "Читательская грамотность; приёмы работы с текстом", "Технологическая карта урока",
          "Профориентация в основной школе", "Работа с одарёнными детьми", "Школьный музей и краеведение",
          "Финансовая грамотность, 7–11 классы", "Профилактика профессионального выгорания"]
KINDS = ["Семинар-практикум", "Мастер-класс", "Открытый урок", "Круглый стол", "Педагогическая мастерская",
         "Вебинар", "Методический десант", "Стажировка"]
DESCRIPTION = ("Программа: установочная часть (20 минут), открытый урок, разбор урока в группах, "
               "мастер-класс по приёмам, рефлексия. Участникам: взять ноутбук или планшет; раздаточные "
               "материалы; конструкторы уроков, чек-листы самоанализа — будут выданы на месте.\n\n"
               "Для кого: учителя предметники, заместители директоров по УВР, руководители ШМО; "
               "приглашаются молодые педагоги (стаж до 3 лет) и их наставники.")


# -- the database ----------------------------------------------------------------------------

def admin_sql(dsn: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(dsn, dbname="postgres", autocommit=True) as conn:
        conn.execute(statement)


def pg_url(dsn: str, name: str) -> str:
    import psycopg

    params = psycopg.conninfo.conninfo_to_dict(dsn)
    return (f"postgresql+psycopg://{params.get('user', 'postgres')}@{params.get('host', '127.0.0.1')}"
            f":{params.get('port', 5432)}/{name}")


@dataclass
class Samples:
    """Seconds of one kind of request; shown in milliseconds."""

    values: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.values) * 1000

    @property
    def mean(self) -> float:
        return statistics.fmean(self.values) * 1000


class Bench:
    """One database: built, checked, measured in process and over HTTP."""

    def __init__(self, label: str, url: str):
        self.label = label
        # no PUBLIC_BASE_URL: links (and the event cache's keys) follow the request's host
        self.env = {**os.environ, "DATABASE_URL": url, "FLASK_APP": "wsgi.py", "APP_ENV": "production",
                    "SECRET_KEY": "bench-calendar", "SECURE_COOKIES": "0", "RATELIMIT_ENABLED": "0",
                    "PUBLIC_BASE_URL": ""}
        self.problems: list[str] = []
        self.rng = random.Random(6)
        self.other_registration: int | None = None
        self.touched: datetime | None = None
        self.conditional_counts: dict[str, int] = {}

    # -- building ---------------------------------------------------------------------------

    def build(self, small: int) -> None:
        started = time.perf_counter()
        flask(self.env, "db", "upgrade")
        flask(self.env, "seed-demo")
        os.environ.update({k: self.env[k] for k in ("DATABASE_URL", "APP_ENV", "SECRET_KEY", "SECURE_COOKIES",
                                                    "RATELIMIT_ENABLED", "PUBLIC_BASE_URL")})
        import sqlalchemy as sa

        from webapp import create_app
        from webapp.demo.seed import seed_large
        from webapp.extensions import db
        from webapp.orgs.models import Municipality, Organization
        from webapp.plan.models import ItemStatus, Plan, PlanItem, PlanKind, PlanStatus
        from webapp.sites.models import Site
        from webapp.taxonomy.models import Audience, Direction, EventForm

        self.app = create_app({"SQLALCHEMY_DATABASE_URI": self.env["DATABASE_URL"]})
        with self.app.app_context():
            seed_large(teachers=300, organizations=300, sessions=40)
            db.session.commit()
            self.sites = db.session.execute(
                sa.select(Site.id, Organization.municipality_id, Organization.address, Municipality.timezone)
                .join(Organization, Organization.id == Site.organization_id)
                .join(Municipality, Municipality.id == Organization.municipality_id)).all()
            self.municipalities = db.session.execute(sa.select(Municipality.id, Municipality.timezone)).all()
            self.items = db.session.scalars(sa.select(PlanItem.id).join(Plan, Plan.id == PlanItem.plan_id)
                                            .where(Plan.status == PlanStatus.PUBLISHED)).all()
            self.forms = db.session.scalars(sa.select(EventForm.id)).all()
            self.directions = db.session.scalars(sa.select(Direction.id)).all()
            self.audiences = db.session.scalars(sa.select(Audience.id)).all()
            # a draft plan: its sessions are in no public feed
            today = datetime.now(timezone.utc).date()
            draft = Plan(title="Проект плана на следующий год (черновик)", kind=PlanKind.YEAR,
                         municipality_id=self.municipalities[0].id, period_start=today,
                         period_end=today + timedelta(days=365), status=PlanStatus.DRAFT)
            db.session.add(draft)
            db.session.flush()
            item = PlanItem(plan_id=draft.id, number="1", position="0001", title="Черновое мероприятие",
                            direction_id=self.directions[0], form_id=self.forms[0], timing_text="Весь год",
                            expected_result="", responsible="Методист", status=ItemStatus.PLANNED)
            db.session.add(item)
            db.session.commit()
            self.draft_item = item.id
            zones = sorted({tz for _, tz in self.municipalities})
            if not {"Europe/Moscow", "Asia/Yekaterinburg"} <= set(zones):
                self.problems.append(f"{self.label}: the network's zones are {zones}")
            before = self.feed_count()
            self.grow(small)
        print(f"  {self.label}: built (migrations, demo, seed_large network: {len(self.municipalities)} "
              f"municipalities in {', '.join(zones)}, {len(self.sites)} sites; the public feed had {before} "
              f"sessions, topped up to {small}) in {time.perf_counter() - started:.1f} s", flush=True)

    def forget_versions(self) -> None:
        """Drop the feed versions this process remembered: the bench back-dates what it inserts, which
        the app never does (it stamps changes with the time of the change)."""
        memo = self.app.extensions.get("calendar_version_memo")
        if memo is not None:
            memo.clear()

    def feed_count(self) -> int:
        from webapp.calendar import feeds

        self.forget_versions()
        return feeds.public_version(feeds.PublicSelection(), feeds.Window.at(), "").count

    def grow(self, target: int) -> None:
        """Bulk-insert sessions until the public feed holds exactly `target`, and 10 % it must not show."""
        import sqlalchemy as sa

        from webapp.calendar import feeds
        from webapp.extensions import db
        from webapp.sessions.models import ApprovalMode, Delivery, EventSession, session_audiences
        from webapp.timefmt import to_utc

        with self.app.app_context():
            missing = target - self.feed_count()
            if missing < 0:
                raise SystemExit(f"{self.label}: the feed already holds more than {target} sessions")
            rng = self.rng
            now = datetime.now(timezone.utc).replace(microsecond=0)
            window = feeds.Window.at(now)
            first_day = (window.start + timedelta(days=5)).date()  # a margin: the window moves at midnight
            rows, audience_sets = [], []
            for n in range(missing + missing // 10):
                noise = n >= missing  # sessions no feed may show
                site = rng.choice(self.sites) if rng.random() < 0.93 else None
                municipality_id, tz = ((site.municipality_id, site.timezone) if site
                                       else tuple(rng.choice(self.municipalities)))
                kind = n % 3 if noise else None
                if kind == 0:  # ended 100 to 200 days ago
                    day = now.date() - timedelta(days=rng.randint(100, 200))
                else:
                    day = first_day + timedelta(days=rng.randrange(365 - 85 - 5))
                start = to_utc(datetime(day.year, day.month, day.day, rng.choice([9, 10, 11, 14, 15]),
                                        rng.choice([0, 0, 30])), tz)
                end = start + timedelta(minutes=rng.choice([90, 120, 180, 240]))
                delivery = rng.choices([Delivery.IN_PERSON, Delivery.ONLINE, Delivery.BLENDED], [60, 25, 15])[0]
                created = now - timedelta(days=rng.randint(30, 200), minutes=rng.randrange(1440))
                changed = created + (now - created) * rng.random()
                cancelled = kind == 1 or (kind is None and rng.random() < 0.06)
                cancelled_dt = None
                if cancelled:
                    cancelled_dt = now - timedelta(days=rng.randint(70, 100) if noise else rng.randint(1, 50))
                    created = min(created, cancelled_dt - timedelta(days=10))
                    changed = cancelled_dt
                revision = (2 if cancelled else 1) + (1 if rng.random() < 0.15 else 0)
                title = f"{rng.choice(KINDS)} «{rng.choice(TOPICS)}»"
                opens = closes = None
                if rng.random() < 0.4:
                    closes = start - timedelta(days=1)
                    if rng.random() < 0.5:
                        opens = closes - timedelta(days=rng.randint(14, 40))
                rows.append({
                    "plan_item_id": self.draft_item if kind == 2 else (rng.choice(self.items) if rng.random() < 0.5
                                                                       else None),
                    "site_id": site.id if site else None, "municipality_id": municipality_id, "title": title,
                    "description": DESCRIPTION if rng.random() < 0.3 else "",
                    "form_id": rng.choice(self.forms), "direction_id": rng.choice(self.directions),
                    "start_dt": start, "end_dt": end, "timezone": tz, "delivery": delivery,
                    # in person without an address: the host school's address is shown
                    "address": "" if delivery == Delivery.ONLINE or (site and rng.random() < 0.3)
                    else (site.address if site else "ул. Красная, 76, ауд. 12"),
                    "online_url": "" if delivery == Delivery.IN_PERSON
                    else f"https://vks.bench.local/room/{rng.randrange(10_000)}",
                    "capacity": rng.choice([None, 20, 30, 50, 100]), "seats_taken": 0,
                    "registration_opens_dt": opens, "registration_closes_dt": closes,
                    "approval": rng.choices([ApprovalMode.NONE, ApprovalMode.STAFF, ApprovalMode.COORDINATOR],
                                            [75, 15, 10])[0],
                    "queue_counter": 0, "invitation_only": rng.random() < 0.05, "audience_restricted": False,
                    "waitlist_enabled": True, "status": "cancelled" if cancelled else "scheduled",
                    "cancel_reason": "Перенос в связи с карантином в школе" if cancelled and rng.random() < 0.7
                    else "", "cancelled_dt": cancelled_dt, "revision": revision,
                    "search_text": title.casefold(), "created_dt": created, "changed_dt": changed,
                    "updated_dt": changed})
                audience_sets.append(rng.sample(self.audiences, rng.randint(1, 3)))
            if rows:
                ids = list(db.session.scalars(sa.insert(EventSession).returning(
                    EventSession.id, sort_by_parameter_order=True), rows))
                db.session.execute(sa.insert(session_audiences), [
                    {"session_id": sid, "audience_id": aid} for sid, chosen in zip(ids, audience_sets, strict=True)
                    for aid in chosen])
            db.session.commit()
            self._analyze()
            count = self.feed_count()
            self.forget_versions()
            if count != target:
                raise SystemExit(f"{self.label}: the public feed holds {count} sessions, {target} wanted")
            db.engine.dispose()

    def _analyze(self) -> None:
        import sqlalchemy as sa

        from webapp.extensions import db

        if db.engine.dialect.name == "postgresql":
            # what autovacuum does a minute after a bulk load: statistics and the visibility map
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE"))

    def add_teacher(self) -> None:
        """A teacher with 20 registrations in the feed window and her personal feed (reminder 1 h)."""
        import sqlalchemy as sa

        from webapp.accounts.models import User
        from webapp.calendar import feeds, tokens
        from webapp.calendar.models import CalendarFeed, FeedKind
        from webapp.extensions import db
        from webapp.orgs.models import Organization
        from webapp.registration.models import Registration, RegStatus
        from webapp.sessions.models import EventSession, SessionStatus

        with self.app.app_context():
            org = db.session.scalars(sa.select(Organization.id).order_by(Organization.id)).first()
            user = User(email="calendar@bench.local", last_name="Календарева", first_name="Анна",
                        middle_name="Сергеевна", password_hash="", organization_id=org, is_active=True,
                        search_text="календарева анна сергеевна calendar@bench.local")
            db.session.add(user)
            db.session.flush()
            window = feeds.Window.at()
            in_feed = (sa.select(EventSession.id)
                       .where(*window.conditions(), EventSession.end_dt >= window.start + timedelta(days=5),
                              sa.or_(EventSession.plan_item_id.is_(None),
                                     EventSession.plan_item_id != self.draft_item))
                       .order_by(EventSession.id))
            scheduled = db.session.scalars(in_feed.where(EventSession.status == SessionStatus.SCHEDULED)).all()
            cancelled = db.session.scalars(in_feed.where(EventSession.status == SessionStatus.CANCELLED)).all()
            chosen = self.rng.sample(scheduled, N_REGISTRATIONS - 1) + cancelled[:1]
            statuses = ([RegStatus.CONFIRMED] * 13 + [RegStatus.WAITLISTED] * 3 + [RegStatus.PENDING] * 2
                        + [RegStatus.CANCELLED] + [RegStatus.CONFIRMED])
            now = datetime.now(timezone.utc)
            for i, (session_id, status) in enumerate(zip(chosen, statuses, strict=True)):
                changed = now - timedelta(days=3 + i)
                db.session.add(Registration(session_id=session_id, user_id=user.id, organization_id=org,
                                            status=status,
                                            queue_ticket=100 + i if status == RegStatus.WAITLISTED else None,
                                            reason="" if status != RegStatus.CANCELLED else "Не смогу прийти",
                                            created_dt=changed - timedelta(days=10), updated_dt=changed))
            feed = CalendarFeed(user_id=user.id, kind=FeedKind.PERSONAL, selector=tokens.new_selector(),
                                alarm_minutes=60)
            db.session.add(feed)
            db.session.commit()
            self.personal_path = f"/calendar/my/{tokens.token_for('personal', feed.selector)}.ics"
            # another person's registration, touched to stand for "something changed elsewhere"
            self.other_registration = db.session.scalar(
                sa.select(Registration.id).where(Registration.user_id != user.id).order_by(Registration.id))
            self._analyze()
            db.engine.dispose()

    # -- checking ---------------------------------------------------------------------------

    def event_cache(self):
        from webapp.calendar import ics

        return self.app.extensions.setdefault("calendar_event_cache", ics.EventCache())

    def check_feeds(self, n: int) -> None:
        from icalendar import Calendar

        client = self.app.test_client()
        self.event_cache().clear()
        response = client.get(FEED_PATH)
        body = response.data
        self.feed_bytes, self.public_etag = len(body), response.headers.get("ETag")
        if response.status_code != 200 or not response.content_type.startswith("text/calendar"):
            self.problems.append(f"{self.label}: the public feed answered {response.status_code} "
                                 f"{response.content_type}")
        events = body.count(b"\r\nBEGIN:VEVENT\r\n")
        parsed = Calendar.from_ical(body)
        parsed_events = len(parsed.walk("VEVENT"))
        zones = sorted(str(z["TZID"]) for z in parsed.walk("VTIMEZONE"))
        cancelled = sum(1 for e in parsed.walk("VEVENT") if str(e.get("STATUS")) == "CANCELLED")
        self.feed_summary = (f"{events} VEVENTs ({parsed_events} parsed by icalendar, {cancelled} CANCELLED), "
                             f"VTIMEZONEs {', '.join(zones)}, {len(body) / 1024:.0f} KiB")
        if events != n or parsed_events != n:
            self.problems.append(f"{self.label}: the public feed holds {events} VEVENTs ({parsed_events} parsed), "
                                 f"{n} expected")
        if not {"Europe/Moscow", "Asia/Yekaterinburg"} <= set(zones):
            self.problems.append(f"{self.label}: the feed's VTIMEZONEs are {zones}")
        if "calendar_event_cache" not in self.app.extensions:
            self.problems.append(f"{self.label}: no app.extensions['calendar_event_cache']: the cold case "
                                 "cannot clear the event cache")
        warm = client.get(FEED_PATH).data
        if warm != body:
            self.problems.append(f"{self.label}: the warm feed differs from the cold one")
        again = client.get(FEED_PATH, headers={"If-None-Match": self.public_etag})
        if again.status_code != 304 or again.data:
            self.problems.append(f"{self.label}: If-None-Match with the ETag answered {again.status_code}")
        response = client.get(self.personal_path)
        self.personal_etag = response.headers.get("ETag")
        personal = response.data.count(b"\r\nBEGIN:VEVENT\r\n")
        if response.status_code != 200 or personal != N_REGISTRATIONS:
            self.problems.append(f"{self.label}: the personal feed answered {response.status_code} with "
                                 f"{personal} VEVENTs ({N_REGISTRATIONS} expected)")
        self.personal_summary = (f"{personal} VEVENTs, {response.data.count(b'BEGIN:VALARM')} VALARMs, "
                                 f"{response.data.count(b'SUMMARY:[')} titles with a status mark")
        again = client.get(self.personal_path, headers={"If-None-Match": self.personal_etag})
        if again.status_code != 304 or again.data:
            self.problems.append(f"{self.label}: the personal feed with its ETag answered {again.status_code}")
        self.app_body = body

    def query_counts(self, label: str) -> dict[str, int]:
        client = self.app.test_client()
        client.get(FEED_PATH)  # the statements' compiled caches, the VTIMEZONEs
        out = {}
        requests = {f"{label}, cold cache": (FEED_PATH, {}, True), f"{label}, warm cache": (FEED_PATH, {}, False)}
        if hasattr(self, "personal_path"):
            requests["personal feed (20 sessions), cold"] = (self.personal_path, {}, True)
        for name, (path, headers, cold) in requests.items():
            if cold:
                self.event_cache().clear()
            with self.app.app_context():
                response, out[name] = counted(client, path, headers)
            if response.status_code != 200:
                raise SystemExit(f"{name} answered {response.status_code}")
        return out

    # -- the baseline: icalendar alone ------------------------------------------------------

    def prepare_baseline(self) -> None:
        """The property values of every event of the feed, computed with the app's own helpers from its
        own query, before any timing: the baseline times icalendar alone."""
        from icalendar import Timezone

        from webapp.calendar import feeds, ics
        from webapp.mail.services import external_url
        from webapp.timefmt import local

        with self.app.test_request_context("/", base_url="http://localhost"):
            selection = feeds.PublicSelection()
            window = feeds.Window.at()
            entries = feeds.public_entries(
                selection, window, lambda session_id: external_url("sessions.detail", session_id=session_id))
            self.head = (feeds.public_name(selection, feeds.selection_names(selection)),
                         feeds.feed_description("public", external_url("plan.index")),
                         feeds.selection_timezone(selection))
            values = []
            for entry in entries:
                s = entry.session
                modified = ics.event_modified(s)
                status = "CANCELLED" if s.is_cancelled else "CONFIRMED"
                values.append((
                    ics.session_uid(s), modified, s.created_dt, s.revision, local(s.start_dt, s.timezone),
                    local(s.end_dt, s.timezone), (ics.CANCELLED_PREFIX if s.is_cancelled else "") + s.title,
                    s.place, entry.url, ics.description(s, entry.url),
                    [c.name for c in (s.form, s.direction) if c is not None], status,
                    "TRANSPARENT" if status == "CANCELLED" else "OPAQUE"))
            zones = sorted({e.session.timezone for e in entries})
        self.values = values
        self.zones = [Timezone.from_tzid(tz, first_date=ics.ZONE_FIRST_DATE, last_date=ics.ZONE_LAST_DATE)
                      for tz in zones]

    def baseline(self) -> bytes:
        """icalendar building and serializing the calendar: what the feed's bytes cost at the least."""
        from icalendar import Calendar, Event
        from icalendar.prop import vDuration

        from webapp.calendar import ics

        name, description_text, tz = self.head
        cal = Calendar()
        cal.add("prodid", ics.PRODID)
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("method", "PUBLISH")
        cal.add("name", name)
        cal.add("x-wr-calname", name)
        cal.add("description", description_text)
        cal.add("x-wr-caldesc", description_text)
        cal.add("x-wr-timezone", tz)
        cal.add("refresh-interval", vDuration(ics.REFRESH), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", vDuration(ics.REFRESH))
        for zone in self.zones:
            cal.add_component(zone)
        for (uid, modified, created, sequence, start, end, summary, location, url, description, categories,
             status, transp) in self.values:
            event = Event()
            event.add("uid", uid)
            event.add("dtstamp", modified)
            event.add("last-modified", modified)
            event.add("created", created)
            event.add("sequence", sequence)
            event.add("dtstart", start)
            event.add("dtend", end)
            event.add("summary", summary)
            if location:
                event.add("location", location)
            event.add("url", url)
            event.add("description", description)
            if categories:
                event.add("categories", categories)
            event.add("status", status)
            event.add("transp", transp)
            cal.add_component(event)
        return cal.to_ical()

    def check_baseline(self) -> None:
        body = self.baseline()
        self.same_bytes = body == self.app_body
        if not self.same_bytes:
            a, b = body.split(b"\r\n"), self.app_body.split(b"\r\n")
            first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            self.problems.append(f"{self.label}: the baseline's calendar is not the feed byte for byte (line "
                                 f"{first}: {a[first:first + 1]!r} vs {b[first:first + 1]!r}; {len(body)} vs "
                                 f"{len(self.app_body)} bytes)")

    # -- measuring --------------------------------------------------------------------------

    def serve(self) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen([str(VENV_BIN / "gunicorn"), "--workers", "1", "--bind", f"127.0.0.1:{self.port}",
                                      "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=self.env)
        for _ in range(200):
            try:
                if get(self.port, "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            self.stop()
            raise SystemExit("gunicorn did not start")
        workers = children(self.proc.pid)
        self.worker = workers[0] if len(workers) == 1 else None

    def stop(self) -> None:
        if getattr(self, "proc", None) is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None

    def time_feed(self, rounds: int) -> dict[str, Samples]:
        """Interleaved rounds: baseline, app in process cold and warm, app over HTTP cold and warm."""
        client = self.app.test_client()
        cache = self.event_cache()
        host = f"127.0.0.1:{self.port}"
        status, _, length, _ = get(self.port, FEED_PATH)  # warm the worker up (compiled statements, zones)
        if status != 200:
            raise SystemExit(f"the feed answered {status} over HTTP")
        self.http_feed_bytes = length
        client.get(FEED_PATH)
        self.baseline()

        def in_process(cold: bool) -> float:
            if cold:
                cache.clear()
            gc.collect()
            started = time.perf_counter()
            response = client.get(FEED_PATH)
            body = response.data
            seconds = time.perf_counter() - started
            if response.status_code != 200 or len(body) != len(self.app_body):
                raise SystemExit(f"the feed answered {response.status_code}, {len(body)} bytes")
            return seconds

        def baseline() -> float:
            gc.collect()
            started = time.perf_counter()
            self.baseline()
            return time.perf_counter() - started

        def http(cold: bool, i: int) -> float:
            gc.collect()
            status, seconds, length, _ = get(self.port, FEED_PATH, {"Host": f"r{i}.bench.local:{self.port}"}
                                             if cold else {"Host": host})
            if status != 200 or abs(length - self.http_feed_bytes) > 0.05 * self.http_feed_bytes:
                raise SystemExit(f"the feed answered {status}, {length} bytes over HTTP")
            return seconds

        samples: dict[str, list[float]] = {k: [] for k in ("baseline", "cold", "warm", "http cold", "http warm")}
        for i in range(rounds):
            order = ["baseline", "cold", "warm", "http cold", "http warm"]
            order = order[i % len(order):] + order[:i % len(order)]  # rotate: noise hurts all alike
            for kind in order:
                if kind == "baseline":
                    samples[kind].append(baseline())
                elif kind in ("cold", "warm"):
                    samples[kind].append(in_process(kind == "cold"))
                else:
                    samples[kind].append(http(kind == "http cold", i))
        return {k: Samples(v) for k, v in samples.items()}

    def newest_change(self) -> datetime:
        """The latest change of anything a feed shows (sessions, registrations, names, addresses)."""
        import sqlalchemy as sa

        from webapp.calendar.models import CalendarFeed
        from webapp.extensions import db
        from webapp.orgs.models import Municipality, Organization
        from webapp.plan.models import Plan
        from webapp.registration.models import Registration
        from webapp.sessions.models import EventSession
        from webapp.sites.models import Site
        from webapp.taxonomy.models import Audience, Direction, EventForm

        with self.app.app_context():
            times = [db.session.scalar(sa.select(sa.func.max(column))) for column in (
                EventSession.changed_dt, Registration.updated_dt, Site.updated_dt, Organization.updated_dt,
                Plan.updated_dt, Municipality.updated_dt, Direction.updated_dt, EventForm.updated_dt,
                Audience.updated_dt, CalendarFeed.updated_dt)]
            db.session.remove()
        return max(t for t in times if t is not None)

    def settle(self, seconds: float = 35) -> None:
        """Wait until the newest change is `seconds` old: the app remembers a feed's version only then
        (a poll an hour after the last change is the common case)."""
        wait = (self.newest_change() + timedelta(seconds=seconds) - datetime.now(timezone.utc)).total_seconds()
        if wait > 0:
            print(f"  waiting {wait:.0f} s until the newest change is {seconds:g} s old", flush=True)
            time.sleep(wait)

    def touch_elsewhere(self) -> None:
        """Another person's registration changes (its time moves 1 ms on, still long past): nothing any
        of the measured feeds shows, so they still answer 304, but anything a version was remembered
        with that includes all registrations' latest change no longer matches."""
        import sqlalchemy as sa

        from webapp.extensions import db
        from webapp.registration.models import Registration

        if self.other_registration is None:
            return
        with self.app.app_context():
            if self.touched is None:
                self.touched = db.session.scalar(sa.select(sa.func.max(Registration.updated_dt)))
            self.touched += timedelta(milliseconds=1)
            db.session.execute(sa.update(Registration).where(Registration.id == self.other_registration)
                               .values(updated_dt=self.touched))
            db.session.commit()
            db.session.remove()

    def conditional_requests(self, public_etag: str, personal_etag: str) -> dict[str, tuple]:
        """label → (path, headers, expected status, touch another registration first)."""
        out = {"GET /healthz": ("/healthz", {}, 200, False),
               "public feed → 304": (FEED_PATH, {"If-None-Match": public_etag}, 304, False),
               "personal feed → 304": (self.personal_path, {"If-None-Match": personal_etag}, 304, False)}
        if self.other_registration is not None:
            out.update({
                ELSEWHERE.format("public"): (FEED_PATH, {"If-None-Match": public_etag}, 304, True),
                ELSEWHERE.format("personal"): (self.personal_path, {"If-None-Match": personal_etag}, 304, True)})
        return out

    def time_conditional(self, n: int) -> tuple[dict[str, Samples], dict[str, Samples], dict[str, float | None]]:
        """GET /healthz and the feeds answered 304, interleaved: over HTTP, in process; worker CPU."""
        self.touched = None
        self.settle()
        _, _, _, public = get(self.port, FEED_PATH)
        _, _, _, personal = get(self.port, self.personal_path)
        requests = self.conditional_requests(public["etag"], personal["etag"])
        for label, (path, headers, expected, touch) in list(requests.items()):
            if touch:  # still 304 after another person's change?
                self.touch_elsewhere()
                status = get(self.port, path, headers)[0]
                if status != expected:
                    self.problems.append(f"{self.label}: {label} answered {status}: not measured")
                    del requests[label]
        # in batches of 20 per kind, interleaved; a batch of plain 304s starts with an untimed poll (the
        # batch before it may have touched a registration): it times the usual poll, nothing changed since
        # the last one; a batch «after a change elsewhere» touches before every request
        batch, rounds = 20, -(-n // 20)

        def http(label, path, headers, expected) -> tuple[float, float | None]:
            before = worker_cpu(self.worker)
            status, seconds, length, _ = get(self.port, path, headers)
            after = worker_cpu(self.worker)
            if status != expected or (expected == 304 and length):
                raise SystemExit(f"{label} answered {status} over HTTP ({length} bytes)")
            return seconds, (after - before if before is not None and after is not None else None)

        http_samples: dict[str, list[float]] = {k: [] for k in requests}
        cpu: dict[str, list[float]] = {k: [] for k in requests}
        for i in range(rounds + 1):
            for label, (path, headers, expected, touch) in requests.items():
                if not touch:
                    http(label, path, headers, expected)
                for _ in range(batch):
                    if touch:
                        self.touch_elsewhere()
                    seconds, used = http(label, path, headers, expected)
                    if i:  # the first round warms up
                        http_samples[label].append(seconds)
                        if used is not None:
                            cpu[label].append(used)
        cpu_ms = {k: (statistics.fmean(v) * 1000 if v and self.worker else None) for k, v in cpu.items()}

        client = self.app.test_client()
        local = self.conditional_requests(self.public_etag, self.personal_etag)
        local = {k: v for k, v in local.items() if k in requests}
        self.conditional_counts = {}
        for label, (path, headers, expected, touch) in local.items():
            client.get(path, headers=headers)  # what the previous poll left remembered
            if touch:
                self.touch_elsewhere()
            with self.app.app_context():
                response, self.conditional_counts[label] = counted(client, path, headers)
            if response.status_code != expected:
                raise SystemExit(f"{label} answered {response.status_code} in process")

        def in_process(label, path, headers, expected) -> float:
            started = time.perf_counter()
            response = client.get(path, headers=headers)
            response.data
            seconds = time.perf_counter() - started
            if response.status_code != expected:
                raise SystemExit(f"{label} answered {response.status_code} in process")
            return seconds

        local_samples: dict[str, list[float]] = {k: [] for k in local}
        for i in range(rounds + 1):
            for label, (path, headers, expected, touch) in local.items():
                if not touch:
                    in_process(label, path, headers, expected)
                for _ in range(batch):
                    if touch:
                        self.touch_elsewhere()
                    seconds = in_process(label, path, headers, expected)
                    if i:
                        local_samples[label].append(seconds)
        return ({k: Samples(v) for k, v in http_samples.items()}, {k: Samples(v) for k, v in local_samples.items()},
                cpu_ms)

    def profile(self) -> None:
        """cProfile of a cold and a warm feed request and of 200 conditional requests, in process."""
        client = self.app.test_client()
        cases = {"cold feed request (event cache cleared)": (lambda: client.get(FEED_PATH).data, True),
                 "warm feed request": (lambda: client.get(FEED_PATH).data, False),
                 "200 × public feed → 304": (lambda: [client.get(FEED_PATH, headers={
                     "If-None-Match": self.public_etag}).data for _ in range(200)], False),
                 "200 × public feed → 304 after a change elsewhere": (lambda: [
                     (self.touch_elsewhere(), client.get(FEED_PATH, headers={"If-None-Match": self.public_etag}).data)
                     for _ in range(200)], False),
                 "200 × GET /healthz": (lambda: [client.get("/healthz").data for _ in range(200)], False)}
        for title, (run, cold) in cases.items():
            if cold:
                self.event_cache().clear()
            profiler = cProfile.Profile()
            profiler.enable()
            run()
            profiler.disable()
            print(f"\n  profile, {self.label}, {title}:")
            print_profile(profiler)


def counted(client, path: str, headers: dict) -> tuple[object, int]:
    """A test-client request and the number of SQL statements it ran (inside an app context)."""
    from webapp.extensions import db

    return count_statements(db.engine, lambda: client.get(path, headers=headers))


def print_profile(profiler: cProfile.Profile, top: int = 14) -> None:
    stats = pstats.Stats(profiler).stats
    total = sum(tt for _, _, tt, _, _ in stats.values())

    def name(key) -> str:
        path, line, func = key
        for marker in ("site-packages/", "/work/main/", "lib/python3"):
            if marker in path:
                path = path.split(marker, 1)[1]
        return f"{func} ({path}:{line})" if line else func

    print(f"    total {total * 1000:.1f} ms; by own time (tottime), then cumulative time of the app's functions:")
    print(f"    {'ncalls':>9} {'tottime ms':>11} {'cumtime ms':>11}  function")
    for key, (_, nc, tt, ct, _) in sorted(stats.items(), key=lambda kv: -kv[1][2])[:top]:
        print(f"    {nc:>9} {tt * 1000:11.1f} {ct * 1000:11.1f}  {name(key)[:110]}")
    app = [(k, v) for k, v in stats.items() if "/webapp/" in k[0]]
    print("    --")
    for key, (_, nc, tt, ct, _) in sorted(app, key=lambda kv: -kv[1][3])[:8]:
        print(f"    {nc:>9} {tt * 1000:11.1f} {ct * 1000:11.1f}  {name(key)[:110]}")


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, float, int, dict]:
    """One request on a new connection: status, seconds (connect to last byte), body length, headers."""
    headers = {"User-Agent": USER_AGENT, **(headers or {})}
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    if "Host" in headers:
        conn.putrequest("GET", path, skip_host=True)
    else:
        conn.putrequest("GET", path)
    for key, value in headers.items():
        conn.putheader(key, value)
    conn.endheaders()
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, time.perf_counter() - started, len(body), {k.lower(): v for k, v in response.getheaders()}


def children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue
    return out


def worker_cpu(pid: int | None) -> float | None:
    """CPU seconds the process has run so far (Linux: schedstat, nanoseconds), None elsewhere."""
    if pid is None:
        return None
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        return None


# -- the report ------------------------------------------------------------------------------

def verdict(ok: bool) -> str:
    return "PASS" if ok else "NOT MET"


def report(bench: Bench, n: int, small: int, feed: dict[str, Samples], counts: dict[str, dict[str, int]],
           http_304: dict[str, Samples], local_304: dict[str, Samples], cpu_ms: dict[str, float | None],
           rounds: int, requests: int) -> list[tuple[str, bool]]:
    base = feed["baseline"].median
    results: list[tuple[str, bool]] = []
    print(f"\n{bench.label}: GET {FEED_PATH} with {n} sessions ({bench.feed_summary}); medians of {rounds} rounds:")
    print(f"  {'':46} {'median ms':>10} {'mean ms':>9} {'× baseline':>11} {'paired':>7}")
    labels = {"baseline": "icalendar alone: build + to_ical (baseline)",
              "cold": "app in process, event cache cleared (cold)", "warm": "app in process, cache kept (warm)",
              "http cold": "app over HTTP, gunicorn, cold", "http warm": "app over HTTP, gunicorn, warm"}
    for key, label in labels.items():
        s = feed[key]
        paired = statistics.median(a / b for a, b in zip(s.values, feed["baseline"].values, strict=True))
        print(f"  {label:46} {s.median:10.1f} {s.mean:9.1f} {s.median / base:11.2f} {paired:7.2f}")
    print("  × baseline: median / the baseline's median (the figure judged); paired: median of each round's ratio "
          "to that round's baseline")
    print(f"  baseline calendar = the app's feed byte for byte: {'yes' if bench.same_bytes else 'NO'}")
    for key in ("cold", "warm", "http cold", "http warm"):
        ratio = feed[key].median / base
        results.append((f"feed of {n}, {labels[key][4:]}: {ratio:.3f}× icalendar (goal ≤ {GOAL_FEED_RATIO:g}×)",
                        ratio <= GOAL_FEED_RATIO))

    print(f"\n  SQL statements per request ({small} sessions → {n}):")
    small_counts, big_counts = counts["small"], counts["big"]
    feed_keys = [k for k in big_counts if k.startswith("feed")]
    constant = True
    for key in feed_keys:
        few, many = small_counts[key], big_counts[key]
        constant &= few == many
        print(f"  {'public ' + key:46} {few:>4} → {many:<4} {'constant' if few == many else 'GROWS'}")
    for key, value in big_counts.items():
        if key not in feed_keys:
            print(f"  {key:46} {value:>4}")
    results.append((f"constant queries for the feed ({small} → {n} sessions): "
                    + ", ".join(f"{small_counts[k]} → {big_counts[k]}" for k in feed_keys), constant))

    print(f"\n  conditional requests (the current ETag in If-None-Match → 304) vs GET /healthz, {requests} each, "
          "interleaved; ms per request:")
    print(f"  {'':46} {'HTTP median':>11} {'mean':>6} {'× hz':>6} | {'in process':>10} {'mean':>6} {'× hz':>6} | "
          f"{'worker CPU':>10} {'× hz':>6} | {'SQL':>3}")
    h_http, h_local, h_cpu = http_304["GET /healthz"], local_304["GET /healthz"], cpu_ms["GET /healthz"]
    for label in http_304:
        a, b, c = http_304[label], local_304[label], cpu_ms[label]
        cpu_text = f"{c:10.3f} {c / h_cpu:6.2f}" if c and h_cpu else f"{'?':>10} {'':>6}"
        print(f"  {label:46} {a.median:11.3f} {a.mean:6.2f} {a.median / h_http.median:6.2f} | {b.median:10.3f} "
              f"{b.mean:6.2f} {b.median / h_local.median:6.2f} | {cpu_text} | "
              f"{bench.conditional_counts.get(label, 0):>3}")
    print("  HTTP: gunicorn, 1 sync worker, a new connection per request, connect to last byte; in process: the "
          "Flask test client;\n  worker CPU: the gunicorn worker's CPU time per request (schedstat); SQL: statements "
          "per request (in process);\n  «after a change elsewhere»: another person's registration was touched just "
          "before (nothing these feeds show)")
    # judged: what a poll costs end to end (HTTP) and what it costs the server (worker CPU), for the
    # issue's case (nothing changed since the last poll); the in-process client time (no HTTP around
    # either request) and the polls right after another person's change (the public one runs no SQL
    # at all there and is slower still: the commit just before loads the machine) are shown too
    for label in list(http_304)[1:]:
        judged = {"HTTP": http_304[label].median / h_http.median}
        if cpu_ms[label] and h_cpu:
            judged["worker CPU"] = cpu_ms[label] / h_cpu
        shown = f"in process {local_304[label].median / h_local.median:.3f}×"
        if "after a change" in label:
            print(f"  (shown, not judged) {label}: " + ", ".join(f"{k} {v:.3f}×" for k, v in judged.items())
                  + f", {shown}")
            continue
        results.append((f"{label}: " + ", ".join(f"{k} {v:.3f}× ({verdict(v <= GOAL_304_RATIO)})"
                                                 for k, v in judged.items())
                        + f" GET /healthz (goal ≤ {GOAL_304_RATIO:g}×; {shown}, not judged)",
                        all(v <= GOAL_304_RATIO for v in judged.values())))
    print(f"  personal feed: {bench.personal_summary}")
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="rounds of the feed timings (default 7)")
    parser.add_argument("--requests", type=int, default=300, help="conditional / healthz requests each (default 300)")
    parser.add_argument("--sessions", type=int, default=2000, help="sessions in the big feed (default 2000)")
    parser.add_argument("--small", type=int, default=200, help="sessions in the small feed (default 200)")
    parser.add_argument("--pg", action="store_true", help="also run on PostgreSQL")
    parser.add_argument("--pg-only", action="store_true", help="run on PostgreSQL only")
    parser.add_argument("--pg-dsn", default="host=127.0.0.1 port=5432 user=postgres")
    parser.add_argument("--keep-db", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--profile", action="store_true", help="also print cProfile's hot functions")
    args = parser.parse_args()
    ok = True
    summary: list[tuple[str, list[tuple[str, bool]], list[str]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        backends = [] if args.pg_only else [("SQLite", f"sqlite:///{Path(tmp) / 'bench-calendar.sqlite3'}", None)]
        if args.pg or args.pg_only:
            name = f"network_bench_cal_{os.getpid()}"
            backends.append(("PostgreSQL", pg_url(args.pg_dsn, name), name))
        for label, url, pg_name in backends:
            print(f"== {label}", flush=True)
            if pg_name:
                admin_sql(args.pg_dsn, f'CREATE DATABASE "{pg_name}"')
            bench = None
            try:
                bench = Bench(label, url)
                bench.build(args.small)
                counts = {"small": bench.query_counts("feed")}
                bench.grow(args.sessions)
                bench.add_teacher()
                bench.check_feeds(args.sessions)
                counts["big"] = bench.query_counts("feed")
                bench.prepare_baseline()
                bench.check_baseline()
                print(f"  {label}: {args.sessions} sessions in the feed, checked; timing…", flush=True)
                bench.serve()
                try:
                    feed = bench.time_feed(args.rounds)
                    http_304, local_304, cpu_ms = bench.time_conditional(args.requests)
                finally:
                    bench.stop()
                results = report(bench, args.sessions, args.small, feed, counts, http_304, local_304, cpu_ms,
                                 args.rounds, args.requests)
                if args.profile:
                    bench.profile()
                for problem in bench.problems:
                    print(f"  CHECK FAILED: {problem}")
                summary.append((label, results, bench.problems))
                ok &= all(met for _, met in results) and not bench.problems
            finally:
                if bench is not None:
                    bench.stop()
                if pg_name and not args.keep_db:
                    from webapp.extensions import db

                    try:
                        with bench.app.app_context():
                            db.engine.dispose()
                    except Exception:  # noqa: BLE001 — the build may have failed before the app existed
                        pass
                    admin_sql(args.pg_dsn, f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
    print(f"\nSummary ({os.cpu_count()} CPUs shared by server, database and client; ratios measured in the same run):")
    for label, results, problems in summary:
        print(f"  {label}:")
        for text, met in results:
            print(f"    {verdict(met):8} {text}")
        print(f"    {'PASS' if not problems else 'FAIL':8} checks: feed holds exactly the sessions, parsed by icalendar, "
              "both zones, 304 without a body, personal feed of 20, baseline = feed byte for byte")
    return 0 if ok else 1


if __name__ == "__main__":
    if Path(sys.executable).resolve() != (VENV_BIN / "python").resolve() and (VENV_BIN / "python").exists():
        os.execv(str(VENV_BIN / "python"), [str(VENV_BIN / "python"), *sys.argv])
    sys.exit(main())
