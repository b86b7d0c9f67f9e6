"""The network event plan: a Flask + htmx application."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask

from webapp.config import BASE_DIR, build_config


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
    )
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.update(build_config(instance))
    from webapp.vary import SessionInterface, same_for_everyone

    app.session_interface = SessionInterface()
    if overrides:
        app.config.update(overrides)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # the app's queries are short or small aggregates: JIT compiling them costs PostgreSQL
        # ~0.1 s a report query and never pays back
        options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            **options, "connect_args": {"options": "-c jit=off", **options.get("connect_args", {})}}
    if app.config["APP_ENV"] != "production":
        logging.basicConfig(level=logging.INFO)
        logging.getLogger("alembic").setLevel(logging.WARNING)
    app.logger.setLevel(logging.INFO)

    from webapp import models  # noqa: F401  (every table registered before migrations look)
    from webapp.extensions import csrf, db, htmx, limiter, login_manager, migrate

    db.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        from webapp.dbtypes import enforce_sqlite_foreign_keys

        with app.app_context():
            enforce_sqlite_foreign_keys(db.engine)
    else:
        # a file on this machine cannot drop the connection; a server can (see webapp/dbping.py)
        from webapp import dbping

        with app.app_context():
            dbping.install(db.engine, app.config.get("DB_PING_AFTER_IDLE_SECONDS", 10))
    from webapp.dbtypes import render_migration_item

    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True,
                     compare_type=True, render_item=render_migration_item)
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)

    from webapp.accounts.auth import configure_login

    configure_login(app)

    from webapp import timefmt
    from webapp.errors import register_error_handlers
    from webapp.security import register_security_headers
    from webapp.ui import register_template_helpers

    timefmt.register_filters(app)
    register_template_helpers(app)
    register_error_handlers(app)
    register_security_headers(app)

    from webapp.accounts.routes import bp as accounts_bp
    from webapp.admin.routes import bp as admin_bp
    from webapp.attendance.routes import bp as attendance_bp
    from webapp.calendar.routes import bp as calendar_bp
    from webapp.checklists.routes import bp as checklists_bp
    from webapp.imports.routes import bp as imports_bp
    from webapp.orgs.routes import bp as orgs_bp
    from webapp.plan.routes import bp as plan_bp
    from webapp.registration.routes import bp as registration_bp
    from webapp.reports.routes import bp as reports_bp
    from webapp.sessions.routes import bp as sessions_bp
    from webapp.sites.routes import bp as sites_bp
    from webapp.taxonomy.routes import bp as taxonomy_bp

    for bp in (plan_bp, sessions_bp, registration_bp, attendance_bp, checklists_bp, calendar_bp, reports_bp, imports_bp, sites_bp, accounts_bp, orgs_bp, taxonomy_bp, admin_bp):
        app.register_blueprint(bp)

    @app.get("/healthz")
    def healthz():
        same_for_everyone()
        return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}

    from webapp.cli import register_cli

    register_cli(app)
    return app
