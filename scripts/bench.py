#!/usr/bin/env python3
"""Benchmark for issue 2's figures. Run: .venv/bin/python scripts/bench.py [--requests N]

Builds two SQLite databases from the migrations (the demo network, and demo + the large set:
50,000 teachers, 2,000 organizations, 5,000 sessions), serves each with gunicorn exactly as
production would, and times GET /healthz against the plan pages in the same run. Reports
medians and ratios (machines are noisy: compare ratios, not milliseconds), plus query counts.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def flask(env: dict, *args: str) -> None:
    subprocess.run([str(VENV_BIN / "flask"), *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def build_database(path: Path, large: bool) -> dict:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "FLASK_APP": "wsgi.py",
           "APP_ENV": "production", "SECRET_KEY": "bench", "SECURE_COOKIES": "0"}
    started = time.perf_counter()
    flask(env, "db", "upgrade")
    flask(env, "seed-demo", *(["--large"] if large else []))
    print(f"  built {path.name} in {time.perf_counter() - started:.1f} s", flush=True)
    return env


def serve(env: dict, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([str(VENV_BIN / "gunicorn"), "--workers", "1", "--bind", f"127.0.0.1:{port}",
                             "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env)
    for _ in range(100):
        try:
            if get(port, "/healthz")[0] == 200:
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("gunicorn did not start")


def get(port: int, path: str) -> tuple[int, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status, time.perf_counter() - started


def median_ms(port: int, paths: list[str], n: int) -> dict[str, float]:
    """Interleave the paths so that a noisy moment hurts all of them alike."""
    samples: dict[str, list[float]] = {p: [] for p in paths}
    for p in paths:
        for _ in range(5):
            get(port, p)  # warm-up
    for _ in range(n):
        for p in paths:
            status, seconds = get(port, p)
            if status != 200:
                raise SystemExit(f"{p} answered {status}")
            samples[p].append(seconds * 1000)
    return {p: statistics.median(v) for p, v in samples.items()}


def query_counts(env: dict, paths: list[str]) -> dict[str, int]:
    code = (
        "import sys, json\n"
        "from sqlalchemy import event\n"
        "from webapp import create_app\n"
        "from webapp.extensions import db\n"
        "app = create_app()\n"
        "out = {}\n"
        "client = app.test_client()\n"
        "for path in sys.argv[1:]:\n"
        "    with app.app_context():\n"
        "        seen = []\n"
        "        listener = lambda *a: seen.append(1)\n"
        "        event.listen(db.engine, 'before_cursor_execute', listener)\n"
        "        client.get(path)\n"
        "        event.remove(db.engine, 'before_cursor_execute', listener)\n"
        "    out[path] = len(seen)\n"
        "print(json.dumps(out))\n"
    )
    result = subprocess.run([str(VENV_BIN / "python"), "-c", code, *paths], cwd=ROOT, env=env, check=True,
                            capture_output=True, text=True)
    import json

    return json.loads(result.stdout.strip().splitlines()[-1])


def counted(engine, request):
    """request() (inside an app context) and the SQL statements it ran: the engine's and the
    thread's own reads (webapp.hotread, which bypass the engine's events)."""
    import sqlalchemy as sa

    from webapp import hotread

    seen: list[str] = []
    listener = lambda conn, cursor, statement, *a: seen.append(statement)  # noqa: E731
    sa.event.listen(engine, "before_cursor_execute", listener)
    stop = hotread.observe(seen.append)
    try:
        response = request()
    finally:
        stop()
        sa.event.remove(engine, "before_cursor_execute", listener)
    return response, len(seen)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    today = date.today()
    year = today.year if today.month >= 9 else today.year - 1
    filtered = f"/?year={year}&past=1&delivery=in_person&direction=5&q=%D1%81%D0%B5%D0%BC%D0%B8%D0%BD%D0%B0%D1%80"
    paths = ["/healthz", f"/?year={year}&past=1", filtered, "/sites/1", "/sessions/1"]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, large in (("small", False), ("large", True)):
            print(f"== {label} dataset", flush=True)
            env = build_database(Path(tmp) / f"{label}.sqlite3", large)
            for variant, cache_seconds in (("", "60"), ("_uncached", "0")):
                port = free_port()
                proc = serve({**env, "PUBLIC_PAGE_CACHE_SECONDS": cache_seconds}, port)
                try:
                    results[label + variant] = median_ms(port, paths, args.requests)
                finally:
                    proc.terminate()
                    proc.wait()
            results[label + "_queries"] = query_counts({**env, "PUBLIC_PAGE_CACHE_SECONDS": "0"}, paths[1:])
    for variant, title in (("", "anonymous visitors, page cache on (the default)"),
                           ("_uncached", "page cache off (what a logged-in user or a cache miss costs)")):
        small, large = results["small" + variant], results["large" + variant]
        print(f"\nMedian over {args.requests} requests each, gunicorn 1 sync worker, SQLite (ms), {title}:")
        print(f"{'path':<70} {'small':>8} {'large':>8} {'large/healthz':>14} {'large/small':>12} {'queries':>8}")
        for p in paths:
            q = results["large_queries"].get(p, "")
            print(f"{p[:70]:<70} {small[p]:8.2f} {large[p]:8.2f} {large[p] / large['/healthz']:14.2f} "
                  f"{large[p] / small[p]:12.2f} {q!s:>8}")
    small, large = results["small"], results["large"]
    ok_health = large[filtered] <= 3 * large["/healthz"]
    ok_scale = large[filtered] <= 1.5 * small[filtered]
    print(f"\nfiltered plan page (cache on), large dataset: {large[filtered] / large['/healthz']:.2f}× /healthz "
          f"(target ≤ 3×: {'met' if ok_health else 'NOT met'}), {large[filtered] / small[filtered]:.2f}× small dataset "
          f"(target ≤ 1.5×: {'met' if ok_scale else 'NOT met'})")
    print(f"query counts small: {results['small_queries']}\nquery counts large: {results['large_queries']}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()

