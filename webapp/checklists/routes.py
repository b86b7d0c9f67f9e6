"""The check-lists blueprint. Its views live in modules by audience, each attaching to `bp`:
builder_views (templates: methodists and admins), assign_views (who answers, when), answer_views
(«Мои чек-листы» and answering), results_views (results and exports)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("checklists", __name__)

from webapp.checklists import answer_views, assign_views, builder_views, results_views  # noqa: E402,F401
