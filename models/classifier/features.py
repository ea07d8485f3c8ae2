"""Feature blocks for request texts: TF-IDF words, TF-IDF characters, sentence embeddings.

Each block is L2-normalised per row, so concatenated blocks weigh the same in the linear
model without a tuned weight per block. Embeddings come from the shared encoder, which is
never part of the fitted (pickled) state.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from models.encoder import Encoder

Block = Literal["words", "chars", "embedding"]
ALL_BLOCKS: tuple[Block, ...] = ("words", "chars", "embedding")


class Featurizer:
    """Turns texts into one sparse matrix made of the chosen blocks."""

    def __init__(self, blocks: Sequence[Block]) -> None:
        unknown = set(blocks) - set(ALL_BLOCKS)
        if unknown or not blocks:
            raise ValueError(f"feature blocks must be a non-empty subset of {ALL_BLOCKS}")
        self.blocks: tuple[Block, ...] = tuple(blocks)
        self._vectorizers: dict[str, TfidfVectorizer] = {}
        self._one: dict[str, Callable[[str], sp.csr_matrix] | None] = {}  # not pickled

    @property
    def uses_encoder(self) -> bool:
        return "embedding" in self.blocks

    def _make(self, block: Block, n_texts: int) -> TfidfVectorizer:
        if block == "words":
            return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        # Character n-grams inside word boundaries survive typos and inflections
        # ("invoic", "timesheets"); rare ones are noise, except in tiny data sets.
        return TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(2, 5),
            sublinear_tf=True,
            min_df=2 if n_texts > 50 else 1,
        )

    def fit(self, texts: Sequence[str]) -> Featurizer:
        """Fit the lexical blocks (the embedding block has nothing to fit)."""
        self._vectorizers = {
            b: self._make(b, len(texts)).fit(texts) for b in self.blocks if b != "embedding"
        }
        return self

    def embed(self, texts: Sequence[str], encoder: Encoder | None) -> np.ndarray | None:
        if not self.uses_encoder:
            return None
        if encoder is None:
            raise RuntimeError("this classifier uses sentence embeddings: attach an encoder first")
        return encoder.encode(list(texts))

    def transform_with(self, texts: Sequence[str], embeddings: np.ndarray | None) -> sp.csr_matrix:
        """Features for ``texts`` whose embeddings (if used) are already computed."""
        if len(texts) == 1 and (blocks := self.one_text_blocks(texts[0], embeddings)) is not None:
            return sp.hstack([sp.csr_matrix(b) for b in blocks], format="csr")
        parts: list[sp.spmatrix] = []
        for block in self.blocks:
            if block == "embedding":
                assert embeddings is not None
                parts.append(sp.csr_matrix(embeddings))
            else:
                parts.append(self._vectorizers[block].transform(texts))
        return sp.hstack(parts, format="csr")

    def one_text_blocks(
        self, text: str, embedding: np.ndarray | None
    ) -> list[sp.csr_matrix | np.ndarray] | None:
        """One text's feature row as its blocks, in column order, not stacked (the embedding
        stays dense); None when a block has no direct path."""
        lexical = self.lexical_blocks(text)
        return None if lexical is None else self.in_column_order(lexical, embedding)

    def lexical_blocks(self, text: str) -> dict[str, sp.csr_matrix] | None:
        """One text's word and character blocks, which need no embedding; None when a block
        has no direct path."""
        out: dict[str, sp.csr_matrix] = {}
        for block in self.blocks:
            if block == "embedding":
                continue
            if (one := self._single_text(block)) is None:
                return None
            out[block] = one(text)
        return out

    def in_column_order(
        self, lexical: dict[str, sp.csr_matrix], embedding: np.ndarray | None
    ) -> list[sp.csr_matrix | np.ndarray]:
        """``lexical_blocks`` and the embedding, in the order of the model's columns."""
        parts: list[sp.csr_matrix | np.ndarray] = []
        for block in self.blocks:
            if block == "embedding":
                assert embedding is not None
                parts.append(embedding)
            else:
                parts.append(lexical[block])
        return parts

    def _single_text(self, block: str) -> Callable[[str], sp.csr_matrix] | None:
        if block not in self._one:
            self._one[block] = one_text_tfidf(self._vectorizers[block])
        return self._one.get(block)

    def __getstate__(self) -> dict[str, object]:
        # The fast paths are closures over the vectorizers: rebuilt after unpickling.
        return {**self.__dict__, "_one": {}}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update({"_one": {}, **state})


def one_text_tfidf(vec: TfidfVectorizer) -> Callable[[str], sp.csr_matrix] | None:
    """``vec.transform([text])`` for one text, without scikit-learn's per-call overhead.

    A chat message is classified alone; for one short text ``transform`` spends about
    0.6 ms validating and building sparse matrices around 0.05 ms of analysing. This does
    the same arithmetic directly (counts of known n-grams, ``1 + log`` when sublinear, times
    idf, unit length); ``tests/models/test_classifier.py`` checks it against ``transform``.
    None for settings it does not reproduce, which keep ``transform``.
    """
    if vec.binary or vec.norm != "l2" or not vec.use_idf or not hasattr(vec, "idf_"):
        return None
    analyze = vec.build_analyzer()
    vocabulary: dict[str, int] = vec.vocabulary_
    idf = np.asarray(vec.idf_, dtype=np.float64)
    width = len(idf)
    sublinear = bool(vec.sublinear_tf)

    def transform(text: str) -> sp.csr_matrix:
        found = sorted(
            Counter(i for i in map(vocabulary.get, analyze(text)) if i is not None).items()
        )
        columns = np.array([column for column, _ in found], dtype=np.int32)
        values = np.array([count for _, count in found], dtype=np.float64)
        if sublinear:
            values = np.log(values) + 1.0
        values *= idf[columns]
        norm = np.sqrt(np.dot(values, values))
        if norm > 0:
            values /= norm
        return sp.csr_matrix(
            (values, columns, np.array([0, len(columns)], dtype=np.int32)), shape=(1, width)
        )

    return transform
