"""Profile and request vectors composed from embeddings of short phrases.

A profile is a handful of phrases (its skills, title and practice), and a firm of 100,000
people uses only a few hundred distinct ones. Each phrase is embedded once with the shared
encoder; a profile vector is the normalised sum of its phrase vectors, skills weighted by
proficiency. A request is composed the same way from its role and skills, so similarity rewards
the same or semantically close skills (PySpark for Spark) at the levels asked for. This makes
indexing 100,000 profiles a matter of seconds rather than the ~8 minutes that embedding their
full texts would take, and ``evals/staffing.py`` reports how it ranks against full-text
embeddings.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from models.encoder import Encoder
from models.staffing.profiles import Profile

# Bump when the composition below changes: stored vectors carry it and are rebuilt on mismatch.
COMPOSITION_VERSION = "compose-v1"


@dataclass(frozen=True)
class Composition:
    """How much each kind of phrase contributes to a vector."""

    title: float = 1.0
    practice: float = 0.5
    required_skill: float = 1.0
    nice_skill: float = 0.5
    description: float = 1.0

    @staticmethod
    def skill_weight(proficiency: int) -> float:
        # Linear in proficiency: an expert's skill pulls the vector five times harder than a
        # skill they are merely aware of.
        return max(1, min(5, proficiency)) / 5.0


def phrase_key(text: str) -> str:
    # all-MiniLM-L6-v2 lower-cases its input, so case variants are the same phrase.
    return " ".join(text.lower().split())


class PhraseBank:
    """Phrase -> unit vector, embedding each distinct phrase once."""

    def __init__(self, encoder: Encoder, known: Mapping[str, np.ndarray] | None = None) -> None:
        self.encoder = encoder
        self._vectors: dict[str, np.ndarray] = dict(known or {})
        self._new: set[str] = set()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._vectors)

    def vectors(self, phrases: Iterable[str], *, remember: bool = True) -> dict[str, np.ndarray]:
        """Vectors for ``phrases`` (keyed by ``phrase_key``), embedding the unseen ones in one batch."""
        keys = {phrase_key(p) for p in phrases if p and p.strip()}
        missing = sorted(k for k in keys if k not in self._vectors)
        if missing:
            fresh = self.encoder.encode(missing)
            with self._lock:
                for k, v in zip(missing, fresh, strict=True):
                    self._vectors[k] = np.asarray(v, dtype=np.float32)
                    if remember:
                        self._new.add(k)
        return {k: self._vectors[k] for k in keys}

    def take_new(self) -> dict[str, np.ndarray]:
        """Phrases embedded since the last call, to persist beside the index."""
        with self._lock:
            new, self._new = self._new, set()
        return {k: self._vectors[k] for k in new}


def _normalise(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return (v / norm).astype(np.float32) if norm > 0 else v.astype(np.float32)


def profile_phrases(p: Profile) -> list[str]:
    return [s.name for s in p.skills.values()] + [p.title, p.practice]


def compose_profiles(
    bank: PhraseBank, profiles: Iterable[Profile], comp: Composition = Composition()
) -> tuple[list[int], np.ndarray]:
    """Ids and unit-norm vectors of ``profiles``, in the same order."""
    people = list(profiles)
    phrases = bank.vectors({ph for p in people for ph in profile_phrases(p)})
    dim = bank.encoder.dim
    out = np.zeros((len(people), dim), dtype=np.float32)
    for i, p in enumerate(people):
        v = np.zeros(dim, dtype=np.float32)
        for s in p.skills.values():
            v += comp.skill_weight(s.proficiency) * phrases[phrase_key(s.name)]
        if p.title.strip():
            v += comp.title * phrases[phrase_key(p.title)]
        if p.practice.strip():
            v += comp.practice * phrases[phrase_key(p.practice)]
        out[i] = _normalise(v)
    return [p.id for p in people], out


def compose_request(
    bank: PhraseBank,
    *,
    role: str,
    required: Mapping[str, int],
    nice_to_have: Mapping[str, int],
    description: str = "",
    comp: Composition = Composition(),
) -> np.ndarray:
    """The query vector of a staffing request, on the same footing as profile vectors."""
    # Request phrases are not persisted: one-off wording should not grow the stored bank.
    phrases = bank.vectors([role, *required, *nice_to_have], remember=False)
    v = np.zeros(bank.encoder.dim, dtype=np.float32)
    if role.strip():
        v += comp.title * phrases[phrase_key(role)]
    for name, level in required.items():
        v += comp.required_skill * comp.skill_weight(level) * phrases[phrase_key(name)]
    for name, level in nice_to_have.items():
        v += comp.nice_skill * comp.skill_weight(level) * phrases[phrase_key(name)]
    if description.strip():
        v += comp.description * bank.encoder.encode([description])[0]
    return _normalise(v)
