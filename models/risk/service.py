"""Assessing projects with the loaded model: probability, severity band, drivers.

One instance per process, built at start-up around the champion. A batch of projects costs
six queries and one ``predict_proba`` call, whatever its size.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from threadpoolctl import ThreadpoolController

from domain.errors import InvalidInput, NotFound, OpsError
from domain.tables import Project
from domain.types import ProjectStatus
from models.risk.features import CATEGORICAL, NUMERIC, features_on
from models.risk.model import Driver, RiskModel

SEVERITIES = ("low", "medium", "high", "critical")
LIVE = (ProjectStatus.active.value, ProjectStatus.on_hold.value)
MODEL_NAME = "overrun-risk"


class ModelMismatch(OpsError):
    """The loaded model reads columns the project data does not have."""

    status_code = 409
    code = "model_mismatch"


@dataclass(frozen=True)
class RiskAssessment:
    project_id: int
    as_of: date
    probability: float
    severity: str
    flagged: bool
    drivers: list[Driver]
    model_version: str

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values, drivers with their direction."""
        return {
            "project_id": self.project_id,
            "as_of": self.as_of.isoformat(),
            "probability": self.probability,
            "severity": self.severity,
            "flagged": self.flagged,
            "model_version": self.model_version,
            "drivers": [
                {
                    "factor": d.factor,
                    "effect": d.effect,
                    "direction": d.direction,
                    "sentence": d.sentence,
                }
                for d in self.drivers
            ],
        }


def severity(probability: float, bands: Sequence[float]) -> str:
    """``low`` below the first band edge, then ``medium``, ``high``, ``critical``."""
    passed = sum(1 for edge in sorted(bands) if probability >= edge)
    return SEVERITIES[min(passed, len(SEVERITIES) - 1)]


class RiskService:
    """The champion model with the firm's flag threshold and severity bands."""

    def __init__(
        self,
        model: RiskModel,
        version: str,
        *,
        flag_threshold: float,
        bands: Sequence[float],
        top_drivers: int = 4,
    ) -> None:
        self.model = model
        self.version = version
        self.flag_threshold = flag_threshold
        self.bands = tuple(bands)
        self.top_drivers = top_drivers
        # Scoring a handful of projects is faster on one OpenMP thread than on two that fight
        # the web server and the encoder for the same cores.
        self._threads = ThreadpoolController()
        # A model trained on a history file reads that file's columns; it can score projects
        # only if every one of them is a feature computed from project data.
        self._usable = set(model.inputs) <= {*NUMERIC, *CATEGORICAL}

    def live_projects(self, session: Session, as_of: date) -> list[int]:
        """Ids of projects running on ``as_of`` (active or on hold, already started)."""
        q = select(Project.id).where(Project.status.in_(LIVE), Project.start_date <= as_of)
        return list(session.scalars(q.order_by(Project.id)))

    def assess(
        self, session: Session, project_ids: Sequence[int] | None, as_of: date
    ) -> list[RiskAssessment]:
        """Assess ``project_ids`` (None: every live project) as they stood on ``as_of``."""
        if not self._usable:
            raise ModelMismatch(
                f"the {MODEL_NAME} champion (version {self.version}) was trained on "
                f"{self.model.source}, whose columns ({', '.join(self.model.inputs)}) are not "
                "all computed from project data; train on the firm's database "
                "(`opscopilot train risk --promote`) or name the file's columns as in "
                "docs/models/risk.md"
            )
        ids = self.live_projects(session, as_of) if project_ids is None else list(project_ids)
        snapshots = features_on(session, dict.fromkeys(ids), as_of)
        missing = sorted(set(ids) - {s.project_id for s in snapshots})
        if missing:
            raise NotFound(
                f"No project with id {', '.join(map(str, missing))}",
                extra={"kind": "project", "id": ",".join(map(str, missing))},
            )
        early = [s.project_id for s in snapshots if float(s.features["schedule_elapsed"]) < 0]
        if early:
            raise InvalidInput(
                f"project {', '.join(map(str, early))} had not started on {as_of}; risk is read "
                "from progress, so pass an as_of on or after the start date"
            )
        with self._threads.limit(limits=1, user_api="openmp"):
            probs, drivers = self.model.explain(
                [s.features for s in snapshots],
                [s.context for s in snapshots],
                top=self.top_drivers,
            )
        return [
            RiskAssessment(
                project_id=s.project_id,
                as_of=as_of,
                probability=round(float(p), 4),
                severity=severity(float(p), self.bands),
                flagged=bool(p >= self.flag_threshold) and not math.isnan(p),
                drivers=d,
                model_version=self.version,
            )
            for s, p, d in zip(snapshots, probs, drivers, strict=True)
        ]
