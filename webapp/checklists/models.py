"""Check-lists: templates and their versions, who is asked to answer (assignments and the
invitations they give), drafts, submitted responses, and the running tallies results read.

- A **template** has numbered **versions**; items belong to a version. Once a version has a draft
  or a response it is frozen: editing the template makes a new version (a copy), and old answers
  stay with the version they answered. Items keep a `key` across versions, so results line up
  item by item where the items match.
- An **assignment** attaches a template to a session, to every session of a site or a plan item,
  or to a period, for one respondent role; it says when answering opens and for how long.
- An **invitation** is one person asked once (per session, and per participant for a school
  head's delayed assessment). It records whether she answered.
- A **response** holds the answers. For an anonymous assignment it carries no person and only the
  day of submission; the invitation says only "answered", with no time: nothing links the two.
- **Tallies** count answers by value as responses arrive, so results are sums over a few rows.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.dbtypes import LabelledEnum, UTCDateTime, enum_column, utcnow
from webapp.extensions import db


class ItemKind(LabelledEnum):
    SECTION = "section", "Раздел (заголовок)"
    SCALE = "scale", "Шкала"
    YES_PARTIAL_NO = "ypn", "Да / частично / нет"
    SINGLE = "single", "Один вариант из списка"
    MULTIPLE = "multiple", "Несколько вариантов"
    SHORT_TEXT = "short_text", "Короткий ответ"
    LONG_TEXT = "long_text", "Развёрнутый ответ"
    NUMBER = "number", "Число"
    MATRIX = "matrix", "Матрица (несколько строк на одной шкале)"

    @property
    def is_question(self) -> bool:
        return self != ItemKind.SECTION

    @property
    def is_text(self) -> bool:
        return self in (ItemKind.SHORT_TEXT, ItemKind.LONG_TEXT)

    @property
    def is_scaled(self) -> bool:
        """Answers are numbers on a scale: a distribution and a mean."""
        return self in (ItemKind.SCALE, ItemKind.MATRIX)

    @property
    def has_options(self) -> bool:
        return self in (ItemKind.SINGLE, ItemKind.MULTIPLE)


class RespondentRole(LabelledEnum):
    PARTICIPANT = "participant", "Участники (отмечены присутствующими)"
    HOST = "host", "Руководитель площадки (ведущий)"
    OBSERVER = "observer", "Наблюдатель (методист территории)"
    HEAD = "head", "Руководитель школы участника (отсроченная оценка)"
    MUNICIPALITY = "municipality", "Все педагоги территории"

    @property
    def per_session(self) -> bool:
        return self != RespondentRole.MUNICIPALITY


class OpensOn(LabelledEnum):
    SESSION_END = "session_end", "После окончания мероприятия"
    ATTENDANCE = "attendance", "Когда отмечена посещаемость"
    DATE = "date", "С указанной даты"
    DAYS_AFTER = "days_after", "Через N дней после мероприятия"


class ChecklistTemplate(db.Model):
    __tablename__ = "checklist_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: identity that survives export and import between networks
    uid: Mapped[str] = mapped_column(sa.String(36), unique=True, default=lambda: str(uuid.uuid4()))
    title: Mapped[str] = mapped_column(sa.String(300))
    #: shown to respondents above the first item
    instructions: Mapped[str] = mapped_column(sa.Text, default="")
    #: one of the starter templates (`flask checklists install-starters`), to be adapted
    is_starter: Mapped[bool] = mapped_column(default=False)
    starter_key: Mapped[str | None] = mapped_column(sa.String(60), unique=True, nullable=True)
    #: whose methodists may edit it (None: the network's, edited by admins)
    municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipalities.id"), nullable=True,
                                                        index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), nullable=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    #: archived templates cannot be attached any more; their answers stay
    archived_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    municipality = relationship("Municipality")
    versions: Mapped[list[ChecklistVersion]] = relationship(
        back_populates="template", order_by="ChecklistVersion.number", cascade="all, delete-orphan")

    @property
    def current_version(self) -> ChecklistVersion:
        return self.versions[-1]

    def __repr__(self) -> str:
        return f"<ChecklistTemplate {self.id} {self.title[:30]!r}>"


class ChecklistVersion(db.Model):
    __tablename__ = "checklist_versions"
    __table_args__ = (
        sa.UniqueConstraint("template_id", "number", name="uq_checklist_versions_template_number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(sa.ForeignKey("checklist_templates.id"))
    number: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), nullable=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    template: Mapped[ChecklistTemplate] = relationship(back_populates="versions")
    items: Mapped[list[ChecklistItem]] = relationship(
        back_populates="version", order_by="ChecklistItem.position", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<ChecklistVersion {self.template_id} v{self.number}>"


class ChecklistItem(db.Model):
    """A question (or a section heading) of one version.

    `settings` by kind: scale {min, max, min_label, max_label}; single / multiple {options:
    [{value, label}], max_choices}; short_text / long_text {max_length}; number {min, max,
    integer}; matrix {rows: [{key, label}], min, max, min_label, max_label}. Option values and row
    keys are stable, so relabelling keeps results comparable.
    """

    __tablename__ = "checklist_items"
    __table_args__ = (
        sa.UniqueConstraint("version_id", "position", name="uq_checklist_items_version_position"),
        sa.UniqueConstraint("version_id", "key", name="uq_checklist_items_version_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("checklist_versions.id"))
    position: Mapped[int] = mapped_column()
    #: the same question across versions has the same key
    key: Mapped[str] = mapped_column(sa.String(40))
    kind: Mapped[ItemKind] = mapped_column(enum_column(ItemKind, "checklist_item_kind"))
    text: Mapped[str] = mapped_column(sa.String(1000))
    help: Mapped[str] = mapped_column(sa.String(1000), default="")
    required: Mapped[bool] = mapped_column(default=False)
    settings: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    #: shown only when the earlier item with this key has one of `show_if_values`
    show_if_key: Mapped[str | None] = mapped_column(sa.String(40), nullable=True)
    show_if_values: Mapped[list] = mapped_column(sa.JSON, default=list)

    version: Mapped[ChecklistVersion] = relationship(back_populates="items")

    def __repr__(self) -> str:
        return f"<ChecklistItem {self.version_id}#{self.position} {self.kind}>"


class ChecklistAssignment(db.Model):
    """A template attached to a target (a session, a site's or a plan item's sessions, or a period)
    for one respondent role, with when answering opens and how long it stays open."""

    __tablename__ = "checklist_assignments"
    __table_args__ = (
        sa.CheckConstraint(
            "(CASE WHEN session_id IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN site_id IS NOT NULL THEN 1 ELSE 0 END)"
            " + (CASE WHEN plan_item_id IS NOT NULL THEN 1 ELSE 0 END)"
            " + (CASE WHEN period_start IS NOT NULL THEN 1 ELSE 0 END) = 1", name="one_target"),
        sa.CheckConstraint("period_end IS NULL OR period_end >= period_start", name="period_order"),
        sa.CheckConstraint("open_days >= 1", name="open_days_positive"),
        sa.CheckConstraint("days_after >= 0", name="days_after_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(sa.ForeignKey("checklist_templates.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("event_sessions.id"), nullable=True, index=True)
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sites.id"), nullable=True, index=True)
    plan_item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plan_items.id"), nullable=True, index=True)
    #: a period survey (e.g. the yearly November survey): who answers is `municipality_id`'s people
    period_start: Mapped[date | None] = mapped_column(sa.Date, nullable=True)
    period_end: Mapped[date | None] = mapped_column(sa.Date, nullable=True)
    #: the municipality whose methodists own it (and whose people a period survey asks)
    municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipalities.id"), nullable=True,
                                                        index=True)
    role: Mapped[RespondentRole] = mapped_column(enum_column(RespondentRole, "checklist_respondent_role"))
    opens_on: Mapped[OpensOn] = mapped_column(enum_column(OpensOn, "checklist_opens_on"))
    #: OpensOn.DATE: from then
    opens_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: OpensOn.DAYS_AFTER: this many days after the session's end
    days_after: Mapped[int] = mapped_column(default=0)
    #: answering closes this many days after it opens
    open_days: Mapped[int] = mapped_column(default=14)
    anonymous: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), nullable=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: withdrawn: no new invitations; answers given stay in results
    cancelled_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    template: Mapped[ChecklistTemplate] = relationship()
    session = relationship("EventSession")
    site = relationship("Site")
    plan_item = relationship("PlanItem")
    municipality = relationship("Municipality")

    def __repr__(self) -> str:
        return f"<ChecklistAssignment {self.id} t={self.template_id} {self.role}>"


class ChecklistInvitation(db.Model):
    """One person asked to answer once: per session (and per participant, for a school head)."""

    __tablename__ = "checklist_invitations"
    __table_args__ = (
        # session and subject folded into one key: NULLs would defeat a plain unique constraint
        sa.UniqueConstraint("assignment_id", "user_id", "unit", name="uq_checklist_invitations_unit"),
        sa.Index("ix_checklist_invitations_user_answered", "user_id", "answered"),
        sa.Index("ix_checklist_invitations_assignment_session", "assignment_id", "session_id"),
        # when an assignment's newest invitation was made, in one index probe: the results page's version
        sa.Index("ix_checklist_invitations_assignment_created", "assignment_id", "created_dt"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(sa.ForeignKey("checklist_assignments.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("event_sessions.id"), nullable=True)
    #: the participant a school head assesses
    subject_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), nullable=True)
    #: "<session id or 0>:<subject id or 0>"
    unit: Mapped[str] = mapped_column(sa.String(40))
    opens_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    answered: Mapped[bool] = mapped_column(default=False)
    #: when she answered; None for anonymous check-lists (a time would let one match the response)
    answered_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: told it is open / reminded that it closes soon (`flask checklists remind` is idempotent)
    notified_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reminded_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    assignment: Mapped[ChecklistAssignment] = relationship()
    user = relationship("User", foreign_keys=[user_id])
    session = relationship("EventSession")
    subject = relationship("User", foreign_keys=[subject_user_id])

    def __repr__(self) -> str:
        return f"<ChecklistInvitation {self.id} a={self.assignment_id} u={self.user_id} {self.unit}>"


class ChecklistDraft(db.Model):
    """Answers being typed, kept with the invitation (so with the person) until submitted; then
    the draft is removed and a response written."""

    __tablename__ = "checklist_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(sa.ForeignKey("checklist_invitations.id"), unique=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("checklist_versions.id"), index=True)
    #: item key → value as typed (str, list of str, or {row key: str} for a matrix)
    answers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    invitation: Mapped[ChecklistInvitation] = relationship()
    version: Mapped[ChecklistVersion] = relationship()


class ChecklistResponse(db.Model):
    __tablename__ = "checklist_responses"
    __table_args__ = (
        sa.Index("ix_checklist_responses_assignment_session", "assignment_id", "session_id"),
        sa.Index("ix_checklist_responses_template_day", "template_id", "submitted_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(sa.ForeignKey("checklist_templates.id"))
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("checklist_versions.id"), index=True)
    assignment_id: Mapped[int] = mapped_column(sa.ForeignKey("checklist_assignments.id"))
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("event_sessions.id"), nullable=True, index=True)
    municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipalities.id"), nullable=True,
                                                        index=True)
    role: Mapped[RespondentRole] = mapped_column(enum_column(RespondentRole, "checklist_response_role"))
    #: None when anonymous
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), nullable=True, index=True)
    subject_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), nullable=True)
    #: the day only: for anonymous responses a time could be matched with activity elsewhere
    submitted_on: Mapped[date] = mapped_column(sa.Date)
    #: None when anonymous
    submitted_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    answers: Mapped[list[ChecklistAnswer]] = relationship(back_populates="response", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<ChecklistResponse {self.id} t={self.template_id}>"


class ChecklistAnswer(db.Model):
    """One value: a scale point, a choice, a number, a text; a multiple choice gives one row per
    option chosen, a matrix one row per row answered."""

    __tablename__ = "checklist_answers"
    __table_args__ = (sa.Index("ix_checklist_answers_item_key", "item_key", "response_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("checklist_responses.id"), index=True)
    item_key: Mapped[str] = mapped_column(sa.String(40))
    #: a matrix row's key ("" otherwise)
    row_key: Mapped[str] = mapped_column(sa.String(40), default="")
    value_num: Mapped[float | None] = mapped_column(sa.Float, nullable=True)
    value_text: Mapped[str] = mapped_column(sa.Text, default="")

    response: Mapped[ChecklistResponse] = relationship(back_populates="answers")


class ChecklistTally(db.Model):
    """How many responses gave this value, per template item, session (0: none) and month.

    Kept up to date in the transaction that submits a response, so that results of thousands of
    responses are sums over a few rows."""

    __tablename__ = "checklist_tallies"
    __table_args__ = (
        sa.UniqueConstraint("template_id", "assignment_id", "session_id", "month", "item_key", "row_key", "value",
                            name="uq_checklist_tallies_cell"),
        sa.CheckConstraint("count >= 0", name="count_nonnegative"),
        # the results page sums a template's cells by item and value: an index-only scan
        sa.Index("ix_checklist_tallies_template_cells", "template_id", "item_key", "row_key", "value", "count"),
        # the feedback report reads a municipality's months
        sa.Index("ix_checklist_tallies_municipality_month", "municipality_id", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(sa.ForeignKey("checklist_templates.id"))
    assignment_id: Mapped[int] = mapped_column(sa.ForeignKey("checklist_assignments.id"), index=True)
    #: 0 for period surveys (no session)
    session_id: Mapped[int] = mapped_column(default=0, index=True)
    municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipalities.id"), nullable=True)
    #: the first day of the month of submission
    month: Mapped[date] = mapped_column(sa.Date)
    item_key: Mapped[str] = mapped_column(sa.String(40))
    row_key: Mapped[str] = mapped_column(sa.String(40), default="")
    #: the value as text ("4", "yes", an option's value); "*" counts the responses themselves
    value: Mapped[str] = mapped_column(sa.String(60))
    value_num: Mapped[float | None] = mapped_column(sa.Float, nullable=True)
    count: Mapped[int] = mapped_column(default=0)
