"""A throw-away firm for the simulation: its own database, model store and index.

Everything lives under one directory, and every location is given explicitly (never read
from the environment), so a simulation can never touch the user's database or MLflow store.
The demo firm is seeded, champions are trained as a fresh install would have them, and the
models are loaded into a ``Services`` the way the app's lifespan loads them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.demo.seed import seed_demo
from app.loaders import classifier as classifier_loader
from app.loaders import risk as risk_loader
from app.loaders import staffing as staffing_loader
from app.model_store import open_store
from app.runtime import Runtime, open_runtime
from app.services import Services
from app.settings import MLflowSettings, Settings, VectorStoreSettings
from app.tuning.promoter import wire_promoter
from domain.db import unit_of_work
from domain.tables import User
from evals.classifier import TEST_CSV, TRAIN_CSV
from governance.actor import Actor
from governance.service import Governance
from models import classifier as clf
from models.classifier import TrainingConfig, read_labeled_csv
from models.classifier.publish import publish as publish_classifier
from models.classifier.training import train_and_evaluate
from models.encoder import Encoder
from models.registry import ModelStore
from models.risk import firm_history
from models.risk.publish import publish as publish_risk
from models.risk.training import FIRM_SPEC
from models.risk.training import train_and_evaluate as train_risk
from models.staffing.training import train_and_register

Say = Callable[[str], None]
APPROVER = "victor.dd@opscopilot-demo.com"  # delivery director: may decide every type
DATA_SCIENTIST = "jordan.ds@opscopilot-demo.com"
# The risk champion learns from the projects that closed first; the later ones close "after"
# it was trained, as they would in a firm that has run the copilot for a while.
RISK_CHAMPION_SHARE = 0.5


@dataclass
class Workspace:
    root: Path
    settings: Settings
    runtime: Runtime
    store: ModelStore
    encoder: Encoder
    services: Services
    governance: Governance
    approver: Actor
    data_scientist: Actor
    today: date

    def close(self) -> None:
        self.runtime.engine.dispose()


def sim_settings(root: Path) -> Settings:
    """Settings that point only inside ``root`` whatever the environment says."""
    data = root / "var"
    return Settings(
        environment="test",
        data_dir=data,
        database_url=f"sqlite:///{(data / 'simulation.db').resolve()}",
        mlflow=MLflowSettings(
            tracking_uri=f"sqlite:///{(data / 'mlflow.db').resolve()}", experiment="simulation"
        ),
        vector_store=VectorStoreSettings(uri=str((data / "lancedb").resolve())),
        webhook_urls=[],
    )


def _actor(runtime: Runtime, email: str) -> Actor:
    with unit_of_work(runtime.sessions) as session:
        user = session.scalars(select(User).where(User.email == email)).one()
        return Actor.of(user)


def _champions(
    ws_settings: Settings, runtime: Runtime, store: ModelStore, encoder: Encoder, say: Say
) -> None:
    reports = ws_settings.data_dir.resolve() / "reports"
    say("champions: request classifier on the bundled corpus (quick recipe)")
    result = train_and_evaluate(
        read_labeled_csv(TRAIN_CSV),
        read_labeled_csv(TEST_CSV),
        encoder,
        config=TrainingConfig.fast(),
        progress=lambda m: say(f"  {m}"),
        latency_sample=0,
    )
    publish_classifier(store, result, promote=True, report_dir=reports / clf.MODEL_NAME)
    say("champions: staffing ranker with the default weights")
    train_and_register(store, reports, promote=True, say=lambda m: say(f"  {m}"))
    with unit_of_work(runtime.sessions) as session:
        history = firm_history(session)
    ends = sorted({(e.ended_on, e.group) for e in history if e.ended_on})
    cutoff = ends[int(len(ends) * RISK_CHAMPION_SHARE)][0]
    early = [e for e in history if e.ended_on is not None and e.ended_on <= cutoff]
    say(f"champions: overrun risk on {len({e.group for e in early})} projects closed by {cutoff}")
    trained = train_risk(early, FIRM_SPEC, threshold=ws_settings.risk.flag_threshold)
    publish_risk(store, trained, early, promote=True, reports_dir=reports)


def _services(settings: Settings, runtime: Runtime, encoder: Encoder, say: Say) -> Services:
    """The champions, loaded by the app's own loaders (loudly: a sim without one is no sim)."""
    classifier = classifier_loader.load_champion(settings, encoder)
    ranker = staffing_loader.load_champion(settings)
    risk = risk_loader.load_champion(settings)
    assert classifier is not None and ranker is not None and risk is not None
    recommender = staffing_loader.build(settings, encoder, ranker)
    say("indexing consultant profiles")
    staffing_loader.refresh(runtime, recommender)
    return Services(
        extras={"encoder": encoder, "classifier": classifier, "staffing": recommender, "risk": risk}
    )


def open_workspace(root: Path, encoder: Encoder, *, seed: int, today: date, say: Say) -> Workspace:
    """Seed the demo firm under ``root``, train champions, load them as the app would."""
    settings = sim_settings(root)
    runtime = open_runtime(settings)
    say(f"seeding the demo firm (seed {seed}, as of {today}) into {settings.db_url}")
    with unit_of_work(runtime.sessions) as session:
        seed_demo(session, seed=seed, as_of=today)
    store = open_store(settings)
    _champions(settings, runtime, store, encoder, say)
    services = _services(settings, runtime, encoder, say)
    governance = Governance.load()
    services.extras["governance"] = governance
    wire_promoter(governance, services, settings)
    return Workspace(
        root=root,
        settings=settings,
        runtime=runtime,
        store=store,
        encoder=encoder,
        services=services,
        governance=governance,
        approver=_actor(runtime, APPROVER),
        data_scientist=_actor(runtime, DATA_SCIENTIST),
        today=today,
    )
