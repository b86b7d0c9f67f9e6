#!/usr/bin/env python3
"""Benchmark for issue 7's figures: «On the large dataset (50,000 teachers, 5,000 sessions,
200,000 registrations with attendance, 20,000 check-list responses): every report page runs a
constant number of queries (aggregation in SQL), and its median time is within 10× of GET /healthz
on PostgreSQL in the same run; importing a 1,000-row plan and a 5,000-person staff file each
completes within 10 seconds.»
Run: .venv/bin/python scripts/bench_reports.py [--requests N] [--sqlite] [--keep-db]

(started with another Python, the script re-runs itself with the project's venv.)

1. builds a fresh PostgreSQL database network_bench_rep_<pid> from the migrations with the demo
   network (`flask db upgrade`, `flask seed-demo`) and counts the SQL statements of every report
   page on it (the small dataset);
2. adds the large set (`seed_large`: 50,000 teachers, 2,000 organizations, 5,000 sessions, moved
   200 days back so that most have ended), audiences and positions (15 % young teachers, 5 %
   management, 2 % methodists), 200,000 registrations (40 per session: 90 % confirmed, 5 %
   waitlisted, 5 % cancelled), attendance for the ended sessions' confirmed registrations (80 %
   present, 5 % late, 10 % absent, 5 % excused), and 20,000 check-list responses of a 20-item
   template with their invitations (10 % more unanswered), answers and tallies — all in bulk;
   then counts the statements again (the large dataset): they must be equal;
3. serves the app with gunicorn (1 worker) as production would, logs the admin in by forging her
   session cookie, and times, interleaved, N times each: GET /healthz and every report page over
   the whole dataset's period; reports medians and ratios to /healthz (compare ratios);
   then replays, on one of the app's own connections, the statements each computed page runs
   (captured in process with their parameters): what the database alone takes for that page, the
   floor under any page time whatever the app does around its queries; and times the barest form
   of «teachers reached» (count(DISTINCT user_id) of the attended marks: no period, no filter, no
   grouping) and a plain count(*) of the marks, which no report of coverage can go below;
4. times the imports in process through the app's routes (upload → preview → apply): a 1,000-row
   plan file into a new plan and a 5,000-person staff file into one organization.

Exit status 1 if a goal is not met.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import ROOT, VENV_BIN, flask, free_port  # noqa: E402
from bench_checklists import admin_sql, bench_template, fake_answers, get, pg_url, tally_sql  # noqa: E402

GOAL_RATIO = 10.0
GOAL_IMPORT_SECONDS = 10.0
REGISTRATIONS_PER_SESSION = 40
RESPONSES = 20_000
SHIFT_DAYS = 200


def report_paths(period: dict[str, str], municipality_id: int) -> dict[str, str]:
    q = "&".join(f"{k}={v}" for k, v in period.items())
    return {
        "fulfilment": f"/reports/fulfilment?{q}",
        "participation (by municipality)": f"/reports/participation?{q}&by=municipality",
        "participation (by organization)": f"/reports/participation?{q}&by=organization",
        "participation (by session)": f"/reports/participation?{q}&by=session",
        "interaction map": f"/reports/interaction-map?{q}",
        "feedback": f"/reports/feedback?{q}",
        "indicators": f"/reports/indicators?{q}",
        "annual report": f"/reports/annual?{q}&municipality={municipality_id}",
    }


class Bench:
    def __init__(self, label: str, url: str):
        self.label = label
        self.env = {**os.environ, "DATABASE_URL": url, "FLASK_APP": "wsgi.py", "APP_ENV": "production",
                    "SECRET_KEY": "bench-reports", "SECURE_COOKIES": "0", "RATELIMIT_ENABLED": "0",
                    "PUBLIC_PAGE_CACHE_SECONDS": "0"}

    # -- building ---------------------------------------------------------------------------

    def build_small(self) -> None:
        started = time.perf_counter()
        flask(self.env, "db", "upgrade")
        flask(self.env, "seed-demo")
        os.environ.update({k: self.env[k] for k in ("DATABASE_URL", "APP_ENV", "SECRET_KEY", "SECURE_COOKIES",
                                                    "RATELIMIT_ENABLED", "PUBLIC_PAGE_CACHE_SECONDS")})
        import sqlalchemy as sa

        from webapp import create_app
        from webapp.accounts.models import User
        from webapp.extensions import db
        from webapp.orgs.models import Municipality

        self.app = create_app({"SQLALCHEMY_DATABASE_URI": self.env["DATABASE_URL"], "WTF_CSRF_ENABLED": False})
        with self.app.app_context():
            self.admin_id = db.session.scalar(sa.select(User.id).where(User.email == "admin@demo.local"))
            self.municipality_id = db.session.scalar(sa.select(sa.func.min(Municipality.id)))
        today = date.today()
        year = today.year if today.month >= 9 else today.year - 1
        self.period = {"from": f"{year - 1}-09-01", "to": f"{year + 1}-08-31"}
        print(f"  {self.label}: demo built in {time.perf_counter() - started:.1f} s", flush=True)

    def build_large(self) -> dict[str, int]:
        started = time.perf_counter()
        import sqlalchemy as sa

        from webapp.accounts.models import User, user_audiences
        from webapp.attendance.models import Attendance, AttendanceStatus, MarkSource
        from webapp.checklists import answering, building
        from webapp.checklists.models import (
            ChecklistAnswer,
            ChecklistAssignment,
            ChecklistInvitation,
            ChecklistResponse,
            OpensOn,
            RespondentRole,
        )
        from webapp.demo.seed import seed_large
        from webapp.extensions import db
        from webapp.registration.models import Registration, RegStatus
        from webapp.sessions.models import EventSession
        from webapp.taxonomy.models import Audience

        rng = random.Random(11)
        counts: dict[str, int] = {}
        with self.app.app_context():
            first_user = (db.session.scalar(sa.select(sa.func.max(User.id))) or 0) + 1
            first_session = (db.session.scalar(sa.select(sa.func.max(EventSession.id))) or 0) + 1
            counts.update(seed_large())
            db.session.commit()
            shift = timedelta(days=SHIFT_DAYS)
            moved = db.session.execute(sa.select(EventSession.id, EventSession.start_dt, EventSession.end_dt)
                                       .where(EventSession.id >= first_session)).all()
            db.session.execute(sa.update(EventSession), [
                {"id": i, "start_dt": start - shift, "end_dt": end - shift} for i, start, end in moved])
            teachers = db.session.execute(sa.select(User.id, User.organization_id).where(
                User.id >= first_user).order_by(User.id)).all()
            audiences = dict(db.session.execute(sa.select(Audience.name, Audience.id)).tuples().all())
            links, positions = [], {}
            for uid, _ in teachers:
                roll = rng.random()
                if roll < 0.15:
                    links.append({"user_id": uid, "audience_id": audiences["Молодые педагоги"]})
                elif roll < 0.20:
                    links.append({"user_id": uid, "audience_id": audiences["Управленческие команды"]})
                    positions[uid] = "Заместитель директора по УВР"
                elif roll < 0.22:
                    links.append({"user_id": uid, "audience_id": audiences["Методисты ТМС"]})
            db.session.execute(sa.insert(user_audiences), links)
            if positions:
                db.session.execute(sa.update(User).where(User.id.in_(list(positions))).values(
                    position="Заместитель директора по УВР"))
            now = datetime.now(timezone.utc)
            sessions = db.session.execute(sa.select(
                EventSession.id, EventSession.start_dt, EventSession.end_dt, EventSession.municipality_id,
                EventSession.site_id).where(EventSession.id >= first_session).order_by(EventSession.id)).all()
            org_of = dict(teachers)
            regs, n_regs = [], 0
            for s in sessions:
                people = rng.sample(teachers, REGISTRATIONS_PER_SESSION)
                ticket = 0
                for uid, org in people:
                    roll = rng.random()
                    status = (RegStatus.CONFIRMED if roll < 0.90 else
                              RegStatus.WAITLISTED if roll < 0.95 else RegStatus.CANCELLED)
                    queue = None
                    if status == RegStatus.WAITLISTED:
                        ticket += 1
                        queue = ticket
                    regs.append({"session_id": s.id, "user_id": uid, "organization_id": org, "status": status,
                                 "queue_ticket": queue, "reason": "", "created_dt": s.start_dt - timedelta(days=7),
                                 "updated_dt": s.start_dt - timedelta(days=7)})
                if len(regs) >= 20_000:
                    db.session.execute(sa.insert(Registration), regs)
                    n_regs += len(regs)
                    regs = []
            if regs:
                db.session.execute(sa.insert(Registration), regs)
                n_regs += len(regs)
            counts["registrations"] = n_regs
            ended = {s.id: s for s in sessions if s.end_dt < now}
            statuses = ([AttendanceStatus.PRESENT] * 16 + [AttendanceStatus.LATE] + [AttendanceStatus.ABSENT] * 2
                        + [AttendanceStatus.EXCUSED])
            marks, n_marks, attended = [], 0, []
            confirmed = db.session.execute(sa.select(Registration.id, Registration.session_id, Registration.user_id)
                                           .where(Registration.session_id.in_(list(ended)),
                                                  Registration.status == RegStatus.CONFIRMED)
                                           .execution_options(yield_per=20_000))
            for reg_id, sid, uid in confirmed:
                status = rng.choice(statuses)
                marks.append({"session_id": sid, "user_id": uid, "registration_id": reg_id,
                              "organization_id": org_of.get(uid), "status": status, "remark": "", "walk_in": False,
                              "source": MarkSource.STAFF, "marked_dt": ended[sid].end_dt,
                              "created_dt": ended[sid].end_dt, "updated_dt": ended[sid].end_dt})
                if status.attended:
                    attended.append((sid, uid))
            for start in range(0, len(marks), 20_000):
                db.session.execute(sa.insert(Attendance), marks[start:start + 20_000])
                n_marks += len(marks[start:start + 20_000])
            counts["attendance marks"] = n_marks

            admin = db.session.get(User, self.admin_id)
            template = building.import_template(bench_template("Обратная связь участника (бенчмарк отчётов)"), admin)
            # the template assigned to every site's participants, as a network would
            assignments = {}
            for site_id in sorted({s.site_id for s in ended.values()}):
                assignments[site_id] = ChecklistAssignment(template_id=template.id, site_id=site_id,
                                                           role=RespondentRole.PARTICIPANT,
                                                           opens_on=OpensOn.ATTENDANCE, open_days=30)
            db.session.add_all(assignments.values())
            db.session.flush()
            items = [i for i in template.current_version.items if i.kind.is_question]
            by_key = {i.key: i for i in items}
            chosen = rng.sample(attended, min(RESPONSES + RESPONSES // 10, len(attended)))
            answered, unanswered = chosen[:RESPONSES], chosen[RESPONSES:]
            rows, invitations, answer_sets = [], [], []
            for sid, uid in answered:
                s = ended[sid]
                day = (s.end_dt + timedelta(days=rng.randint(0, 3))).date()
                assignment = assignments[s.site_id]
                rows.append(dict(template_id=template.id, version_id=template.current_version.id,
                                 assignment_id=assignment.id, session_id=sid, municipality_id=s.municipality_id,
                                 role=RespondentRole.PARTICIPANT, user_id=uid, subject_user_id=None, submitted_on=day,
                                 submitted_dt=datetime.combine(day, s.end_dt.timetz())))
                invitations.append(dict(assignment_id=assignment.id, user_id=uid, session_id=sid,
                                        subject_user_id=None, unit=f"{sid}:0", opens_dt=s.end_dt,
                                        closes_dt=s.end_dt + timedelta(days=30), answered=True,
                                        answered_dt=rows[-1]["submitted_dt"]))
                answer_sets.append(fake_answers(rng, items))
            for sid, uid in unanswered:
                s = ended[sid]
                invitations.append(dict(assignment_id=assignments[s.site_id].id, user_id=uid, session_id=sid,
                                        subject_user_id=None, unit=f"{sid}:0", opens_dt=s.end_dt,
                                        closes_dt=s.end_dt + timedelta(days=30), answered=False, answered_dt=None))
            ids = list(db.session.scalars(sa.insert(ChecklistResponse).returning(
                ChecklistResponse.id, sort_by_parameter_order=True), rows))
            db.session.execute(sa.insert(ChecklistInvitation), invitations)
            answers = []
            for response_id, given in zip(ids, answer_sets, strict=True):
                for key, value in given.items():
                    for row_key, text, number in answering._answer_rows(by_key[key], value):
                        answers.append(dict(response_id=response_id, item_key=key, row_key=row_key, value_text=text,
                                            value_num=number))
                if len(answers) >= 50_000:
                    db.session.execute(sa.insert(ChecklistAnswer), answers)
                    answers = []
            if answers:
                db.session.execute(sa.insert(ChecklistAnswer), answers)
            db.session.execute(sa.text(tally_sql(db.engine.dialect.name, [
                i.key for i in items if i.kind.is_text])), {"template": template.id})
            counts["check-list responses"] = len(ids)
            db.session.commit()
            if db.engine.dialect.name == "postgresql":
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    conn.execute(sa.text("VACUUM ANALYZE"))
            self.org_id = teachers[0][1]
            db.engine.dispose()
        print(f"  {self.label}: large set built in {time.perf_counter() - started:.1f} s: "
              + ", ".join(f"{v:,} {k}".replace(",", " ") for k, v in counts.items()), flush=True)
        return counts

    # -- measuring --------------------------------------------------------------------------

    def _client(self):
        client = self.app.test_client()
        with client.session_transaction() as sess:
            sess["_user_id"], sess["_fresh"] = str(self.admin_id), True
        return client

    def statements(self) -> dict[str, list[tuple[str, object]]]:
        """The statements (with their parameters) each report page runs computed (the report
        cache off), captured in process."""
        import sqlalchemy as sa

        from webapp.extensions import db

        self.app.config["REPORT_CACHE_SECONDS"] = 0
        client = self._client()
        captured: dict[str, list] = {}
        for label, path in report_paths(self.period, self.municipality_id).items():
            with self.app.app_context():
                seen: list = []

                def listener(conn, cursor, statement, parameters, context, executemany, seen=seen):
                    seen.append((statement, parameters))

                sa.event.listen(db.engine, "before_cursor_execute", listener)
                response = client.get(path)
                sa.event.remove(db.engine, "before_cursor_execute", listener)
            if response.status_code != 200:
                raise SystemExit(f"{label} answered {response.status_code}")
            captured[label] = seen
        with self.app.app_context():
            db.engine.dispose()
        return captured

    def query_counts(self) -> dict[str, int]:
        """Statements of each report computed (the report cache off)."""
        return {label: len(seen) for label, seen in self.statements().items()}

    def sql_alone(self, n: int) -> dict[str, tuple[float, float, str]]:
        """What the database alone takes for each report page's statements (`statements`), replayed
        on one of the app's connections n times; median of the total, the slowest statement's
        median and its first words. A page cannot be faster than its own queries, whatever the app
        does around them."""
        from webapp.extensions import db

        captured = self.statements()
        out = {}
        with self.app.app_context():
            raw = db.engine.raw_connection()
            try:
                cursor = raw.driver_connection.cursor()
                totals: dict[str, list[float]] = {label: [] for label in captured}
                each: dict[tuple[str, int], list[float]] = {}
                for _ in range(n + 2):  # the first two warm up (and let the driver prepare)
                    for label, statements in captured.items():
                        total = 0.0
                        for i, (statement, parameters) in enumerate(statements):
                            started = time.perf_counter()
                            cursor.execute(statement, parameters)
                            if cursor.description:
                                cursor.fetchall()
                            spent = time.perf_counter() - started
                            total += spent
                            each.setdefault((label, i), []).append(spent)
                        totals[label].append(total)
                    raw.driver_connection.rollback()
                for label, statements in captured.items():
                    slowest = max(range(len(statements)), key=lambda i: statistics.median(each[(label, i)][2:]))
                    words = " ".join(statements[slowest][0].split())[:70]
                    out[label] = (statistics.median(totals[label][2:]) * 1000,
                                  statistics.median(each[(label, slowest)][2:]) * 1000, words)
            finally:
                raw.close()
            db.engine.dispose()
        return out

    def database_floor(self, n: int) -> dict[str, float]:
        """The least any report of coverage must ask of the database, timed alone (medians of n):
        the teachers reached, in its barest form (no period, no filter, no grouping by
        municipality), and a plain count of the attendance marks."""
        import sqlalchemy as sa

        from webapp.attendance.models import ATTENDED_STATUSES, Attendance
        from webapp.extensions import db

        statements = {
            "count(DISTINCT user_id) of attended marks": sa.select(sa.func.count(sa.distinct(Attendance.user_id)))
            .where(Attendance.status.in_(ATTENDED_STATUSES)),
            "count(*) of attendance marks": sa.select(sa.func.count()).select_from(Attendance),
        }
        samples: dict[str, list[float]] = {label: [] for label in statements}
        with self.app.app_context():
            with db.engine.connect() as conn:
                for i in range(n + 2):
                    for label, stmt in statements.items():
                        started = time.perf_counter()
                        conn.execute(stmt).all()
                        if i >= 2:
                            samples[label].append((time.perf_counter() - started) * 1000)
            db.engine.dispose()
        return {label: statistics.median(v) for label, v in samples.items()}

    def forge_login(self) -> str:
        import flask as flask_module

        from webapp.extensions import login_manager

        with self.app.test_request_context("/", environ_base={"REMOTE_ADDR": "127.0.0.1"},
                                           headers={"User-Agent": "bench-checklists"}):
            flask_module.session["_user_id"] = str(self.admin_id)
            flask_module.session["_fresh"] = True
            flask_module.session["_id"] = login_manager._session_identifier_generator()
            return self.app.session_interface.get_signing_serializer(self.app).dumps(dict(flask_module.session))

    def time_requests(self, n: int, cache_seconds: str) -> dict[str, float]:
        """Medians over gunicorn; cache_seconds "0": every request computes its report."""
        cookie = self.forge_login()
        port = free_port()
        proc = subprocess.Popen([str(VENV_BIN / "gunicorn"), "--workers", "1", "--bind", f"127.0.0.1:{port}",
                                 "--log-level", "warning", "--timeout", "120", "wsgi:app"], cwd=ROOT,
                                env={**self.env, "REPORT_CACHE_SECONDS": cache_seconds})
        try:
            for _ in range(100):
                try:
                    if get(port, "/healthz")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.1)
            paths = {"GET /healthz": "/healthz", **report_paths(self.period, self.municipality_id)}
            samples: dict[str, list[float]] = {label: [] for label in paths}
            for i in range(n + 3):
                for label, path in paths.items():
                    status, seconds, _ = get(port, path, cookie if path != "/healthz" else "")
                    if status != 200:
                        raise SystemExit(f"{label} answered {status}")
                    if i >= 3:  # the first three warm up
                        samples[label].append(seconds * 1000)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        return {label: statistics.median(v) for label, v in samples.items()}

    def time_imports(self) -> dict[str, float]:
        """Upload (with the preview it leads to) and apply, through the routes, timed apart."""
        import sqlalchemy as sa
        from openpyxl import Workbook

        from webapp.extensions import db
        from webapp.imports.models import ImportBatch
        from webapp.plan.models import Plan, PlanKind, PlanStatus

        out = {}
        with self.app.app_context():
            plan = Plan(title="План для замера импорта", kind=PlanKind.YEAR, municipality_id=self.municipality_id,
                        period_start=date(2026, 9, 1), period_end=date(2027, 8, 31), status=PlanStatus.DRAFT)
            db.session.add(plan)
            db.session.commit()
            plan_id = plan.id
        months = ["Сентябрь", "Октябрь", "Ноябрь", "Декабрь", "Январь 2027", "Апрель–май, ежегодно",
                  "В течение учебного года", "Постоянно по запросам", "4 раза в год", "Декабрь, апрель"]
        forms = ["Семинар", "Мастер-класс", "Круглый стол", "Вебинар", "Стажировка", "Семинар-практикум"]
        book = Workbook()
        sheet = book.active
        sheet.append(["№", "Мероприятие", "Сроки", "Форма", "Аудитория", "Ответственный", "Прогнозируемый результат"])
        for i in range(1, 1001):
            sheet.append([f"{(i - 1) // 20 + 1}.{(i - 1) % 20 + 1}", f"Мероприятие плана номер {i}",
                          months[i % len(months)], forms[i % len(forms)], "Молодые педагоги, Наставники",
                          "Методист ТМС", "Повышение профессиональных компетенций"])
        plan_file = io.BytesIO()
        book.save(plan_file)
        book = Workbook()
        sheet = book.active
        sheet.append(["ФИО", "E-mail", "Должность", "Предметы", "Стаж"])
        for i in range(5000):
            sheet.append([f"Сотрудникова{i} Анна Петровна", f"staff{i}@bench-import.local", "Учитель",
                          "Математика", i % 40])
        staff_file = io.BytesIO()
        book.save(staff_file)

        client = self._client()
        for label, url, data, name in (
                ("plan, 1 000 rows", f"/imports/plans/{plan_id}/upload", plan_file.getvalue(), "plan.xlsx"),
                ("staff, 5 000 people", f"/imports/organizations/{self.org_id}/people/upload",
                 staff_file.getvalue(), "staff.xlsx")):
            started = time.perf_counter()
            response = client.post(url, data={"file": (io.BytesIO(data), name)},
                                   content_type="multipart/form-data", follow_redirects=True)
            uploaded = time.perf_counter() - started
            if response.status_code != 200:
                raise SystemExit(f"{label}: upload answered {response.status_code}")
            with self.app.app_context():
                batch = db.session.scalars(sa.select(ImportBatch).order_by(ImportBatch.id.desc())).first()
                batch_id, kind = batch.id, batch.kind.value
            apply_url = f"/imports/{batch_id}/apply" if kind == "plan" else f"/imports/{batch_id}/people-apply"
            started = time.perf_counter()
            response = client.post(apply_url, follow_redirects=True)
            applied = time.perf_counter() - started
            if response.status_code != 200:
                raise SystemExit(f"{label}: apply answered {response.status_code}")
            with self.app.app_context():
                status = db.session.get(ImportBatch, batch_id).status.value
            if status != "applied":
                raise SystemExit(f"{label}: the batch is {status} after apply")
            out[f"{label}: upload + preview"] = uploaded
            out[f"{label}: apply"] = applied
        return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20, help="samples per measured request (default 20)")
    parser.add_argument("--sqlite", action="store_true", help="on SQLite instead of PostgreSQL")
    parser.add_argument("--pg-dsn", default="host=127.0.0.1 port=5432 user=postgres")
    parser.add_argument("--keep-db", action="store_true", help="keep the PostgreSQL database")
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        if args.sqlite:
            label, url, pg_name = "SQLite", f"sqlite:///{Path(tmp) / 'bench-reports.sqlite3'}", None
        else:
            pg_name = f"network_bench_rep_{os.getpid()}"
            label, url = "PostgreSQL", pg_url(args.pg_dsn, pg_name)
            admin_sql(args.pg_dsn, f'CREATE DATABASE "{pg_name}"')
        bench = None
        try:
            print(f"== {label}", flush=True)
            bench = Bench(label, url)
            bench.build_small()
            small = bench.query_counts()
            bench.build_large()
            large = bench.query_counts()
            cold = bench.time_requests(args.requests, "0")
            alone = bench.sql_alone(args.requests)
            floor = bench.database_floor(args.requests)
            medians = bench.time_requests(args.requests, "120")
            imports = bench.time_imports()
        finally:
            if pg_name and not args.keep_db:
                if bench is not None and hasattr(bench, "app"):
                    from webapp.extensions import db

                    with bench.app.app_context():
                        db.engine.dispose()
                admin_sql(args.pg_dsn, f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
    print(f"\n{label}: report pages on the large set (gunicorn, 1 worker; medians of {args.requests}; "
          "computed: REPORT_CACHE_SECONDS=0, every request computes; cached: the default, the page read again "
          "while the data is unchanged):")
    print(f"  {'request':34} {'computed ms':>12} {'× healthz':>10} {'cached ms':>10} {'× healthz':>10}"
          f" {'queries demo → large':>22}")
    for name in medians:
        q = f"{small[name]} → {large[name]}" if name in small else ""
        print(f"  {name:34} {cold[name]:12.1f} {cold[name] / cold['GET /healthz']:10.2f} {medians[name]:10.1f}"
              f" {medians[name] / medians['GET /healthz']:10.2f} {q:>22}")
    print(f"\n  the database alone: each page's statements replayed on one connection (medians of {args.requests};"
          " healthz over HTTP from the computed run):")
    print(f"  {'page':34} {'SQL ms':>8} {'× healthz':>10} {'slowest ms':>11}  slowest statement")
    for name, (total, slowest, words) in alone.items():
        print(f"  {name:34} {total:8.1f} {total / cold['GET /healthz']:10.2f} {slowest:11.1f}  {words}")
    over = [name for name, (total, _, _) in alone.items() if total / cold["GET /healthz"] > GOAL_RATIO]
    print(f"  pages whose queries alone exceed {GOAL_RATIO:g}× healthz: {', '.join(over) or 'none'}")
    print("  the floor: the barest form of «teachers reached», and a plain count, alone on one connection:")
    for name, ms in floor.items():
        print(f"  {name:50} {ms:8.1f} ms {ms / cold['GET /healthz']:8.2f}× healthz")
    worst_cold = max(ms / cold["GET /healthz"] for name, ms in cold.items() if name != "GET /healthz")
    worst = max(ms / medians["GET /healthz"] for name, ms in medians.items() if name != "GET /healthz")
    constant = all(small[k] == large[k] for k in small)
    fast = worst <= GOAL_RATIO
    print(f"\n  median ≤ {GOAL_RATIO:g}× healthz, cached:   {'PASS' if fast else 'NOT MET'} (worst {worst:.2f}×)")
    print(f"  median ≤ {GOAL_RATIO:g}× healthz, computed: {'PASS' if worst_cold <= GOAL_RATIO else 'NOT MET'}"
          f" (worst {worst_cold:.2f}×)")
    print(f"  constant queries:        {'PASS' if constant else 'NOT MET'}")
    print("\n  imports (in process, through the routes):")
    for name, seconds in imports.items():
        print(f"  {name:42} {seconds:6.2f} s")
    quick = all(s <= GOAL_IMPORT_SECONDS for s in imports.values())
    print(f"  each ≤ {GOAL_IMPORT_SECONDS:g} s: {'PASS' if quick else 'NOT MET'}")
    ok = fast and constant and quick
    return 0 if ok else 1


if __name__ == "__main__":
    if Path(sys.executable).resolve() != (VENV_BIN / "python").resolve() and (VENV_BIN / "python").exists():
        os.execv(str(VENV_BIN / "python"), [str(VENV_BIN / "python"), *sys.argv])
    sys.exit(main())
