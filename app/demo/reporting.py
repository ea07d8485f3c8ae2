"""Status notes over a project's life: what the manager saw, believed and chose to report.

Reported progress is the manager's belief, not the truth: the true share of work done is the
hours so far over the hours the project will really take, which nobody knows; managers add
their optimism on top, most of it mid-project ("90% done" syndrome). The RAG follows the gap
between burn and reported progress plus the period's events, moves one step at a time, and is
softened by optimistic managers.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np

from app.demo.history import RUN_TYPES, Context, ProjectHistory, Row
from app.demo.notes import HOLD_NOTE, NoteFacts, closing_note, write_note
from app.demo.staffing import Stint
from app.demo.worklog import describe
from domain.types import EngagementType, ProjectStatus

RAGS = ("green", "amber", "red")


def status_notes(ctx: Context, history: ProjectHistory) -> list[Row]:
    plan, tl = ctx.plan, ctx.timeline
    reporter = _Reporter(ctx, history)
    rows: list[Row] = []
    for week in range(plan.start_week + plan.cadence - 1, ctx.last_week + 1, plan.cadence):
        rag, percent, text = reporter.note(week)
        rows.append(_row(ctx, week, reporter.day(week), rag, percent, text))
    if plan.hold_week is not None and tl.friday(plan.hold_week + 1) <= tl.as_of:
        text = HOLD_NOTE.format(client=plan.client.name)
        hold_day = tl.friday(plan.hold_week + 1)
        rows.append(_row(ctx, plan.hold_week, hold_day, "amber", 100 * reporter.reported, text))
    closed_on = history.project.get("closed_on")
    if history.project["status"] == ProjectStatus.closed.value and closed_on is not None:
        troubled = ctx.overran()
        text = closing_note(ctx.rng, troubled=troubled, client=plan.client.name)
        rag = "amber" if troubled else "green"
        rows.append(_row(ctx, plan.end_week, closed_on, rag, 100.0, text))
    return rows


class _Reporter:
    """One manager writing one project's notes, week after week."""

    def __init__(self, ctx: Context, history: ProjectHistory) -> None:
        self.ctx, self.history = ctx, history
        self.run = ctx.plan.engagement in RUN_TYPES
        self.total_effort = float(ctx.effort.sum()) or 1.0
        self.cum_true = np.cumsum(ctx.effort)
        self.cum_booked = np.cumsum(ctx.weekly_hours)
        self.candid = ctx.plan.optimism < 0.2 or ctx.rng.random() < 0.3
        self.day_offset = ctx.rng.choice((0, 0, -1))  # some managers write on Thursdays
        self.entries_by_week: dict[int, list[Row]] = {}
        for r in history.time_entries:
            self.entries_by_week.setdefault(ctx.timeline.week_of(r["work_date"]), []).append(r)
        self.previous: str | None = None
        self.level = 0
        self.reported = 0.0
        self.prev_week = ctx.plan.start_week - 1

    def day(self, week: int) -> date:
        return self.ctx.timeline.friday(week) + timedelta(days=self.day_offset)

    def note(self, week: int) -> tuple[str, float, str]:
        """RAG, reported percent complete and text of the note written in ``week``."""
        ctx, plan = self.ctx, self.ctx.plan
        i = week - plan.start_week
        burn = float(self.cum_booked[i]) / ctx.baseline(week)
        if self.run:
            self.reported = (i + 1) / plan.weeks  # run contracts report the term elapsed
        else:
            truth = float(self.cum_true[i]) / self.total_effort
            belief = truth + plan.optimism * 2 * truth * (1 - truth) + ctx.rng.gauss(0, 0.02)
            self.reported = max(self.reported, min(0.97, belief))
        facts = self._period(week)
        facts.percent, facts.burn = round(100 * self.reported), round(100 * burn)
        score = (
            4.5 * (burn - self.reported)
            + 0.6 * bool(facts.joined)
            + 0.35 * self._pending(self.day(week))
            + 0.6 * bool(facts.milestones_late)
            + 0.25 * (facts.late_timesheets >= 2)
            - 2.0 * (plan.optimism - 0.15)
            + ctx.rng.gauss(0, 0.25)
        )
        wanted = 0 if score < 0.3 else 1 if score < 0.85 else 2
        # Managers move one step at a time, and rarely open a project at red.
        self.level = (
            max(self.level - 1, min(self.level + 1, wanted)) if self.previous else min(wanted, 1)
        )
        facts.rag = RAGS[self.level]
        text = write_note(ctx.rng, facts)
        self.previous, self.prev_week = facts.rag, week
        return facts.rag, 100 * self.reported, text

    def _period(self, week: int) -> NoteFacts:
        """What happened since the previous note."""
        ctx, history = self.ctx, self.history
        since, until = self.day(self.prev_week), self.day(week)
        arrived = [s for s in ctx.stints if self.prev_week < s.start_week <= week]
        crs = history.change_requests
        return NoteFacts(
            rag="green",
            previous_rag=self.previous,
            percent=0,
            burn=0,
            run=self.run,
            work_line=_work_line(ctx, week),
            client=ctx.plan.client.name,
            dm_first_name=ctx.plan.delivery_manager.split(".")[0].capitalize(),
            next_milestone=next(((n, d) for n, d in ctx.due if d > until), None),
            joined=[
                (_leaver(ctx, s), _reason(ctx, s), ctx.people[s.person].name, s.slot.role)
                for s in arrived
                if s.kind == "replacement"
            ],
            added=[
                (ctx.people[s.person].name, s.slot.role, s.kind == "change")
                for s in arrived
                if s.kind in ("augmentation", "change")
            ],
            crs_raised=[
                (_cr_number(r), _cr_title(r)) for r in crs if since < r["raised_on"] <= until
            ],
            crs_decided=[
                (_cr_number(r), _cr_title(r), r["status"] == "approved", r["hours"])
                for r in crs
                if r["decided_on"] is not None and since < r["decided_on"] <= until
            ],
            milestones_done=[
                m["name"]
                for m in history.milestones
                if m["accepted_on"] and since < m["accepted_on"] <= until
            ],
            milestones_late=[  # a week past due and still not signed off
                m["name"]
                for m in history.milestones
                if since < m["due_date"] + timedelta(days=7) <= until
                and (m["accepted_on"] is None or m["accepted_on"] > until)
            ],
            late_timesheets=sum(
                1 for r in self.entries_by_week.get(week - 1, []) if r["submitted_on"] > until
            ),
            candid=self.candid,
        )

    def _pending(self, day: date) -> bool:
        return any(
            r["raised_on"] <= day and (r["decided_on"] is None or r["decided_on"] > day)
            for r in self.history.change_requests
        )


def _row(ctx: Context, week: int, day: date, rag: str, percent: float, text: str) -> Row:
    return {
        "project_key": ctx.plan.external_id,
        "author": _author(ctx, week),
        "note_date": day,
        "rag": rag,
        "percent_complete": float(math.floor(percent)),
        "text": text,
    }


def _author(ctx: Context, week: int) -> str:
    managers = [s for s in ctx.stints if s.slot.manager]
    current = [s for s in managers if s.start_week <= week] or managers or ctx.stints
    return ctx.people[current[-1].person].name


def _work_line(ctx: Context, week: int) -> str:
    active = [s for s in ctx.stints if s.active(week) and not s.slot.lead and not s.slot.manager]
    if not active:
        return "planning and coordination with the client team"
    s = ctx.rng.choice(active)
    return describe(
        ctx.rng,
        track=s.slot.tracks[0] if s.slot.tracks else ctx.people[s.person].track.key,
        role=s.slot.role,
        lead=False,
        manager=False,
        phase=ctx.phase(week),
        advisory=ctx.plan.engagement is EngagementType.advisory,
        data=ctx.data,
        sprint=(week - ctx.plan.start_week) // 2 + 1,
        handover=False,
        troubled=False,
    )


def _leaver(ctx: Context, joiner: Stint) -> str:
    before = [
        s for s in ctx.stints if s.slot is joiner.slot and s.end_week == joiner.start_week - 1
    ]
    return ctx.people[before[0].person].name if before else "A team member"


def _reason(ctx: Context, joiner: Stint) -> str:
    churn = next((c for c in ctx.plan.churns if c.week == joiner.start_week), None)
    return "has left the engagement" if churn is None else churn.reason


def _cr_number(row: Row) -> int:
    return int(str(row["title"]).split(" ", 1)[0].removeprefix("CR-"))


def _cr_title(row: Row) -> str:
    return str(row["title"]).split(" ", 1)[1]
