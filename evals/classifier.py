"""Request-classifier evaluation on the held-out split ``datasets/requests/test.csv``.

By default the current training recipe is run on ``train.csv`` and scored on ``test.csv``
beside the TF-IDF and embedding baselines trained the same way. With ``compare`` two
registered versions (say champion and challenger) are scored on ``test.csv`` instead.
Given the firm's database, extraction is also scored on inbox requests linked to projects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.tables import IncomingRequest
from evals.metrics import MetricRow
from evals.registered import load_registered, need_store
from models.calibration import expected_calibration_error
from models.classifier import MODEL_NAME, RequestClassifier, TrainingConfig, read_labeled_csv
from models.classifier.data import LabeledData
from models.classifier.metrics import HoldoutReport, evaluate_holdout
from models.classifier.model import softmax
from models.classifier.training import TrainingResult, train_and_evaluate
from models.encoder import Encoder
from models.extraction import FirmIndex, extract

DATA_DIR = Path(__file__).resolve().parent / "datasets" / "requests"
TRAIN_CSV = DATA_DIR / "train.csv"
TEST_CSV = DATA_DIR / "test.csv"


def _quiet(_: str) -> None:
    pass


def evaluate(
    encoder: Encoder,
    *,
    session: Session | None = None,
    fast: bool = False,
    store: Any = None,
    compare: tuple[str, str] | None = None,
    progress: Callable[[str], None] = _quiet,
    artifacts: dict[str, Any] | None = None,
    today: date | None = None,
) -> list[MetricRow]:
    """Held-out rows for the request classifier (see the module docstring), and, when the
    firm's inbox has requests linked to projects, how often extraction finds that project."""
    test = read_labeled_csv(TEST_CSV)
    extra = inbox_rows(session, today or date.today()) if session is not None else []
    if compare is not None:
        return compare_registered(need_store(store), compare, encoder, test) + extra
    config = TrainingConfig.fast() if fast else TrainingConfig()
    result = train_and_evaluate(
        read_labeled_csv(TRAIN_CSV), test, encoder, config=config, progress=progress
    )
    if artifacts is not None:
        artifacts[MODEL_NAME] = result
    return rows_for(result, uncalibrated_ece(result.model, test)) + extra


def inbox_rows(session: Session, today: date) -> list[MetricRow]:
    """Project matching on inbox requests that a person linked to a project.

    The baseline finds a project only when its full name appears verbatim in the text.
    Requests whose text never names their project count as misses for both.
    """
    linked = session.execute(
        select(IncomingRequest.subject, IncomingRequest.body, IncomingRequest.project_id).where(
            IncomingRequest.project_id.is_not(None)
        )
    ).all()
    if not linked:
        return []
    index = FirmIndex.from_session(session)
    names = {p.id: p.name.lower() for p in index.projects}
    ours = verbatim = 0
    for subject, body, project_id in linked:
        text = f"{subject}\n{body}"
        found = extract(text, index, today).entities.project
        ours += found is not None and found.id == project_id
        verbatim += project_id in names and names[project_id] in text.lower()
    return [
        MetricRow(
            "request-extraction",
            "project_match_rate",
            ours / len(linked),
            verbatim / len(linked),
            baseline_name="verbatim name",
            note=f"{len(linked)} inbox requests linked to a project",
        )
    ]


def uncalibrated_ece(model: RequestClassifier, data: LabeledData) -> float:
    """Calibration error of the regression's own probabilities (temperature 1)."""
    probs = softmax(model.logits(data.texts))
    top = probs.argmax(axis=1)
    correct = [model.classes[i] == t for i, t in zip(top, data.labels, strict=True)]
    return expected_calibration_error(probs.max(axis=1), np.array(correct))


def rows_for(result: TrainingResult, ece_raw: float | None = None) -> list[MetricRow]:
    ours = result.report
    rows = [
        MetricRow(
            MODEL_NAME, metric, getattr(ours, metric), getattr(rep, metric), baseline_name=name
        )
        for metric in ("macro_f1", "accuracy")
        for name, rep in result.baselines.items()
    ]
    return (
        rows
        + _selective_rows(ours, ece_raw)
        + [
            MetricRow(
                MODEL_NAME,
                "latency_p50_ms",
                ours.latency_ms,
                higher_is_better=False,
                note="one request at a time, texts not yet in the encoder cache",
            )
        ]
    )


def _selective_rows(
    ours: HoldoutReport, ece_raw: float | None, ref: HoldoutReport | None = None, ref_name: str = ""
) -> list[MetricRow]:
    """Abstention and calibration rows; against ``ref`` if given, else against doing nothing."""
    sel = ours.selective
    return [
        MetricRow(
            MODEL_NAME,
            "abstain_precision",
            sel.abstain_precision,
            ref.selective.abstain_precision if ref else 1 - ours.accuracy,
            baseline_name=ref_name or "random abstention",
            note="share of abstained requests the model would have got wrong",
        ),
        MetricRow(
            MODEL_NAME,
            "answered_precision",
            sel.answered_precision,
            ref.selective.answered_precision if ref else ours.accuracy,
            baseline_name=ref_name or "no abstention",
        ),
        MetricRow(
            MODEL_NAME,
            "abstain_rate",
            sel.abstain_rate,
            ref.selective.abstain_rate if ref else None,
            higher_is_better=False,
            baseline_name=ref_name,
        ),
        MetricRow(
            MODEL_NAME,
            "ece",
            ours.ece,
            ref.ece if ref else ece_raw,
            higher_is_better=False,
            baseline_name=ref_name or "uncalibrated",
        ),
    ]


def compare_registered(
    store: Any, compare: tuple[str, str], encoder: Encoder, test: LabeledData
) -> list[MetricRow]:
    """Score two registered versions on the test split: ``(reference, candidate)`` aliases."""
    reports: dict[str, HoldoutReport] = {}
    names: dict[str, str] = {}
    for alias in compare:
        version, model = load_registered(store, MODEL_NAME, alias, "classifier")
        model.attach(encoder)
        missing = sorted(set(test.labels) - set(model.classes))
        if missing:
            raise ValueError(
                f"{MODEL_NAME} v{version} ({alias}) was trained on other labels (lacks "
                f"{', '.join(missing)}); it cannot be scored on {TEST_CSV.name}"
            )
        reports[alias] = evaluate_holdout(model, test.texts, test.labels)
        names[alias] = f"{alias} v{version}"
    ref_alias, cand_alias = compare
    ref, cand = reports[ref_alias], reports[cand_alias]
    rows = [
        MetricRow(
            MODEL_NAME,
            "macro_f1",
            cand.macro_f1,
            ref.macro_f1,
            baseline_name=names[ref_alias],
            note=f"ours = {names[cand_alias]}",
        ),
        *_selective_rows(cand, None, ref, names[ref_alias]),
    ]
    return [replace(r, delta_gated=False) for r in rows]
