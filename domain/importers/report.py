"""What an import tells the person who ran it: counts when it worked, every problem when not."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from domain.errors import Conflict, InvalidInput


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one row, placed the way a person finds it in the file.

    ``row`` is the CSV line where the record starts (the header is line 1) or the 1-based
    position of the object in a JSON list; ``field`` is empty when the whole row is at fault.
    """

    row: int
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}, field {self.field}" if self.field else f"row {self.row}"
        return f"{where}: {self.reason}"


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


@dataclass
class ImportReport:
    """Outcome of one import. ``counts`` holds the imported kind first, then the kinds it
    created on the way (skills named by consultants, clients named by projects)."""

    kind: str
    file: str
    rows: int
    counts: dict[str, Counts] = field(default_factory=dict)

    def count(self, kind: str) -> Counts:
        return self.counts.setdefault(kind, Counts())

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file": self.file,
            "rows": self.rows,
            "counts": {k: asdict(c) for k, c in self.counts.items()},
        }

    def lines(self) -> list[str]:
        head = f"imported {self.file} ({self.rows} row{'s' if self.rows != 1 else ''})"
        return [head] + [
            f"  {kind}: {c.created} created, {c.updated} updated, {c.unchanged} unchanged"
            for kind, c in self.counts.items()
        ]


class ImportRejected(InvalidInput):
    """At least one row is invalid, so nothing was stored; ``problems`` lists every one."""

    code = "import_rejected"

    def __init__(self, file: str, problems: list[Problem]) -> None:
        # By row only: within a row, problems keep the file's column order.
        self.problems = sorted(problems, key=lambda p: p.row)
        n = len(self.problems)
        super().__init__(
            f"{file}: {n} problem{'s' if n != 1 else ''}; nothing was imported",
            extra={"problems": [asdict(p) for p in self.problems]},
        )


class UnreadableFile(InvalidInput):
    """The file as a whole cannot be read as an import: wrong type, encoding or shape."""

    code = "unreadable_file"


class ImportConflict(Conflict):
    """The database refused the writes (for example a unique value taken concurrently)."""

    code = "import_conflict"
