"""Profile vectors in LanceDB, searched from memory for a small firm and by ANN for a large one.

LanceDB is the store of record. Below ``ann_threshold`` rows the vectors are held in a float32
matrix and scanned exactly (a 20,000-row scan costs well under a millisecond, less than
LanceDB's fixed cost per query); above it, queries go to a LanceDB IVF index, probing enough
partitions to keep recall@10 at 0.95 or better (measured in ``bench/staffing.py``).
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pyarrow as pa
from threadpoolctl import ThreadpoolController

INDEX_NAME = "vector_idx"
_THREADS = ThreadpoolController()


@dataclass(frozen=True)
class AnnConfig:
    """How the IVF index is built and probed.

    IVF_FLAT keeps full vectors in each partition, so the probed candidates are scored exactly
    and ``refine_factor`` is not needed; the quantised kinds (``ivf_sq``, ``ivf_pq``) use it to
    re-score ``k * refine_factor`` candidates with full vectors.
    """

    kind: Literal["ivf_flat", "ivf_sq", "ivf_pq"] = "ivf_flat"
    partitions: int | None = None  # None: about sqrt(rows)
    nprobes: int = 20
    refine_factor: int | None = None
    # Rows written after the index was built are scanned flat; rebuild past this share.
    rebuild_unindexed_share: float = 0.1

    def partitions_for(self, rows: int) -> int:
        if self.partitions:
            return self.partitions
        return max(1, min(1024, int(math.sqrt(rows))))


@dataclass(frozen=True)
class _Memory:
    """An immutable snapshot, swapped whole so that searches never see a half-written state."""

    ids: np.ndarray  # int64 (n,)
    matrix: np.ndarray  # float32 (n, dim), unit rows
    region_codes: np.ndarray  # int32 (n,)
    regions: dict[str, int]


def _schema(dim: int) -> pa.Schema:
    return pa.schema(
        [
            pa.field("consultant_id", pa.int64()),
            pa.field("region", pa.string()),
            pa.field("signature", pa.string()),
            pa.field("vector", pa.list_(pa.float32(), dim)),
        ]
    )


def _phrase_schema(dim: int) -> pa.Schema:
    return pa.schema(
        [
            pa.field("phrase", pa.string()),
            pa.field("encoder", pa.string()),
            pa.field("vector", pa.list_(pa.float32(), dim)),
        ]
    )


def _vectors(matrix: np.ndarray, dim: int) -> pa.FixedSizeListArray:
    flat = pa.array(np.ascontiguousarray(matrix, dtype=np.float32).reshape(-1))
    return pa.FixedSizeListArray.from_arrays(flat, dim)


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class VectorStore:
    """One LanceDB table of profile vectors (plus one of phrase vectors) and its search path."""

    def __init__(
        self,
        uri: str,
        table: str,
        *,
        dim: int,
        ann_threshold: int,
        ann: AnnConfig | None = None,
        threads: int = 1,
    ) -> None:
        import lancedb

        self.dim = dim
        self.ann_threshold = ann_threshold
        self.ann = ann or AnnConfig()
        self.threads = threads
        self._db = lancedb.connect(uri)
        self._table = self._open(table, _schema(dim))
        self._phrases = self._open(f"{table}_phrases", _phrase_schema(dim))
        self._write_lock = threading.Lock()
        self._memory: _Memory | None = None
        self._signatures: dict[int, str] = {}
        self._reload()

    def _open(self, name: str, schema: pa.Schema) -> Any:
        # exist_ok: opens the table when it is there, creates it empty when it is not.
        return self._db.create_table(name, schema=schema, exist_ok=True)

    # -- reading ---------------------------------------------------------------------------

    @property
    def size(self) -> int:
        return len(self._signatures)

    @property
    def mode(self) -> Literal["memory", "ann"]:
        return "ann" if self.size >= self.ann_threshold else "memory"

    def signatures(self) -> dict[int, str]:
        """What is indexed: ``{consultant_id: signature}``."""
        return dict(self._signatures)

    def phrases(self, encoder_version: str) -> dict[str, np.ndarray]:
        """Stored phrase vectors made by ``encoder_version``."""
        t = self._phrases.to_arrow()
        keep = np.asarray(t["encoder"].to_pylist()) == encoder_version
        if not keep.any():
            return {}
        vecs = t["vector"].combine_chunks().flatten().to_numpy().reshape(-1, self.dim)
        names = t["phrase"].to_pylist()
        return {names[i]: vecs[i].astype(np.float32) for i in np.flatnonzero(keep)}

    def search(
        self, vector: np.ndarray, k: int, *, region: str | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` nearest profiles by cosine similarity: (consultant ids, similarities)."""
        if k <= 0 or not self._signatures:
            return np.empty(0, np.int64), np.empty(0, np.float32)
        memory = self._memory
        if memory is not None:
            return self._search_memory(memory, vector, k, region)
        return self._search_ann(vector, k, region)

    def _search_memory(
        self, m: _Memory, vector: np.ndarray, k: int, region: str | None
    ) -> tuple[np.ndarray, np.ndarray]:
        with _THREADS.limit(limits=self.threads, user_api="blas"):
            sims = m.matrix @ vector.astype(np.float32)
        if region is not None:
            code = m.regions.get(region.lower())
            if code is None:
                return np.empty(0, np.int64), np.empty(0, np.float32)
            sims = np.where(m.region_codes == code, sims, -np.inf)
            k = min(k, int((m.region_codes == code).sum()))
        k = min(k, len(sims))
        if k == 0:
            return np.empty(0, np.int64), np.empty(0, np.float32)
        top = np.argpartition(-sims, k - 1)[:k]
        top = top[np.argsort(-sims[top], kind="stable")]
        return m.ids[top], sims[top]

    def _search_ann(
        self, vector: np.ndarray, k: int, region: str | None
    ) -> tuple[np.ndarray, np.ndarray]:
        q = (
            self._table.search(vector.astype(np.float32), vector_column_name="vector")
            .distance_type("cosine")
            .nprobes(self.ann.nprobes)
            .limit(k)
        )
        if self.ann.refine_factor:
            q = q.refine_factor(self.ann.refine_factor)
        if region is not None:
            q = q.where(f"lower(region) = {_quote(region.lower())}", prefilter=True)
        rows = q.select(["consultant_id", "_distance"]).to_arrow()
        ids = rows["consultant_id"].to_numpy()
        return ids, (1.0 - rows["_distance"].to_numpy()).astype(np.float32)

    # -- writing ---------------------------------------------------------------------------

    def upsert(
        self,
        ids: list[int],
        regions: list[str],
        signatures: list[str],
        vectors: np.ndarray,
    ) -> None:
        """Insert or replace rows by ``consultant_id`` (one ``merge_insert``)."""
        if not ids:
            return
        data = pa.Table.from_arrays(
            [
                pa.array(ids, pa.int64()),
                pa.array(regions, pa.string()),
                pa.array(signatures, pa.string()),
                _vectors(vectors, self.dim),
            ],
            schema=_schema(self.dim),
        )
        with self._write_lock:
            (
                self._table.merge_insert("consultant_id")
                .when_matched_update_all()
                .when_not_matched_insert_all()
                .execute(data)
            )
            self._reload()

    def delete(self, ids: list[int]) -> None:
        if not ids:
            return
        with self._write_lock:
            for start in range(0, len(ids), 1000):
                part = ", ".join(str(int(i)) for i in ids[start : start + 1000])
                self._table.delete(f"consultant_id IN ({part})")
            self._reload()

    def save_phrases(self, encoder_version: str, phrases: dict[str, np.ndarray]) -> None:
        if not phrases:
            return
        names = sorted(phrases)
        data = pa.Table.from_arrays(
            [
                pa.array(names, pa.string()),
                pa.array([encoder_version] * len(names), pa.string()),
                _vectors(np.stack([phrases[n] for n in names]), self.dim),
            ],
            schema=_phrase_schema(self.dim),
        )
        with self._write_lock:
            (
                self._phrases.merge_insert("phrase")
                .when_matched_update_all()
                .when_not_matched_insert_all()
                .execute(data)
            )

    def ensure_ann_index(self, *, force: bool = False) -> bool:
        """Build the IVF index if the table is past the threshold and has none, or too stale.

        Returns True if an index was built (tens of seconds at 100,000 rows).
        """
        if self.mode != "ann":
            return False
        rows = self._table.count_rows()
        if not force:
            names = [ix.name for ix in self._table.list_indices()]
            if INDEX_NAME in names:
                stats = self._table.index_stats(INDEX_NAME)
                unindexed = getattr(stats, "num_unindexed_rows", 0) or 0
                if unindexed <= self.ann.rebuild_unindexed_share * rows:
                    return False
        from lancedb.index import IvfFlat, IvfPq, IvfSq

        parts = self.ann.partitions_for(rows)
        config: Any
        if self.ann.kind == "ivf_flat":
            config = IvfFlat(distance_type="cosine", num_partitions=parts)
        elif self.ann.kind == "ivf_sq":
            config = IvfSq(distance_type="cosine", num_partitions=parts)
        else:
            config = IvfPq(distance_type="cosine", num_partitions=parts, num_sub_vectors=48)
        with self._write_lock:
            self._table.create_index("vector", config=config, name=INDEX_NAME, replace=True)
            self._reload()
        return True

    def _reload(self) -> None:
        """Re-read signatures, and the matrix too while the firm is below the ANN threshold."""
        self._table.checkout_latest()
        cols = self._table.search().select(["consultant_id", "signature"]).limit(None).to_arrow()
        ids = cols["consultant_id"].to_numpy()
        self._signatures = dict(zip(ids.tolist(), cols["signature"].to_pylist(), strict=True))
        if len(ids) >= self.ann_threshold:
            self._memory = None
            return
        full = self._table.to_arrow()
        ids = full["consultant_id"].to_numpy()
        matrix = full["vector"].combine_chunks().flatten().to_numpy().reshape(-1, self.dim)
        names = [r.lower() for r in full["region"].to_pylist()]
        regions = {r: i for i, r in enumerate(sorted(set(names)))}
        self._memory = _Memory(
            ids=ids.astype(np.int64),
            matrix=np.ascontiguousarray(matrix, dtype=np.float32),
            region_codes=np.asarray([regions[r] for r in names], dtype=np.int32),
            regions=regions,
        )
