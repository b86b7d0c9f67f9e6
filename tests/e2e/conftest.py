"""Browser end-to-end fixtures: a real server on a random port and Debian's Chromium.

The e2e app is separate from the session-scoped test app of tests/conftest.py: its own temporary
SQLite file with the demo data, real CSRF (the token travels in htmx headers), no rate limits.
The parent ``clean_db`` fixture is overridden so that these tests never touch the other database.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path("/tmp/e2e-shots")
# The browser logs every 4xx answer to an XHR as a console error; a 422 is how forms report
# invalid input here, so the journeys that expect one list it explicitly (see `console`).
RESOURCE_STATUS = re.compile(r"Failed to load resource: the server responded with a status of (\d{3})")


@pytest.fixture(autouse=True)
def clean_db():
    """Overrides tests/conftest.py's: the e2e server keeps its own database for the whole session."""
    yield


@pytest.fixture(scope="session")
def e2e_app(tmp_path_factory):
    from webapp import create_app
    from webapp.demo.seed import seed_demo
    from webapp.extensions import db

    tmp = tmp_path_factory.mktemp("e2e")
    app = create_app({
        "TESTING": True,
        "APP_ENV": "testing",
        "SECRET_KEY": "e2e",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'e2e.sqlite3'}",
        "WTF_CSRF_ENABLED": True,
        "RATELIMIT_ENABLED": False,
        "UPLOAD_DIR": str(tmp / "uploads"),
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "WTF_CSRF_SSL_STRICT": False,
    })
    with app.app_context():
        db.create_all()
        assert seed_demo(), "the demo data should load into a fresh database"
        db.session.commit()
    return app


@pytest.fixture(scope="session")
def live_server(e2e_app):
    """The app served over real HTTP from a background thread; yields its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, e2e_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"])
        yield browser
        browser.close()


class Console:
    """Console errors, uncaught exceptions and CSP violations seen by the pages of one test."""

    def __init__(self):
        self.errors: list[str] = []
        self.allowed_statuses: set[int] = set()
        self.known: list[str] = []

    def on_console(self, msg) -> None:
        if msg.type != "error":
            return
        url = (msg.location or {}).get("url", "")
        if url.endswith("/favicon.ico"):
            return  # the browser asks for /favicon.ico on its own; the app has none
        self.errors.append(msg.text)

    def on_pageerror(self, exc) -> None:
        self.errors.append(f"uncaught: {exc}")

    def allow_status(self, *statuses: int) -> None:
        """Expected answers (a 422 for an invalid form) that Chromium logs as errors anyway."""
        self.allowed_statuses.update(statuses)

    def allow_known(self, fragment: str) -> None:
        """A message caused by an app bug that the test reports separately (xfail)."""
        self.known.append(fragment)

    def unexpected(self) -> list[str]:
        out = []
        for text in self.errors:
            m = RESOURCE_STATUS.search(text)
            if m and int(m.group(1)) in self.allowed_statuses:
                continue
            if any(k in text for k in self.known):
                continue
            out.append(text)
        return out

    def assert_clean(self) -> None:
        errors = self.unexpected()
        assert not errors, "browser console errors / CSP violations:\n" + "\n".join(errors)


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def make_page(browser, live_server, console):
    """new_page(width=..., height=...): a page in a fresh context (own cookies) wired to `console`."""
    contexts = []

    def new_page(width: int = 1280, height: int = 900):
        ctx = browser.new_context(base_url=live_server, locale="ru-RU", timezone_id="Europe/Moscow",
                                  viewport={"width": width, "height": height})
        ctx.set_default_timeout(10_000)
        contexts.append(ctx)
        page = ctx.new_page()
        page.on("console", console.on_console)
        page.on("pageerror", console.on_pageerror)
        return page

    yield new_page
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def page(make_page):
    return make_page()


@pytest.fixture
def shot():
    """shot(page, name): keep the journey's final page for humans in /tmp/e2e-shots (never asserted on)."""

    def take(page, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    return take
