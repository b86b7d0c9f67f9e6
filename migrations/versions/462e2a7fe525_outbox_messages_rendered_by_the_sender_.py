"""outbox messages rendered by the sender: template and context

Revision ID: 462e2a7fe525
Revises: c3d9a9fe1665
Create Date: 2026-11-23 16:14:44.979110

Registration e-mails are queued as a template name and a context and rendered by the sender.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '462e2a7fe525'
down_revision = 'c3d9a9fe1665'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('template', sa.String(length=60), server_default='', nullable=False))
        batch_op.add_column(sa.Column('context', sa.JSON(), server_default='{}', nullable=False))


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('context')
        batch_op.drop_column('template')
