"""Database side shared by the importers: bulk look-ups, change-aware updates, one savepoint."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

from sqlalchemy import ColumnElement, Select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session

from domain.importers.report import ImportConflict

T = TypeVar("T")
C = TypeVar("C")


class Named(Protocol):
    @property
    def name(self) -> str: ...


E = TypeVar("E", bound=Named)

# Bound parameters per IN (...): well under SQLite's and PostgreSQL's limits.
CHUNK = 500


def load_in(
    session: Session,
    query: Select[T],
    column: ColumnElement[Any] | InstrumentedAttribute[Any],
    keys: Iterable[Any],
) -> list[T]:
    """Rows of ``query`` whose ``column`` is one of ``keys``: one query per 500 keys, never
    one per row."""
    unique: Sequence[Any] = list(dict.fromkeys(keys))
    rows: list[T] = []
    for i in range(0, len(unique), CHUNK):
        rows.extend(session.scalars(query.where(column.in_(unique[i : i + CHUNK]))))
    return rows


def apply(target: object, values: dict[str, Any]) -> bool:
    """Set the attributes that differ; True when anything changed.

    Assigning equal values would still mark rows dirty and bump ``updated_at``, and the report
    could no longer tell "updated" from "unchanged".
    """
    changed = False
    for name, value in values.items():
        if getattr(target, name) != value:
            setattr(target, name, value)
            changed = True
    return changed


def merge_by_name(
    current: Iterable[C],
    name_of: Callable[[C], str],
    entries: Sequence[E],
    make: Callable[[E], C],
    values: Callable[[E], dict[str, Any]],
) -> list[C] | None:
    """The children ``entries`` describe, in their order; None when that is what ``current``
    already holds.

    A child with an entry's name (case-insensitive) is updated in place with ``values``, so
    what the file does not carry (a milestone's acceptance, a link's primary key) survives;
    ``make`` creates the others. Children with no entry are left out of the list.
    """
    by_name = {name_of(c).lower(): c for c in current}
    wanted: list[C] = []
    changed = False
    for e in entries:
        child = by_name.get(e.name.lower())
        if child is None:
            child, changed = make(e), True
        else:
            changed |= apply(child, values(e))
        wanted.append(child)
    return wanted if changed or len(wanted) != len(by_name) else None


@contextmanager
def writing(session: Session, file: str) -> Iterator[None]:
    """The writes of one import, in a savepoint: if the database refuses any of them, none
    stay, even when the caller's transaction goes on."""
    try:
        with session.begin_nested():
            yield
            session.flush()
    except IntegrityError as exc:
        raise ImportConflict(
            f"{file}: the database refused the import ({exc.orig}); nothing was imported"
        ) from exc
