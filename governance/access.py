"""Who may see and who may decide a proposal, in Python (one proposal) and in SQL (lists).

Both forms come from the same policy groups, so the inbox lists exactly what a person could
open. A person sees a proposal if they are an admin, asked for it, manage its project, or could
decide it under the policy; they may decide it if a group it is routed or escalated to admits
them and they did not ask for it (segregation of duties).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, false, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from domain.tables import Project
from governance.actor import Actor
from governance.errors import NotAnApprover, SegregationOfDuties
from governance.policies import Group, Policies
from governance.tables import Proposal
from governance.types import ProposalType


def _targets(policies: Policies, kind: ProposalType) -> set[str]:
    tp = policies.types[kind]
    return {r.route_to for r in tp.rules if r.route_to} | {e.to for e in tp.sla.escalate}


def _scope_sql(group: Group, actor: Actor) -> ColumnElement[bool]:
    if group.scope != "scoped":
        return true()  # firm_wide groups only admit unscoped people in the first place
    parts: list[ColumnElement[bool]] = []
    if actor.practices:
        parts.append(Proposal.practice.in_(actor.practices))
    if actor.regions:
        parts.append(Proposal.region.in_(actor.regions))
    return and_(true(), *parts)


def visible_sql(policies: Policies, actor: Actor) -> ColumnElement[bool]:
    """SQL condition for the proposals ``actor`` may see."""
    if actor.is_admin:
        return true()
    managed = select(Project.id).where(Project.delivery_manager_email == actor.email)
    clauses: list[ColumnElement[bool]] = [
        Proposal.requested_by == actor.email,
        Proposal.submitted_by == actor.email,
        Proposal.project_id.in_(managed),
    ]
    for name, group in policies.groups_admitting(actor).items():
        kinds = [k.value for k in policies.types if name in _targets(policies, k)]
        if kinds:
            clauses.append(and_(Proposal.type.in_(kinds), _scope_sql(group, actor)))
    return or_(*clauses)


def assigned_sql(policies: Policies, actor: Actor) -> ColumnElement[bool]:
    """SQL condition for the pending proposals ``actor`` may decide now."""
    clauses: list[ColumnElement[bool]] = [
        and_(
            or_(Proposal.assignee_group == name, Proposal.escalated_to == name),
            _scope_sql(group, actor),
        )
        for name, group in policies.groups_admitting(actor).items()
    ]
    if not clauses:
        return false()
    return and_(
        Proposal.status == "pending",
        Proposal.requested_by != actor.email,
        Proposal.submitted_by != actor.email,
        or_(*clauses),
    )


def can_view(session: Session, policies: Policies, actor: Actor, proposal: Proposal) -> bool:
    if actor.is_admin or actor.email in (proposal.requested_by, proposal.submitted_by):
        return True
    for name in _targets(policies, ProposalType(proposal.type)):
        group = policies.groups.get(name)
        if group and group.admits(actor, proposal.practice, proposal.region):
            return True
    if proposal.project_id is None:
        return False
    dm = session.scalar(
        select(Project.delivery_manager_email).where(Project.id == proposal.project_id)
    )
    return dm == actor.email


def deciding_groups(proposal: Proposal) -> list[str]:
    return [g for g in (proposal.assignee_group, proposal.escalated_to) if g]


def decide_check(policies: Policies, actor: Actor, proposal: Proposal) -> tuple[bool, str]:
    """Whether ``actor`` may decide ``proposal`` now, and a sentence saying why (not)."""
    if actor.email in (proposal.requested_by, proposal.submitted_by):
        return False, (
            f"You requested proposal {proposal.id}; segregation of duties means someone else "
            "must decide it"
        )
    groups = deciding_groups(proposal)
    for name in groups:
        group = policies.groups.get(name)
        if group and group.admits(actor, proposal.practice, proposal.region):
            return True, f"you are in {name}"
    return False, (
        f"Proposal {proposal.id} ({proposal.type}, practice {proposal.practice or 'firm-wide'}, "
        f"region {proposal.region or 'any'}) is decided by {' or '.join(groups)} "
        f"({describe(policies, groups)}); you are {actor.role} with scope "
        f"{_scope_text(actor)}"
    )


def check_may_decide(policies: Policies, actor: Actor, proposal: Proposal) -> None:
    allowed, why = decide_check(policies, actor, proposal)
    if allowed:
        return
    if actor.email in (proposal.requested_by, proposal.submitted_by):
        raise SegregationOfDuties(why)
    raise NotAnApprover(why, extra={"required_groups": deciding_groups(proposal)})


def describe(policies: Policies, names: list[str]) -> str:
    parts = []
    for name in names:
        g: Any = policies.groups.get(name)
        if g is None:
            parts.append(f"{name}: no longer defined")
            continue
        who = ", ".join(g.roles) + (f" named {', '.join(g.members)}" if g.members else "")
        parts.append(f"{name}: {who}, scope {g.scope}")
    return "; ".join(parts)


def _scope_text(actor: Actor) -> str:
    if actor.firm_wide:
        return "firm-wide"
    return "/".join(filter(None, [",".join(actor.practices), ",".join(actor.regions)]))
