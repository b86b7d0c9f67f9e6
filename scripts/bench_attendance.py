#!/usr/bin/env python3
"""Benchmark for issue 4's figures: marking attendance on a 300-person roster.
Run: .venv/bin/python scripts/bench_attendance.py [--requests N] [--people 300]

1. builds a SQLite database from the migrations with the demo network, then adds two sessions at
   the demo leader's site that started half an hour ago: one with 300 confirmed registrants
   (--people) and one with 3 (to show the query counts do not grow with the roster);
2. counts the SQL statements of «mark one row» and «mark all present» on both rosters (in process,
   the same code path as a request);
3. serves the app with gunicorn (1 worker) exactly as production would, logs the leader in by
   forging her session cookie (the login form is rate limited), and times, interleaved, N times
   each: GET /healthz, POST one mark (htmx; the status alternates so every request really changes
   a row and writes its audit entry), POST «mark all present» on the 300-person roster (before each
   one, the roster's marks are wiped outside the timing, so every request marks all 300), and GET
   the marking page (htmx fragment, 100 rows);
4. reports medians and their ratios to /healthz (machines are noisy: compare ratios).
"""

from __future__ import annotations

import argparse
import http.client
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import ROOT, VENV_BIN, flask, free_port  # noqa: E402


def build(path: Path, people: int) -> tuple[dict, dict]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "FLASK_APP": "wsgi.py", "APP_ENV": "production",
           "SECRET_KEY": "bench-attendance", "SECURE_COOKIES": "0", "RATELIMIT_ENABLED": "0",
           "PUBLIC_PAGE_CACHE_SECONDS": "0"}
    started = time.perf_counter()
    flask(env, "db", "upgrade")
    flask(env, "seed-demo")
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "APP_ENV", "SECRET_KEY", "SECURE_COOKIES",
                                           "RATELIMIT_ENABLED", "PUBLIC_PAGE_CACHE_SECONDS")})
    import sqlalchemy as sa

    from webapp import create_app
    from webapp.accounts.models import Role, User
    from webapp.dbtypes import utcnow
    from webapp.extensions import db
    from webapp.registration.models import Registration, RegStatus
    from webapp.sessions.models import Delivery, EventSession

    app = create_app()
    with app.app_context():
        leader = db.session.scalar(sa.select(User).where(User.email == "leader@demo.local"))
        site_id = sorted(leader.scope_ids(Role.SITE_LEADER))[0]
        template = db.session.scalars(sa.select(EventSession).where(EventSession.site_id == site_id)).first()
        start = utcnow().replace(second=0, microsecond=0) - timedelta(minutes=30)
        ids = {}
        for key, n in (("big", people), ("small", 3)):
            s = EventSession(site_id=site_id, municipality_id=template.municipality_id, title=f"Бенчмарк {n}",
                             plan_item_id=template.plan_item_id, start_dt=start, end_dt=start + timedelta(hours=3),
                             timezone=template.timezone, delivery=Delivery.IN_PERSON, address="Бенчмарк",
                             capacity=None, seats_taken=n, search_text="бенчмарк")
            db.session.add(s)
            db.session.flush()
            rows = [dict(email=f"att-{key}-{i}@bench.local", last_name=f"Участник{i:04d}", first_name="Анна",
                         middle_name="", password_hash="", organization_id=leader.organization_id, is_active=True,
                         search_text=f"участник{i:04d} анна att-{key}-{i}@bench.local") for i in range(n)]
            db.session.execute(sa.insert(User), rows)
            user_ids = list(db.session.scalars(sa.select(User.id).where(User.email.like(f"att-{key}-%"))
                                               .order_by(User.id)))
            db.session.execute(sa.insert(Registration), [
                dict(session_id=s.id, user_id=u, organization_id=leader.organization_id,
                     status=RegStatus.CONFIRMED, reason="") for u in user_ids])
            ids[key] = (s.id, user_ids)
        db.session.commit()
        leader_id = leader.id
    print(f"  built {path.name} (demo + rosters of {people} and 3) in {time.perf_counter() - started:.1f} s",
          flush=True)
    return env, {"app": app, "leader": leader_id, **ids}


def query_counts(ctx: dict) -> dict[str, tuple[int, int]]:
    """Statements per request on the small and the big roster (in process, a real request each)."""
    import sqlalchemy as sa

    from webapp.extensions import db

    app = ctx["app"]
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"], sess["_fresh"] = str(ctx["leader"]), True
    app.config["WTF_CSRF_ENABLED"] = False
    out: dict[str, list[int]] = {"mark one row": [], "mark all present": [], "marking page": []}
    for key in ("small", "big"):
        session_id, users = ctx[key]
        for label, call in (
                ("marking page", lambda: client.get(f"/sessions/{session_id}/attendance", headers={"HX-Request": "true"})),
                ("mark one row", lambda: client.post(f"/sessions/{session_id}/attendance/{users[-1]}",
                                                     data={"status": "late"}, headers={"HX-Request": "true"})),
                ("mark all present", lambda: client.post(f"/sessions/{session_id}/attendance/mark-all",
                                                         headers={"HX-Request": "true"}))):
            with app.app_context():
                seen = []
                listener = lambda *a: seen.append(1)  # noqa: E731
                sa.event.listen(db.engine, "before_cursor_execute", listener)
                response = call()
                sa.event.remove(db.engine, "before_cursor_execute", listener)
            assert response.status_code == 200, (label, response.status_code, response.get_data(as_text=True)[:300])
            out[label].append(len(seen))
    app.config["WTF_CSRF_ENABLED"] = True
    wipe(Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")), ctx["big"][0])
    wipe(Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")), ctx["small"][0])
    return {k: tuple(v) for k, v in out.items()}


def wipe(path: Path, session_id: int) -> None:
    with sqlite3.connect(path, timeout=30) as conn:
        conn.execute("DELETE FROM certificates WHERE session_id = ?", (session_id,))
        conn.execute("DELETE FROM attendance_changes WHERE attendance_id IN "
                     "(SELECT id FROM attendances WHERE session_id = ?)", (session_id,))
        conn.execute("DELETE FROM attendances WHERE session_id = ?", (session_id,))


def forge_login(ctx: dict) -> tuple[str, str]:
    """The leader's session cookie and a CSRF token, as login_user and a rendered form leave them."""
    import flask as flask_module
    from flask_wtf.csrf import generate_csrf

    from webapp.extensions import login_manager

    app = ctx["app"]
    with app.test_request_context("/", environ_base={"REMOTE_ADDR": "127.0.0.1"},
                                  headers={"User-Agent": "bench-attendance"}):
        flask_module.session["_user_id"] = str(ctx["leader"])
        flask_module.session["_fresh"] = True
        flask_module.session["_id"] = login_manager._session_identifier_generator()
        token = generate_csrf()
        cookie = app.session_interface.get_signing_serializer(app).dumps(dict(flask_module.session))
    return cookie, token


def request(port: int, method: str, path: str, cookie: str = "", token: str = "", body: dict | None = None,
            htmx: bool = False) -> tuple[int, float]:
    headers = {"User-Agent": "bench-attendance"}
    if cookie:
        headers["Cookie"] = f"session={cookie}"
    if htmx:
        headers["HX-Request"] = "true"
    data = None
    if method == "POST":
        headers["X-CSRFToken"] = token
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        data = urlencode(body or {})
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(method, path, body=data, headers=headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60, help="samples per measured request (default 60)")
    parser.add_argument("--people", type=int, default=300, help="the big roster's size (default 300)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench-attendance.sqlite3"
        print("Building the database…", flush=True)
        env, ctx = build(path, args.people)
        counts = query_counts(ctx)
        cookie, token = forge_login(ctx)
        port = free_port()
        proc = subprocess.Popen([str(VENV_BIN / "gunicorn"), "--workers", "1", "--bind", f"127.0.0.1:{port}",
                                 "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env)
        try:
            for _ in range(100):
                try:
                    if request(port, "GET", "/healthz")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.1)
            big_id, big_users = ctx["big"]
            samples: dict[str, list[float]] = {"GET /healthz": [], "POST one mark": [], "POST mark all present": [],
                                               "GET marking page (fragment)": []}
            statuses = ["present", "late", "absent", "excused"]
            for i in range(args.requests + 5):
                results = {}
                results["GET /healthz"] = request(port, "GET", "/healthz")
                results["POST one mark"] = request(port, "POST", f"/sessions/{big_id}/attendance/{big_users[i % 50]}",
                                                   cookie, token, {"status": statuses[i % 4]}, htmx=True)
                wipe(path, big_id)
                results["POST mark all present"] = request(port, "POST", f"/sessions/{big_id}/attendance/mark-all",
                                                           cookie, token, htmx=True)
                results["GET marking page (fragment)"] = request(port, "GET", f"/sessions/{big_id}/attendance",
                                                                 cookie, htmx=True)
                for label, (status, seconds) in results.items():
                    if status != 200:
                        raise SystemExit(f"{label} answered {status}")
                    if i >= 5:  # the first five warm up
                        samples[label].append(seconds * 1000)
            with sqlite3.connect(path) as conn:
                marked = conn.execute("SELECT count(*) FROM attendances WHERE session_id = ?", (big_id,)).fetchone()[0]
            if marked != args.people:
                raise SystemExit(f"mark all present left {marked} of {args.people} marked")
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    medians = {k: statistics.median(v) for k, v in samples.items()}
    base = medians["GET /healthz"]
    print(f"\nMarking a roster of {args.people} (gunicorn, 1 worker, SQLite; medians of {args.requests}):")
    print(f"  {'request':32} {'median ms':>10} {'× healthz':>10}")
    for label, ms in medians.items():
        print(f"  {label:32} {ms:10.2f} {ms / base:10.1f}")
    print("\nSQL statements per request (roster of 3 → roster of " f"{args.people}):")
    constant = True
    for label, (small, big) in counts.items():
        same = "constant" if small == big else "GROWS"
        constant &= small == big
        print(f"  {label:32} {small:>4} → {big:<4} {same}")
    return 0 if constant else 1


if __name__ == "__main__":
    if Path(sys.executable).resolve() != (VENV_BIN / "python").resolve() and (VENV_BIN / "python").exists():
        os.execv(str(VENV_BIN / "python"), [str(VENV_BIN / "python"), *sys.argv])
    sys.exit(main())
