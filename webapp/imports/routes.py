"""The imports area: upload → (mapping) → preview → confirm. Each import registers its routes on
this blueprint from its own module."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("imports", __name__, url_prefix="/imports")


# each import adds its routes to bp
from webapp.imports import people_views, plan_views  # noqa: E402,F401
