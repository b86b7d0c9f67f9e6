"""Demo indicators: the targets the sources set (doc 000's expected results, doc 003's aim)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from webapp.extensions import db
from webapp.reports.models import Indicator, Measure
from webapp.timefmt import academic_year_bounds, academic_year_of

#: (name, measure, target, description) — names are the identity: seeding twice adds nothing
DEMO_INDICATORS: list[tuple[str, Measure, float, str]] = [
    ("Педагоги, прошедшие обучение по теме инновационной деятельности", Measure.TEACHERS_TRAINED, 41,
     "Не менее 41 % педагогов образовательных организаций прошли обучение по теме инновационной "
     "деятельности (ожидаемые результаты инновационного проекта «Научно-методическое сопровождение "
     "профессионального роста педагогов в условиях деятельности стажировочных площадок»)."),
    ("Специалисты УО и ТМС, прошедшие обучение", Measure.METHODISTS_TRAINED, 20,
     "Не менее 20 % специалистов управлений образования и территориальных методических служб прошли "
     "обучение по теме инновационной деятельности (там же)."),
    ("Молодые педагоги, охваченные методическим сопровождением", Measure.YOUNG_REACHED, 50,
     "Молодые педагоги (стаж до 3 лет) — участники занятий на стажировочных площадках, педагогических "
     "мастерских и мастер-классов."),
    ("Участие управленческих команд школ во взаимных стажировках", Measure.MANAGEMENT_TEAMS, 100,
     "Стопроцентное вовлечение школьных управленческих команд муниципалитета в систему взаимных стажировок."),
    ("Зональные и краевые семинары по практике инновационной деятельности", Measure.EVENTS_HELD, 3,
     "Не менее трёх семинаров (вебинаров), посвящённых практике инновационной деятельности, в каждом "
     "муниципалитете за учебный год."),
]


def seed_indicators(today: date | None = None) -> int:
    """Add the demo indicators for the current academic year; those already there (by name) are
    left alone. Returns how many were added. Flushes, never commits."""
    start, end = academic_year_bounds(academic_year_of(today or date.today()))
    existing = set(db.session.scalars(sa.select(Indicator.name)))
    last = db.session.scalar(sa.select(sa.func.max(Indicator.position))) or 0
    added = 0
    for name, measure, target, description in DEMO_INDICATORS:
        if name in existing:
            continue
        added += 1
        db.session.add(Indicator(name=name, measure=measure, target_value=target, description=description,
                                 period_start=start, period_end=end, position=last + added))
    db.session.flush()
    return added
