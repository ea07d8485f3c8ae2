"""The request classifier's champion, and the firm index that extraction matches against.

``services.extras["classifier"]`` is a ``RequestClassifier`` with the shared encoder attached
(absent when no champion is registered: the classify route then answers 503);
``services.extras["firm_index"]`` is a ``FirmIndexCache`` over the firm's names.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from app.model_store import open_store, store_exists
from app.runtime import Runtime
from app.services import Services
from app.settings import Settings
from models.classifier import MODEL_NAME, RequestClassifier, TrainingConfig, TrainingResult
from models.encoder import Encoder
from models.extraction import FirmIndexCache
from models.registry import CHAMPION

log = logging.getLogger(__name__)
NAME = "classifier"


def load(runtime: Runtime, services: Services) -> None:
    """Load the champion once per process and warm it up, so no request pays for that."""
    services.extras.setdefault("firm_index", FirmIndexCache())
    if NAME in services.extras:
        return
    try:
        model = load_champion(runtime.settings, services.extras["encoder"])
    except Exception:
        # A broken registry must not take the whole service down: classify answers 503.
        log.exception("could not load the %s champion", MODEL_NAME)
        return
    if model is not None:
        model.predict(["warm up"])  # imports sentence-transformers now, not on a request
        services.extras[NAME] = model


def load_champion(settings: Settings, encoder: Encoder) -> RequestClassifier | None:
    """The champion with ``encoder`` attached and its registry version set; None if none."""
    if not store_exists(settings):
        return None  # a fresh machine: do not create an MLflow store just to find it empty
    found = open_store(settings).load_alias(MODEL_NAME, CHAMPION)
    if found is None:
        return None
    version, model = found
    model.attach(encoder)
    model.version = f"{MODEL_NAME}/{version}"
    return model


def train_and_publish(
    settings: Settings,
    *,
    data: Path | None = None,
    promote: bool = False,
    fast: bool = False,
    holdout_share: float = 0.25,
    seed: int = 0,
    say: Callable[[str], None] = print,
) -> TrainingResult:
    """Train on ``data`` (or the bundled request corpus), score on held-out rows, register.

    With ``data`` a stratified ``holdout_share`` of the file is held out; without it the model
    trains on ``evals/datasets/requests/train.csv`` and is scored on ``test.csv``. The file
    is checked before anything is trained, so a bad one registers nothing.
    """
    from evals.classifier import TEST_CSV, TRAIN_CSV
    from models.classifier import read_labeled_csv
    from models.classifier.data import stratified_holdout
    from models.classifier.publish import publish
    from models.classifier.training import train_and_evaluate
    from models.encoder import MiniLMEncoder

    if data is None:
        train, holdout = read_labeled_csv(TRAIN_CSV), read_labeled_csv(TEST_CSV)
    else:
        train, holdout = stratified_holdout(read_labeled_csv(data), holdout_share, seed)
    counts = ", ".join(f"{k} {v}" for k, v in train.label_counts.items())
    say(f"{MODEL_NAME}: {len(train)} training rows ({counts}); {len(holdout)} held out")
    config = TrainingConfig.fast() if fast else TrainingConfig(seed=seed)
    # One torch thread, as the service runs: the logged latency is the served latency.
    result = train_and_evaluate(train, holdout, MiniLMEncoder(), config=config, progress=say)
    say(comparison_text(result))
    say(f"{MODEL_NAME}: logging the run to MLflow and registering the model")
    published = publish(
        open_store(settings),
        result,
        promote=promote,
        report_dir=settings.data_dir.resolve() / "reports" / MODEL_NAME,
    )
    say(
        f"{MODEL_NAME}: registered v{published.registered.version} as {published.alias} "
        f"(run {published.registered.run_id}); figures in {published.report_dir}"
    )
    return result


def comparison_text(result: TrainingResult) -> str:
    """Held-out numbers of ours and the baselines, as a few aligned lines."""
    sel = result.report.selective
    lines = [f"held-out ({result.holdout_size} rows)      macro-F1  accuracy"]
    lines += [f"  {name:<30} {f1:.4f}    {acc:.4f}" for name, f1, acc in result.comparison()]
    lines.append(
        f"  abstains on {sel.abstain_rate:.1%} (threshold {result.summary.threshold:.2f}); "
        f"answered precision {sel.answered_precision:.4f}; abstain precision "
        f"{sel.abstain_precision:.4f}; ECE {result.report.ece:.4f}"
    )
    return "\n".join(lines)


def ensure_trained(settings: Settings) -> None:
    """Train and register a champion on the bundled request corpus if none exists yet."""
    if store_exists(settings):
        version = open_store(settings).alias_version(MODEL_NAME, CHAMPION)
        if version is not None:
            print(f"{MODEL_NAME}: champion is v{version}")
            return
    print(f"{MODEL_NAME}: no champion yet; training on the bundled request corpus")
    train_and_publish(settings, promote=True)
