"""Import projects with their milestones and assignments, upserted by ``external_id``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload, selectinload

from domain.importers.clients import plan_clients
from domain.importers.reading import read_source
from domain.importers.records import AssignmentEntry, MilestoneEntry, ProjectRecord
from domain.importers.report import ImportRejected, ImportReport, Problem
from domain.importers.store import apply, load_in, merge_by_name, writing
from domain.importers.validation import Parsed, repeated, repeated_names, validate_rows
from domain.tables import Assignment, Consultant, Milestone, Project

KIND = "projects"
SCALARS = (
    "name",
    "engagement_type",
    "contract_type",
    "practice",
    "region",
    "budget_hours",
    "budget_amount",
    "bill_rate",
    "start_date",
    "end_date",
    "percent_complete",
    "status",
    "delivery_manager_email",
)


def import_projects(session: Session, path: Path) -> ImportReport:
    """Validate every row of ``path``, then create or update its projects in one savepoint.

    Raises ImportRejected (nothing stored) when any row has a problem, including an
    assignment naming a consultant that is not in the database.
    """
    source = read_source(path)
    parsed, problems = validate_rows(source, ProjectRecord, KIND)
    problems += repeated(source, "external_id")
    problems += [q for p in parsed for q in _repeated_entries(p)]
    consultant_ids = _consultant_ids(session, parsed)
    problems += _unknown_consultants(parsed, consultant_ids)
    clients = plan_clients(session, ((p.row, p.record) for p in parsed))
    problems += clients.problems
    existing = {
        p.external_id: p
        for p in load_in(
            session,
            select(Project).options(selectinload(Project.milestones)),
            Project.external_id,
            (p.record.external_id for p in parsed),
        )
    }
    if problems:
        raise ImportRejected(source.name, problems)

    report = ImportReport(KIND, source.name, len(parsed))
    counts = report.count(KIND)
    with writing(session, source.name):
        by_client = clients.clients(session, report.count("clients"))
        outcomes: list[tuple[Project, ProjectRecord, str]] = []
        for p in parsed:
            rec, project = p.record, existing.get(p.record.external_id)
            client = by_client[rec.client.lower()]
            if project is None:
                project = Project(
                    external_id=rec.external_id,
                    client=client,
                    milestones=[_milestone(e) for e in rec.milestones],
                    **rec.values(SCALARS, given_only=False),
                )
                session.add(project)
                outcomes.append((project, rec, "created"))
                continue
            changed = apply(project, {"client": client, **rec.values(SCALARS, given_only=True)})
            if rec.gave("milestones"):
                changed |= _replace_milestones(project, rec.milestones)
            outcomes.append((project, rec, "updated" if changed else "unchanged"))
        # Assignments are linked by project_id (Project has no assignments relationship),
        # so new projects need their ids first.
        session.flush()
        current = _current_assignments(
            session, [p for p, r, o in outcomes if o != "created" and r.gave("assignments")]
        )
        for project, rec, outcome in outcomes:
            if (
                rec.gave("assignments")
                and _replace_assignments(
                    session, project, rec.assignments, current[project.id], consultant_ids
                )
                and outcome == "unchanged"
            ):
                outcome = "updated"
            counts.add(outcome)
    return report


def _repeated_entries(p: Parsed[ProjectRecord]) -> list[Problem]:
    problems = repeated_names(p.row, "milestones", [m.name for m in p.record.milestones])
    keys: dict[tuple[str, str, date], int] = {}
    for i, a in enumerate(p.record.assignments, start=1):
        if (first := keys.setdefault((a.consultant, a.role.lower(), a.start_date), i)) != i:
            problems.append(
                Problem(
                    p.row,
                    f"assignments[{i}]",
                    f"repeats assignments[{first}] (same consultant, role and start_date)",
                )
            )
    return problems


def _consultant_ids(session: Session, parsed: list[Parsed[ProjectRecord]]) -> dict[str, int]:
    named = (a.consultant for p in parsed for a in p.record.assignments)
    # Only ids are needed: skip the skills and certifications a Consultant loads eagerly.
    query = select(Consultant).options(lazyload("*"))
    return {c.external_id: c.id for c in load_in(session, query, Consultant.external_id, named)}


def _unknown_consultants(
    parsed: list[Parsed[ProjectRecord]], known: dict[str, int]
) -> list[Problem]:
    return [
        Problem(
            p.row,
            f"assignments[{i}].consultant",
            f'no consultant with external_id "{a.consultant}"; import consultants first',
        )
        for p in parsed
        for i, a in enumerate(p.record.assignments, start=1)
        if a.consultant not in known
    ]


def _milestone(e: MilestoneEntry) -> Milestone:
    return Milestone(name=e.name, due_date=e.due_date, amount=e.amount)


def _replace_milestones(project: Project, entries: Sequence[MilestoneEntry]) -> bool:
    # Matched by name so that a milestone's acceptance (status, accepted_on) survives.
    wanted = merge_by_name(
        project.milestones,
        lambda m: m.name,
        entries,
        _milestone,
        lambda e: {"name": e.name, "due_date": e.due_date, "amount": e.amount},
    )
    if wanted is None:
        return False
    project.milestones = wanted
    return True


def _current_assignments(session: Session, projects: list[Project]) -> dict[int, list[Assignment]]:
    by_project: dict[int, list[Assignment]] = defaultdict(list)
    query = select(Assignment).options(lazyload(Assignment.consultant))
    for a in load_in(session, query, Assignment.project_id, (p.id for p in projects)):
        by_project[a.project_id].append(a)
    return by_project


def _replace_assignments(
    session: Session,
    project: Project,
    entries: Sequence[AssignmentEntry],
    current: list[Assignment],
    consultant_ids: dict[str, int],
) -> bool:
    """Make the project's assignments the file's. Assignments have no external id, so one is
    recognised by consultant, role and start date; hours and end date may change."""
    by_key = {(a.consultant_id, a.role.lower(), a.start_date): a for a in current}
    kept: set[int] = set()
    changed = False
    for e in entries:
        consultant_id = consultant_ids[e.consultant]
        assignment = by_key.get((consultant_id, e.role.lower(), e.start_date))
        if assignment is None:
            session.add(
                Assignment(
                    project_id=project.id,
                    consultant_id=consultant_id,
                    role=e.role,
                    hours_per_week=e.hours_per_week,
                    start_date=e.start_date,
                    end_date=e.end_date,
                )
            )
            changed = True
            continue
        kept.add(assignment.id)
        changed |= apply(
            assignment, {"role": e.role, "hours_per_week": e.hours_per_week, "end_date": e.end_date}
        )
    for assignment in current:
        if assignment.id not in kept:
            session.delete(assignment)
            changed = True
    return changed
