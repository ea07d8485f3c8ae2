"""The request classifier: which kind of request a message is, or "ask a person"."""

from models.classifier.data import LabeledData, TrainingDataError, read_labeled_csv
from models.classifier.model import MODEL_NAME, Prediction, RequestClassifier
from models.classifier.training import TrainingConfig, TrainingResult, train_and_evaluate
from models.classifier.triage import Triage, triage

__all__ = [
    "MODEL_NAME",
    "LabeledData",
    "Prediction",
    "RequestClassifier",
    "TrainingConfig",
    "TrainingDataError",
    "TrainingResult",
    "Triage",
    "read_labeled_csv",
    "train_and_evaluate",
    "triage",
]
