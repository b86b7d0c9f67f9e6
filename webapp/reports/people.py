"""Who counts as whom in reports: teachers, young teachers, members of a management team.
Every report and indicator uses these, so that «молодые педагоги» mean the same everywhere.

- A **teacher** (педагог) is an active person attached to an organization.
- A **young teacher** (молодой педагог): declared the «Молодые педагоги» audience in her profile,
  or has at most 3 years in the profession (doc 001; the age criterion "under 35" is not stored).
- A **management team member** (управленческая команда): declared the «Управленческие команды»
  audience, or her position names a head or a deputy (директор, заместитель, завуч, руководитель).
"""

from __future__ import annotations

import sqlalchemy as sa

from webapp.accounts.models import User, user_audiences
from webapp.taxonomy.models import Audience

YOUNG_AUDIENCE = "Молодые педагоги"
MANAGEMENT_AUDIENCE = "Управленческие команды"
METHODIST_AUDIENCE = "Методисты ТМС"
YOUNG_MAX_YEARS = 3
#: lower-cased position fragments that make someone part of a school's management team
MANAGEMENT_POSITION_WORDS = ("директор", "заместител", "завуч", "руководител")


def _in_audience(name: str, user=User):
    # an IN over a subquery, not a correlated EXISTS: PostgreSQL builds the audience's members once
    # (a hashed set) instead of probing per person
    return user.id.in_(sa.select(user_audiences.c.user_id).join(Audience, Audience.id == user_audiences.c.audience_id)
                       .where(Audience.name == name))


def in_audience(audience_id, user=User):
    """She declared this audience (an id or a bound column)."""
    return sa.exists().where(user_audiences.c.user_id == user.id, user_audiences.c.audience_id == audience_id)


def teacher_condition(user=User):
    return sa.and_(user.is_active.is_(True), user.organization_id.is_not(None))


def young_condition(user=User):
    return sa.or_(_in_audience(YOUNG_AUDIENCE, user), user.years_experience <= YOUNG_MAX_YEARS)


def management_condition(user=User):
    # SQLite's lower() leaves Cyrillic alone: look for the word as written and capitalized too
    position = sa.func.lower(user.position)
    words = [c for word in MANAGEMENT_POSITION_WORDS
             for c in (position.contains(word), user.position.contains(word.capitalize()))]
    return sa.or_(_in_audience(MANAGEMENT_AUDIENCE, user), *words)


def methodist_specialist_condition(user=User):
    """A specialist of a methodical service: declared the «Методисты ТМС» audience."""
    return _in_audience(METHODIST_AUDIENCE, user)
