"""Import finished projects, the outcomes the overrun-risk model learns from.

Each row becomes (or closes) a project: status ``closed``, ``closed_on`` = end date,
``actual_hours`` recorded. Change requests, when the row gives them, become approved
ChangeRequest rows, because that is where the risk features read them from.
"""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.importers.clients import plan_clients
from domain.importers.reading import read_source
from domain.importers.records import HistoryRecord
from domain.importers.report import ImportRejected, ImportReport
from domain.importers.store import apply, load_in, writing
from domain.importers.validation import repeated, validate_rows
from domain.tables import ChangeRequest, Project
from domain.types import ProjectStatus

KIND = "history"
REQUIRED = (
    "name",
    "engagement_type",
    "contract_type",
    "budget_hours",
    "actual_hours",
    "start_date",
    "end_date",
)
OPTIONAL = ("budget_amount", "practice", "region")
APPROVED = "approved"


def import_history(session: Session, path: Path) -> ImportReport:
    """Validate every row of ``path``, then store each as a closed project in one savepoint.

    Columns the history format does not know are ignored (the risk trainer may read them).
    Raises ImportRejected (nothing stored) when any row has a problem.
    """
    source = read_source(path)
    parsed, problems = validate_rows(source, HistoryRecord, KIND)
    problems += repeated(source, "external_id")
    clients = plan_clients(session, ((p.row, p.record) for p in parsed))
    problems += clients.problems
    if problems:
        raise ImportRejected(source.name, problems)
    existing = {
        p.external_id: p
        for p in load_in(
            session, select(Project), Project.external_id, (p.record.external_id for p in parsed)
        )
    }
    approved: dict[int, list[ChangeRequest]] = defaultdict(list)
    query = select(ChangeRequest).where(ChangeRequest.status == APPROVED)
    for cr in load_in(session, query, ChangeRequest.project_id, (p.id for p in existing.values())):
        approved[cr.project_id].append(cr)

    report = ImportReport(KIND, source.name, len(parsed))
    counts = report.count(KIND)
    with writing(session, source.name):
        by_client = clients.clients(session, report.count("clients"))
        outcomes: list[tuple[Project, HistoryRecord, str]] = []
        for p in parsed:
            rec, project = p.record, existing.get(p.record.external_id)
            client = by_client[rec.client.lower()]
            if project is None:
                project = Project(
                    external_id=rec.external_id, client=client, **_closed(rec, new=True)
                )
                session.add(project)
                outcomes.append((project, rec, "created"))
            else:
                changed = apply(project, {"client": client, **_closed(rec, new=False)})
                outcomes.append((project, rec, "updated" if changed else "unchanged"))
        session.flush()  # ChangeRequest has no relationship to Project: new ones need ids
        for project, rec, outcome in outcomes:
            if (
                _replace_change_requests(session, project, rec, approved[project.id])
                and outcome == "unchanged"
            ):
                outcome = "updated"
            counts.add(outcome)
    return report


def _closed(rec: HistoryRecord, *, new: bool) -> dict[str, Any]:
    values = rec.values(REQUIRED, given_only=False) | rec.values(OPTIONAL, given_only=not new)
    values |= {
        "status": ProjectStatus.closed.value,
        "closed_on": rec.end_date,
        "percent_complete": 100.0,
    }
    if new:
        # History has no rate column; the blended rate is what the budget implies. An
        # existing project keeps the rate it already has.
        values |= {
            "bill_rate": round(rec.budget_amount / rec.budget_hours, 2),
            "delivery_manager_email": "",
        }
    return values


def _replace_change_requests(
    session: Session, project: Project, rec: HistoryRecord, current: list[ChangeRequest]
) -> bool:
    """Store the row's change-request totals as that many approved change requests with the
    hours split evenly; leave them alone when the row says nothing or the totals match."""
    if not (rec.gave("change_request_hours") or rec.gave("change_request_count")):
        return False
    hours = rec.change_request_hours
    count = rec.change_request_count if rec.gave("change_request_count") else int(hours > 0)
    if len(current) == count and math.isclose(sum(c.hours for c in current), hours, abs_tol=1e-6):
        return False
    for cr in current:
        session.delete(cr)
    for i in range(1, count + 1):
        session.add(
            ChangeRequest(
                project_id=project.id,
                title=f"Change request {i} of {count} (imported history)",
                description="Imported from a history file, which gives totals only: hours are split evenly.",
                hours=hours / count,
                status=APPROVED,
                # The file has no dates per change request; the project start is the one
                # date certain to precede them.
                raised_on=rec.start_date,
                decided_on=rec.start_date,
            )
        )
    return True
