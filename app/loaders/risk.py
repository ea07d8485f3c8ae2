"""The overrun-risk model: the registered champion, loaded once per process."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from app.model_store import open_store, store_exists
from app.runtime import Runtime, open_runtime
from app.services import Services
from app.settings import Settings
from domain.db import unit_of_work
from models.registry import CHAMPION
from models.risk import MODEL_NAME, Example, RiskService, firm_history

if TYPE_CHECKING:
    # Training pulls in matplotlib and the evaluation code; serving needs neither.
    from models.risk.publish import Published
    from models.risk.training import FeatureSpec

log = logging.getLogger(__name__)
NAME = "risk"


def load(runtime: Runtime, services: Services) -> None:
    """Put the champion into ``services.extras["risk"]``; leave it absent if there is none."""
    if NAME in services.extras:
        return
    try:
        service = load_champion(runtime.settings)
    except Exception:
        # A broken registry must not take the whole service down: risk routes answer 503.
        log.exception("could not load the %s champion", MODEL_NAME)
        return
    if service is not None:
        services.extras[NAME] = service


def load_champion(settings: Settings) -> RiskService | None:
    """The champion wrapped with the firm's threshold and bands, or None if none is registered."""
    if not store_exists(settings):
        return None  # a fresh machine: skip importing MLflow just to learn there is nothing
    found = open_store(settings).load_alias(MODEL_NAME, CHAMPION)
    if found is None:
        return None
    version, model = found
    return RiskService(
        model,
        version,
        flag_threshold=settings.risk.flag_threshold,
        bands=settings.risk.bands,
    )


def train_and_register(
    settings: Settings,
    examples: Sequence[Example],
    spec: FeatureSpec,
    *,
    promote: bool,
    say: Callable[[str], None],
    test_share: float = 0.3,
    calibration: str = "sigmoid",
) -> Published:
    """Train on ``examples``, evaluate on the later projects, log and register the run."""
    from models.risk.publish import publish
    from models.risk.training import train_and_evaluate

    say(f"risk: {len(examples)} examples from {len({e.group for e in examples})} projects")
    result = train_and_evaluate(
        examples,
        spec,
        threshold=settings.risk.flag_threshold,
        test_share=test_share,
        calibration=calibration,
        progress=lambda msg: say(f"risk: {msg}"),
    )
    say("risk: logging the run to MLflow and registering the model")
    published = publish(
        open_store(settings),
        result,
        examples,
        promote=promote,
        reports_dir=settings.data_dir.resolve() / "reports",
    )
    m = result.evaluation.metrics
    say(
        f"risk: registered {MODEL_NAME} v{published.registered.version} as {published.alias}; "
        f"held-out ROC-AUC {m['roc_auc']:.3f} (baseline {m['baseline_roc_auc']:.3f}), "
        f"Brier {m['brier']:.3f} (baseline {m['baseline_brier']:.3f})"
    )
    return published


def ensure_trained(settings: Settings) -> None:
    """Train and register a champion on the firm's history if none exists yet."""
    from models.risk.evaluation import NotEnoughHistory
    from models.risk.training import FIRM_SPEC

    store = open_store(settings)
    version = store.alias_version(MODEL_NAME, CHAMPION)
    if version is not None:
        print(f"risk: {MODEL_NAME} champion is v{version}")
        return
    print("risk: no champion yet; building snapshots of finished projects")
    runtime = open_runtime(settings)
    try:
        with unit_of_work(runtime.sessions) as session:
            examples = firm_history(session)
    finally:
        runtime.engine.dispose()
    hint = "seed the demo firm, or train on a history file with 'train risk --data FILE'"
    if not examples:
        print(f"risk: skipped, no finished projects with timesheets; {hint}")
        return
    try:
        train_and_register(settings, examples, FIRM_SPEC, promote=False, say=print)
    except NotEnoughHistory as exc:
        print(f"risk: skipped, {exc.detail}; {hint}")
