"""Classify a request and say what it refers to: the answer the API and CLI give."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from models.classifier.model import Prediction, RequestClassifier
from models.extraction import Extraction, FirmIndex, extract


@dataclass(frozen=True)
class Triage:
    prediction: Prediction
    extraction: Extraction
    model_version: str

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.prediction.to_dict(),
            "extraction": self.extraction.to_dict(),
            "model_version": self.model_version,
        }


def triage(text: str, classifier: RequestClassifier, index: FirmIndex, today: date) -> Triage:
    """The category (or an abstention) and the extracted project, people, dates and amounts."""
    return Triage(
        prediction=classifier.predict_one(text),
        extraction=extract(text, index, today),
        model_version=classifier.version,
    )
