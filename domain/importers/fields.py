"""Value types for import records.

Each type parses what spreadsheets and exports actually contain (numbers as text, dates as
text, ``Time & Materials`` for ``time_and_materials``) and, when it cannot, fails with a
sentence a person can act on: the reason the CLI prints after ``field bill_rate:``.
"""

from __future__ import annotations

import math
import re
import zoneinfo
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import cache
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainValidator
from pydantic_core import PydanticCustomError

# Errors of this type get the offending input appended ("(got "abc")") when reported.
VALUE_ERROR = "import_value"
# Errors of this type already quote what is wrong, so the input is not repeated.
SHAPE_ERROR = "import_shape"


def value_error(message: str) -> PydanticCustomError:
    return PydanticCustomError(VALUE_ERROR, "{reason}", {"reason": message})


def shape_error(message: str) -> PydanticCustomError:
    return PydanticCustomError(SHAPE_ERROR, "{reason}", {"reason": message})


# -- numbers -------------------------------------------------------------------------------


def _as_number(value: object) -> float | None:
    if isinstance(value, bool):  # JSON true is not 1 hour
        return None
    if isinstance(value, int | float):
        x = float(value)
    elif isinstance(value, str):
        try:
            x = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return x if math.isfinite(x) else None


def _range_words(low: float, high: float | None, above: bool) -> str:
    if high is not None:
        return f"from {low:g} to {high:g}"
    return f"> {low:g}" if above else f">= {low:g}"


def _number(
    low: float, high: float | None = None, *, above: bool = False
) -> Callable[[Any], float]:
    message = f"must be a number {_range_words(low, high, above)}"

    def parse(value: Any) -> float:
        x = _as_number(value)
        if x is None or x < low or (above and x == low) or (high is not None and x > high):
            raise value_error(message)
        return x

    return parse


def _whole(low: int, high: int | None = None) -> Callable[[Any], int]:
    message = f"must be a whole number {_range_words(low, high, False)}"

    def parse(value: Any) -> int:
        x = _as_number(value)
        if x is None or not x.is_integer() or x < low or (high is not None and x > high):
            raise value_error(message)
        return int(x)

    return parse


NonNegative = Annotated[float, PlainValidator(_number(0))]
Positive = Annotated[float, PlainValidator(_number(0, above=True))]
Percent = Annotated[float, PlainValidator(_number(0, 100))]
Share = Annotated[float, PlainValidator(_number(0, 1))]
WeekHours = Annotated[float, PlainValidator(_number(0, 168))]
Proficiency = Annotated[int, PlainValidator(_whole(1, 5))]
Count = Annotated[int, PlainValidator(_whole(0))]


# -- dates ---------------------------------------------------------------------------------


def _day(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise value_error("must be a date YYYY-MM-DD")


def _moment(value: Any) -> datetime:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            # Exports often drop the offset; UTC is the documented reading of a bare time.
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=UTC)
            return parsed.astimezone(UTC)
    raise value_error("must be an ISO 8601 date-time like 2025-03-04T09:15:00Z")


Day = Annotated[date, PlainValidator(_day)]
Moment = Annotated[datetime, PlainValidator(_moment)]


# -- text ----------------------------------------------------------------------------------


def _text(max_len: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        # Spreadsheets turn ids like 1042 into numbers; the id is still the text "1042".
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise value_error("must be text")
        value = value.strip()
        if len(value) > max_len:
            raise value_error(f"must be at most {max_len} characters")
        return value

    return parse


def text(max_len: int) -> PlainValidator:
    """Stripped text no longer than the column that stores it (PostgreSQL would refuse it)."""
    return PlainValidator(_text(max_len))


EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def _email(value: Any) -> str:
    address = _text(200)(value).lower()
    if not EMAIL_SHAPE.match(address):
        raise value_error("must be an email address like name@example.com")
    return address


Email = Annotated[str, PlainValidator(_email)]


@cache
def _known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _timezone(value: Any) -> str:
    zone = _text(64)(value)
    known = _known_zones()
    # A host without a time-zone database cannot tell; the value is then taken on trust.
    if known and zone not in known:
        raise value_error("must be an IANA time zone like Europe/Berlin or America/New_York")
    return zone


TimeZone = Annotated[str, PlainValidator(_timezone)]


def choice(options: type[StrEnum]) -> PlainValidator:
    """One of ``options``, matched loosely: ``Time & Materials`` -> ``time_and_materials``."""
    allowed = [str(o) for o in options]
    message = "must be one of: " + ", ".join(allowed)

    def parse(value: Any) -> str:
        if isinstance(value, str):
            key = re.sub(r"[^a-z0-9]+", "_", value.lower().replace("&", " and ")).strip("_")
            if key in allowed:
                return key
        raise value_error(message)

    return PlainValidator(parse)


# -- nested lists in flat CSV cells --------------------------------------------------------

ENTRY_SEPARATOR = ";"


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(ENTRY_SEPARATOR) if part.strip()]


def entries(
    keys: tuple[str, ...], separator: str, *, required: int, from_right: bool = False
) -> BeforeValidator:
    """Read ``"a|b|c; a|b|c"`` into ``[{keys[0]: a, ...}, ...]``; lists and objects pass through.

    ``from_right`` splits from the end, so the first part (a name) may contain the separator.
    """
    shape = separator.join(keys[:required]) + "".join(f"[{separator}{k}]" for k in keys[required:])

    def to_dict(index: int, entry: str) -> dict[str, str]:
        parts = entry.rsplit(separator, len(keys) - 1) if from_right else entry.split(separator)
        if not required <= len(parts) <= len(keys):
            raise shape_error(f'entry {index} ("{entry}") must look like {shape}')
        return dict(zip(keys, (p.strip() for p in parts), strict=False))

    def parse(value: Any) -> Any:
        if not isinstance(value, str | list):
            return value  # the list type reports it
        items: Iterable[Any] = _split(value) if isinstance(value, str) else value
        return [to_dict(i, e) if isinstance(e, str) else e for i, e in enumerate(items, 1)]

    return BeforeValidator(parse)


def _names(value: Any) -> Any:
    return _split(value) if isinstance(value, str) else value


name_list = BeforeValidator(_names)
