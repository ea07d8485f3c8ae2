"""feedback deliveries: each decision's feedback, waiting to be sent to MLflow

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 14:00:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import domain.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _ts(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, domain.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "feedback_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("trace_id", sa.String(length=128), nullable=True),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=16), nullable=False),
        sa.Column("source_type", sa.String(length=16), nullable=False),
        sa.Column("source_id", sa.String(length=200), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("details", _json(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _ts("next_attempt_at"),
        _ts("lease_until", nullable=True),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("assessment_id", sa.String(length=64), nullable=True),
        _ts("delivered_at", nullable=True),
        _ts("created_at"),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.id"],
            name=op.f("fk_feedback_deliveries_decision_id_decisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_deliveries")),
        sa.UniqueConstraint("decision_id", name=op.f("uq_feedback_deliveries_decision_id")),
    )
    with op.batch_alter_table("feedback_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_feedback_deliveries_due", ["status", "next_attempt_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_feedback_deliveries_proposal_id"), ["proposal_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("feedback_deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_deliveries_proposal_id"))
        batch_op.drop_index("ix_feedback_deliveries_due")
    op.drop_table("feedback_deliveries")
