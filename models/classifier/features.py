"""Feature blocks for request texts: TF-IDF words, TF-IDF characters, sentence embeddings.

Each block is L2-normalised per row, so concatenated blocks weigh the same in the linear
model without a tuned weight per block. Embeddings come from the shared encoder, which is
never part of the fitted (pickled) state.
"""

from __future__ import annotations

from collections.abc import Sequence
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
        parts: list[sp.spmatrix] = []
        for block in self.blocks:
            if block == "embedding":
                assert embeddings is not None
                parts.append(sp.csr_matrix(embeddings))
            else:
                parts.append(self._vectorizers[block].transform(texts))
        return sp.hstack(parts, format="csr")
