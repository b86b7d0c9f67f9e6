"""Imports every model module so that metadata (Alembic, create_all) sees all tables."""

from webapp.accounts.models import Role, RoleGrant, User  # noqa: F401
from webapp.audit.models import AuditEntry  # noqa: F401
from webapp.mail.models import OutboxMessage  # noqa: F401
from webapp.orgs.models import Municipality, Organization  # noqa: F401
from webapp.plan.models import Plan, PlanItem  # noqa: F401
from webapp.sessions.models import EventSession, SessionMaterial  # noqa: F401
from webapp.sites.models import Site  # noqa: F401
from webapp.taxonomy.models import Audience, CompetenceArea, Direction, EventForm  # noqa: F401
from webapp.registration.models import Registration, RegistrationChange  # noqa: F401
from webapp.attendance.models import Attendance, AttendanceChange, Certificate  # noqa: F401
from webapp.checklists.models import (  # noqa: F401
    ChecklistAnswer,
    ChecklistAssignment,
    ChecklistDraft,
    ChecklistInvitation,
    ChecklistItem,
    ChecklistResponse,
    ChecklistTally,
    ChecklistTemplate,
    ChecklistVersion,
)
from webapp.calendar.models import CalendarFeed  # noqa: F401
from webapp.imports.models import ImportBatch  # noqa: F401
from webapp.reports.models import Indicator  # noqa: F401
