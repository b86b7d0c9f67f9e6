#!/usr/bin/env python3
"""Benchmark for issue 3's figures: the registration rush. Run: scripts/bench_registration.py [--rounds 5]

(or .venv/bin/python scripts/bench_registration.py; started with another Python, the script
re-runs itself with the project's venv.) Needs PostgreSQL on 127.0.0.1:5432, user postgres with
trust authentication (override with --pg-dsn). Takes two to four minutes.

What it does:
1. creates a fresh database network_bench_<pid>, runs `flask db upgrade` and `flask seed-demo`,
   adds 500 teachers (--teachers) and, for every round, a new session with 30 seats (--seats)
   starting in 30 days: open registration, no approval, waiting list on, no school quota;
2. logs the teachers in without the login form (it is rate limited): forges each one's Flask
   session cookie with the app's SECRET_KEY exactly as flask-login's login_user would (`_user_id`,
   `_fresh`, `_id` for 127.0.0.1 and the benchmark's User-Agent) plus a CSRF token; one forged POST
   is checked first (303, a registration in the database, session still fresh);
3. serves the app with gunicorn (--workers 4 sync workers) exactly as production would;
4. per round, in alternating order: a /healthz rush (500 concurrent GETs) and a registration rush
   (500 distinct teachers POST /sessions/<id>/register at once, plain form posts, no htmx), from one
   asyncio client with raw sockets, one connection per request, all gated on one event; reports
   throughput (requests / burst wall time) and p50/p95 latency of each, and registration/healthz
   ratios (machines are noisy: compare ratios, not milliseconds), the most requests in flight at
   once, the client's own CPU use (near 100 % would mean the client, not the server, limits), the
   share of all CPUs busy during the burst, and the CPU time the gunicorn workers and PostgreSQL
   backends spent per request (which other load on the machine hardly changes);
5. after each registration rush checks the database: 30 confirmed, 470 waitlisted with tickets and
   positions 1…470 without gaps, no duplicate (session, user), seats_taken = 30, queue_counter = 470,
   first come first served (every confirmed registered before every waitlisted one, tickets in
   registration order), one history row and one e-mail per registration; and the responses: all
   303 with a «success» flash (the flashed waiting-list places are 1…470 too), none ≥ 500;
6. for scale, after each round: the same 500 teachers GET the session's registration panel (the
   htmx fragment the button lives in) at once: a logged-in read of the same rows without a write,
   the cheapest request a logged-in person makes; its throughput / healthz bounds what any
   registration could reach on this stack and machine;
7. stops gunicorn and drops the database (--keep-db keeps it).

Exit status: 1 if any round failed a check (overbooking, gap, duplicate, a 5xx…), else 0; the
throughput goal (registration ≥ 0.3× healthz) is reported as met / NOT met.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import ROOT, VENV_BIN, flask, free_port  # noqa: E402  (the other benchmark's helpers)

USER_AGENT = "bench-registration/1.0"
GOAL_THROUGHPUT_RATIO = 0.3


# -- the database ----------------------------------------------------------------------------

def admin_sql(dsn: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(dsn, dbname="postgres", autocommit=True) as conn:
        conn.execute(statement)


def build_database(dsn: str, name: str) -> dict:
    import psycopg

    admin_sql(dsn, f'CREATE DATABASE "{name}"')
    params = psycopg.conninfo.conninfo_to_dict(dsn)
    url = (f"postgresql+psycopg://{params.get('user', 'postgres')}@{params.get('host', '127.0.0.1')}"
           f":{params.get('port', 5432)}/{name}")
    env = {**os.environ, "DATABASE_URL": url, "FLASK_APP": "wsgi.py", "APP_ENV": "production",
           "SECRET_KEY": secrets.token_hex(32), "SECURE_COOKIES": "0", "RATELIMIT_ENABLED": "0"}
    started = time.perf_counter()
    flask(env, "db", "upgrade")
    flask(env, "seed-demo")
    print(f"  built {name} (migrations + demo) in {time.perf_counter() - started:.1f} s", flush=True)
    return env


class Fixtures:
    """The app object in this process (same env as gunicorn): teachers, sessions, forged logins."""

    def __init__(self, env: dict):
        os.environ.update({k: env[k] for k in ("DATABASE_URL", "APP_ENV", "SECRET_KEY", "SECURE_COOKIES",
                                               "RATELIMIT_ENABLED")})
        from webapp import create_app

        self.app = create_app()
        self.template_id: int | None = None

    def add_teachers(self, n: int) -> list[int]:
        import sqlalchemy as sa

        from webapp.accounts.models import User
        from webapp.extensions import db
        from webapp.orgs.models import Organization, OrgKind

        with self.app.app_context():
            schools = db.session.scalars(sa.select(Organization.id).where(Organization.kind == OrgKind.SCHOOL)
                                         .order_by(Organization.id)).all()
            rows = []
            for i in range(n):
                first, last = f"Педагог{i}", "Нагрузочный"
                email = f"bench{i}@bench.local"
                rows.append(dict(email=email, last_name=last, first_name=first, middle_name="", password_hash="",
                                 organization_id=schools[i % len(schools)] if schools else None, is_active=True,
                                 search_text=f"{last} {first} {email}".casefold()))
            db.session.execute(sa.insert(User), rows)
            db.session.commit()
            ids = db.session.scalars(sa.select(User.id).where(User.email.like("bench%@bench.local"))
                                     .order_by(User.id)).all()
            db.engine.dispose()
        return list(ids)

    def new_session(self, title: str, seats: int) -> int:
        """A copy of a published demo session: 30 days ahead, open registration, no approval."""
        import sqlalchemy as sa

        from webapp.dbtypes import utcnow
        from webapp.extensions import db
        from webapp.plan.models import Plan, PlanItem, PlanStatus
        from webapp.sessions.models import ApprovalMode, Delivery, EventSession, SessionStatus

        with self.app.app_context():
            template = db.session.scalars(
                sa.select(EventSession).join(PlanItem, EventSession.plan_item_id == PlanItem.id)
                .join(Plan, PlanItem.plan_id == Plan.id)
                .where(Plan.status == PlanStatus.PUBLISHED, EventSession.delivery == Delivery.IN_PERSON,
                       EventSession.status == SessionStatus.SCHEDULED)
                .order_by(EventSession.id)).first()
            if template is None:
                raise SystemExit("no published in-person demo session to copy")
            start = (utcnow() + timedelta(days=30)).replace(second=0, microsecond=0)
            session = EventSession(
                plan_item_id=template.plan_item_id, site_id=template.site_id,
                municipality_id=template.municipality_id, title=title, description=template.description,
                form_id=template.form_id, direction_id=template.direction_id, level=template.level,
                start_dt=start, end_dt=start + timedelta(hours=3), timezone=template.timezone,
                delivery=Delivery.IN_PERSON, address=template.address or "Бенчмарк", capacity=seats,
                seats_taken=0, registration_opens_dt=None, registration_closes_dt=None,
                approval=ApprovalMode.NONE, org_quota=None, invitation_only=False, audience_restricted=False,
                waitlist_enabled=True, cancel_deadline_dt=None, queue_counter=0,
                status=SessionStatus.SCHEDULED, search_text=title.casefold())
            db.session.add(session)
            db.session.commit()
            session_id = session.id
            db.engine.dispose()
        return session_id

    def forge_logins(self, user_ids: list[int]) -> dict[int, tuple[str, str]]:
        """user id → (session cookie, CSRF token), as login_user + a rendered form would leave them.

        No outer app context: each test request context gets its own `g`, hence its own CSRF token.
        """
        import flask
        from flask_wtf.csrf import generate_csrf

        from webapp.extensions import login_manager

        app = self.app
        serializer = app.session_interface.get_signing_serializer(app)
        out = {}
        for user_id in user_ids:
            with app.test_request_context("/", environ_base={"REMOTE_ADDR": "127.0.0.1"},
                                          headers={"User-Agent": USER_AGENT}):
                flask.session["_user_id"] = str(user_id)
                flask.session["_fresh"] = True
                flask.session["_id"] = login_manager._session_identifier_generator()
                token = generate_csrf()
                out[user_id] = (serializer.dumps(dict(flask.session)), token)
        return out

    def decode_cookie(self, value: str) -> dict:
        return self.app.session_interface.get_signing_serializer(self.app).loads(value)


# -- gunicorn --------------------------------------------------------------------------------

def serve(env: dict, port: int, workers: int, log_path: Path) -> tuple[subprocess.Popen, object]:
    log = open(log_path, "w")
    proc = subprocess.Popen([str(VENV_BIN / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
                             "--backlog", "2048", "--log-level", "warning", "wsgi:app"],
                            cwd=ROOT, env=env, stdout=log, stderr=log)
    for _ in range(200):
        try:
            status, _, _ = asyncio.run(request(port, http_get(port, "/healthz"), Stats()))
            if status == 200:
                return proc, log
        except OSError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"gunicorn did not start; its log:\n{log_path.read_text()}")


# -- the load generator ----------------------------------------------------------------------

def http_get(port: int, path: str) -> bytes:
    return (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: {USER_AGENT}\r\n"
            "Connection: close\r\n\r\n").encode()


def http_panel(port: int, session_id: int, cookie: str) -> bytes:
    """The same teacher reading the session's registration panel (the htmx fragment the button
    lives in): a logged-in read of the same rows, no write — what the cheapest logged-in request
    costs, for scale."""
    return (f"GET /sessions/{session_id}/registration HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"User-Agent: {USER_AGENT}\r\nCookie: session={cookie}\r\nHX-Request: true\r\n"
            "Connection: close\r\n\r\n").encode()


def http_register(port: int, session_id: int, cookie: str, token: str) -> bytes:
    body = f"csrf_token={token}"
    return (f"POST /sessions/{session_id}/register HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"User-Agent: {USER_AGENT}\r\nCookie: session={cookie}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}").encode()


@dataclass
class Stats:
    in_flight: int = 0
    max_in_flight: int = 0


async def request(port: int, payload: bytes, stats: Stats, timeout: float = 120) -> tuple[int, float, bytes]:
    """One request on its own connection: (status or 0 on a network error, seconds, response head)."""
    started = time.perf_counter()
    stats.in_flight += 1
    stats.max_in_flight = max(stats.max_in_flight, stats.in_flight)
    writer = None
    try:
        async def exchange() -> bytes:
            nonlocal writer
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(payload)
            await writer.drain()
            return await reader.read()  # Connection: close, so until EOF
        data = await asyncio.wait_for(exchange(), timeout)
        head = data.split(b"\r\n\r\n", 1)[0]
        status = int(head.split(b" ", 2)[1])
    except (OSError, asyncio.TimeoutError, ValueError, IndexError):
        status, head = 0, b""
    finally:
        stats.in_flight -= 1
        if writer is not None:
            writer.close()
    return status, time.perf_counter() - started, head


@dataclass
class Rush:
    statuses: list[int]
    latencies: list[float]
    heads: list[bytes]
    wall: float
    max_in_flight: int
    client_cpu: float  # the client's CPU seconds / wall seconds
    machine_busy: float | None  # share of all CPUs' time not idle during the burst (Linux), None elsewhere
    server_cpu: float | None = None  # CPU seconds of gunicorn workers + PostgreSQL backends during the burst

    @property
    def server_ms_per_request(self) -> float | None:
        return None if self.server_cpu is None else self.server_cpu / len(self.statuses) * 1000

    @property
    def throughput(self) -> float:
        return len(self.statuses) / self.wall

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[max(math.ceil(p / 100 * len(ordered)) - 1, 0)]

    def histogram(self) -> dict[int, int]:
        out: dict[int, int] = {}
        for s in self.statuses:
            out[s] = out.get(s, 0) + 1
        return dict(sorted(out.items()))


def cpu_ticks() -> tuple[int, int] | None:
    """(busy, total) jiffies of all CPUs from /proc/stat, or None where there is no /proc."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields[:8]) - idle, sum(fields[:8])


def process_cpu(pids: list[int]) -> float | None:
    """User + system CPU seconds used so far by these processes (Linux /proc), None elsewhere."""
    total, ticks = 0, os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue  # a worker that was replaced, a backend that closed
        except OSError:
            return None
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def server_pids(master: int, dsn: str, db_name: str) -> list[int]:
    """The gunicorn workers (children of the master) and the PostgreSQL backends of the bench database."""
    import psycopg

    pids = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == master:
                pids.append(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue
    with psycopg.connect(dsn, dbname=db_name) as conn:
        pids += [r[0] for r in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s "
                                            "AND pid <> pg_backend_pid()", (db_name,))]
    return pids


def rush(port: int, payloads: list[bytes], watch: list[int] = ()) -> Rush:
    """Fire every payload at once (all tasks wait on one event) and time the burst.

    `watch`: the server's processes, whose CPU time during the burst is measured too.
    """
    async def run() -> Rush:
        stats = Stats()
        gate = asyncio.Event()

        async def one(payload: bytes):
            await gate.wait()
            return await request(port, payload, stats)

        tasks = [asyncio.create_task(one(p)) for p in payloads]
        await asyncio.sleep(0.05)  # every task is now parked on the gate
        ticks, server, cpu, started = cpu_ticks(), process_cpu(watch), time.process_time(), time.perf_counter()
        gate.set()
        results = await asyncio.gather(*tasks)
        wall = time.perf_counter() - started
        cpu = time.process_time() - cpu
        after, server_after = cpu_ticks(), process_cpu(watch)
        busy = (after[0] - ticks[0]) / max(after[1] - ticks[1], 1) if ticks and after else None
        return Rush(statuses=[r[0] for r in results], latencies=[r[1] for r in results],
                    heads=[r[2] for r in results], wall=wall, max_in_flight=stats.max_in_flight,
                    client_cpu=cpu / wall, machine_busy=busy,
                    server_cpu=server_after - server if watch and server is not None and server_after is not None
                    else None)

    return asyncio.run(run())


def flashes(fixtures: Fixtures, head: bytes) -> list:
    match = re.search(rb"^set-cookie: session=([^;\r\n]+)", head, re.I | re.M)
    if not match:
        return []
    return fixtures.decode_cookie(match.group(1).decode()).get("_flashes", [])


# -- the checks ------------------------------------------------------------------------------

def verify(dsn: str, db_name: str, session_id: int, user_ids: list[int], seats: int, result: Rush,
           fixtures: Fixtures) -> list[str]:
    """Every broken promise of the round, as text (empty: PASS)."""
    import psycopg

    n, waiting = len(user_ids), len(user_ids) - seats
    problems = []
    errors = sum(1 for s in result.statuses if s >= 500)
    if errors:
        problems.append(f"{errors} responses ≥ 500")
    if result.statuses.count(303) != n:
        problems.append(f"statuses {result.histogram()} (expected {n}× 303)")
    kinds = {"success": 0}
    places = []
    for head in result.heads:
        for category, message in flashes(fixtures, head):
            kinds[category] = kinds.get(category, 0) + 1
            found = re.search(r"вы (\d+)-й в листе ожидания", message)
            if found:
                places.append(int(found.group(1)))
    if kinds != {"success": n}:
        problems.append(f"flashed messages by category {kinds} (expected {n} success)")
    if sorted(places) != list(range(1, waiting + 1)):
        problems.append(f"flashed waiting-list places are not 1…{waiting} (got {len(places)}, "
                        f"{len(set(places))} distinct)")

    with psycopg.connect(dsn, dbname=db_name) as conn:
        def one(sql: str, *args):
            return conn.execute(sql, args).fetchone()

        def all_(sql: str, *args):
            return conn.execute(sql, args).fetchall()

        by_status = dict(all_("SELECT status, count(*) FROM registrations WHERE session_id = %s GROUP BY status",
                              session_id))
        if by_status != {"confirmed": seats, "waitlisted": waiting}:
            problems.append(f"registrations by status {by_status} (expected {seats} confirmed, {waiting} waitlisted)")
        dups = one("SELECT count(*) FROM (SELECT user_id FROM registrations WHERE session_id = %s "
                   "GROUP BY user_id HAVING count(*) > 1) d", session_id)[0]
        if dups:
            problems.append(f"{dups} duplicate (session, user) registrations")
        registered = {r[0] for r in all_("SELECT user_id FROM registrations WHERE session_id = %s", session_id)}
        if registered != set(user_ids):
            problems.append(f"{len(set(user_ids) - registered)} teachers not registered, "
                            f"{len(registered - set(user_ids))} unexpected people registered")
        tickets = [r[0] for r in all_("SELECT queue_ticket FROM registrations WHERE session_id = %s "
                                      "AND status = 'waitlisted' ORDER BY queue_ticket", session_id)]
        if tickets != list(range(1, waiting + 1)):
            problems.append(f"waiting-list tickets are not 1…{waiting} (distinct: {len(set(tickets))}, "
                            f"min {min(tickets, default=None)}, max {max(tickets, default=None)})")
        positions = [r[0] for r in all_(
            "SELECT row_number() OVER (ORDER BY queue_ticket) FROM registrations "
            "WHERE session_id = %s AND status = 'waitlisted' ORDER BY queue_ticket", session_id)]
        if positions != list(range(1, waiting + 1)):
            problems.append(f"waiting-list positions are not 1…{waiting}")
        seats_taken, queue_counter, capacity = one(
            "SELECT seats_taken, queue_counter, capacity FROM event_sessions WHERE id = %s", session_id)
        if seats_taken != seats or capacity != seats:
            problems.append(f"seats_taken {seats_taken} / capacity {capacity} (expected {seats}: OVERBOOKING?)")
        if queue_counter != waiting:
            problems.append(f"queue_counter {queue_counter} (expected {waiting})")
        late_confirmed = one(
            "SELECT count(*) FROM registrations c WHERE c.session_id = %s AND c.status = 'confirmed' AND "
            "c.created_dt > (SELECT min(created_dt) FROM registrations w WHERE w.session_id = %s "
            "AND w.status = 'waitlisted')", session_id, session_id)[0]
        if late_confirmed:
            problems.append(f"{late_confirmed} confirmed registered after someone who was waitlisted")
        inversions = one(
            "SELECT count(*) FROM (SELECT queue_ticket, lag(queue_ticket) OVER (ORDER BY created_dt, id) AS prev "
            "FROM registrations WHERE session_id = %s AND status = 'waitlisted') t "
            "WHERE prev IS NOT NULL AND queue_ticket < prev", session_id)[0]
        if inversions:
            problems.append(f"{inversions} waiting-list tickets out of registration order")
        changes = one("SELECT count(*) FROM registration_changes rc JOIN registrations r "
                      "ON rc.registration_id = r.id WHERE r.session_id = %s", session_id)[0]
        if changes != n:
            problems.append(f"{changes} history rows (expected {n})")
        title = one("SELECT title FROM event_sessions WHERE id = %s", session_id)[0]
        mails = dict(all_("SELECT split_part(subject, ':', 1), count(*) FROM outbox_messages "
                          "WHERE subject LIKE %s GROUP BY 1", f"%: {title}"))
        expected_mails = {"Вы зарегистрированы": seats, "Вы в листе ожидания": waiting}
        if mails != expected_mails:
            problems.append(f"e-mails queued {mails} (expected {expected_mails})")
    return problems


def check_forged_login(port: int, fixtures: Fixtures, dsn: str, db_name: str, session_id: int, user_id: int,
                       login: tuple[str, str]) -> None:
    """One forged request first: fail loudly unless it registers the person and stays a fresh login."""
    import psycopg

    status, _, head = asyncio.run(request(port, http_register(port, session_id, *login), Stats()))
    with psycopg.connect(dsn, dbname=db_name) as conn:
        row = conn.execute("SELECT status FROM registrations WHERE session_id = %s AND user_id = %s",
                           (session_id, user_id)).fetchone()
    cookie = re.search(rb"^set-cookie: session=([^;\r\n]+)", head, re.I | re.M)
    session = fixtures.decode_cookie(cookie.group(1).decode()) if cookie else {}
    if status != 303 or row is None or session.get("_fresh") is not True:
        raise SystemExit(f"the forged login does not work: status {status}, registration {row}, "
                         f"session after the request {session}\n{head.decode(errors='replace')}")
    print(f"  forged login checked: 303, registration {row[0]}, flash {session.get('_flashes')}", flush=True)


# -- main ------------------------------------------------------------------------------------

def fmt_rush(r: Rush) -> str:
    return f"{r.throughput:7.0f} {r.percentile(50) * 1000:8.1f} {r.percentile(95) * 1000:8.1f}"


def fmt_share(x: float | None) -> str:
    return "  ?" if x is None else f"{x:3.0%}"


def fmt_ms(x: float | None) -> str:
    return "?" if x is None else f"{x:.2f}"


def median_of(values) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--teachers", type=int, default=500)
    parser.add_argument("--seats", type=int, default=30)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--pg-dsn", default="host=127.0.0.1 port=5432 user=postgres")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database at the end")
    args = parser.parse_args()
    db_name = f"network_bench_{os.getpid()}"
    failed_rounds = []
    rows: list[tuple[Rush, Rush]] = []
    panels: list[float] = []
    proc = log = None
    print(f"== building {db_name}", flush=True)
    env = build_database(args.pg_dsn, db_name)
    try:
        fixtures = Fixtures(env)
        started = time.perf_counter()
        teachers = fixtures.add_teachers(args.teachers + 41)
        warm_users, teachers = teachers[:41], teachers[41:]
        logins = fixtures.forge_logins(warm_users + teachers)
        sessions = [fixtures.new_session(f"Бенчмарк: наплыв регистраций {i} ({db_name})", args.seats)
                    for i in range(1, args.rounds + 1)]
        warm_session = fixtures.new_session(f"Бенчмарк: разогрев ({db_name})", args.seats)
        print(f"  {len(teachers)} teachers (+{len(warm_users)} for the warm-up), {len(sessions)} sessions of "
              f"{args.seats} seats, logins forged in {time.perf_counter() - started:.1f} s", flush=True)

        port = free_port()
        with tempfile.TemporaryDirectory() as tmp:
            log_path = Path(tmp) / "gunicorn.log"
            proc, log = serve(env, port, args.workers, log_path)
            print(f"== gunicorn, {args.workers} sync workers, 127.0.0.1:{port}; client: asyncio, raw sockets, "
                  "one connection per request", flush=True)
            check_forged_login(port, fixtures, args.pg_dsn, db_name, warm_session, warm_users[0],
                               logins[warm_users[0]])
            # warm every worker up (templates, mail rendering, connection pools) before measuring
            rush(port, [http_get(port, "/healthz")] * 200)
            warm = rush(port, [http_register(port, warm_session, *logins[u]) for u in warm_users[1:]])
            print(f"  warm-up: {len(warm_users) - 1} registrations {warm.histogram()}", flush=True)

            print("\nthroughput: requests / burst wall time; latency: connect to last byte; in flight: most "
                  "requests sent and not yet answered;\nclient CPU: the client's own use of one core; CPU busy: "
                  "share of all CPUs busy (anything on the machine) during the burst;\nserver CPU: CPU time of the "
                  "gunicorn workers + PostgreSQL backends per request (robust against other load)", flush=True)
            print(f"\n{'':>11}|{'GET /healthz':^26}|{'POST /sessions/<id>/register':^26}|"
                  f"{'register / healthz':^25}|{'in flight':^11}|{'client CPU':^11}|{'CPU busy':^11}|{'server CPU':^15}|")
            print(f"{'round first':>11}|{'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}|{'req/s':>8} {'p50 ms':>8} "
                  f"{'p95 ms':>8}|{'thr':>7} {'p50':>8} {'p95':>8}|{'hz':>5} {'reg':>5}|{'hz':>5} {'reg':>5}|"
                  f"{'hz':>5} {'reg':>5}|{'hz ms':>7} {'reg ms':>7}| statuses    check", flush=True)
            for i, session_id in enumerate(sessions, start=1):
                health_payloads = [http_get(port, "/healthz")] * len(teachers)
                reg_payloads = [http_register(port, session_id, *logins[u]) for u in teachers]
                watch = server_pids(proc.pid, args.pg_dsn, db_name)
                if i % 2:
                    health, reg = rush(port, health_payloads, watch), rush(port, reg_payloads, watch)
                else:
                    reg, health = rush(port, reg_payloads, watch), rush(port, health_payloads, watch)
                if any(s != 200 for s in health.statuses):
                    raise SystemExit(f"/healthz answered {health.histogram()}")
                problems = verify(args.pg_dsn, db_name, session_id, teachers, args.seats, reg, fixtures)
                rows.append((health, reg))
                if problems:
                    failed_rounds.append(i)
                # for scale: the same teachers only reading the panel of the (now full) session
                panel = rush(port, [http_panel(port, session_id, logins[u][0]) for u in teachers], watch)
                if any(s != 200 for s in panel.statuses):
                    raise SystemExit(f"the registration panel answered {panel.histogram()}")
                panels.append(panel.throughput / health.throughput)
                print(f"{i:>5} {'hz' if i % 2 else 'reg':>5}|{fmt_rush(health):>26}|{fmt_rush(reg):>26}|"
                      f"{reg.throughput / health.throughput:7.3f} {reg.percentile(50) / health.percentile(50):7.1f}× "
                      f"{reg.percentile(95) / health.percentile(95):7.1f}×|"
                      f"{health.max_in_flight:>5} {reg.max_in_flight:>5}|"
                      f"{fmt_share(health.client_cpu):>5} {fmt_share(reg.client_cpu):>5}|"
                      f"{fmt_share(health.machine_busy):>5} {fmt_share(reg.machine_busy):>5}|"
                      f"{fmt_ms(health.server_ms_per_request):>7} {fmt_ms(reg.server_ms_per_request):>7}| "
                      f"{str(reg.histogram()):<11} {'PASS' if not problems else 'FAIL'}", flush=True)
                for problem in problems:
                    print(f"        FAIL: {problem}", flush=True)
            log.flush()
            gunicorn_log = log_path.read_text()
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait()
        if log is not None:
            log.close()
        if args.keep_db:
            print(f"database kept: {db_name}")
        else:
            admin_sql(args.pg_dsn, f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')

    health = [h for h, _ in rows]
    regs = [r for _, r in rows]
    ratios = [r.throughput / h.throughput for h, r in rows]
    ratio = statistics.median(ratios)
    h50, h95 = (median_of(h.percentile(p) for h in health) for p in (50, 95))
    r50, r95 = (median_of(r.percentile(p) for r in regs) for p in (50, 95))
    print(f"\nMedians over {len(rows)} rounds, {len(teachers)} concurrent requests per rush, gunicorn {args.workers} "
          f"sync workers, PostgreSQL, {os.cpu_count()} CPUs shared by server, database and client:")
    print(f"  GET /healthz            {median_of(h.throughput for h in health):8.0f} req/s   p50 {h50 * 1000:8.1f} ms"
          f"   p95 {h95 * 1000:8.1f} ms")
    print(f"  POST …/register         {median_of(r.throughput for r in regs):8.0f} req/s   p50 {r50 * 1000:8.1f} ms"
          f"   p95 {r95 * 1000:8.1f} ms")
    print(f"  registration / healthz  throughput {ratio:.3f}× (per round {', '.join(f'{x:.3f}' for x in ratios)}), "
          f"latency p50 {r50 / h50:.1f}×, p95 {r95 / h95:.1f}×")
    print(f"  for scale, the same teachers GET the registration panel (a logged-in read, no write): throughput "
          f"{statistics.median(panels):.3f}× healthz (per round {', '.join(f'{x:.3f}' for x in panels)})")
    print(f"  most requests in flight at once: {max(h.max_in_flight for h in health)} (healthz), "
          f"{max(r.max_in_flight for r in regs)} (registration); client CPU during the burst: healthz "
          f"{fmt_share(median_of(h.client_cpu for h in health))}, registration "
          f"{fmt_share(median_of(r.client_cpu for r in regs))} of one core; all CPUs busy: healthz "
          f"{fmt_share(median_of(h.machine_busy for h in health))}, registration "
          f"{fmt_share(median_of(r.machine_busy for r in regs))}")
    h_cpu, r_cpu = median_of(h.server_ms_per_request for h in health), median_of(r.server_ms_per_request for r in regs)
    if h_cpu and r_cpu:
        print(f"  server CPU per request (gunicorn workers + PostgreSQL backends): healthz {h_cpu:.2f} ms, "
              f"registration {r_cpu:.2f} ms ({r_cpu / h_cpu:.1f}×); the goal needs a registration to cost at most "
              f"about {1 / GOAL_THROUGHPUT_RATIO:.1f}× a /healthz request once the CPUs are saturated")
    print(f"\nthroughput goal (registration ≥ {GOAL_THROUGHPUT_RATIO}× healthz): "
          f"{'met' if ratio >= GOAL_THROUGHPUT_RATIO else 'NOT met'} ({ratio:.3f}×)")
    print(f"correctness: {len(rows) - len(failed_rounds)} of {len(rows)} rounds PASS"
          + (f", FAIL in rounds {failed_rounds}" if failed_rounds else
             f" ({args.seats} confirmed, {len(teachers) - args.seats} waitlisted 1…{len(teachers) - args.seats} "
             "in order, no overbooking, no gap, no duplicate, no response ≥ 500)"))
    noise = [line for line in gunicorn_log.splitlines() if line.strip()]
    if noise:
        print(f"gunicorn log ({len(noise)} lines, last 20):\n  " + "\n  ".join(noise[-20:]))
    return 1 if failed_rounds else 0


if __name__ == "__main__":
    if Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
        os.execv(str(VENV_BIN / "python"), [str(VENV_BIN / "python"), __file__, *sys.argv[1:]])
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
