"""Canonical JSON and SHA-256: one definition used by content hashes, the audit chain and
webhook bodies, so a value hashes the same wherever it is computed."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from enum import Enum
from typing import Any

from pydantic import BaseModel


def _default(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"not JSON-serialisable: {type(value).__name__}")


def _normalise(value: Any) -> Any:
    # PostgreSQL's JSONB hands integral floats back as integers (1e16 -> 10000000000000000), so
    # write them as integers in the first place: the hash then survives the round trip.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normalise(v) for v in value]
    return value


def canonical_json(value: Any) -> str:
    """Sorted keys, no whitespace, ASCII only, no NaN: the same bytes on every machine."""
    return json.dumps(
        _normalise(_plain(value)),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
        allow_nan=False,
        default=_default,
    )


def _plain(value: Any) -> Any:
    # Models, dates and enums become JSON types first, so integral floats inside them are found.
    return json.loads(json.dumps(value, default=_default, allow_nan=False))


def jsonable(value: Any) -> Any:
    """``value`` as plain JSON types, exactly as it will be stored and re-read."""
    return json.loads(canonical_json(value))


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def content_hash(value: Any) -> str:
    return sha256_hex(canonical_json(value))
