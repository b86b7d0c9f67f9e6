"""check-lists: templates, versions, items, assignments, invitations, drafts, responses, answers, tallies

Issue 5: feedback check-lists. Anonymous responses carry no person; tallies are kept at submission.

Revision ID: 1dcc2eeba9af
Revises: 462e2a7fe525
Create Date: 2026-11-23 17:26:59.160735

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1dcc2eeba9af'
down_revision = '462e2a7fe525'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('checklist_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('instructions', sa.Text(), nullable=False),
    sa.Column('is_starter', sa.Boolean(), nullable=False),
    sa.Column('starter_key', sa.String(length=60), nullable=True),
    sa.Column('municipality_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_dt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('archived_dt', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_checklist_templates_created_by_id_users')),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_checklist_templates_municipality_id_municipalities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_templates')),
    sa.UniqueConstraint('starter_key', name=op.f('uq_checklist_templates_starter_key')),
    sa.UniqueConstraint('uid', name=op.f('uq_checklist_templates_uid'))
    )
    with op.batch_alter_table('checklist_templates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_templates_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('checklist_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('number >= 1', name=op.f('ck_checklist_versions_number_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_checklist_versions_created_by_id_users')),
    sa.ForeignKeyConstraint(['template_id'], ['checklist_templates.id'], name=op.f('fk_checklist_versions_template_id_checklist_templates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_versions')),
    sa.UniqueConstraint('template_id', 'number', name='uq_checklist_versions_template_number')
    )
    op.create_table('checklist_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.Enum('section', 'scale', 'ypn', 'single', 'multiple', 'short_text', 'long_text', 'number', 'matrix', name='checklist_item_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('text', sa.String(length=1000), nullable=False),
    sa.Column('help', sa.String(length=1000), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('show_if_key', sa.String(length=40), nullable=True),
    sa.Column('show_if_values', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['checklist_versions.id'], name=op.f('fk_checklist_items_version_id_checklist_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_items')),
    sa.UniqueConstraint('version_id', 'key', name='uq_checklist_items_version_key'),
    sa.UniqueConstraint('version_id', 'position', name='uq_checklist_items_version_position')
    )
    op.create_table('checklist_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('plan_item_id', sa.Integer(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('municipality_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.Enum('participant', 'host', 'observer', 'head', 'municipality', name='checklist_respondent_role', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('opens_on', sa.Enum('session_end', 'attendance', 'date', 'days_after', name='checklist_opens_on', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('opens_dt', sa.DateTime(timezone=True), nullable=True),
    sa.Column('days_after', sa.Integer(), nullable=False),
    sa.Column('open_days', sa.Integer(), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cancelled_dt', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('(CASE WHEN session_id IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN site_id IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN plan_item_id IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN period_start IS NOT NULL THEN 1 ELSE 0 END) = 1', name=op.f('ck_checklist_assignments_one_target')),
    sa.CheckConstraint('days_after >= 0', name=op.f('ck_checklist_assignments_days_after_nonnegative')),
    sa.CheckConstraint('open_days >= 1', name=op.f('ck_checklist_assignments_open_days_positive')),
    sa.CheckConstraint('period_end IS NULL OR period_end >= period_start', name=op.f('ck_checklist_assignments_period_order')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_checklist_assignments_created_by_id_users')),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_checklist_assignments_municipality_id_municipalities')),
    sa.ForeignKeyConstraint(['plan_item_id'], ['plan_items.id'], name=op.f('fk_checklist_assignments_plan_item_id_plan_items')),
    sa.ForeignKeyConstraint(['session_id'], ['event_sessions.id'], name=op.f('fk_checklist_assignments_session_id_event_sessions')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_checklist_assignments_site_id_sites')),
    sa.ForeignKeyConstraint(['template_id'], ['checklist_templates.id'], name=op.f('fk_checklist_assignments_template_id_checklist_templates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_assignments'))
    )
    with op.batch_alter_table('checklist_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_assignments_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checklist_assignments_plan_item_id'), ['plan_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checklist_assignments_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checklist_assignments_site_id'), ['site_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checklist_assignments_template_id'), ['template_id'], unique=False)

    op.create_table('checklist_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('subject_user_id', sa.Integer(), nullable=True),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('opens_dt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closes_dt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered', sa.Boolean(), nullable=False),
    sa.Column('answered_dt', sa.DateTime(timezone=True), nullable=True),
    sa.Column('notified_dt', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_dt', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['checklist_assignments.id'], name=op.f('fk_checklist_invitations_assignment_id_checklist_assignments')),
    sa.ForeignKeyConstraint(['session_id'], ['event_sessions.id'], name=op.f('fk_checklist_invitations_session_id_event_sessions')),
    sa.ForeignKeyConstraint(['subject_user_id'], ['users.id'], name=op.f('fk_checklist_invitations_subject_user_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_checklist_invitations_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_invitations')),
    sa.UniqueConstraint('assignment_id', 'user_id', 'unit', name='uq_checklist_invitations_unit')
    )
    with op.batch_alter_table('checklist_invitations', schema=None) as batch_op:
        batch_op.create_index('ix_checklist_invitations_assignment_session', ['assignment_id', 'session_id'], unique=False)
        batch_op.create_index('ix_checklist_invitations_user_answered', ['user_id', 'answered'], unique=False)

    op.create_table('checklist_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('municipality_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.Enum('participant', 'host', 'observer', 'head', 'municipality', name='checklist_response_role', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('subject_user_id', sa.Integer(), nullable=True),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('submitted_dt', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assignment_id'], ['checklist_assignments.id'], name=op.f('fk_checklist_responses_assignment_id_checklist_assignments')),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_checklist_responses_municipality_id_municipalities')),
    sa.ForeignKeyConstraint(['session_id'], ['event_sessions.id'], name=op.f('fk_checklist_responses_session_id_event_sessions')),
    sa.ForeignKeyConstraint(['subject_user_id'], ['users.id'], name=op.f('fk_checklist_responses_subject_user_id_users')),
    sa.ForeignKeyConstraint(['template_id'], ['checklist_templates.id'], name=op.f('fk_checklist_responses_template_id_checklist_templates')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_checklist_responses_user_id_users')),
    sa.ForeignKeyConstraint(['version_id'], ['checklist_versions.id'], name=op.f('fk_checklist_responses_version_id_checklist_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_responses'))
    )
    with op.batch_alter_table('checklist_responses', schema=None) as batch_op:
        batch_op.create_index('ix_checklist_responses_assignment_session', ['assignment_id', 'session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checklist_responses_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checklist_responses_session_id'), ['session_id'], unique=False)
        batch_op.create_index('ix_checklist_responses_template_day', ['template_id', 'submitted_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_checklist_responses_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checklist_responses_version_id'), ['version_id'], unique=False)

    op.create_table('checklist_tallies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=True),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('item_key', sa.String(length=40), nullable=False),
    sa.Column('row_key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.String(length=60), nullable=False),
    sa.Column('value_num', sa.Float(), nullable=True),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.CheckConstraint('count >= 0', name=op.f('ck_checklist_tallies_count_nonnegative')),
    sa.ForeignKeyConstraint(['assignment_id'], ['checklist_assignments.id'], name=op.f('fk_checklist_tallies_assignment_id_checklist_assignments')),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_checklist_tallies_municipality_id_municipalities')),
    sa.ForeignKeyConstraint(['template_id'], ['checklist_templates.id'], name=op.f('fk_checklist_tallies_template_id_checklist_templates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_tallies')),
    sa.UniqueConstraint('template_id', 'assignment_id', 'session_id', 'month', 'item_key', 'row_key', 'value', name='uq_checklist_tallies_cell')
    )
    with op.batch_alter_table('checklist_tallies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_tallies_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checklist_tallies_session_id'), ['session_id'], unique=False)
        batch_op.create_index('ix_checklist_tallies_template_cells', ['template_id', 'item_key', 'row_key', 'value', 'count'], unique=False)

    op.create_table('checklist_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('item_key', sa.String(length=40), nullable=False),
    sa.Column('row_key', sa.String(length=40), nullable=False),
    sa.Column('value_num', sa.Float(), nullable=True),
    sa.Column('value_text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['response_id'], ['checklist_responses.id'], name=op.f('fk_checklist_answers_response_id_checklist_responses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_answers'))
    )
    with op.batch_alter_table('checklist_answers', schema=None) as batch_op:
        batch_op.create_index('ix_checklist_answers_item_key', ['item_key', 'response_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checklist_answers_response_id'), ['response_id'], unique=False)

    op.create_table('checklist_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('updated_dt', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['invitation_id'], ['checklist_invitations.id'], name=op.f('fk_checklist_drafts_invitation_id_checklist_invitations')),
    sa.ForeignKeyConstraint(['version_id'], ['checklist_versions.id'], name=op.f('fk_checklist_drafts_version_id_checklist_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_drafts')),
    sa.UniqueConstraint('invitation_id', name=op.f('uq_checklist_drafts_invitation_id'))
    )
    with op.batch_alter_table('checklist_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_drafts_version_id'), ['version_id'], unique=False)



def downgrade():
    with op.batch_alter_table('checklist_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_drafts_version_id'))

    op.drop_table('checklist_drafts')
    with op.batch_alter_table('checklist_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_answers_response_id'))
        batch_op.drop_index('ix_checklist_answers_item_key')

    op.drop_table('checklist_answers')
    with op.batch_alter_table('checklist_tallies', schema=None) as batch_op:
        batch_op.drop_index('ix_checklist_tallies_template_cells')
        batch_op.drop_index(batch_op.f('ix_checklist_tallies_session_id'))
        batch_op.drop_index(batch_op.f('ix_checklist_tallies_assignment_id'))

    op.drop_table('checklist_tallies')
    with op.batch_alter_table('checklist_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_responses_version_id'))
        batch_op.drop_index(batch_op.f('ix_checklist_responses_user_id'))
        batch_op.drop_index('ix_checklist_responses_template_day')
        batch_op.drop_index(batch_op.f('ix_checklist_responses_session_id'))
        batch_op.drop_index(batch_op.f('ix_checklist_responses_municipality_id'))
        batch_op.drop_index('ix_checklist_responses_assignment_session')

    op.drop_table('checklist_responses')
    with op.batch_alter_table('checklist_invitations', schema=None) as batch_op:
        batch_op.drop_index('ix_checklist_invitations_user_answered')
        batch_op.drop_index('ix_checklist_invitations_assignment_session')

    op.drop_table('checklist_invitations')
    with op.batch_alter_table('checklist_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_assignments_template_id'))
        batch_op.drop_index(batch_op.f('ix_checklist_assignments_site_id'))
        batch_op.drop_index(batch_op.f('ix_checklist_assignments_session_id'))
        batch_op.drop_index(batch_op.f('ix_checklist_assignments_plan_item_id'))
        batch_op.drop_index(batch_op.f('ix_checklist_assignments_municipality_id'))

    op.drop_table('checklist_assignments')
    op.drop_table('checklist_items')
    op.drop_table('checklist_versions')
    with op.batch_alter_table('checklist_templates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_templates_municipality_id'))

    op.drop_table('checklist_templates')
