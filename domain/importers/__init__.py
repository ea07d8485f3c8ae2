"""Import a firm's own data (consultants, projects, finished projects, requests) from CSV or
JSON. Every row is checked before anything is written; one bad row rejects the whole file.

The field-by-field format is in docs/data-formats.md.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from domain.importers.consultants import import_consultants
from domain.importers.history import import_history
from domain.importers.projects import import_projects
from domain.importers.report import (
    Counts,
    ImportConflict,
    ImportRejected,
    ImportReport,
    Problem,
    UnreadableFile,
)
from domain.importers.requests import import_requests

Importer = Callable[[Session, Path], ImportReport]

IMPORTERS: dict[str, Importer] = {
    "consultants": import_consultants,
    "projects": import_projects,
    "history": import_history,
    "requests": import_requests,
}


def import_file(session: Session, kind: str, path: Path) -> ImportReport:
    """Import ``path`` as records of ``kind`` (a key of IMPORTERS); the caller commits."""
    return IMPORTERS[kind](session, path)


__all__ = [
    "IMPORTERS",
    "Counts",
    "ImportConflict",
    "ImportRejected",
    "ImportReport",
    "Problem",
    "UnreadableFile",
    "import_consultants",
    "import_file",
    "import_history",
    "import_projects",
    "import_requests",
]
