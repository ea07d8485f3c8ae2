"""Keeping the profile index in step with the firm's tables.

``refresh`` compares a cheap per-consultant signature (row ``updated_at`` plus a checksum of
their skills, see ``profiles.profile_signatures``) with what is stored beside each vector, and
re-embeds only the consultants that changed; ``upsert`` does the same for ids a caller already
knows changed (an import, an HR event).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from models.encoder import Encoder
from models.staffing.profiles import load_profiles, profile_signatures
from models.staffing.store import VectorStore
from models.staffing.vectors import (
    COMPOSITION_VERSION,
    Composition,
    PhraseBank,
    compose_profiles,
    compose_request,
)

Progress = Callable[[int, int], None]
BATCH = 5_000


@dataclass(frozen=True)
class RefreshReport:
    upserted: int
    removed: int
    indexed: int
    ann_built: bool


def encoder_version(encoder: Encoder) -> str:
    return str(getattr(encoder, "version", type(encoder).__name__))


class StaffingIndex:
    """Profile vectors for the firm's active consultants, composed from phrase embeddings."""

    def __init__(
        self, store: VectorStore, encoder: Encoder, composition: Composition | None = None
    ) -> None:
        self.store = store
        self.encoder = encoder
        self.composition = composition or Composition()
        self.bank = PhraseBank(encoder, store.phrases(encoder_version(encoder)))

    @property
    def size(self) -> int:
        return self.store.size

    def _version(self) -> str:
        # Vectors made by another encoder or composition are stale whatever the data says.
        return f"{COMPOSITION_VERSION}|{encoder_version(self.encoder)}"

    def stale(self, session: Session) -> tuple[list[int], list[int]]:
        """(ids to re-embed, ids to drop): new, changed, deactivated or deleted consultants."""
        current = profile_signatures(session)
        indexed = self.store.signatures()
        version = self._version()
        changed = [
            cid for cid, (sig, _) in current.items() if indexed.get(cid) != f"{version}|{sig}"
        ]
        removed = [cid for cid in indexed if cid not in current]
        return sorted(changed), sorted(removed)

    def refresh(self, session: Session, progress: Progress | None = None) -> RefreshReport:
        """Bring the index up to date with the tables; cheap when nothing changed."""
        changed, removed = self.stale(session)
        self.store.delete(removed)
        done = 0
        for start in range(0, len(changed), BATCH):
            done += self._write(session, changed[start : start + BATCH])
            if progress:
                progress(min(start + BATCH, len(changed)), len(changed))
        built = self.store.ensure_ann_index()
        return RefreshReport(done, len(removed), self.store.size, built)

    def upsert(self, session: Session, consultant_ids: Iterable[int]) -> int:
        """Re-embed these consultants (dropping any no longer active); returns rows written."""
        ids = sorted(set(consultant_ids))
        written = self._write(session, ids)
        self.store.ensure_ann_index()
        return written

    def _write(self, session: Session, ids: list[int]) -> int:
        if not ids:
            return 0
        profiles = load_profiles(session, ids)
        indexed = self.store.signatures()
        self.store.delete([cid for cid in ids if cid not in profiles and cid in indexed])
        if not profiles:
            return 0
        sigs = {cid: sig for cid, (sig, _) in profile_signatures(session, list(profiles)).items()}
        people = list(profiles.values())
        order, vectors = compose_profiles(self.bank, people, self.composition)
        version = self._version()
        self.store.upsert(
            order,
            [profiles[cid].region for cid in order],
            [f"{version}|{sigs[cid]}" for cid in order],
            vectors,
        )
        self.store.save_phrases(encoder_version(self.encoder), self.bank.take_new())
        return len(order)

    def request_vector(
        self,
        *,
        role: str,
        required: Mapping[str, int],
        nice_to_have: Mapping[str, int],
        description: str = "",
    ) -> np.ndarray:
        return compose_request(
            self.bank,
            role=role,
            required=required,
            nice_to_have=nice_to_have,
            description=description,
            comp=self.composition,
        )

    def search(
        self, vector: np.ndarray, k: int, *, region: str | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        return self.store.search(vector, k, region=region)
