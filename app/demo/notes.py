"""Status notes in a project manager's voice.

The note says what the manager chose to say: the RAG they picked, the progress they believe,
the events of the period. Optimistic managers keep notes green for longer and leave the burn
figures out, which is exactly why the copilot reads the time entries as well.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

# fmt: off
OPENERS = {
    "green": (
        "Good week overall.", "On track.", "Steady progress this period.", "Another solid week.",
        "Progressing to plan.", "No major issues this period.",
    ),
    "amber": (
        "Mixed week.", "Some pressure on the plan this period.", "Progress slower than planned.",
        "A few concerns to flag this week.", "Holding at amber.",
    ),
    "red": (
        "Difficult week.", "We are behind plan and the gap is growing.", "Delivery is at risk.",
        "The current plan is no longer achievable.", "Serious concerns this period.",
    ),
}
# fmt: on
MOVES = {
    ("green", "amber"): ("Moving to amber this week.", "Status moves to amber."),
    ("amber", "red"): ("Moving to red.", "Escalating to red this week."),
    ("red", "amber"): ("Back to amber after the recovery actions.", "Improving: red to amber."),
    ("amber", "green"): ("Back to green.", "Returning to green after a better fortnight."),
}
FOCUS = (
    "This week the team focused on {w}.",
    "The team worked on {w}.",
    "Work this period centred on {w}.",
    "Work continued on {w}.",
)
# fmt: off
SENTIMENT = {
    "green": (
        "Client feedback remains positive.", "Good engagement from the client team.",
        "The client sponsor is happy with progress.", "",
    ),
    "amber": (
        "The client has asked for more visibility on the plan.",
        "The client sponsor is concerned about the timeline.",
        "Client team availability for testing is a concern.",
        "Some friction with the client over priorities.",
    ),
    "red": (
        "The client sponsor has escalated concerns about delivery.",
        "The relationship is strained; daily check-ins agreed with the client.",
        "The client is questioning the quality of recent deliverables.",
        "The client has asked for a recovery plan by the end of next week.",
    ),
}
NEXT = {
    "green": (
        "Next: {milestone} due {due}.", "Looking ahead: {milestone} on {due}.",
        "Next milestone: {milestone} ({due}).",
    ),
    "amber": (
        "Next: re-plan of the remaining work with the client; {milestone} ({due}) is at risk.",
        "We are reviewing the plan for {milestone} ({due}) and will confirm next week.",
        "Mitigation: re-prioritising the backlog to protect {milestone} ({due}).",
    ),
    "red": (
        "Recovery plan being prepared with {dm}; escalation call with the sponsor this week.",
        "Options for recovery (scope, time, team) going to the steering committee; {milestone} ({due}) will move.",
        "Working session with {dm} on the forecast and a recovery plan.",
    ),
}
RUN_FOCUS = {
    "green": (
        "Service stable: {k} tickets resolved within SLA.",
        "Quiet period: {k} requests handled, no SLA breaches.",
        "All {k} tickets this period closed within SLA.",
    ),
    "amber": (
        "{k} tickets this period, one P2 breached SLA.", "Ticket volume up ({k}); backlog growing.",
        "Two P2 incidents this period; root cause analysis ongoing.",
    ),
    "red": (
        "Repeated P1 incidents this period; SLA breached twice.",
        "Backlog of {k} open tickets is not reducing.",
        "Major incident this week; service credits may apply.",
    ),
}
# fmt: on


# First words of work lines that are product names and keep their capital.
KEEP_CASE = frozenset(
    {
        "Terraform",
        "Figma",
        "Jira",
        "Apex",
        "Helm",
        "Azure",
        "Databricks",
        "Snowflake",
        "Workday",
        "ServiceNow",
        "Salesforce",
        "Sitecore",
        "React",
        "Kotlin",
        "Swift",
        "Flutter",
        "Glue",
        "Airflow",
        "Purview",
        "Collibra",
        "Sentinel",
        "Datadog",
        "Splunk",
        "Bicep",
        "Spark",
        "Fabric",
        "Redshift",
    }
)


@dataclass
class NoteFacts:
    rag: str
    previous_rag: str | None
    percent: int
    burn: int  # percent of the current budget (with approved change requests) consumed
    run: bool  # a managed service or retainer: talks about service, not delivery
    work_line: str
    client: str
    dm_first_name: str
    next_milestone: tuple[str, date] | None
    joined: list[tuple[str, str, str, str]] = field(
        default_factory=list
    )  # leaver, reason, joiner, role
    added: list[tuple[str, str, bool]] = field(default_factory=list)  # joiner, role, for new scope
    crs_raised: list[tuple[int, str]] = field(default_factory=list)
    crs_decided: list[tuple[int, str, bool, float]] = field(default_factory=list)
    milestones_done: list[str] = field(default_factory=list)
    milestones_late: list[str] = field(default_factory=list)
    late_timesheets: int = 0
    candid: bool = True  # mentions burn figures even when green


def write_note(rng: random.Random, f: NoteFacts) -> str:
    parts: list[str] = []
    move = MOVES.get((f.previous_rag or "", f.rag))
    parts.append(rng.choice(move) if move else rng.choice(OPENERS[f.rag]))
    if f.run:
        parts.append(rng.choice(RUN_FOCUS[f.rag]).format(k=rng.randint(6, 40)))
    else:
        parts.append(rng.choice(FOCUS).format(w=_lower_first(f.work_line)))
    parts.append(_burn_sentence(rng, f))
    for leaver, reason, joiner, role in f.joined:
        parts.append(
            rng.choice(
                (
                    f"{leaver} {reason}; {joiner} takes over as {role} and handover is in progress.",
                    f"Team change: {joiner} replaces {leaver} as {role} ({leaver} {reason}).",
                )
            )
        )
    for joiner, role, for_change in f.added:
        if for_change:
            parts.append(f"{joiner} joins as {role} to deliver the newly approved scope.")
        else:
            parts.append(f"{joiner} joins as an additional {role} to recover capacity.")
    for number, title in f.crs_raised:
        parts.append(f"CR-{number:02d} ({title}) raised and sent to {f.client} for approval.")
    for number, title, approved, hours in f.crs_decided:
        if approved:
            parts.append(
                f"CR-{number:02d} ({title}) approved by the client, adding {hours:.0f} hours."
            )
        else:
            parts.append(
                rng.choice(
                    (
                        f"CR-{number:02d} was not approved; we are absorbing part of that scope within budget.",
                        f"{f.client} declined CR-{number:02d}; scope is being clarified with the product owner.",
                    )
                )
            )
    for name in f.milestones_done:
        parts.append(
            rng.choice((f"{name} signed off by the client.", f"Milestone reached: {name}."))
        )
    for name in f.milestones_late:
        parts.append(f"{name} has slipped past its planned date; revised date under discussion.")
    if f.late_timesheets:
        parts.append(
            rng.choice(
                (
                    f"Reminder: {f.late_timesheets} timesheet(s) from last week still outstanding.",
                    f"Timesheet compliance needs attention ({f.late_timesheets} outstanding).",
                )
            )
        )
    sentiment = rng.choice(SENTIMENT[f.rag])
    if sentiment:
        parts.append(sentiment)
    if f.next_milestone is not None:
        name, due = f.next_milestone
        parts.append(
            rng.choice(NEXT[f.rag]).format(
                milestone=name, due=due.strftime("%d %b").lstrip("0"), dm=f.dm_first_name
            )
        )
    return " ".join(parts)


def _lower_first(line: str) -> str:
    """Lower-case a line's first word to continue a sentence, unless it is a name or acronym."""
    first, _, rest = line.partition(" ")
    second = rest.split(" ", 1)[0] if rest else ""
    if first in KEEP_CASE or not first[1:].islower() or (second[:1].isupper() and second.isalpha()):
        return line
    return first.lower() + (" " + rest if rest else "")


def _burn_sentence(rng: random.Random, f: NoteFacts) -> str:
    if f.run:
        return f"Hours consumed: {f.burn}% of the contracted total at {f.percent}% of the term."
    if f.rag == "green":
        if not f.candid:
            return f"Overall progress estimated at {f.percent}%."
        return rng.choice(
            (
                f"Burn in line with progress: {f.burn}% of budget used, {f.percent}% complete.",
                f"{f.percent}% complete with {f.burn}% of the budget consumed.",
            )
        )
    if f.rag == "amber":
        return rng.choice(
            (
                f"Burn is running ahead of progress: {f.burn}% of budget used for {f.percent}% complete.",
                f"We are at {f.percent}% complete but have used {f.burn}% of the budget; forecast under review.",
            )
        )
    return rng.choice(
        (
            f"We have consumed {f.burn}% of the budget with {f.percent}% complete; the forecast now exceeds budget.",
            f"Budget position is poor: {f.burn}% burned against {f.percent}% complete.",
        )
    )


def closing_note(rng: random.Random, *, troubled: bool, client: str) -> str:
    if troubled:
        return rng.choice(
            (
                f"Project closed after a difficult final phase. Final acceptance received from {client}; "
                "lessons learned session scheduled to review estimating and change control.",
                f"Closed. {client} has signed off the remaining deliverables after the extended testing "
                "period. Lessons learned to be shared with the practice.",
            )
        )
    return rng.choice(
        (
            f"Project closed. Final acceptance received from {client}; lessons learned session held.",
            f"All deliverables accepted by {client}. Project closed and team released.",
            f"Closure complete: sign-off received, documentation handed over, {client} happy with the outcome.",
        )
    )


HOLD_NOTE = (
    "Project paused at the client's request pending budget re-approval. Team released; "
    "restart date to be confirmed with {client}."
)
