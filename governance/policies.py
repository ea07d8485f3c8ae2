"""Approval policies (``policies.yaml``): who decides what, thresholds, SLAs, auto-accept.

The file is validated when the app starts; a mistake stops the start with the path and the
field. Evaluation is pure: facts in, a routing and its trace out, so the trace stored on each
proposal says exactly which rules applied and why it went to whom.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.types import Role
from governance.actor import Actor
from governance.hashing import content_hash
from governance.types import ProposalType
from governance.yamlconfig import load_yaml_model

DEFAULT_POLICY_PATH = Path(__file__).with_name("policies.yaml")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Group(Strict):
    description: str = ""
    roles: list[Role] = Field(min_length=1)
    members: list[str] = []  # named people (emails); empty = anyone holding one of the roles
    # scoped: the person's practices/regions must include the proposal's;
    # firm_wide: only people with no practice/region restriction; any: no scope check.
    scope: Literal["scoped", "firm_wide", "any"] = "scoped"
    rank: int = 0  # seniority: when several routing rules match, the highest rank wins

    def admits(self, actor: Actor, practice: str | None, region: str | None) -> bool:
        if actor.role not in self.roles:
            return False
        if self.members and actor.email.lower() not in {m.lower() for m in self.members}:
            return False
        if self.scope == "any":
            return True
        if self.scope == "firm_wide":
            return actor.firm_wide
        return actor.covers(practice, region)


# condition name -> (fact it reads, comparison)
CONDITIONS: dict[str, tuple[str, Callable[[Any, Any], bool]]] = {
    "margin_below": ("margin", operator.lt),
    "probability_above": ("probability", operator.gt),
    "budget_above": ("budget_amount", operator.gt),
    "amount_above": ("amount", operator.gt),
    "hours_above": ("estimated_hours", operator.gt),
    "confidence_above": ("confidence", operator.gt),
    "confidence_below": ("confidence", operator.lt),
    "severity_in": ("severity", lambda v, allowed: v in allowed),
    "practice_in": ("practice", lambda v, allowed: v in allowed),
    "region_in": ("region", lambda v, allowed: v in allowed),
}


class Conditions(Strict):
    """Every condition given must hold for the rule to match. An unknown fact never holds."""

    margin_below: float | None = None
    probability_above: float | None = None
    budget_above: float | None = None
    amount_above: float | None = None
    hours_above: float | None = None
    confidence_above: float | None = None
    confidence_below: float | None = None
    severity_in: list[str] | None = None
    practice_in: list[str] | None = None
    region_in: list[str] | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Conditions:
        if not self.model_dump(exclude_none=True):
            raise ValueError("give at least one condition, or leave 'when' out")
        return self

    def evaluate(self, facts: dict[str, Any]) -> tuple[bool, list[dict[str, Any]]]:
        checks = []
        for name, threshold in self.model_dump(exclude_none=True).items():
            fact, compare = CONDITIONS[name]
            value = facts.get(fact)
            holds = value is not None and bool(compare(value, threshold))
            checks.append(
                {"condition": name, "threshold": threshold, "fact": fact, "value": value,
                 "holds": holds}
            )  # fmt: skip
        return all(c["holds"] for c in checks), checks


class Rule(Strict):
    id: str = Field(min_length=1)
    when: Conditions | None = None
    route_to: str | None = None
    auto_accept: bool = False
    why: str = ""

    @model_validator(mode="after")
    def _one_effect(self) -> Rule:
        if (self.route_to is None) == (not self.auto_accept):
            raise ValueError("a rule either routes ('route_to: <group>') or auto-accepts")
        if self.auto_accept and self.when is None:
            raise ValueError("an auto_accept rule needs 'when' conditions")
        return self


class Escalation(Strict):
    after_hours: float = Field(gt=0)
    to: str


class Sla(Strict):
    expire_after_hours: float = Field(gt=0)
    escalate: list[Escalation] = []

    @model_validator(mode="after")
    def _ordered(self) -> Sla:
        hours = [e.after_hours for e in self.escalate]
        if hours != sorted(hours) or (hours and hours[-1] >= self.expire_after_hours):
            raise ValueError("escalations must come in order and before expire_after_hours")
        return self


class TypePolicy(Strict):
    sla: Sla
    rules: list[Rule] = Field(min_length=1)

    @model_validator(mode="after")
    def _has_base(self) -> TypePolicy:
        if not any(r.route_to and r.when is None for r in self.rules):
            raise ValueError("needs a base rule (route_to without 'when') so someone can decide")
        return self


class Policies(Strict):
    version: Literal[1]
    submitters: dict[Role, list[ProposalType | Literal["*"]]] = {}
    groups: dict[str, Group]
    types: dict[ProposalType, TypePolicy]

    @model_validator(mode="after")
    def _references(self) -> Policies:
        missing = [t.value for t in ProposalType if t not in self.types]
        if missing:
            raise ValueError(f"types: no policy for {', '.join(missing)}")
        seen: set[str] = set()
        for kind, tp in self.types.items():
            targets = [r.route_to for r in tp.rules if r.route_to] + [e.to for e in tp.sla.escalate]
            for g in targets:
                if g not in self.groups:
                    raise ValueError(f"types.{kind.value}: unknown group {g!r}")
            for r in tp.rules:
                if r.id in seen:
                    raise ValueError(f"types.{kind.value}: rule id {r.id!r} used twice")
                seen.add(r.id)
        return self

    @cached_property
    def fingerprint(self) -> str:
        """Hash of the policy content, recorded in every trace (which policy was in force).

        Computed once: the model is frozen, and hashing all of it cost 0.2 ms per proposal."""
        return content_hash(self.model_dump(mode="json"))[:16]

    def may_submit(self, actor: Actor, kind: ProposalType) -> bool:
        # Role is a StrEnum, so the plain role string finds its key.
        allowed = self.submitters.get(actor.role, [])  # type: ignore[call-overload]
        return "*" in allowed or kind in allowed

    def route(
        self,
        kind: ProposalType,
        facts: dict[str, Any],
        now: datetime,
        *,
        auto_accept_veto: str | None = None,
    ) -> Routing:
        """Which group decides, under which rule, by when; and whether a rule auto-accepts.

        ``auto_accept_veto`` is the producer's reason to withhold auto-accept (a draft with
        claims its facts do not support, a request that tried to give instructions): it
        blocks every auto-accept rule, so a person decides.
        """
        tp = self.types[kind]
        evaluated: list[dict[str, Any]] = []
        routing: list[Rule] = []
        auto: list[Rule] = []
        for rule in tp.rules:
            matched, checks = rule.when.evaluate(facts) if rule.when else (True, [])
            evaluated.append(
                {"id": rule.id, "matched": matched, "conditions": checks, "why": rule.why,
                 **({"route_to": rule.route_to} if rule.route_to else {"auto_accept": True})}
            )  # fmt: skip
            if matched:
                (routing if rule.route_to else auto).append(rule)
        # Highest rank wins; among equals the rule written first.
        chosen = max(routing, key=lambda r: self.groups[r.route_to or ""].rank)
        group = chosen.route_to or ""
        thresholds = [r.id for r in routing if r.when is not None]
        why = f"routed to {group} by {chosen.id}"
        why += f" (thresholds matched: {', '.join(thresholds)})" if thresholds else ""
        auto_rule: str | None = None
        auto_note: dict[str, Any] | None = None
        if auto:
            # A threshold that asks for a person always beats an auto-accept rule.
            if thresholds:
                auto_note = {"rule": auto[0].id, "applied": False,
                             "why": f"blocked by threshold rule(s) {', '.join(thresholds)}"}  # fmt: skip
            elif auto_accept_veto:
                auto_note = {"rule": auto[0].id, "applied": False,
                             "why": f"withheld by the proposal's evidence: {auto_accept_veto}"}  # fmt: skip
            else:
                auto_rule = auto[0].id
                auto_note = {"rule": auto_rule, "applied": True, "why": auto[0].why}
        due_at = now + timedelta(hours=tp.sla.expire_after_hours)
        escalate_at = [now + timedelta(hours=e.after_hours) for e in tp.sla.escalate]
        escalations = [
            {"level": i + 1, "at": at, "to": e.to}
            for i, (at, e) in enumerate(zip(escalate_at, tp.sla.escalate, strict=True))
        ]
        trace = {
            "policy": self.fingerprint,
            "facts": facts,
            "rules": evaluated,
            "assigned_to": group,
            "rule": chosen.id,
            "why": why,
            "auto_accept": auto_note,
            "sla": {"due_at": due_at, "escalations": escalations},
        }
        return Routing(
            group=group,
            rule_id=chosen.id,
            auto_accept_rule=auto_rule,
            due_at=due_at,
            next_escalation_at=escalate_at[0] if escalate_at else None,
            trace=trace,
        )

    def escalation(self, kind: ProposalType, level: int) -> Escalation | None:
        """The escalation step ``level`` (1-based) for ``kind``, if the policy has one."""
        steps = self.types[kind].sla.escalate
        return steps[level - 1] if 0 < level <= len(steps) else None

    def groups_admitting(self, actor: Actor) -> dict[str, Group]:
        """Groups the actor could belong to for some proposal (role and named members only)."""
        return {
            name: g
            for name, g in self.groups.items()
            if actor.role in g.roles
            and (not g.members or actor.email.lower() in {m.lower() for m in g.members})
            and (g.scope != "firm_wide" or actor.firm_wide)
        }

    def types_decidable_by(self, actor: Actor) -> set[ProposalType]:
        names = set(self.groups_admitting(actor))
        out = set()
        for kind, tp in self.types.items():
            targets = {r.route_to for r in tp.rules if r.route_to} | {e.to for e in tp.sla.escalate}
            if targets & names:
                out.add(kind)
        return out


@dataclass(frozen=True)
class Routing:
    group: str
    rule_id: str
    auto_accept_rule: str | None
    due_at: datetime
    next_escalation_at: datetime | None
    trace: dict[str, Any]


def load_policies(path: Path = DEFAULT_POLICY_PATH) -> Policies:
    """Read and validate the policy file; raises ConfigFileError naming the path and field."""
    return load_yaml_model(path, Policies)
