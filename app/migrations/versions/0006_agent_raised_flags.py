"""rename agent_risk_flags to agent_raised_flags

The copilot's memory of which projects it has raised a ``flag_risk`` proposal for sat beside
governance's ``risk_flags`` (risks an approver confirmed) under a name that read the same.
The table is rebuilt rather than renamed so its constraint names follow the new name on both
SQLite and PostgreSQL.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 17:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import domain.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COLUMNS = "project_id, probability, proposal_id, flagged_at, cleared_at"


def _create(name: str) -> None:
    op.create_table(
        name,
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("proposal_id", sa.String(length=64), nullable=False),
        sa.Column("flagged_at", domain.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("cleared_at", domain.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f(f"fk_{name}_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project_id", name=op.f(f"pk_{name}")),
    )


def _move(old: str, new: str) -> None:
    _create(new)
    op.execute(f"INSERT INTO {new} ({COLUMNS}) SELECT {COLUMNS} FROM {old}")
    op.drop_table(old)


def upgrade() -> None:
    _move("agent_risk_flags", "agent_raised_flags")


def downgrade() -> None:
    _move("agent_raised_flags", "agent_risk_flags")
