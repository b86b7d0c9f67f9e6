"""The imports area: upload → (mapping) → preview → confirm. Each import registers its routes on
this blueprint from its own module."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("imports", __name__, url_prefix="/imports")


def _register_import_modules() -> None:
    import importlib

    for name in ("plan_views", "people_views"):
        try:
            importlib.import_module(f"webapp.imports.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"webapp.imports.{name}":
                raise


_register_import_modules()
