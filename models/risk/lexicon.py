"""How worried a status note sounds, from a small word list.

A lexicon rather than the sentence encoder: status notes are short and formulaic, the score
has to be explainable in a driver sentence ("wording negative: blocked, slipped"), and the
feature must be cheap to compute for hundreds of snapshots.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Stems, matched at the start of a word, so "delay" covers "delayed" and "delays".
NEGATIVE = (
    "behind",
    "block",
    "concern",
    "delay",
    "escalat",
    "issue",
    "late",
    "miss",
    "overrun",
    "over budget",
    "problem",
    "rework",
    "risk",
    "scope creep",
    "slip",
    "stuck",
    "unclear",
    "unplanned",
    "worr",
)
POSITIVE = (
    "accepted",
    "ahead",
    "complete",
    "delivered",
    "done",
    "on track",
    "on schedule",
    "resolved",
    "signed off",
    "smooth",
    "under budget",
)
_NEGATIONS = ("no ", "not ", "without ")


def _hits(text: str, stems: Iterable[str]) -> list[str]:
    found = []
    for stem in stems:
        for m in re.finditer(r"\b" + re.escape(stem), text):
            # "no issues", "not blocked": a negated worry word is not a worry.
            before = text[max(0, m.start() - 9) : m.start()]
            if not any(before.endswith(neg) for neg in _NEGATIONS):
                found.append(stem)
                break
    return found


def note_tone(texts: Iterable[str]) -> tuple[float, list[str]]:
    """Tone of ``texts`` in [-1, 1] (negative = worried) and the worry words found.

    Zero when the notes contain none of the listed words, so a project without notes and a
    project with neutral notes look the same.
    """
    negative: list[str] = []
    positive = 0
    for text in texts:
        lowered = text.lower()
        negative += _hits(lowered, NEGATIVE)
        positive += len(_hits(lowered, POSITIVE))
    total = len(negative) + positive
    if total == 0:
        return 0.0, []
    return (positive - len(negative)) / total, sorted(set(negative))
