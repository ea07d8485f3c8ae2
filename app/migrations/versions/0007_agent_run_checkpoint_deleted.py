"""agent_runs.checkpoint_deleted_at: when a finished run's checkpoints were deleted

``opscopilot agent prune-checkpoints`` deletes the LangGraph checkpoints of runs that ended
long ago and stamps the run, so that the next pass skips it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import domain.types

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("agent_runs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "checkpoint_deleted_at", domain.types.UTCDateTime(timezone=True), nullable=True
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("agent_runs", schema=None) as batch_op:
        batch_op.drop_column("checkpoint_deleted_at")
