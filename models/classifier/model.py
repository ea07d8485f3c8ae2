"""The request classifier: a logistic regression over lexical and embedding features, with a
calibrated confidence and an abstain rule that sends doubtful requests to human triage.

The fitted object pickles without the sentence encoder inside it (that is a torch model
shared by the whole process): ``attach(encoder)`` after loading.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from models.classifier.features import ALL_BLOCKS, Block, Featurizer
from models.encoder import Encoder

MODEL_NAME = "request-classifier"  # its name in the model registry
AbstainReason = Literal["low_confidence", "out_of_domain"]
# Reference embeddings kept for the out-of-domain check; a sample is as good as all of them.
MAX_REFERENCE = 5000


@dataclass(frozen=True)
class Prediction:
    """One classified request. ``label`` is None when the model abstains."""

    label: str | None
    top_label: str  # the best guess, even when abstaining
    confidence: float  # calibrated probability of ``top_label``
    abstained: bool
    reason: AbstainReason | None
    alternatives: tuple[tuple[str, float], ...]  # best three (label, probability)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "top_label": self.top_label,
            "confidence": round(self.confidence, 4),
            "abstained": self.abstained,
            "abstain_reason": self.reason,
            "alternatives": [
                {"label": lab, "probability": round(p, 4)} for lab, p in self.alternatives
            ],
        }


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: np.ndarray = e / e.sum(axis=1, keepdims=True)
    return out


def nearest_similarity(
    queries: np.ndarray, reference: np.ndarray, *, exclude_self: bool = False
) -> np.ndarray:
    """Cosine similarity of each query to its nearest reference row (rows are unit-norm).

    With ``exclude_self`` the queries are the reference itself and a row's match with itself
    is ignored (leave-one-out). Chunked so that large sets never build an n x n matrix.
    """
    out = np.empty(len(queries), dtype=np.float32)
    for start in range(0, len(queries), 1024):
        sims = queries[start : start + 1024] @ reference.T
        if exclude_self:
            rows = np.arange(sims.shape[0])
            sims[rows, rows + start] = -np.inf
        out[start : start + 1024] = sims.max(axis=1)
    return out


class RequestClassifier:
    """Multinomial logistic regression over the chosen feature ``blocks``.

    ``fit`` trains the regression; ``calibrate`` (done by the training procedure on
    cross-validated predictions) sets the temperature, the abstain threshold and the
    out-of-domain similarity floor.
    """

    def __init__(self, blocks: Sequence[Block] = ALL_BLOCKS, C: float = 16.0) -> None:
        self.featurizer = Featurizer(blocks)
        self.C = C
        self.classes: list[str] = []
        self.temperature = 1.0
        self.threshold = 0.0  # abstain when the calibrated top probability is below it
        self.novelty_threshold: float | None = None  # abstain when less similar than this
        self.encoder_version: str | None = None
        self.version = "unregistered"  # set by whoever loads it from the registry
        self._lr = LogisticRegression(C=C, max_iter=1000, solver="newton-cg")
        self._reference: np.ndarray | None = None
        self._encoder: Encoder | None = None

    @property
    def blocks(self) -> tuple[Block, ...]:
        return self.featurizer.blocks

    @property
    def reference(self) -> np.ndarray | None:
        """Embeddings of (a sample of) the training texts, for the out-of-domain check."""
        return self._reference

    # Pickling: everything but the encoder.
    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_encoder"] = None
        return state

    def attach(self, encoder: Encoder) -> RequestClassifier:
        """Use ``encoder`` for embeddings; it must be the one the model was trained with."""
        version = getattr(encoder, "version", None)
        if self.encoder_version and version and version != self.encoder_version:
            raise ValueError(
                f"model trained with encoder {self.encoder_version}, got {version}: retrain it"
            )
        self._encoder = encoder
        return self

    def fit(
        self, texts: Sequence[str], labels: Sequence[str], encoder: Encoder | None = None
    ) -> RequestClassifier:
        if encoder is not None and self.featurizer.uses_encoder:
            self.attach(encoder)
            self.encoder_version = getattr(encoder, "version", None)
        self.featurizer.fit(texts)
        emb = self.featurizer.embed(texts, self._encoder)
        self._lr.fit(self.featurizer.transform_with(texts, emb), list(labels))
        self.classes = [str(c) for c in self._lr.classes_]
        if emb is not None:
            step = max(1, len(emb) // MAX_REFERENCE)
            self._reference = np.ascontiguousarray(emb[::step], dtype=np.float32)
        return self

    def calibrate(
        self, *, temperature: float, threshold: float, novelty_threshold: float | None
    ) -> None:
        self.temperature = temperature
        self.threshold = threshold
        self.novelty_threshold = novelty_threshold

    def _scores(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray | None]:
        if len(texts) == 1 and (lexical := self.featurizer.lexical_blocks(texts[0])) is not None:
            # The words before the embedding: they do not need it, so an encode started
            # ahead (``prepare``) runs on while they are counted.
            emb = self.featurizer.embed(texts, self._encoder)
            d = self._one_row_margins(self.featurizer.in_column_order(lexical, emb))
        else:
            emb = self.featurizer.embed(texts, self._encoder)
            d = self._lr.decision_function(self.featurizer.transform_with(texts, emb))
        if d.ndim == 1:  # two labels: sklearn returns one margin; as logits that is [0, d]
            d = np.column_stack([np.zeros_like(d), d])
        return d, emb

    def _one_row_margins(self, blocks: Sequence[sp.csr_matrix | np.ndarray]) -> np.ndarray:
        """``decision_function`` for one row given block by block: each block times its
        columns of the coefficients. For a chat message this skips stacking the blocks into
        one sparse row and scikit-learn's checks on it: features and margins 0.75-1.41 ->
        0.35-0.63 ms p50 over five runs of ``bench/features.py``; the tests check that
        one text and a batch agree."""
        coef = self._lr.coef_
        d = np.array(self._lr.intercept_, dtype=np.float64, ndmin=2)
        start = 0
        for x in blocks:
            width = x.shape[1]
            d = d + np.asarray(x @ coef[:, start : start + width].T)
            start += width
        return d.ravel() if d.shape[1] == 1 else d

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """Uncalibrated class scores, columns in ``classes`` order."""
        return self._scores(texts)[0]

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities, columns in ``classes`` order."""
        return softmax(self.logits(texts) / self.temperature)

    def similarity(self, embeddings: np.ndarray) -> np.ndarray | None:
        """Similarity of each text to its nearest training example (None without embeddings)."""
        if self._reference is None:
            return None
        return nearest_similarity(embeddings, self._reference)

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """Classify ``texts``; a prediction abstains below the confidence threshold or when the
        text looks unlike anything the model was trained on."""
        if not texts:
            return []
        logits, emb = self._scores(texts)
        probs = softmax(logits / self.temperature)
        sims = self.similarity(emb) if emb is not None else None
        out = []
        for i, row in enumerate(probs):
            order = np.argsort(-row)[:3]
            top, conf = self.classes[order[0]], float(row[order[0]])
            reason: AbstainReason | None = None
            if (
                sims is not None
                and self.novelty_threshold is not None
                and sims[i] < self.novelty_threshold
            ):
                reason = "out_of_domain"
            elif conf < self.threshold:
                reason = "low_confidence"
            out.append(
                Prediction(
                    label=None if reason else top,
                    top_label=top,
                    confidence=conf,
                    abstained=reason is not None,
                    reason=reason,
                    alternatives=tuple((self.classes[j], float(row[j])) for j in order),
                )
            )
        return out

    def predict_one(self, text: str) -> Prediction:
        return self.predict([text])[0]

    def prepare(self, text: str) -> None:
        """Start what ``predict_one(text)`` will need and can run ahead, its embedding, so
        that the caller's own work overlaps it (see ``MiniLMEncoder.prefetch``)."""
        if self.featurizer.uses_encoder and self._encoder is not None:
            self._encoder.prefetch(text)
