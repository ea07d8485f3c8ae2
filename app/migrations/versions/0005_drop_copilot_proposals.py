"""drop copilot_proposals: the copilot submits to the approval queue (governance) only

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 10:00:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import domain.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("copilot_proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_copilot_proposals_type"))
    op.drop_table("copilot_proposals")


def downgrade() -> None:
    op.create_table(
        "copilot_proposals",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("payload", _json(), nullable=False),
        sa.Column("evidence", _json(), nullable=False),
        sa.Column("versions", _json(), nullable=False),
        sa.Column("requester", _json(), nullable=False),
        sa.Column("run_links", _json(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("created_at", domain.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_copilot_proposals")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_copilot_proposals_idempotency_key")),
    )
    with op.batch_alter_table("copilot_proposals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_copilot_proposals_type"), ["type"], unique=False)
