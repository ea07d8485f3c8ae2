"""Import incoming requests (emails, chat, portal tickets), upserted by ``external_id``.

A request's ``status`` belongs to the triage workflow, so a re-import never touches it.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload

from domain.importers.reading import read_source
from domain.importers.records import RequestRecord
from domain.importers.report import ImportRejected, ImportReport, Problem
from domain.importers.store import apply, load_in, writing
from domain.importers.validation import repeated, validate_rows
from domain.tables import IncomingRequest, Project

KIND = "requests"
SCALARS = ("source", "sender", "subject", "body", "received_at", "category")


def import_requests(session: Session, path: Path) -> ImportReport:
    """Validate every row of ``path``, then create or update its requests in one savepoint.

    Raises ImportRejected (nothing stored) when any row has a problem, including a project
    reference that is not in the database.
    """
    source = read_source(path)
    parsed, problems = validate_rows(source, RequestRecord, KIND)
    problems += repeated(source, "external_id")
    query = select(Project).options(lazyload("*"))  # only ids are needed
    named = (p.record.project for p in parsed if p.record.project)
    project_ids = {p.external_id: p.id for p in load_in(session, query, Project.external_id, named)}
    problems += [
        Problem(
            p.row,
            "project",
            f'no project with external_id "{p.record.project}"; import projects first',
        )
        for p in parsed
        if p.record.project and p.record.project not in project_ids
    ]
    if problems:
        raise ImportRejected(source.name, problems)
    existing = {
        r.external_id: r
        for r in load_in(
            session,
            select(IncomingRequest),
            IncomingRequest.external_id,
            (p.record.external_id for p in parsed),
        )
    }

    report = ImportReport(KIND, source.name, len(parsed))
    counts = report.count(KIND)
    with writing(session, source.name):
        for p in parsed:
            rec, request = p.record, existing.get(p.record.external_id)
            values = rec.values(SCALARS, given_only=request is not None)
            if rec.project:
                values["project_id"] = project_ids[rec.project]
            if request is None:
                session.add(IncomingRequest(external_id=rec.external_id, **values))
                counts.add("created")
            else:
                counts.add("updated" if apply(request, values) else "unchanged")
    return report
