"""Configuration from the environment.

APP_ENV selects defaults: ``development`` (scripts/run), ``testing`` (pytest) or ``production``
(the default, so that a forgotten variable errs on the safe side).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key(instance_path: Path, env: str) -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if env == "production":
        raise RuntimeError("SECRET_KEY must be set in production (APP_ENV=production).")
    # Development keeps one random key across restarts so that logins survive a restart.
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def build_config(instance_path: Path) -> dict:
    env = os.environ.get("APP_ENV", "production")
    dev = env != "production"
    return {
        "APP_ENV": env,
        "SECRET_KEY": _secret_key(instance_path, env),
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "DATABASE_URL", f"sqlite:///{instance_path / 'network.sqlite3'}"
        ),
        # connections are pinged before use only after sitting idle this long (webapp/dbping.py)
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": False},
        "DB_PING_AFTER_IDLE_SECONDS": float(os.environ.get("DB_PING_AFTER_IDLE_SECONDS", "10")),
        "SQLALCHEMY_TRACK_MODIFICATIONS": False,
        # Cookies: secure by default; plain-http development on 127.0.0.1 turns it off.
        "SESSION_COOKIE_SECURE": _bool("SECURE_COOKIES", not dev),
        "REMEMBER_COOKIE_SECURE": _bool("SECURE_COOKIES", not dev),
        "SESSION_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 24 * 14,
        "WTF_I18N_ENABLED": False,  # let WTForms use its own Russian messages (BaseForm.Meta.locales)
        "WTF_CSRF_TIME_LIMIT": None,  # tied to the session instead: a form left open all day still posts
        "WTF_CSRF_SSL_STRICT": _bool("SECURE_COOKIES", not dev),
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_UPLOAD_MB", "20")) * 1024 * 1024,
        "UPLOAD_DIR": os.environ.get("UPLOAD_DIR", str(instance_path / "uploads")),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour"),
        "DEFAULT_TIMEZONE": os.environ.get("DEFAULT_TIMEZONE", "Europe/Moscow"),
        "PASSWORD_RESET_MAX_AGE": 60 * 60 * 2,
        "INVITATION_MAX_AGE": int(os.environ.get("INVITATION_MAX_AGE_DAYS", "14")) * 24 * 60 * 60,
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),  # empty: messages are written to the log
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", True),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Сеть стажировочных площадок <noreply@localhost>"),
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", ""),
        # signs personal calendar feed URLs (webapp/calendar/tokens.py); empty: derived from SECRET_KEY
        "FEED_TOKEN_KEY": os.environ.get("FEED_TOKEN_KEY", ""),
        # public calendar feeds re-read their change marker at most this often per worker (seconds)
        "CALENDAR_MARKER_SECONDS": float(os.environ.get("CALENDAR_MARKER_SECONDS", "1")),
        "REPORT_CACHE_SECONDS": float(os.environ.get("REPORT_CACHE_SECONDS", "120")),
        # a check-list's results page is kept rendered while its results version holds, at most this long
        "CHECKLIST_RESULTS_CACHE_SECONDS": float(os.environ.get("CHECKLIST_RESULTS_CACHE_SECONDS", "120")),
        "PER_PAGE": 20,
        # attendance (see webapp/attendance/services.py DEFAULTS for what each means)
        "ATTENDANCE_EDIT_DAYS": int(os.environ.get("ATTENDANCE_EDIT_DAYS", "14")),
        "ATTENDANCE_OPENS_MINUTES": int(os.environ.get("ATTENDANCE_OPENS_MINUTES", "60")),
        "CHECKIN_OPENS_MINUTES": int(os.environ.get("CHECKIN_OPENS_MINUTES", "30")),
        "CHECKIN_LINK_SECONDS": int(os.environ.get("CHECKIN_LINK_SECONDS", "60")),
        "VERIFY_RATE_LIMIT": os.environ.get("VERIFY_RATE_LIMIT", "30 per minute"),
        # anonymous visitors' plan pages are cached per worker (see webapp/pagecache.py); 0 disables
        "PUBLIC_PAGE_CACHE_SECONDS": int(os.environ.get("PUBLIC_PAGE_CACHE_SECONDS", "60")),
    }
