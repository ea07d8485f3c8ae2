"""The overrun-risk model: point-in-time features, calibrated gradient boosting, drivers.

``features`` computes what a project looked like on a day; ``dataset`` and ``history_file``
turn finished projects into labelled examples; ``training`` fits and evaluates on a time
split; ``publish`` registers runs in MLflow; ``service`` assesses live projects.
"""

from models.risk.dataset import Example, firm_history, overran
from models.risk.features import Snapshot, compute_features, features_on
from models.risk.model import Driver, RiskModel
from models.risk.service import MODEL_NAME, RiskAssessment, RiskService, severity

__all__ = [
    "MODEL_NAME",
    "Driver",
    "Example",
    "RiskAssessment",
    "RiskModel",
    "RiskService",
    "Snapshot",
    "compute_features",
    "features_on",
    "firm_history",
    "overran",
    "severity",
]
