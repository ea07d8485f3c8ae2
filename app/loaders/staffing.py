"""The staffing recommender: the registered ranker plus the LanceDB profile index.

Loaded once in the lifespan. The index is refreshed from the firm's tables at start-up (cheap
when nothing changed) and again by ``refresh`` after imports.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from app.model_store import open_store, store_exists
from app.runtime import Runtime, open_runtime
from app.services import Services
from app.settings import Settings
from domain.db import unit_of_work
from models.encoder import Encoder, MiniLMEncoder
from models.registry import CHAMPION
from models.staffing import MODEL_NAME, StaffingRanker, StaffingRecommender
from models.staffing.index import RefreshReport, StaffingIndex
from models.staffing.store import VectorStore

log = logging.getLogger(__name__)
NAME = "staffing"


def load_champion(settings: Settings) -> StaffingRanker | None:
    """The champion ranker with its registry version, or None if none is registered."""
    if not store_exists(settings):
        return None  # a fresh machine: skip importing MLflow just to learn there is nothing
    found = open_store(settings).load_alias(MODEL_NAME, CHAMPION)
    if found is None:
        return None
    version, ranker = found
    ranker.version = version
    return ranker


def build(settings: Settings, encoder: Encoder, ranker: StaffingRanker) -> StaffingRecommender:
    """A recommender over the index at ``settings.lancedb_uri`` (not yet refreshed)."""
    vectors = VectorStore(
        settings.lancedb_uri,
        settings.vector_store.table,
        dim=encoder.dim,
        ann_threshold=settings.vector_store.ann_threshold,
    )
    return StaffingRecommender(StaffingIndex(vectors, encoder), ranker)


def load(runtime: Runtime, services: Services) -> None:
    """Put the recommender into ``services.extras["staffing"]``; leave it absent without a champion."""
    if NAME in services.extras:
        return
    try:
        ranker = load_champion(runtime.settings)
        if ranker is None:
            return
        recommender = build(runtime.settings, services.require("encoder"), ranker)
        report = refresh(runtime, recommender)
    except Exception:
        # A broken registry or index must not take the whole service down: routes answer 503.
        log.exception("could not load the staffing recommender")
        return
    log.info(
        "staffing: %s v%s, %d profiles indexed (%d re-embedded, %d removed)",
        MODEL_NAME,
        ranker.version,
        report.indexed,
        report.upserted,
        report.removed,
    )
    services.extras[NAME] = recommender


def refresh(
    runtime: Runtime,
    recommender: StaffingRecommender,
    progress: Callable[[int, int], None] | None = None,
) -> RefreshReport:
    """Re-embed consultants changed since the last refresh (call after imports too)."""
    with unit_of_work(runtime.sessions) as session:
        return recommender.refresh(session, progress)


def refresh_after_import(
    runtime: Runtime, services: Services | None = None
) -> RefreshReport | None:
    """Bring the index up to date after consultants or skills changed (an import, an event).

    Uses the loaded recommender when there is one (the server), else opens the index (a CLI
    command); the encoder only loads if a skill or title is new. None without a champion.
    """
    recommender = services.extras.get(NAME) if services is not None else None
    if recommender is None:
        ranker = load_champion(runtime.settings)
        if ranker is None:
            return None
        recommender = build(runtime.settings, MiniLMEncoder(), ranker)
    return refresh(runtime, recommender)


def ensure_trained(settings: Settings) -> None:
    """Register the default ranker as champion if there is none, then build the index."""
    store = open_store(settings)
    found = store.load_alias(MODEL_NAME, CHAMPION)
    if found is None:
        from models.staffing.training import train_and_register

        trained = train_and_register(store, settings.data_dir.resolve() / "reports", say=print)
        print(f"staffing: registered {MODEL_NAME} v{trained.registered.version} as {trained.alias}")
        ranker = trained.ranker
    else:
        version, ranker = found
        print(f"staffing: {MODEL_NAME} champion is v{version}")
    runtime = open_runtime(settings)
    try:
        print("staffing: indexing consultant profiles (first run embeds each skill phrase once)")
        recommender = build(settings, MiniLMEncoder(), ranker)
        report = refresh(runtime, recommender, _print_progress)
        print(
            f"staffing: {report.indexed} profiles indexed ({report.upserted} embedded, "
            f"{report.removed} removed, search from {recommender.index.store.mode})"
        )
    finally:
        runtime.engine.dispose()


def _print_progress(done: int, total: int) -> None:
    print(f"staffing: embedded {done}/{total} profiles")
