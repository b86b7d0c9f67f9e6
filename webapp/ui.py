"""Template helpers: pagination, the menu, permission checks for templates."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import segno
from babel import Locale
from flask import request, url_for
from markupsafe import Markup
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from webapp.accounts import auth
from webapp.accounts.models import Role


@dataclass
class Page:
    items: list[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    def window(self, around: int = 2) -> list[int | None]:
        """Page numbers to show, with None for a gap: 1 … 4 5 [6] 7 8 … 20."""
        shown = {1, self.pages, *range(self.page - around, self.page + around + 1)}
        result: list[int | None] = []
        last = 0
        for n in sorted(p for p in shown if 1 <= p <= self.pages):
            if n - last > 1:
                result.append(None)
            result.append(n)
            last = n
        return result


def parse_page(raw: str | None) -> int:
    try:
        value = int(raw or 1)
    except ValueError:
        return 1
    return min(max(value, 1), 100_000)


def parse_id(raw: str | None) -> int | None:
    """A positive database id from a query argument; anything else (words, «²», huge numbers) is None."""
    raw = (raw or "").strip()
    if not raw.isascii() or not raw.isdigit():
        return None
    value = int(raw)
    return value if 0 < value < 2**31 else None


def id_arg(name: str) -> int | None:
    return parse_id(request.args.get(name))


def safe_next(target: str | None) -> str | None:
    """A path on this site, or None: never an open redirect.

    Control characters and backslashes are refused outright: browsers drop a tab or newline
    and read «/\t/evil.example» as «//evil.example», another site."""
    if not target or "\\" in target or any(ord(c) < 33 or ord(c) == 127 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def url_with(**changes) -> str:
    """The current URL with some query arguments changed (None removes one)."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None or value == "":
            args.pop(key, None)
        else:
            args[key] = [str(value)]
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def menu_items() -> list[tuple[str, str]]:
    """(label, endpoint) pairs the current user may use."""
    user = current_user if current_user.is_authenticated else None
    items = [("План мероприятий", "plan.index"), ("Площадки", "sites.index"), ("Планы", "plan.plans")]
    if user is None:
        return items
    items.append(("Мои мероприятия", "registration.mine"))
    items.append(("Журнал роста", "attendance.growth_mine"))
    items.append(("Мои чек-листы", "checklists.mine"))
    if auth.is_coordinator(user):
        items.append(("Моя школа", "registration.school"))
    if auth.is_admin(user) or user.has_role(Role.METHODIST):
        items.append(("Чек-листы", "checklists.templates"))
    elif user.has_role(Role.SITE_LEADER):
        items.append(("Чек-листы", "checklists.results_index"))
    if auth.can_create_sessions(user):
        items.append(("Посещаемость", "attendance.index"))
        items.append(("Новое мероприятие", "sessions.create"))
    if auth.can_manage_orgs(user):
        items.append(("Организации", "orgs.index"))
    if auth.is_admin(user) or user.has_role(Role.METHODIST):
        items.append(("Отчёты", "reports.index"))
    if auth.is_admin(user):
        items += [("Справочники", "taxonomy.index"), ("Пользователи", "admin.users")]
    return items


_RUSSIAN = Locale.parse("ru")


def plural(n: int, one: str, few: str, many: str) -> str:
    """The Russian word form for n (CLDR rules through Babel): 1 человек, 2 человека, 5 человек."""
    return {"one": one, "few": few}.get(_RUSSIAN.plural_form(abs(n)), many)


def qr_svg(data: str, css_class: str, title: str) -> Markup:
    """A QR code as inline SVG without style attributes (the CSP allows no inline styles): it
    scales by its viewBox and the stylesheet (`css_class`; its dark modules are `.qr-dark`)."""
    code = segno.make_qr(data, error="m")
    return Markup(code.svg_inline(omitsize=True, svgclass=css_class, lineclass="qr-dark", title=title))


def format_number(value, digits: int = 2) -> str:
    """A number the Russian way: «12», «3,5», «1 250»; "" for None."""
    if value is None:
        return ""
    value = round(float(value), digits)
    text = f"{value:,.{digits}f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"
    return text.replace(",", "\u00a0").replace(".", ",")


def register_template_helpers(app) -> None:
    from webapp.audit.models import field_label

    app.jinja_env.filters["field_label"] = field_label
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.globals.update(
        csrf_token=generate_csrf,
        url_with=url_with,
        menu_items=menu_items,
        auth=auth,
        Role=Role,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
