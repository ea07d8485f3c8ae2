"""Proposals as the inbox shows them: a title in words, the fields an approver may edit, the
options an override may pick, and the decision form turned back into a ``DecisionCreate``."""

from __future__ import annotations

import math
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape
from pydantic import ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy.orm import Session

from app.web.forms import Form, browser_line_breaks
from domain.errors import InvalidInput
from domain.tables import Project
from domain.types import RequestCategory
from governance.payloads import OVERRIDE_FIELD
from governance.schemas import DecisionCreate, ProposalRead
from governance.types import ProposalType

SEVERITIES = ("low", "medium", "high", "critical")
RAGS = ("green", "amber", "red")
ACTIONS = ("accept", "accept_with_edits", "override", "reject")
_CITATION = re.compile(r"\[([^\]]{1,200})\]")
_CITED = re.compile(r"\s*\[[^\]]{1,200}\]")


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class EditField:
    """One payload field the approver may change with ``accept_with_edits``."""

    name: str
    label: str
    kind: str  # text | textarea | number | date | select
    value: str
    options: tuple[Option, ...] = ()
    step: str = "any"
    hint: str = ""


@dataclass(frozen=True)
class OverrideSpec:
    """What an override picks instead: a list of options, or a number."""

    field: str
    label: str
    kind: str  # select | number
    options: tuple[Option, ...] = ()
    current: str = ""


@dataclass
class DecisionDraft:
    """What the approver typed, kept when the form is shown again with an error."""

    action: str = ""
    reason_code: str = ""
    note: str = ""
    choice: str = ""
    edits: dict[str, str] = field(default_factory=dict)
    idempotency_key: str = field(default_factory=lambda: uuid.uuid4().hex)


def project_names(session: Session, ids: set[int]) -> dict[int, str]:
    names = {}
    for pid in ids:
        project = session.get(Project, pid)
        if project is not None:
            names[pid] = f"{project.client.name} · {project.name}"
    return names


def title_of(p: ProposalRead | Any, projects: dict[int, str]) -> str:
    """A one-line description a person recognises in a list."""
    payload: dict[str, Any] = p.payload
    project = projects.get(p.project_id or -1) or (
        f"project {p.project_id}" if p.project_id else "the firm"
    )
    match p.type:
        case ProposalType.assign_staff:
            return f"Staff a {payload.get('role', 'role')} on {project}"
        case ProposalType.flag_risk:
            return f"{str(payload.get('severity', '')).capitalize()} overrun risk on {project}"
        case ProposalType.send_status_summary:
            return f"Status summary for the {payload.get('audience', 'client')}: {project}"
        case ProposalType.route_request:
            category = str(payload.get("predicted_category", "")).replace("_", " ")
            return f"Route a request to {category}"
        case ProposalType.raise_change_request:
            return f"Change request on {project}: {payload.get('title', '')}"
        case ProposalType.promote_model:
            return f"Promote {payload.get('model_name')} v{payload.get('challenger_version')}"
    return f"{p.type} proposal"


def summary_of(p: ProposalRead | Any) -> str:
    """The line under the title: the proposed option and what it rests on."""
    payload: dict[str, Any] = p.payload
    match p.type:
        case ProposalType.assign_staff:
            cands = payload.get("candidates") or []
            chosen = next(
                (c for c in cands if c.get("consultant_id") == payload.get("chosen_consultant_id")),
                None,
            )
            who = f"{chosen['name']} (fit {chosen['score']:.2f})" if chosen else "nobody yet"
            return (
                f"Proposes {who} of {len(cands)} candidates · "
                f"{payload.get('hours_per_week', 0):g} h/week from {payload.get('start_date')}"
            )
        case ProposalType.flag_risk:
            drivers = payload.get("drivers") or []
            feature = str(drivers[0].get("feature", "")).replace("_", " ") if drivers else ""
            top = f" · top driver: {feature}" if feature else ""
            return f"Overrun probability {payload.get('probability', 0):.0%}{top}"
        case ProposalType.send_status_summary:
            draft = " ".join(_CITED.sub("", str(payload.get("draft", ""))).split())
            return draft[:140] + ("…" if len(draft) > 140 else "")
        case ProposalType.route_request:
            return (
                f"Confidence {payload.get('confidence', 0):.0%} · "
                + str(payload.get("text") or f"request {payload.get('request_id')}")[:100]
            )
        case ProposalType.raise_change_request:
            return f"{payload.get('estimated_hours', 0):g} h estimated"
        case ProposalType.promote_model:
            champion = payload.get("champion_version")
            return f"Challenger v{payload.get('challenger_version')} vs champion " + (
                f"v{champion}" if champion else "(none)"
            )
    return ""


def edit_fields(kind: str, payload: dict[str, Any]) -> list[EditField]:
    """The fields an approver edits inline; empty for types that are not edited."""

    def val(name: str) -> str:
        v = payload.get(name)
        return "" if v is None else str(v)

    match kind:
        case ProposalType.assign_staff:
            return [
                EditField("role", "Role", "text", val("role")),
                EditField("hours_per_week", "Hours per week", "number", val("hours_per_week")),
                EditField("start_date", "Start", "date", val("start_date")),
                EditField("end_date", "End", "date", val("end_date")),
            ]
        case ProposalType.flag_risk:
            return [
                EditField(
                    "severity", "Severity", "select", val("severity"),
                    tuple(Option(s, s.capitalize()) for s in SEVERITIES),
                ),
                EditField("mitigation", "Suggested mitigation", "textarea", val("mitigation")),
            ]  # fmt: skip
        case ProposalType.send_status_summary:
            return [
                EditField(
                    "draft", "Summary text", "textarea", val("draft"),
                    hint="Keep the [fact] citations next to the claims they support.",
                ),
                EditField("audience", "Audience", "text", val("audience")),
                EditField(
                    "rag", "Reported RAG", "select", val("rag"),
                    (Option("", "Carry forward"), *(Option(r, r.capitalize()) for r in RAGS)),
                ),
            ]  # fmt: skip
        case ProposalType.raise_change_request:
            return [
                EditField("title", "Title", "text", val("title")),
                EditField("scope_delta", "Scope change", "textarea", val("scope_delta")),
                EditField("estimated_hours", "Estimated hours", "number", val("estimated_hours")),
                EditField(
                    "estimated_amount", "Estimated amount", "number", val("estimated_amount"),
                    hint="Leave empty to use hours times the project's bill rate.",
                ),
            ]  # fmt: skip
    return []


def override_spec(kind: str, payload: dict[str, Any]) -> OverrideSpec | None:
    """How an override picks another option, or None when the type cannot be overridden."""
    try:
        name = OVERRIDE_FIELD[ProposalType(kind)]
    except (KeyError, ValueError):
        return None
    current = payload.get(name)
    match kind:
        case ProposalType.assign_staff:
            options = tuple(
                Option(str(c["consultant_id"]), f"{c['name']} — fit {c['score']:.2f}")
                for c in payload.get("candidates") or []
                if c.get("consultant_id") != current
            )
            return OverrideSpec(name, "Staff instead", "select", options, str(current))
        case ProposalType.flag_risk:
            options = tuple(Option(s, s.capitalize()) for s in SEVERITIES if s != current)
            return OverrideSpec(name, "Severity instead", "select", options, str(current))
        case ProposalType.route_request:
            confidence = {a["category"]: a["confidence"] for a in payload.get("alternatives") or []}
            options = tuple(
                Option(
                    c.value,
                    c.value.replace("_", " ").capitalize()
                    + (f" ({confidence[c.value]:.0%})" if c.value in confidence else ""),
                )
                for c in RequestCategory
                if c.value != current
            )
            return OverrideSpec(name, "Category instead", "select", options, str(current))
        case ProposalType.raise_change_request:
            return OverrideSpec(name, "Estimated hours instead", "number", (), str(current))
    return None


def option_names(kind: str, payload: dict[str, Any]) -> dict[Any, str]:
    """Words for the options an override records by id (consultants, for staffing)."""
    if kind == ProposalType.assign_staff:
        return {c["consultant_id"]: c["name"] for c in payload.get("candidates") or []}
    return {}


def _coerce(original: Any, raw: str, name: str) -> Any:
    raw = raw.strip()
    if raw == "":
        return None
    if isinstance(original, bool):
        return raw.lower() in ("1", "true", "yes", "on")
    if isinstance(original, int | float) or name.endswith(("_hours", "_amount", "_per_week")):
        try:
            number = float(raw)
        except ValueError:
            raise InvalidInput(f"{name.replace('_', ' ')}: {raw!r} is not a number") from None
        if not math.isfinite(number):  # "nan", "inf", and "1e400", which float() makes inf
            raise InvalidInput(f"{name.replace('_', ' ')}: {raw!r} is not a finite number")
        return int(number) if isinstance(original, int) and number.is_integer() else number
    return raw


def decision_from_form(form: Form) -> DecisionDraft:
    return DecisionDraft(
        action=form.get("action"),
        reason_code=form.get("reason_code"),
        note=browser_line_breaks(form.get("note")),
        choice=form.get("choice"),
        edits={k: browser_line_breaks(v) for k, v in form.with_prefix("edit.").items()},
        # The page sends a uuid; anything a table's varchar(200) cannot hold is refused.
        idempotency_key=form.text("idempotency_key", max_length=200) or uuid.uuid4().hex,
    )


def to_decision(kind: str, payload: dict[str, Any], draft: DecisionDraft) -> DecisionCreate:
    """The API request the form stands for; 422 with a sentence for anything missing."""
    if draft.action not in ACTIONS:
        raise InvalidInput("Choose what to do: accept, edit, override or reject.")
    if not draft.reason_code:
        raise InvalidInput("Choose a reason code: every decision records why.")
    edited: dict[str, Any] | None = None
    choice: Any = None
    if draft.action == "accept_with_edits":
        fields = {f.name for f in edit_fields(kind, payload)}
        if not fields:
            raise InvalidInput("This kind of proposal is not edited; accept or reject it.")
        edited = dict(payload)
        for name in fields & draft.edits.keys():
            edited[name] = _coerce(payload.get(name), draft.edits[name], name)
    elif draft.action == "override":
        spec = override_spec(kind, payload)
        if spec is None:
            raise InvalidInput("This kind of proposal cannot be overridden; edit or reject it.")
        if not draft.choice.strip():
            raise InvalidInput(f"Pick the option to use instead ({spec.label.lower()}).")
        choice = _coerce(payload.get(spec.field), draft.choice, spec.field)
    try:
        return DecisionCreate(
            action=draft.action,  # type: ignore[arg-type]
            reason_code=draft.reason_code,
            note=draft.note.strip(),
            edited_payload=edited,
            choice=choice,
        )
    except ValidationError as exc:
        raise InvalidInput(" ".join(_problem(e) for e in exc.errors())) from None


_FIELD_WORDS = {"note": "The note", "reason_code": "The reason code", "choice": "The option"}


def _problem(error: ErrorDetails) -> str:
    """One sentence about one field of the decision, in the form's words."""
    name = str(error["loc"][0]) if error["loc"] else "decision"
    what = _FIELD_WORDS.get(name, f"The {name.replace('_', ' ')}")
    if error["type"] == "string_too_long":
        limit = error.get("ctx", {}).get("max_length")
        return (
            f"{what} is {len(error['input']):,} characters long; shorten it to {limit:,} "
            "characters or fewer."
        )
    return f"{what} is not valid: {error['msg'][:1].lower()}{error['msg'][1:]}."


def cite(text: str) -> Markup:
    """The draft with ``[pj:1, wk:2026-11-23]`` citations as links to the facts they cite."""
    out: list[str] = []
    last = 0
    for m in _CITATION.finditer(text):
        out.append(str(escape(text[last : m.start()])))
        ids = [i.strip() for i in m.group(1).split(",") if i.strip()]
        links = ", ".join(
            f'<a class="cite" href="#fact-{escape(anchor(i))}">{escape(i)}</a>' for i in ids
        )
        out.append(f'<span class="cites">[{links}]</span>')
        last = m.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


def anchor(fact_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", fact_id)
