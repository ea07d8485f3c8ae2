"""Generate the whole demo firm in memory, as rows per table, without touching a database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from app.demo.catalog import CLIENTS
from app.demo.effort import simulate_effort
from app.demo.history import (
    Context,
    ProjectHistory,
    Row,
    assignments,
    blended_rate,
    change_requests,
    closure,
    milestones,
    time_entries,
)
from app.demo.people import Person, generate_people
from app.demo.projects import ProjectPlan, generate_portfolio
from app.demo.reporting import status_notes
from app.demo.requests import incoming_requests
from app.demo.staffing import Calendar, Stint, staff
from app.demo.timeline import Timeline, np_stream, stream
from app.demo.vocabulary import PRACTICES, SKILL_CATEGORY
from domain.types import ContractType

Progress = Callable[[str, int, int], None]


@dataclass
class DemoData:
    skills: list[Row] = field(default_factory=list)
    consultants: list[Row] = field(default_factory=list)
    consultant_skills: list[Row] = field(default_factory=list)
    certifications: list[Row] = field(default_factory=list)
    clients: list[Row] = field(default_factory=list)
    projects: list[Row] = field(default_factory=list)
    milestones: list[Row] = field(default_factory=list)
    assignments: list[Row] = field(default_factory=list)
    time_entries: list[Row] = field(default_factory=list)
    status_notes: list[Row] = field(default_factory=list)
    change_requests: list[Row] = field(default_factory=list)
    incoming_requests: list[Row] = field(default_factory=list)


def build_demo(
    seed: int, as_of: date, scale: float = 1.0, progress: Progress | None = None
) -> DemoData:
    """Every row of the demo firm. Same ``seed``, ``as_of`` and ``scale`` give the same rows."""

    def step(label: str, n: int) -> None:
        if progress is not None:
            progress(label, n, 4)

    timeline = Timeline.ending(as_of)
    data = DemoData()
    step("generating consultants", 1)
    people = generate_people(seed, timeline, scale)
    _people_rows(people, data)
    data.clients = [
        {
            "external_id": f"CL{i + 1:03d}",
            "name": c.name,
            "industry": c.industry,
            "region": c.region,
        }
        for i, c in enumerate(CLIENTS)
    ]

    step("staffing the portfolio", 2)
    capacity = {practice: 0.0 for practice in PRACTICES}
    for p in people:
        if p.level_index <= 4:
            capacity[p.practice] += p.capacity * p.utilization_target
    plans = generate_portfolio(seed, timeline, scale, capacity)
    calendar = Calendar(people, timeline.first_week, timeline.horizon, np_stream(seed, "staffing"))
    effort_rng = np_stream(seed, "effort")
    staffing: dict[int, list[Stint]] = {}
    efforts: dict[int, np.ndarray] = {}
    for plan in plans:
        stints = staff(plan, calendar)
        efforts[plan.index] = simulate_effort(plan, stints, calendar, timeline, effort_rng)
        staffing[plan.index] = stints

    step("simulating timesheets, notes and change requests", 3)
    # Some people are chronically late with timesheets, whatever the project.
    late_rng = stream(seed, "lateness")
    lateness = [late_rng.lognormvariate(0, 0.5) for _ in people]
    contexts = [
        _context(seed, plan, staffing[plan.index], efforts[plan.index], people, timeline)
        for plan in plans
    ]
    # Timesheets of every project first: a person's week is capped across all their projects.
    entries = {ctx.plan.index: time_entries(ctx, lateness) for ctx in contexts}
    _cap_weekly_hours([r for rows in entries.values() for r in rows])
    for ctx in contexts:
        history = _history(ctx, entries[ctx.plan.index])
        data.projects.append(history.project)
        data.assignments += history.assignments
        data.time_entries += history.time_entries
        data.change_requests += history.change_requests
        data.milestones += history.milestones
        data.status_notes += history.status_notes

    step("writing the inbox", 4)
    data.incoming_requests = incoming_requests(seed, timeline, plans, staffing, people)
    return data


def _context(
    seed: int,
    plan: ProjectPlan,
    stints: list[Stint],
    effort: np.ndarray,
    people: list[Person],
    timeline: Timeline,
) -> Context:
    # One stream per project: a project's history does not shift when another one changes.
    ctx = Context(
        plan, stints, effort, people, timeline, stream(seed, f"history:{plan.external_id}")
    )
    ctx.last_week = min(plan.last_planned_week(), timeline.last_worked_week)
    ctx.bill_rate = blended_rate(ctx)
    return ctx


def _cap_weekly_hours(rows: list[Row], soft_limit: float = 46.0) -> None:
    """Nobody books 80 hours a week: above the limit, only part of the excess gets booked.

    Projects are simulated one at a time, so a person on two busy projects can be asked for
    more than a week holds; what does not fit is simply not done that week.
    """
    totals: dict[tuple[str, object], float] = {}
    for r in rows:
        key = (r["consultant_key"], r["work_date"])
        totals[key] = totals.get(key, 0.0) + r["hours"]
    for r in rows:
        total = totals[(r["consultant_key"], r["work_date"])]
        if total > soft_limit:
            factor = (soft_limit + 0.25 * (total - soft_limit)) / total
            r["hours"] = max(0.5, round(r["hours"] * factor * 2) / 2)


def _history(ctx: Context, entries: list[Row]) -> ProjectHistory:
    plan = ctx.plan
    premium = ctx.rng.uniform(1.0, 1.08) if plan.contract is ContractType.fixed_fee else 1.0
    budget_amount = float(round(plan.budget_hours * ctx.bill_rate * premium, -2))
    history = ProjectHistory(project=_project_row(plan, ctx, budget_amount))
    history.assignments = assignments(ctx)
    history.time_entries = entries
    ctx.tally(entries)
    history.change_requests = change_requests(ctx)
    history.milestones = milestones(ctx, budget_amount)
    closure(ctx, history)
    history.status_notes = status_notes(ctx, history)
    if history.project["status"] != "closed" and history.status_notes:
        history.project["percent_complete"] = history.status_notes[-1]["percent_complete"]
    return history


def _project_row(plan: ProjectPlan, ctx: Context, budget_amount: float) -> Row:
    tl = ctx.timeline
    return {
        "external_id": plan.external_id,
        "client_key": f"CL{plan.client_index + 1:03d}",
        "name": plan.name,
        "engagement_type": plan.engagement.value,
        "contract_type": plan.contract.value,
        "practice": plan.practice,
        "region": plan.client.region,
        "budget_hours": plan.budget_hours,
        "budget_amount": budget_amount,
        "bill_rate": ctx.bill_rate,
        "start_date": tl.monday(plan.start_week),
        "end_date": tl.friday(plan.end_week),
        "percent_complete": 0.0,
        "status": plan.status.value,
        "delivery_manager_email": plan.delivery_manager,
        "closed_on": None,
        "actual_hours": None,
    }


def _people_rows(people: list[Person], data: DemoData) -> None:
    data.skills = [{"name": name, "category": cat} for name, cat in SKILL_CATEGORY.items()]
    for p in people:
        data.consultants.append(
            {
                "external_id": p.external_id,
                "name": p.name,
                "email": p.email,
                "role_level": p.level.level.value,
                "title": p.title,
                "practice": p.practice,
                "region": p.region,
                "timezone": p.timezone,
                "languages": p.languages,
                "cost_rate": float(p.cost_rate),
                "bill_rate": float(p.bill_rate),
                "weekly_capacity_hours": p.capacity,
                "utilization_target": p.utilization_target,
                "active": p.leave_week is None,
            }
        )
        data.consultant_skills += [
            {
                "consultant_key": p.external_id,
                "skill_name": s.name,
                "proficiency": s.proficiency,
                "years": s.years,
            }
            for s in p.skills
        ]
        data.certifications += [
            {
                "consultant_key": p.external_id,
                "name": c.name,
                "issuer": c.issuer,
                "issued_on": c.issued_on,
                "expires_on": c.expires_on,
            }
            for c in p.certifications
        ]
