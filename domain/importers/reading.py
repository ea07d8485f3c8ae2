"""Turn a CSV or JSON file into rows of plain values, each tagged with where it sits in the file.

Nothing here knows what a consultant or a project is; checking values is ``records``' job.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from domain.importers.report import Problem, UnreadableFile

Format = Literal["csv", "json"]
FORMATS: dict[str, Format] = {".csv": "csv", ".json": "json"}


@dataclass(frozen=True)
class SourceRow:
    number: int  # CSV line where the record starts (header = 1), or 1-based JSON index
    values: dict[str, Any]


@dataclass
class SourceFile:
    name: str
    format: Format
    rows: list[SourceRow]
    columns: list[str] | None = None  # the CSV header, normalised; None for JSON
    problems: list[Problem] = field(default_factory=list)  # rows the reader could not shape


def read_source(path: Path) -> SourceFile:
    """Read ``path`` by its extension; raises UnreadableFile for anything that is not a
    non-empty UTF-8 CSV with a header, or a JSON list."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UnreadableFile(
            f"{path.name}: unsupported file type {path.suffix or '(none)'!r}; use .csv or .json"
        )
    text = _read_text(path)
    if not text.strip():
        raise UnreadableFile(f"{path.name}: the file is empty")
    source = _read_csv(path.name, text) if fmt == "csv" else _read_json(path.name, text)
    if not source.rows and not source.problems:
        raise UnreadableFile(f"{path.name}: the file has no records")
    return source


def normalise_column(name: str) -> str:
    """``External ID`` and ``external-id`` both mean ``external_id``: spreadsheets retitle."""
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise UnreadableFile(f"{path}: no such file") from exc
    except OSError as exc:
        raise UnreadableFile(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    try:
        # utf-8-sig drops the byte-order mark Excel writes at the start of "CSV UTF-8" files.
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            f"{path.name}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8 (in Excel: 'CSV UTF-8')"
        ) from exc


def _read_csv(name: str, text: str) -> SourceFile:
    # Windows line ends would otherwise survive inside quoted multi-line cells, and the same
    # file saved on another machine would no longer import as unchanged.
    text = text.replace("\r\n", "\n")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
        columns = [normalise_column(c) for c in header]
        _check_header(name, header, columns)
        rows: list[SourceRow] = []
        problems: list[Problem] = []
        # A quoted cell may span lines, so a record starts on the line after the previous
        # record ended, not at reader.line_num.
        start = reader.line_num + 1
        for cells in reader:
            number, start = start, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue  # blank lines, including Excel's trailing ",,,"
            if len(cells) > len(columns):
                problems.append(
                    Problem(
                        number,
                        "",
                        f"has {len(cells)} values but the header has {len(columns)} columns",
                    )
                )
                continue
            # Fewer cells than columns: the missing ones are blank, as spreadsheets trim them.
            pairs = list(zip(columns, cells, strict=False))
            stray = [i for i, (col, cell) in enumerate(pairs, start=1) if not col and cell.strip()]
            if stray:
                problems.append(
                    Problem(number, "", f"has a value in column {stray[0]}, which has no header")
                )
                continue
            rows.append(SourceRow(number, {col: cell for col, cell in pairs if col}))
    except csv.Error as exc:
        raise UnreadableFile(
            f"{name}: not a readable CSV file (line {reader.line_num}: {exc})"
        ) from exc
    return SourceFile(name, "csv", rows, [c for c in columns if c], problems)


def _check_header(name: str, header: list[str], columns: list[str]) -> None:
    if len(columns) == 1 and ";" in header[0]:
        raise UnreadableFile(
            f"{name}: the header is a single column {header[0][:60]!r}; the file looks "
            "semicolon-separated, save it with commas as separators"
        )
    seen: set[str] = set()
    for col in columns:
        if col and col in seen:
            raise UnreadableFile(f"{name}: column {col!r} appears twice in the header")
        seen.add(col)


def _read_json(name: str, text: str) -> SourceFile:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableFile(
            f"{name}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from exc
    if not isinstance(data, list):
        raise UnreadableFile(
            f"{name}: a JSON import must be a list of objects ([{{...}}, ...]), "
            f"not {_json_kind(data)}"
        )
    rows: list[SourceRow] = []
    problems: list[Problem] = []
    for i, item in enumerate(data, start=1):
        if isinstance(item, dict):
            rows.append(SourceRow(i, item))
        else:
            problems.append(Problem(i, "", f"must be a JSON object, not {_json_kind(item)}"))
    return SourceFile(name, "json", rows, None, problems)


def _json_kind(value: object) -> str:
    if isinstance(value, dict):
        return "a single object"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int | float):
        return "a number"
    return "a list"
