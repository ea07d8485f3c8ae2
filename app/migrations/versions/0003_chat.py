"""chat threads and agent runs

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 13:15:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import domain.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _ts(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, domain.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "chat_threads",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("focus", _json(), nullable=False),
        sa.Column("turns", sa.Integer(), nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_chat_threads_owner_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_threads")),
    )
    with op.batch_alter_table("chat_threads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chat_threads_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "chat_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.String(length=36), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("proposal_ids", _json(), nullable=False),
        sa.Column("run_key", sa.String(length=120), nullable=True),
        sa.Column("dedupe_key", sa.String(length=200), nullable=True),
        _ts("created_at"),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["chat_threads.id"],
            name=op.f("fk_chat_messages_thread_id_chat_threads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_messages")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_chat_messages_dedupe_key")),
    )
    with op.batch_alter_table("chat_messages", schema=None) as batch_op:
        batch_op.create_index("ix_chat_messages_thread_id_id", ["thread_id", "id"], unique=False)

    op.create_table(
        "agent_runs",
        sa.Column("run_key", sa.String(length=120), nullable=False),
        sa.Column("chat_thread_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("trigger", sa.String(length=64), nullable=False),
        sa.Column("event_id", sa.String(length=120), nullable=True),
        sa.Column("requester", _json(), nullable=False),
        sa.Column("intent", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("proposal_ids", _json(), nullable=False),
        sa.Column("llm_calls", _json(), nullable=False),
        sa.Column("timings_ms", _json(), nullable=False),
        sa.Column("trace_id", sa.String(length=64), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        _ts("created_at"),
        _ts("updated_at"),
        sa.ForeignKeyConstraint(
            ["chat_thread_id"],
            ["chat_threads.id"],
            name=op.f("fk_agent_runs_chat_thread_id_chat_threads"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("run_key", name=op.f("pk_agent_runs")),
        sa.UniqueConstraint("event_id", name=op.f("uq_agent_runs_event_id")),
    )
    with op.batch_alter_table("agent_runs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agent_runs_chat_thread_id"), ["chat_thread_id"], unique=False
        )

    op.create_table(
        "agent_submissions",
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("run_key", sa.String(length=120), nullable=False),
        sa.Column("proposal_id", sa.String(length=64), nullable=False),
        sa.Column("proposal_type", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("idempotency_key", name=op.f("pk_agent_submissions")),
    )
    with op.batch_alter_table("agent_submissions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agent_submissions_proposal_id"), ["proposal_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_agent_submissions_run_key"), ["run_key"], unique=False)

    op.create_table(
        "agent_risk_flags",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("proposal_id", sa.String(length=64), nullable=False),
        _ts("flagged_at"),
        _ts("cleared_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_agent_risk_flags_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_agent_risk_flags")),
    )

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
        _ts("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_copilot_proposals")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_copilot_proposals_idempotency_key")),
    )
    with op.batch_alter_table("copilot_proposals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_copilot_proposals_type"), ["type"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("copilot_proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_copilot_proposals_type"))
    op.drop_table("copilot_proposals")
    op.drop_table("agent_risk_flags")
    with op.batch_alter_table("agent_submissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agent_submissions_run_key"))
        batch_op.drop_index(batch_op.f("ix_agent_submissions_proposal_id"))
    op.drop_table("agent_submissions")
    with op.batch_alter_table("agent_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agent_runs_chat_thread_id"))
    op.drop_table("agent_runs")
    with op.batch_alter_table("chat_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_chat_messages_thread_id_id")
    op.drop_table("chat_messages")
    with op.batch_alter_table("chat_threads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chat_threads_owner_id"))
    op.drop_table("chat_threads")
