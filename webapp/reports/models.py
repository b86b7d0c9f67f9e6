"""Indicators (показатели): targets an admin sets for the network, measured by the app.

An indicator names a measure the app computes (webapp.reports.measures), optional parameters (a
direction, an audience), a target and a period; the indicators report shows, per municipality,
the measured value against the target. Indicators are archived, never deleted: annual reports
already printed refer to them.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.dbtypes import LabelledEnum, UTCDateTime, enum_column, utcnow
from webapp.extensions import db

#: the highest target a percentage may have
MAX_PERCENT = 100


class Measure(LabelledEnum):
    """What the app can measure. Every measure but EVENTS_HELD is a percentage (a share)."""

    TEACHERS_TRAINED = "teachers_trained", "Доля педагогов, посетивших хотя бы одно мероприятие"
    YOUNG_REACHED = "young_reached", "Доля молодых педагогов, посетивших хотя бы одно мероприятие"
    METHODISTS_TRAINED = "methodists_trained", "Доля специалистов методических служб, посетивших мероприятие"
    EVENTS_HELD = "events_held", "Число проведённых сетевых мероприятий"
    ORGS_REACHED = "orgs_reached", "Доля образовательных организаций, охваченных мероприятиями"
    MANAGEMENT_TEAMS = "management_teams", "Доля организаций, управленческие команды которых участвовали"
    PLAN_ITEMS_HELD = "plan_items_held", "Доля проведённых пунктов плана"

    @property
    def is_percentage(self) -> bool:
        return self not in COUNT_MEASURES

    @property
    def unit(self) -> str:
        """The suffix of a value: «41 %»; a count has none («3»)."""
        return "%" if self.is_percentage else ""

    @property
    def uses_audience(self) -> bool:
        """Only the teachers' share can be narrowed to the teachers of one audience (the other
        people measures already name their audience: young teachers, methodists)."""
        return self == Measure.TEACHERS_TRAINED

    @property
    def counted(self) -> tuple[str, str]:
        """What the numerator and the denominator count («412 из 1 005 педагогов»)."""
        return COUNTED[self]


COUNT_MEASURES = (Measure.EVENTS_HELD,)

COUNTED: dict[Measure, tuple[str, str]] = {
    Measure.TEACHERS_TRAINED: ("посетили", "педагогов"),
    Measure.YOUNG_REACHED: ("посетили", "молодых педагогов"),
    Measure.METHODISTS_TRAINED: ("посетили", "специалистов"),
    Measure.EVENTS_HELD: ("проведено", "мероприятий"),
    Measure.ORGS_REACHED: ("охвачено", "организаций"),
    Measure.MANAGEMENT_TEAMS: ("участвовали", "организаций"),
    Measure.PLAN_ITEMS_HELD: ("проведено", "пунктов плана"),
}


class Indicator(db.Model):
    __tablename__ = "indicators"
    __table_args__ = (
        sa.CheckConstraint("target_value >= 0", name="target_nonnegative"),
        # a share cannot aim above 100 %; counts may aim at any number
        sa.CheckConstraint(
            f"target_value <= {MAX_PERCENT} OR measure IN ({', '.join(repr(m.value) for m in COUNT_MEASURES)})",
            name="percentage_target_range"),
        sa.CheckConstraint("period_end >= period_start", name="period_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: as the report shows it: «Доля педагогов, прошедших обучение по теме проекта»
    name: Mapped[str] = mapped_column(sa.String(300))
    #: where the target comes from, how it is read (a source document, an order)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: the formula: which of the app's measures
    measure: Mapped[Measure] = mapped_column(enum_column(Measure, "indicator_measure"))
    #: count only sessions (plan items) of this direction (None: every direction)
    direction_id: Mapped[int | None] = mapped_column(sa.ForeignKey("directions.id"), nullable=True, index=True)
    #: count only the teachers of this audience (None: every teacher); TEACHERS_TRAINED only
    audience_id: Mapped[int | None] = mapped_column(sa.ForeignKey("audiences.id"), nullable=True, index=True)
    #: the target: a percentage (0–100) or a number of events, per municipality
    target_value: Mapped[float] = mapped_column(sa.Float)
    #: the period the measure covers (Moscow dates, inclusive)
    period_start: Mapped[date]
    period_end: Mapped[date]
    #: the municipality the target is set for (None: every municipality)
    municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipalities.id"), nullable=True,
                                                        index=True)
    #: order in the report
    position: Mapped[int] = mapped_column(default=0)
    #: archived indicators leave the report but stay: printed reports refer to them
    is_active: Mapped[bool] = mapped_column(default=True, index=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    direction = relationship("Direction")
    audience = relationship("Audience")
    municipality = relationship("Municipality")

    @property
    def is_percentage(self) -> bool:
        return self.measure.is_percentage

    def __repr__(self) -> str:
        return f"<Indicator {self.id} {self.measure.value} {self.name[:30]!r}>"
