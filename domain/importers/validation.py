"""Check every row of a file against its record model and collect every problem found."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from domain.importers.fields import SHAPE_ERROR
from domain.importers.reading import SourceFile
from domain.importers.records import Record
from domain.importers.report import Problem, UnreadableFile

R = TypeVar("R", bound=Record)

# Reasons for the structural errors pydantic itself raises (our value types word their own).
_REASONS = {
    "missing": "is required",
    "extra_forbidden": "is not a known field",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "dict_type": "must be an object",
    "list_type": "must be a list",
}


@dataclass(frozen=True)
class Parsed(Generic[R]):
    row: int
    record: R


def validate_rows(
    source: SourceFile, model: type[R], kind: str
) -> tuple[list[Parsed[R]], list[Problem]]:
    """Every row that validates, and a problem for every field of every row that does not."""
    problems = list(source.problems)
    ignored: set[str] = set()
    if source.columns is not None:
        ignored = _check_columns(source, model, kind, problems)
    parsed: list[Parsed[R]] = []
    for row in source.rows:
        values = {k: v for k, v in row.values.items() if k not in ignored}
        try:
            parsed.append(Parsed(row.number, model.model_validate(values)))
        except ValidationError as exc:
            problems.extend(
                Problem(row.number, field_name(e["loc"]), reason(e)) for e in exc.errors()
            )
    return parsed, problems


def _check_columns(
    source: SourceFile, model: type[R], kind: str, problems: list[Problem]
) -> set[str]:
    """Missing required columns make the file unusable; unknown ones are one problem each,
    reported on the header line rather than on every row."""
    columns = source.columns or []
    required = [n for n, f in model.model_fields.items() if f.is_required()]
    missing = [c for c in required if c not in columns]
    if missing:
        raise UnreadableFile(
            f"{source.name}: missing required column(s) {', '.join(missing)} for {kind}; "
            f"the header has: {', '.join(columns)}"
        )
    unknown = {c for c in columns if c not in model.model_fields}
    if model.model_config.get("extra") == "forbid":
        known = ", ".join(model.model_fields)
        problems.extend(
            Problem(1, c, f"is not a column of a {kind} file (known columns: {known})")
            for c in sorted(unknown)
        )
    return unknown


def field_name(loc: tuple[int | str, ...]) -> str:
    """``("skills", 1, "proficiency")`` -> ``skills[2].proficiency``: entries count from 1."""
    name = ""
    for part in loc:
        if isinstance(part, int):
            name += f"[{part + 1}]"
        else:
            name += f".{part}" if name else part
    return name


def reason(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind in _REASONS:
        return _REASONS[kind]
    # Shape errors already quote the entry at fault; everything else shows what it was given.
    if kind == SHAPE_ERROR:
        return error["msg"]
    return f"{error['msg']} (got {shown(error.get('input'))})"


def shown(value: Any, limit: int = 60) -> str:
    if isinstance(value, str):
        value = value if len(value) <= limit else value[: limit - 3] + "..."
        return json.dumps(value, ensure_ascii=False)
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def repeated(source: SourceFile, field: str, *, fold_case: bool = False) -> list[Problem]:
    """A problem for every row repeating an earlier row's ``field``.

    Read from the raw rows, so a repeat is reported even when the first row has other problems.
    """
    first: dict[str, int] = {}
    problems = []
    for row in source.rows:
        value = row.values.get(field)
        if not isinstance(value, str | int) or isinstance(value, bool):
            continue
        key = str(value).strip()
        key = key.lower() if fold_case else key
        if not key:
            continue
        if key in first:
            problems.append(
                Problem(row.number, field, f'"{key}" appears again (first on row {first[key]})')
            )
        else:
            first[key] = row.number
    return problems


def repeated_names(row: int, field: str, names: Sequence[str]) -> list[Problem]:
    """A problem for every entry of a row's list ``field`` repeating an earlier entry's name
    (case-insensitive): entries are matched by name when a record is updated."""
    problems = []
    first: dict[str, int] = {}
    for i, name in enumerate(names, start=1):
        earlier = first.setdefault(name.lower(), i)
        if earlier != i:
            problems.append(
                Problem(row, f"{field}[{i}].name", f'repeats "{name}" ({field}[{earlier}])')
            )
    return problems
