#!/usr/bin/env python3
"""Benchmark for issue 5's figure: «The results page of a template with 5,000 responses and 20
items runs a constant number of queries (aggregation in SQL) and its median time is within 5× of
GET /healthz in the same run.»
Run: .venv/bin/python scripts/bench_checklists.py [--requests N] [--responses 5000] [--pg]

(started with another Python, the script re-runs itself with the project's venv.)

1. builds a fresh SQLite database (and with --pg also a PostgreSQL one, network_bench_cl_<pid>
   on --pg-dsn, dropped at the end unless --keep-db) from the migrations with the demo network
   (`flask db upgrade`, `flask seed-demo`), then adds at the demo leader's site 50 past sessions
   (--sessions), 1,000 teachers and two templates of the same 20 items (12 scales, 2 yes/partial/no,
   a single and a multiple choice, a matrix of 4 rows, a number, a short and a long text), each
   assigned to the site's participants: «big» with 5,000 responses (--responses) and «small»
   with 100, spread over the sessions, each with its invitation (and 10 % more invitations left
   unanswered);
2. writes responses and answers in bulk and the tallies with one INSERT … SELECT … GROUP BY over
   the answers, exactly the cells answering.submit counts (a "*" cell per response, a "*" cell per
   answered item, a cell per value, per matrix row and value, per chosen option; texts only "*");
   then checks the tallies against counts taken from the answers and from the generator, submits
   one more response through the real answering.submit and checks again;
3. counts the SQL statements of the results page (whole, and filtered by the site) for 100 and
   5,000 responses in process (the app's test client, SQLAlchemy events);
4. serves the app with gunicorn (1 worker) as production would, logs an admin in by forging her
   session cookie, and times, interleaved, N times each: GET /healthz, the results page, the
   results page filtered by the site, and by one session (and, for scale, the small page listing
   the templates with results); reports medians and ratios to /healthz (machines are noisy:
   compare ratios). Twice: with the page computed on every request
   (CHECKLIST_RESULTS_CACHE_SECONDS=0: what the first view after a new answer costs), and as
   served by default, the page kept rendered while its results version holds (the figure judged:
   what a reader gets while no answer arrives; timed once the newest change is 30 s old, as the
   app keeps a page only then). The cached server is also checked to show a new
   answer at the next request.

Exit status 1 if a consistency check fails or a goal is not met.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import ROOT, VENV_BIN, counted, flask, free_port  # noqa: E402

GOAL_RATIO = 5.0
USER_AGENT = "bench-checklists"
REFERENCE = "(reference) templates list"
SCALE_TEXTS = [
    "Насколько содержание соответствовало вашим профессиональным дефицитам?",
    "Насколько практико-ориентированным было мероприятие?", "Насколько понятно излагался материал?",
    "Насколько удобной была организация мероприятия?", "Оцените работу ведущего.",
    "Оцените качество раздаточных материалов.", "Насколько вы готовы применить увиденное?",
    "Оцените взаимодействие участников.", "Насколько мероприятие отвечало заявленной теме?",
    "Оцените темп мероприятия.", "Насколько полезен был практикум?", "Порекомендуете ли вы площадку коллегам?",
]
PHRASES = ["Приём «мозговой штурм» на уроке", "Технологическая карта урока", "Чек-лист самоанализа урока",
           "Работа в парах сменного состава", "Карта профессиональных дефицитов", "Кейс-метод",
           "Формирующее оценивание", "Проектная задача для 7 класса", "Листы самооценки", "Лэпбук"]


def bench_template(title: str) -> dict:
    """Twenty questions (and two section headings) in the app's template export format."""
    from webapp.checklists import building

    items = [{"key": "sec1", "kind": "section", "text": "Содержание и организация"}]
    for n, text in enumerate(SCALE_TEXTS, start=1):
        items.append({"key": f"s{n}", "kind": "scale", "text": text,
                      "settings": {"max": 10 if n % 4 == 0 else 5, "min_label": "совсем нет", "max_label": "полностью"}})
    items += [
        {"key": "sec2", "kind": "section", "text": "Материалы и применение"},
        {"key": "materials", "kind": "ypn", "text": "Получили ли вы материалы, которые используете в работе?"},
        {"key": "difficulties", "kind": "ypn", "text": "Остались ли затруднения по теме?"},
        {"key": "when", "kind": "single", "text": "Когда вы примените это впервые?", "settings": {"options": [
            {"value": "week", "label": "В течение недели"}, {"value": "month", "label": "В течение месяца"},
            {"value": "term", "label": "В этой четверти"}, {"value": "no", "label": "Пока не планирую"}]}},
        {"key": "which", "kind": "multiple", "text": "Какие материалы вы будете использовать?", "settings": {
            "options": [{"value": f"m{i}", "label": label} for i, label in enumerate(
                ["Локальные акты", "Конструкторы уроков", "Схемы анализа урока", "Опросники",
                 "Технологические карты"], start=1)]}},
        {"key": "parts", "kind": "matrix", "text": "Оцените части мероприятия", "settings": {"max": 5, "rows": [
            {"key": f"r{i}", "label": label} for i, label in enumerate(
                ["Установочная часть", "Открытый урок", "Мастер-класс", "Рефлексия"], start=1)]}},
        {"key": "lessons", "kind": "number", "text": "Сколько уроков вы проведёте с этим приёмом до конца четверти?",
         "settings": {"min": 0, "max": 40, "integer": True}},
        {"key": "apply", "kind": "short_text", "text": "Что именно вы примените?"},
        {"key": "wishes", "kind": "long_text", "text": "Ваши пожелания площадке"},
    ]
    return {"format": building.EXPORT_FORMAT, "format_version": building.EXPORT_FORMAT_VERSION, "title": title,
            "instructions": "", "items": items}


def fake_answers(rng: random.Random, items) -> dict:
    """What one respondent answers (as answering.clean_answers would leave it)."""
    out: dict = {}
    for item in items:
        kind, s = item.kind.value, item.settings or {}
        if kind == "scale":
            top = int(s.get("max", 5))
            out[item.key] = str(min(top, max(1, round(rng.triangular(1, top, top * 0.85)))))
        elif kind == "ypn":
            out[item.key] = rng.choices(["yes", "partial", "no"], [6, 3, 1])[0]
        elif kind == "single":
            out[item.key] = rng.choice([o["value"] for o in s["options"]])
        elif kind == "multiple":
            if rng.random() < 0.9:
                values = [o["value"] for o in s["options"]]
                chosen = set(rng.sample(values, rng.randint(1, 3)))
                out[item.key] = [v for v in values if v in chosen]
        elif kind == "matrix":
            rows = {r["key"]: str(rng.randint(2, 5)) for r in s["rows"] if rng.random() < 0.95}
            if rows:
                out[item.key] = rows
        elif kind == "number":
            if rng.random() < 0.85:
                out[item.key] = str(rng.randint(0, 40))
        elif kind == "short_text":
            if rng.random() < 0.7:
                out[item.key] = rng.choice(PHRASES)
        elif kind == "long_text":
            if rng.random() < 0.4:
                out[item.key] = f"{rng.choice(PHRASES)}: хотелось бы больше практики и примеров из опыта школ."
    return out


def month_expr(dialect: str) -> str:
    return ("CAST(date_trunc('month', r.submitted_on) AS date)" if dialect == "postgresql"
            else "date(r.submitted_on, 'start of month')")


def tally_sql(dialect: str, text_keys: list[str]) -> str:
    """The tally cells of one template's responses, built from its answers in one statement."""
    month = month_expr(dialect)
    dims = f"r.template_id, r.assignment_id, COALESCE(r.session_id, 0), r.municipality_id, {month}"
    not_text = " AND a.item_key NOT IN (" + ", ".join(f"'{k}'" for k in text_keys) + ")" if text_keys else ""
    return (
        "INSERT INTO checklist_tallies (template_id, assignment_id, session_id, municipality_id, month, item_key,"
        " row_key, value, value_num, \"count\")"
        f" SELECT {dims}, '*', '', '*', CAST(NULL AS DOUBLE PRECISION), COUNT(*) FROM checklist_responses r"
        f" WHERE r.template_id = :template GROUP BY {dims}"
        f" UNION ALL SELECT {dims}, a.item_key, '', '*', CAST(NULL AS DOUBLE PRECISION), COUNT(DISTINCT a.response_id)"
        " FROM checklist_answers a JOIN checklist_responses r ON r.id = a.response_id"
        f" WHERE r.template_id = :template GROUP BY {dims}, a.item_key"
        f" UNION ALL SELECT {dims}, a.item_key, a.row_key, SUBSTR(a.value_text, 1, 60), a.value_num, COUNT(*)"
        " FROM checklist_answers a JOIN checklist_responses r ON r.id = a.response_id"
        f" WHERE r.template_id = :template{not_text}"
        f" GROUP BY {dims}, a.item_key, a.row_key, SUBSTR(a.value_text, 1, 60), a.value_num")


class Bench:
    """One database: built, checked, measured in process and over HTTP."""

    def __init__(self, label: str, url: str):
        self.label = label
        self.env = {**os.environ, "DATABASE_URL": url, "FLASK_APP": "wsgi.py", "APP_ENV": "production",
                    "SECRET_KEY": "bench-checklists", "SECURE_COOKIES": "0", "RATELIMIT_ENABLED": "0",
                    "PUBLIC_PAGE_CACHE_SECONDS": "0"}
        self.problems: list[str] = []

    # -- building ---------------------------------------------------------------------------

    def build(self, n_sessions: int, sizes: dict[str, int]) -> None:
        started = time.perf_counter()
        flask(self.env, "db", "upgrade")
        flask(self.env, "seed-demo")
        os.environ.update({k: self.env[k] for k in ("DATABASE_URL", "APP_ENV", "SECRET_KEY", "SECURE_COOKIES",
                                                    "RATELIMIT_ENABLED", "PUBLIC_PAGE_CACHE_SECONDS")})
        import sqlalchemy as sa

        from webapp import create_app
        from webapp.accounts.models import Role, User
        from webapp.checklists import building
        from webapp.checklists.models import ChecklistAssignment, OpensOn, RespondentRole
        from webapp.extensions import db
        from webapp.sessions.models import Delivery, EventSession

        # query counts of the page as computed (the kept page is counted apart, see query_counts)
        self.app = create_app({"SQLALCHEMY_DATABASE_URI": self.env["DATABASE_URL"],
                               "CHECKLIST_RESULTS_CACHE_SECONDS": 0})
        with self.app.app_context():
            admin = db.session.scalar(sa.select(User).where(User.email == "admin@demo.local"))
            leader = db.session.scalar(sa.select(User).where(User.email == "leader@demo.local"))
            site_id = sorted(leader.scope_ids(Role.SITE_LEADER))[0]
            model = db.session.scalars(sa.select(EventSession).where(EventSession.site_id == site_id)).first()
            today = datetime.now(timezone.utc).replace(hour=7, minute=0, second=0, microsecond=0)
            sessions = []
            for i in range(n_sessions):
                start = today - timedelta(days=6 * (n_sessions - i) + 2)
                s = EventSession(site_id=site_id, municipality_id=model.municipality_id, title=f"Занятие площадки {i + 1}",
                                 direction_id=model.direction_id, form_id=model.form_id, start_dt=start,
                                 end_dt=start + timedelta(hours=3), timezone=model.timezone,
                                 delivery=Delivery.IN_PERSON, address="Бенчмарк", capacity=None,
                                 search_text=f"занятие площадки {i + 1}")
                db.session.add(s)
                sessions.append(s)
            db.session.flush()
            db.session.execute(sa.insert(User), [
                dict(email=f"cl-{i}@bench.local", last_name=f"Слушатель{i:04d}", first_name="Мария", middle_name="",
                     password_hash="", organization_id=leader.organization_id, is_active=True,
                     search_text=f"слушатель{i:04d} мария") for i in range(1000)])
            users = list(db.session.scalars(sa.select(User.id).where(User.email.like("cl-%@bench.local"))
                                            .order_by(User.id)))
            self.templates = {}
            for key, n in sizes.items():
                template = building.import_template(bench_template(f"Бенчмарк результатов: {key} ({n} ответов)"), admin)
                assignment = ChecklistAssignment(template_id=template.id, site_id=site_id,
                                                 role=RespondentRole.PARTICIPANT, opens_on=OpensOn.ATTENDANCE,
                                                 open_days=30, municipality_id=model.municipality_id)
                db.session.add(assignment)
                db.session.flush()
                expected = self._responses(template, assignment, sessions, users, n, seed=len(key))
                db.session.execute(sa.text(tally_sql(db.engine.dialect.name, [
                    i.key for i in template.current_version.items if i.kind.is_text])), {"template": template.id})
                db.session.commit()
                self.templates[key] = (template.id, n)
                self._check(template.id, n, expected)
            if db.engine.dialect.name == "postgresql":
                # what autovacuum does a minute after a bulk load: statistics and the visibility map
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    conn.execute(sa.text("VACUUM ANALYZE"))
            self.site_id, self.session_id = site_id, sessions[len(sessions) // 2].id
            self.admin_id = admin.id
            self._real_submit(self.templates["big"][0], sessions[-1].id)
        print(f"  {self.label}: built (demo, {n_sessions} sessions, "
              + ", ".join(f"{n} responses" for n in sizes.values())
              + f", tallies checked) in {time.perf_counter() - started:.1f} s", flush=True)

    def _responses(self, template, assignment, sessions, users, n: int, seed: int) -> Counter:
        """n responses with answers and invitations, in bulk; returns the cells counted in Python."""
        import sqlalchemy as sa

        from webapp.checklists import answering
        from webapp.checklists.models import ChecklistAnswer, ChecklistInvitation, ChecklistResponse
        from webapp.extensions import db

        rng = random.Random(seed)
        items = [i for i in template.current_version.items if i.kind.is_question]
        by_key = {i.key: i for i in items}
        rows, invitations, answer_sets = [], [], []
        for i in range(n):
            session = sessions[i % len(sessions)]
            user = users[(i // len(sessions) + 7 * (i % len(sessions))) % len(users)]
            day = (session.end_dt + timedelta(days=rng.randint(0, 3))).date()
            submitted = datetime.combine(day, session.end_dt.timetz())
            rows.append(dict(template_id=template.id, version_id=template.current_version.id,
                             assignment_id=assignment.id, session_id=session.id, municipality_id=session.municipality_id,
                             role=assignment.role, user_id=user, subject_user_id=None, submitted_on=day,
                             submitted_dt=submitted))
            invitations.append(dict(assignment_id=assignment.id, user_id=user, session_id=session.id,
                                    subject_user_id=None, unit=f"{session.id}:0", opens_dt=session.end_dt,
                                    closes_dt=session.end_dt + timedelta(days=30), answered=True,
                                    answered_dt=submitted))
            answer_sets.append(fake_answers(rng, items))
        # 10 % more invited than answered (people after the answering ones: no invitation twice)
        for i in range(n // 10):
            session = sessions[i % len(sessions)]
            user = users[(n // len(sessions) + 1 + i // len(sessions) + 7 * (i % len(sessions))) % len(users)]
            invitations.append(dict(assignment_id=assignment.id, user_id=user, session_id=session.id,
                                    subject_user_id=None, unit=f"{session.id}:0", opens_dt=session.end_dt,
                                    closes_dt=session.end_dt + timedelta(days=30), answered=False,
                                    answered_dt=None))
        ids = list(db.session.scalars(sa.insert(ChecklistResponse).returning(
            ChecklistResponse.id, sort_by_parameter_order=True), rows))
        db.session.execute(sa.insert(ChecklistInvitation), invitations)
        answers, expected = [], Counter()
        for response_id, given in zip(ids, answer_sets, strict=True):
            expected[("*", "", "*")] += 1
            for key, value in given.items():
                item = by_key[key]
                for row_key, text, number in answering._answer_rows(item, value):
                    answers.append(dict(response_id=response_id, item_key=key, row_key=row_key, value_text=text,
                                        value_num=number))
                for row_key, cell, _ in answering._tally_cells(item, value):
                    expected[(key, row_key, cell)] += 1
        for start in range(0, len(answers), 20_000):
            db.session.execute(sa.insert(ChecklistAnswer), answers[start:start + 20_000])
        return expected

    def _check(self, template_id: int, n: int, expected: Counter | None) -> None:
        """Tallies = counts taken from the answers (and = the generator's, when given): a "*" cell per
        response, a "*" cell per answered item, a cell per value of every item but texts."""
        import sqlalchemy as sa

        from webapp.checklists.models import ChecklistAnswer, ChecklistResponse, ChecklistTally, ChecklistTemplate
        from webapp.extensions import db

        T, R, A = ChecklistTally, ChecklistResponse, ChecklistAnswer
        text_keys = {i.key for i in db.session.get(ChecklistTemplate, template_id).current_version.items
                     if i.kind.is_text}
        tallies = {(k, r, v): int(c) for k, r, v, c in db.session.execute(
            sa.select(T.item_key, T.row_key, T.value, sa.func.sum(T.count)).where(T.template_id == template_id)
            .group_by(T.item_key, T.row_key, T.value))}
        counted = {("*", "", "*"): db.session.scalar(
            sa.select(sa.func.count()).select_from(R).where(R.template_id == template_id))}
        answers = sa.select().select_from(A).join(R, R.id == A.response_id).where(R.template_id == template_id)
        for key, count in db.session.execute(
                answers.add_columns(A.item_key, sa.func.count(sa.distinct(A.response_id))).group_by(A.item_key)):
            counted[(key, "", "*")] = count
        for key, row_key, value, count in db.session.execute(
                answers.add_columns(A.item_key, A.row_key, A.value_text, sa.func.count())
                .where(A.item_key.not_in(text_keys or [""])).group_by(A.item_key, A.row_key, A.value_text)):
            counted[(key, row_key, value[:60])] = count
        if tallies != counted:
            diff = [(c, tallies.get(c), counted.get(c)) for c in set(tallies) | set(counted)
                    if tallies.get(c) != counted.get(c)]
            self.problems.append(f"{self.label}: tallies differ from the answers, e.g. {diff[:5]}")
        if expected is not None and tallies != dict(expected):
            self.problems.append(f"{self.label}: tallies differ from what the generator made")
        if tallies.get(("*", "", "*")) != n:
            self.problems.append(f"{self.label}: {tallies.get(('*', '', '*'))} responses counted, {n} made")

    def _real_submit(self, template_id: int, session_id: int) -> None:
        """One more response through answering.submit: the bulk cells must be the cells it writes."""
        import sqlalchemy as sa
        from werkzeug.datastructures import MultiDict

        from webapp.accounts.models import User
        from webapp.attendance.models import Attendance, AttendanceStatus
        from webapp.checklists import answering
        from webapp.checklists.models import ChecklistAssignment, ChecklistInvitation, ChecklistTemplate
        from webapp.extensions import db
        from webapp.sessions.models import EventSession

        session = db.session.get(EventSession, session_id)
        self.real_submits = getattr(self, "real_submits", 0) + 1
        person = User(email=f"cl-real-{self.real_submits}@bench.local", last_name="Настоящая", first_name="Анна",
                      password_hash="", search_text="настоящая анна")
        db.session.add(person)
        db.session.flush()
        marked = session.end_dt
        db.session.add(Attendance(session_id=session.id, user_id=person.id, status=AttendanceStatus.PRESENT,
                                  marked_dt=marked))
        db.session.flush()
        answering.sync_invitations(now=marked + timedelta(hours=1), user=person)
        invitation = db.session.scalars(
            sa.select(ChecklistInvitation).join(ChecklistAssignment, ChecklistAssignment.id == ChecklistInvitation.assignment_id)
            .where(ChecklistInvitation.user_id == person.id, ChecklistAssignment.template_id == template_id)).one()
        items = db.session.get(ChecklistTemplate, template_id).current_version.items
        form = MultiDict()
        for key, value in fake_answers(random.Random(99), items).items():
            item = next(i for i in items if i.key == key)
            if isinstance(value, dict):
                for row, v in value.items():
                    form.add(answering.field_name(item, row), v)
            else:
                for v in value if isinstance(value, list) else [value]:
                    form.add(answering.field_name(item), v)
        answering.submit(invitation.id, person, form, now=marked + timedelta(hours=1))
        db.session.commit()
        self.last_write = time.monotonic()
        n = self.templates["big"][1] + 1
        self.templates["big"] = (template_id, n)
        self._check(template_id, n, None)

    # -- measuring --------------------------------------------------------------------------

    def paths(self, key: str) -> dict[str, str]:
        template_id = self.templates[key][0]
        base = f"/checklists/templates/{template_id}/results"
        return {"results page": base, "results page, one site": f"{base}?site_id={self.site_id}",
                "results page, one session": f"{base}?session_id={self.session_id}"}

    def query_counts(self) -> dict[str, tuple[int, int]]:
        from webapp.extensions import db

        client = self.app.test_client()
        with client.session_transaction() as sess:
            sess["_user_id"], sess["_fresh"] = str(self.admin_id), True
        out: dict[str, list[int]] = {}

        def count(label: str, path: str) -> None:
            with self.app.app_context():
                response, n = counted(db.engine, lambda: client.get(path))
            if response.status_code != 200:
                raise SystemExit(f"{label} answered {response.status_code}")
            out.setdefault(label, []).append(n)

        for key in ("small", "big"):
            for label, path in self.paths(key).items():
                count(label, path)
        # the kept page: the second view of each while nothing changed (kept at once here: the data
        # was just written, younger than the settle period the timed runs wait out)
        from webapp.checklists import results_cache

        self.app.config["CHECKLIST_RESULTS_CACHE_SECONDS"] = 120
        settle, results_cache.SETTLE = results_cache.SETTLE, timedelta(0)
        try:
            for key in ("small", "big"):
                path = self.paths(key)["results page"]
                client.get(path)
                count("results page, kept (a second view)", path)
        finally:
            self.app.config["CHECKLIST_RESULTS_CACHE_SECONDS"] = 0
            results_cache.SETTLE = settle
        with self.app.app_context():
            db.engine.dispose()
        return {k: tuple(v) for k, v in out.items()}

    def _check_fresh_after_answer(self, port: int, cookie: str) -> None:
        """The kept page shows a new answer at the next request."""
        path = self.paths("big")["results page"]
        before = count_shown(fetch(port, path, cookie))
        with self.app.app_context():
            self._real_submit(self.templates["big"][0], self.session_id)
        after = count_shown(fetch(port, path, cookie))
        if after != before + 1:
            self.problems.append(f"cached results page showed {after} answers after a new one (before: {before})")

    def forge_login(self) -> str:
        import flask as flask_module

        from webapp.extensions import login_manager

        with self.app.test_request_context("/", environ_base={"REMOTE_ADDR": "127.0.0.1"},
                                           headers={"User-Agent": USER_AGENT}):
            flask_module.session["_user_id"] = str(self.admin_id)
            flask_module.session["_fresh"] = True
            flask_module.session["_id"] = login_manager._session_identifier_generator()
            return self.app.session_interface.get_signing_serializer(self.app).dumps(dict(flask_module.session))

    def time_requests(self, n: int, cache_seconds: str) -> dict[str, float]:
        if cache_seconds != "0":
            # a page is kept only once the newest change it shows is 30 s old (results_cache.SETTLE)
            wait = self.last_write + 31 - time.monotonic()
            if wait > 0:
                print(f"  {self.label}: waiting {wait:.0f} s until the newest change is 30 s old", flush=True)
                time.sleep(wait)
        cookie = self.forge_login()
        port = free_port()
        proc = subprocess.Popen([str(VENV_BIN / "gunicorn"), "--workers", "1", "--bind", f"127.0.0.1:{port}",
                                 "--log-level", "warning", "wsgi:app"], cwd=ROOT,
                                env={**self.env, "CHECKLIST_RESULTS_CACHE_SECONDS": cache_seconds})
        try:
            for _ in range(100):
                try:
                    if get(port, "/healthz")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.1)
            # for scale: a small logged-in page of the app (no figure is set for it)
            paths = {"GET /healthz": "/healthz", **self.paths("big"), REFERENCE: "/checklists/results"}
            size = {}
            samples: dict[str, list[float]] = {label: [] for label in paths}
            for i in range(n + 5):
                for label, path in paths.items():
                    status, seconds, length = get(port, path, cookie if path != "/healthz" else "")
                    if status != 200:
                        raise SystemExit(f"{label} answered {status}")
                    size[label] = length
                    if i >= 5:  # the first five warm up
                        samples[label].append(seconds * 1000)
            if cache_seconds != "0":
                self._check_fresh_after_answer(port, cookie)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        self.sizes = size
        return {label: statistics.median(v) for label, v in samples.items()}


def count_shown(html: str) -> int:
    """The «Ответили» figure of a results page."""
    import re

    match = re.search(r"<dt>Ответили</dt><dd>([^<]+)</dd>", html)
    return int(re.sub(r"\D", "", match.group(1))) if match else -1


def get(port: int, path: str, cookie: str = "") -> tuple[int, float, int]:
    headers = {"User-Agent": USER_AGENT}
    if cookie:
        headers["Cookie"] = f"session={cookie}"
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, time.perf_counter() - started, len(body)


def fetch(port: int, path: str, cookie: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers={"User-Agent": USER_AGENT, "Cookie": f"session={cookie}"})
    body = conn.getresponse().read().decode()
    conn.close()
    return body


def admin_sql(dsn: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(dsn, dbname="postgres", autocommit=True) as conn:
        conn.execute(statement)


def pg_url(dsn: str, name: str) -> str:
    import psycopg

    params = psycopg.conninfo.conninfo_to_dict(dsn)
    return (f"postgresql+psycopg://{params.get('user', 'postgres')}@{params.get('host', '127.0.0.1')}"
            f":{params.get('port', 5432)}/{name}")


def report(bench: Bench, computed: dict[str, float], medians: dict[str, float], counts: dict[str, tuple[int, int]],
           n: int, big: int, small: int) -> bool:
    base, computed_base = medians["GET /healthz"], computed["GET /healthz"]
    print(f"\n{bench.label}: the results page of a template with {big} responses and 20 items "
          f"(gunicorn, 1 worker; medians of {n}):")
    print(f"  {'request':32} {'computed ms':>11} {'× healthz':>10} | {'kept ms':>8} {'× healthz':>10} {'KiB':>7}")
    for label, ms in medians.items():
        print(f"  {label:32} {computed[label]:11.2f} {computed[label] / computed_base:10.2f} | "
              f"{ms:8.2f} {ms / base:10.2f} {bench.sizes.get(label, 0) / 1024:7.1f}")
    print("  computed: CHECKLIST_RESULTS_CACHE_SECONDS=0 (every request sums and renders: the first view after a new"
          " answer); kept: the default, rendered once per results version")
    print(f"\n  SQL statements per request ({small} responses → {big}):")
    constant = True
    for label, (few, many) in counts.items():
        constant &= few == many
        print(f"  {label:32} {few:>4} → {many:<4} {'constant' if few == many else 'GROWS'}")
    measured = {label: ms for label, ms in medians.items() if label not in ("GET /healthz", REFERENCE)}
    fast = all(ms <= GOAL_RATIO * base for ms in measured.values())
    worst = max(ms / base for ms in measured.values())
    worst_computed = max(computed[label] / computed_base for label in measured)
    print(f"\n  median ≤ {GOAL_RATIO:g}× healthz: {'PASS' if fast else 'NOT MET'} (worst {worst:.2f}×; "
          f"computed every time: worst {worst_computed:.2f}×)")
    print(f"  constant queries:        {'PASS' if constant else 'NOT MET'}")
    return fast and constant


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60, help="samples per measured request (default 60)")
    parser.add_argument("--responses", type=int, default=5000, help="the big template's responses (default 5000)")
    parser.add_argument("--small", type=int, default=100, help="the small template's responses (default 100)")
    parser.add_argument("--sessions", type=int, default=50, help="sessions at the site (default 50)")
    parser.add_argument("--pg", action="store_true", help="also run on PostgreSQL")
    parser.add_argument("--pg-dsn", default="host=127.0.0.1 port=5432 user=postgres")
    parser.add_argument("--keep-db", action="store_true", help="keep the PostgreSQL database")
    args = parser.parse_args()
    sizes = {"small": args.small, "big": args.responses}
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        backends = [("SQLite", f"sqlite:///{Path(tmp) / 'bench-checklists.sqlite3'}", None)]
        if args.pg:
            name = f"network_bench_cl_{os.getpid()}"
            backends.append(("PostgreSQL", pg_url(args.pg_dsn, name), name))
        for label, url, pg_name in backends:
            print(f"== {label}", flush=True)
            if pg_name:
                admin_sql(args.pg_dsn, f'CREATE DATABASE "{pg_name}"')
            try:
                bench = Bench(label, url)
                bench.build(args.sessions, sizes)
                counts = bench.query_counts()
                computed = bench.time_requests(args.requests, "0")
                medians = bench.time_requests(args.requests, "120")
                ok &= report(bench, computed, medians, counts, args.requests, args.responses + 2, args.small)
                for problem in bench.problems:
                    print(f"  CHECK FAILED: {problem}")
                ok &= not bench.problems
                if not bench.problems:
                    print("  tallies = counts from the answers (bulk and one real answering.submit): PASS")
            finally:
                if pg_name and not args.keep_db:
                    from webapp.extensions import db

                    try:
                        with bench.app.app_context():
                            db.engine.dispose()
                    except Exception:  # noqa: BLE001 — the build may have failed before the app existed
                        pass
                    admin_sql(args.pg_dsn, f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
    return 0 if ok else 1


if __name__ == "__main__":
    if Path(sys.executable).resolve() != (VENV_BIN / "python").resolve() and (VENV_BIN / "python").exists():
        os.execv(str(VENV_BIN / "python"), [str(VENV_BIN / "python"), *sys.argv])
    sys.exit(main())
