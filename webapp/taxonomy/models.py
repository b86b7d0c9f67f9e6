"""Editable taxonomies: directions, event forms, audiences, competence areas."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from webapp.dbtypes import UTCDateTime, utcnow
from webapp.extensions import db


class TermMixin:
    """A named, ordered term; retired terms stay for old records but leave the pickers."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the name as shown in the UI; unique within its taxonomy
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    #: display order in lists and pickers
    position: Mapped[int] = mapped_column(default=0)
    #: retired terms are kept (reports reference them) but not offered for new records
    is_active: Mapped[bool] = mapped_column(default=True)
    #: indexed: its maximum tells calendar feeds that a name they show changed
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id} {self.name!r}>"


class Direction(TermMixin, db.Model):
    __tablename__ = "directions"


class EventForm(TermMixin, db.Model):
    __tablename__ = "event_forms"


class Audience(TermMixin, db.Model):
    __tablename__ = "audiences"


class CompetenceArea(TermMixin, db.Model):
    __tablename__ = "competence_areas"


#: URL slug -> (model, Russian plural title, Russian singular)
TAXONOMIES: dict[str, tuple[type, str, str]] = {
    "directions": (Direction, "Направления", "направление"),
    "forms": (EventForm, "Формы мероприятий", "форма"),
    "audiences": (Audience, "Аудитории", "аудитория"),
    "competences": (CompetenceArea, "Компетенции", "компетенция"),
}
