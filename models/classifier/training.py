"""Training the request classifier and its two baselines, and scoring them on held-out data.

Everything that is chosen (regularisation C, temperature, abstain threshold, out-of-domain
floor) is chosen by cross-validation on the training rows. The held-out rows are touched once,
to report numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

from models.calibration import expected_calibration_error
from models.classifier.calibration import choose_threshold, fit_temperature, novelty_floor
from models.classifier.data import LabeledData
from models.classifier.features import ALL_BLOCKS, Block
from models.classifier.metrics import HoldoutReport, evaluate_holdout, median_latency_ms
from models.classifier.model import RequestClassifier, softmax
from models.encoder import Encoder
from models.registry import data_hash

Progress = Callable[[str], None]
BASELINES: dict[str, tuple[Block, ...]] = {
    "tfidf_lr": ("words",),
    "embedding_lr": ("embedding",),
}


def _quiet(_: str) -> None:
    pass


@dataclass(frozen=True)
class TrainingConfig:
    c_grid: tuple[float, ...] = (4.0, 16.0, 64.0)
    default_c: float = 16.0
    search_c: bool = True
    folds: int = 5
    # Answered requests should be right this often on validation data ...
    target_precision: float = 0.97
    # ... without sending more than half of them to triage.
    min_coverage: float = 0.5
    # Share of training texts that the out-of-domain check would itself reject.
    novelty_quantile: float = 0.01
    seed: int = 0

    @classmethod
    def fast(cls) -> TrainingConfig:
        """No search over C and three folds: for gates and tests, same procedure otherwise."""
        return cls(search_c=False, folds=3)


@dataclass(frozen=True)
class FitSummary:
    """What cross-validation on the training rows chose, and the validation numbers behind it."""

    C: float
    cv_macro_f1: dict[float, float]
    temperature: float
    threshold: float
    novelty_threshold: float | None
    cv_ece_raw: float
    cv_ece_calibrated: float


def fit_classifier(
    data: LabeledData,
    encoder: Encoder | None,
    *,
    blocks: Sequence[Block] = ALL_BLOCKS,
    config: TrainingConfig = TrainingConfig(),
    progress: Progress = _quiet,
) -> tuple[RequestClassifier, FitSummary]:
    """Fit a calibrated classifier on ``data`` with the settings cross-validation picks."""
    texts, labels = np.array(data.texts, dtype=object), np.array(data.labels)
    classes = sorted(set(data.labels))
    truth_idx = np.searchsorted(classes, labels)
    n_folds = max(2, min(config.folds, min(data.label_counts.values())))
    folds = list(
        StratifiedKFold(n_folds, shuffle=True, random_state=config.seed).split(texts, labels)
    )
    grid = config.c_grid if config.search_c else (config.default_c,)
    name = "+".join(blocks)
    # One BLAS thread: on two cores, more threads make these small fits slower, not faster.
    with threadpool_limits(limits=1, user_api="blas"):
        oof: dict[float, np.ndarray] = {}
        for c in grid:
            logits = np.zeros((len(texts), len(classes)))
            for tr, va in folds:
                fold = RequestClassifier(blocks, C=c).fit(list(texts[tr]), labels[tr], encoder)
                logits[va] = fold.logits(list(texts[va]))
            oof[c] = logits
            progress(f"  {name}: C={c:g}, {n_folds}-fold validation done")
        scores = {
            c: float(f1_score(truth_idx, lg.argmax(axis=1), average="macro"))
            for c, lg in oof.items()
        }
        best_c = max(grid, key=lambda c: (scores[c], -c))
        temperature = fit_temperature(oof[best_c], truth_idx)
        raw = softmax(oof[best_c])
        calibrated = softmax(oof[best_c] / temperature)
        correct = calibrated.argmax(axis=1) == truth_idx
        threshold = choose_threshold(
            calibrated.max(axis=1),
            correct,
            target_precision=config.target_precision,
            min_coverage=config.min_coverage,
        )
        model = RequestClassifier(blocks, C=best_c).fit(data.texts, data.labels, encoder)
    floor = (
        novelty_floor(model.reference, config.novelty_quantile)
        if model.reference is not None
        else None
    )
    model.calibrate(temperature=temperature, threshold=threshold, novelty_threshold=floor)
    summary = FitSummary(
        C=best_c,
        cv_macro_f1=scores,
        temperature=temperature,
        threshold=threshold,
        novelty_threshold=floor,
        cv_ece_raw=expected_calibration_error(raw.max(axis=1), raw.argmax(axis=1) == truth_idx),
        cv_ece_calibrated=expected_calibration_error(calibrated.max(axis=1), correct),
    )
    return model, summary


@dataclass
class TrainingResult:
    """Our model, the baselines, and all of them scored on the same held-out rows."""

    model: RequestClassifier
    summary: FitSummary
    report: HoldoutReport
    baselines: dict[str, HoldoutReport]
    train_size: int
    holdout_size: int
    data_hash: str
    config: TrainingConfig
    source: str = ""
    extra_params: dict[str, Any] = field(default_factory=dict)

    def metrics(self) -> dict[str, float]:
        out = {
            **self.report.metrics("holdout_"),
            "holdout_latency_p50_ms": self.report.latency_ms,
            "cv_macro_f1": self.summary.cv_macro_f1[self.summary.C],
            "cv_ece_raw": self.summary.cv_ece_raw,
            "cv_ece_calibrated": self.summary.cv_ece_calibrated,
            "temperature": self.summary.temperature,
            "abstain_threshold": self.summary.threshold,
        }
        for name, rep in self.baselines.items():
            out[f"baseline_{name}_macro_f1"] = rep.macro_f1
            out[f"baseline_{name}_accuracy"] = rep.accuracy
        if self.summary.novelty_threshold is not None:
            out["novelty_threshold"] = self.summary.novelty_threshold
        return {k: float(v) for k, v in out.items() if not np.isnan(v)}

    def params(self) -> dict[str, Any]:
        return {
            "features": "+".join(self.model.blocks),
            "C": self.summary.C,
            "c_grid": list(self.config.c_grid if self.config.search_c else [self.config.default_c]),
            "folds": self.config.folds,
            "target_precision": self.config.target_precision,
            "min_coverage": self.config.min_coverage,
            "novelty_quantile": self.config.novelty_quantile,
            "encoder": self.model.encoder_version or "none",
            "labels": ",".join(self.model.classes),
            "train_size": self.train_size,
            "holdout_size": self.holdout_size,
            "data_source": self.source,
            "data_hash": self.data_hash,
            **self.extra_params,
        }

    def comparison(self) -> list[tuple[str, float, float]]:
        """``(model, held-out macro-F1, accuracy)``, ours first."""
        rows = [
            (
                "ours (" + "+".join(self.model.blocks) + ")",
                self.report.macro_f1,
                self.report.accuracy,
            )
        ]
        rows += [(name, rep.macro_f1, rep.accuracy) for name, rep in self.baselines.items()]
        return rows


def train_and_evaluate(
    train: LabeledData,
    holdout: LabeledData,
    encoder: Encoder,
    *,
    config: TrainingConfig = TrainingConfig(),
    progress: Progress = _quiet,
    latency_sample: int = 30,
) -> TrainingResult:
    """Train ours and both baselines on ``train``; score all three on ``holdout``."""
    unseen = sorted(set(holdout.labels) - set(train.labels))
    if unseen:
        raise ValueError(f"held-out labels missing from training data: {unseen}")
    progress(
        f"embedding {len(train)} training texts with {getattr(encoder, 'version', 'the encoder')}"
    )
    _embed_in_batches(encoder, train.texts, progress)
    progress(f"training the classifier on {len(train)} rows")
    model, summary = fit_classifier(train, encoder, config=config, progress=progress)
    # Latency first, while the held-out texts are still unseen by the encoder's cache.
    latency = (
        median_latency_ms(model, holdout.texts[:latency_sample]) if latency_sample else float("nan")
    )
    report = evaluate_holdout(model, holdout.texts, holdout.labels)
    report.latency_ms = latency
    baselines = {}
    for name, blocks in BASELINES.items():
        progress(f"training baseline {name}")
        base, _ = fit_classifier(train, encoder, blocks=blocks, config=config, progress=progress)
        baselines[name] = evaluate_holdout(base, holdout.texts, holdout.labels)
    return TrainingResult(
        model=model,
        summary=summary,
        report=report,
        baselines=baselines,
        train_size=len(train),
        holdout_size=len(holdout),
        data_hash=data_hash([*train.rows(), "--holdout--", *holdout.rows()]),
        config=config,
        source=train.source,
    )


def _embed_in_batches(encoder: Encoder, texts: Sequence[str], progress: Progress) -> None:
    # The encoder caches what it has embedded, so the folds below reuse these vectors; doing
    # it here in batches is what lets a long encode report progress.
    step = 256
    for start in range(0, len(texts), step):
        encoder.encode(list(texts[start : start + step]))
        done = min(start + step, len(texts))
        if len(texts) > step:
            progress(f"  embedded {done}/{len(texts)}")
