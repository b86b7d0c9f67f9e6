"""One template's results page, rendered once per *results version* and kept by each process.

Results are read far more often than answers arrive: a methodist moves between filters and back,
a site leader opens her page again after a session, a colleague opens the same link. Building the
page sums the tallies and renders a chart per question (tens of milliseconds for twenty
questions); reading it again while nothing changed costs one query of indexed maxima instead.

The version (`results_version`, one query) moves with everything the page shows:

- the template's own row (title, instructions, items: every edit touches it), how many versions and
  assignments it has and how many of those were withdrawn;
- how many answers it has (the sum of its "*" tally cells: exact, whatever order answers commit
  in) and, per assignment, when the newest invitation was made: new answers and invitations change
  counts, rates and the filter choices — answers to other check-lists leave the page alone;
- the names the filters and labels show: sessions' content (`changed_dt`, which registrations do
  not move), sites, plan items, directions, municipalities.

Times are maxima, which a transaction that stamped an earlier time but commits later would not
move; so a page is kept only once every time in its version is SETTLE old (30 s; until then each
request computes it), as calendar feeds do.

The key holds the viewer's scope (admin, her municipalities, her sites), the filters and the
comparison, so whether she may read the template at all is kept with the page. An entry also
expires after CHECKLIST_RESULTS_CACHE_SECONDS (default 120; 0 turns the cache off, as in tests) as
a safety net for anything the version does not see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cache

import sqlalchemy as sa
from flask import current_app, render_template
from markupsafe import Markup

from webapp import hotread
from webapp.accounts.models import User
from webapp.checklists import results as service
from webapp.checklists.models import (
    ChecklistAssignment,
    ChecklistInvitation,
    ChecklistTally,
    ChecklistTemplate,
    ChecklistVersion,
)
from webapp.extensions import db
from webapp.orgs.models import Municipality
from webapp.plan.models import PlanItem
from webapp.reports.cache import ReportCache
from webapp.sessions.models import EventSession
from webapp.sites.models import Site
from webapp.taxonomy.models import Direction

DEFAULT_CACHE_SECONDS = 120
#: a page is kept only once every time in its version is this old: a transaction that stamped an
#: earlier time and had not committed yet would not move a maximum when it commits (as for feeds)
SETTLE = timedelta(seconds=30)

#: this process's rendered results pages (the report cache's class: an LRU of versioned entries)
results_cache = ReportCache(max_entries=128)


@dataclass(frozen=True)
class Summary:
    """The results page of one template as one viewer's scope and filters show it."""

    allowed: bool
    title: str = ""
    has_old_versions: bool = False
    everything: bool = False
    #: the swap target (`_results_body.html`): filters, figures, a chart per question
    body: Markup = Markup("")


@cache
def _version_statement() -> sa.Select:
    A, V, T = ChecklistAssignment, ChecklistVersion, ChecklistTally
    I = ChecklistInvitation  # noqa: E741
    template_id = sa.bindparam("template_id")

    def of_template(aggregate, *where):
        return sa.select(aggregate).where(*where).scalar_subquery()

    def newest(column):
        return sa.select(sa.func.max(column)).scalar_subquery()

    # per assignment of the template, when its newest invitation was made (an index probe each)
    newest_invitation = sa.select(sa.func.max(I.created_dt)).where(I.assignment_id == A.id).scalar_subquery()

    return (sa.select(ChecklistTemplate.updated_dt,
                      of_template(sa.func.count(V.id), V.template_id == template_id),
                      of_template(sa.func.count(A.id), A.template_id == template_id),
                      of_template(sa.func.count(A.cancelled_dt), A.template_id == template_id),
                      # every answer counts once in the template's "*" cells: an exact total
                      of_template(sa.func.sum(T.count), T.template_id == template_id, T.item_key == "*"),
                      of_template(sa.func.max(newest_invitation), A.template_id == template_id),
                      newest(EventSession.changed_dt), newest(Site.updated_dt), newest(PlanItem.updated_dt),
                      newest(Direction.updated_dt), newest(Municipality.updated_dt))
            .where(ChecklistTemplate.id == template_id))


def results_version(template_id: int) -> tuple | None:
    """None: no such template. Read on the thread's own connection outside the request's
    transaction (webapp.hotread: on PostgreSQL a third of the time inside one). Reading it before
    the page is computed in the request's transaction is safe: a change committed in between
    shows in the page, and the next request, seeing a newer version, computes again."""
    rows = hotread.read(db.engine, _version_statement(), {"template_id": template_id})
    return rows[0] if rows else None


def settled(version: tuple, now: datetime) -> bool:
    """Whether every time in the version is older than SETTLE (times come as text from SQLite)."""
    for value in version:
        if isinstance(value, str | datetime) and hotread.as_utc(value) > now - SETTLE:
            return False
    return True


def _cache_seconds() -> float:
    return float(current_app.config.get("CHECKLIST_RESULTS_CACHE_SECONDS", DEFAULT_CACHE_SECONDS) or 0)


def _compute(template_id: int, user: User, filters: service.Filters, compare: service.Compare | None) -> Summary | None:
    template = service.load_template(template_id)
    if template is None:
        return None
    if not service.may_view(user, template):
        return Summary(allowed=False)
    report = service.build(template, user, filters, compare)
    body = Markup(render_template("checklists/_results_body.html", report=report))
    return Summary(True, template.title, report.has_old_versions, report.scope.everything, body)


def summary(template_id: int, user: User, filters: service.Filters, compare: service.Compare | None) -> Summary | None:
    """The page for her (None: no such template; `allowed` False: not hers to read), computed or
    as computed before for the same scope, filters and comparison while the version holds."""
    seconds = _cache_seconds()
    if not seconds:
        return _compute(template_id, user, filters, compare)
    version = results_version(template_id)
    if version is None:
        return None
    scope = service.scope_of(user)
    key = (template_id, scope, filters.key(), compare)
    now = datetime.now(timezone.utc)
    hit = results_cache.get(key, version, now)
    if hit is None:
        hit = _compute(template_id, user, filters, compare)
        if hit is None:
            return None
        if settled(version, now):
            results_cache.put(key, version, None, seconds, hit)
    return hit
