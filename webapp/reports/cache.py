"""A short-lived, per-process cache of computed reports, shared by every report page.

Reports aggregate hundreds of thousands of rows (tenths of a second on a large network), and
methodists open the same report again and again (filters back and forth, the export after the
page, a colleague the same morning). An entry is good while

- the *data version* it was computed at is still the current one: one query of indexed maxima
  (registrations, attendance, sessions, plans and items, check-list responses and invitations,
  indicators, schools, sites, municipalities, terms, the audit log, people) — every write the
  reports read moves one of them, so a change shows at the next request;
- no session has ended since (held and no-show figures depend on the clock);
- and for at most REPORT_CACHE_SECONDS (default 120; 0 turns the cache off; off in tests): the
  version cannot see an edit of a person's profile (her school, experience, audiences), which
  therefore shows within that time.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime, timezone
from functools import lru_cache
from typing import TypeVar

import sqlalchemy as sa
from flask import current_app, g, render_template
from markupsafe import Markup

from webapp.accounts.models import User
from webapp.attendance.models import Attendance
from webapp.audit.models import AuditEntry
from webapp.checklists.models import ChecklistInvitation, ChecklistResponse, ChecklistTemplate
from webapp.extensions import db
from webapp.orgs.models import Municipality, Organization
from webapp.plan.models import Plan, PlanItem
from webapp.registration.models import Registration
from webapp.reports.models import Indicator
from webapp.reports.scope import FilterChoices, ReportFilters, filter_choices
from webapp.sessions.models import EventSession
from webapp.sites.models import Site
from webapp.taxonomy.models import Audience, Direction, EventForm

T = TypeVar("T")
DEFAULT_CACHE_SECONDS = 120
CACHE_ENTRIES = 256


class ReportCache:
    """Computed reports of this process, by their inputs (see the module's docstring)."""

    def __init__(self, max_entries: int = CACHE_ENTRIES):
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, version: tuple, now: datetime):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            entry_version, valid_until, expires, value = entry
            if entry_version != version or expires < time.monotonic() or (valid_until and now >= valid_until):
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return value

    def put(self, key: Hashable, version: tuple, valid_until: datetime | None, seconds: float, value) -> None:
        with self._lock:
            self._entries[key] = (version, valid_until, time.monotonic() + seconds, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


report_cache = ReportCache()


def cache_seconds() -> float:
    return float(current_app.config.get("REPORT_CACHE_SECONDS", DEFAULT_CACHE_SECONDS) or 0)


def data_version() -> tuple:
    """What the reports read, in one query of indexed maxima (each an index lookup), read once
    per request."""
    if "report_data_version" not in g:
        g.report_data_version = tuple(db.session.execute(_version_statement()).one())
    return g.report_data_version


@lru_cache(maxsize=1)
def _version_statement():
    # built once: every report request runs it, and building it costs more than running it
    return sa.select(*(sa.select(sa.func.max(column)).scalar_subquery() for column in (
        Registration.updated_dt, Attendance.updated_dt, EventSession.updated_dt, PlanItem.updated_dt,
        Plan.updated_dt, AuditEntry.id, User.id, Organization.updated_dt, Site.updated_dt,
        Municipality.updated_dt, Direction.updated_dt, Audience.updated_dt, EventForm.updated_dt,
        ChecklistResponse.id, ChecklistInvitation.id, ChecklistTemplate.updated_dt, Indicator.updated_dt)))


def cached(key: Hashable, compute: Callable[[datetime], T], clock: bool = True) -> T:
    """compute(now), or what it gave for the same key while nothing it reads changed (one query
    to know). `clock`: the result depends on which sessions have ended (held, no-shows), so it
    also ends with the next session end (one more query when computing)."""
    seconds = cache_seconds()
    now = datetime.now(timezone.utc)
    if not seconds:
        return compute(now)
    version = data_version()
    value = report_cache.get(key, version, now)
    if value is None:
        value = compute(now)
        valid_until = db.session.scalar(
            sa.select(sa.func.min(EventSession.end_dt)).where(EventSession.end_dt > now)) if clock else None
        report_cache.put(key, version, valid_until, seconds, value)
    return value


def filters_key(f: ReportFilters) -> tuple:
    """The filters as a cache key: what a report and its links depend on (her municipalities too,
    when she names none)."""
    return (f.municipality_ids, *sorted(f.args().items()))


def cached_fragment(key: Hashable, template: str, context: Callable[[datetime], dict]) -> Markup:
    """A report's partial rendered with context(now), or as rendered before for the same key while
    nothing it reads changed: the page around it (filters, menu) is rendered per request."""
    return cached(key, lambda now: Markup(render_template(template, **context(now))))


def choices(f: ReportFilters) -> FilterChoices:
    """The filter form's choices (her municipalities, their sites, the directions): they change as
    rarely as the rest."""
    return cached(("choices", f.scope_ids, f.municipality_ids), lambda now: filter_choices(f), clock=False)
