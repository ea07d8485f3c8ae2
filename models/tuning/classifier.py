"""Request routing: categories approvers corrected become training labels.

A ``route_request`` override names the category the request really belonged to. Those
(text, category) pairs join the training corpus; a text already there takes the approver's
label. The held-out test split is never touched: a correction whose text is in it is dropped
(it would put a test request into training), so the test numbers stay comparable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from models.classifier.data import LabeledData
from models.classifier.model import RequestClassifier
from models.tuning.records import DecisionRecord

KIND = "route_request"


@dataclass(frozen=True)
class Correction:
    proposal_id: int
    text: str
    predicted: str
    label: str


def normalise(text: str) -> str:
    """The form texts are compared in: whitespace collapsed, case folded."""
    return " ".join(text.split()).casefold()


def request_text(record: DecisionRecord) -> str | None:
    """The request's wording: in the payload, or looked up by the caller."""
    text = record.payload.get("text") or record.text
    return " ".join(str(text).split()) if text else None


def final_category(record: DecisionRecord) -> str | None:
    """The category the request was routed to (None when the proposal was rejected)."""
    if record.final_payload is None:
        return None
    value = record.final_payload.get("predicted_category")
    return str(value) if value else None


def corrections(records: Sequence[DecisionRecord]) -> list[Correction]:
    """Decisions that routed a request elsewhere than predicted, in the records' order."""
    out = []
    for r in records:
        if r.type != KIND:
            continue
        label, text = final_category(r), request_text(r)
        predicted = str(r.payload.get("predicted_category"))
        if label is None or text is None or label == predicted:
            continue
        out.append(Correction(r.proposal_id, text, predicted, label))
    return out


@dataclass(frozen=True)
class CorpusUpdate:
    """The training rows with corrections applied, and what happened to each correction."""

    data: LabeledData
    added: int
    relabelled: int  # already in training with another label; the approver's label wins
    unchanged: int  # already in training with the same label
    dropped_in_test: int  # the text is in the held-out test split: never trained on
    unknown_label: int  # a label the corpus lacks cannot be learned from a few rows

    @property
    def used(self) -> int:
        return self.added + self.relabelled


def with_corrections(
    train: LabeledData, test: LabeledData, fixes: Sequence[Correction]
) -> CorpusUpdate:
    """``train`` plus ``fixes`` (the latest correction of a text wins); ``test`` untouched."""
    in_test = {normalise(t) for t in test.texts}
    known = set(train.labels)
    latest: dict[str, Correction] = {}
    for fix in fixes:
        latest[normalise(fix.text)] = fix
    texts, labels = list(train.texts), list(train.labels)
    position = {normalise(t): i for i, t in enumerate(texts)}
    added = relabelled = unchanged = dropped = unknown = 0
    for key, fix in latest.items():
        if key in in_test:
            dropped += 1
        elif fix.label not in known:
            unknown += 1
        elif key in position:
            i = position[key]
            if labels[i] == fix.label:
                unchanged += 1
            else:
                labels[i] = fix.label
                relabelled += 1
        else:
            texts.append(fix.text)
            labels.append(fix.label)
            added += 1
    source = f"{train.source} + {added + relabelled} approver corrections"
    return CorpusUpdate(
        LabeledData(texts, labels, source=source), added, relabelled, unchanged, dropped, unknown
    )


@dataclass(frozen=True)
class RoutingAgreement:
    accuracy: float  # share of decisions whose final category the model predicts
    decisions: int


def agreement(model: RequestClassifier, records: Sequence[DecisionRecord]) -> RoutingAgreement:
    """How often ``model``'s best guess is the category approvers routed the request to."""
    pairs = [
        (text, label)
        for r in records
        if r.type == KIND
        and (label := final_category(r)) is not None
        and (text := request_text(r)) is not None
    ]
    if not pairs:
        return RoutingAgreement(math.nan, 0)
    predictions = model.predict([t for t, _ in pairs])
    hits = sum(p.top_label == label for p, (_, label) in zip(predictions, pairs, strict=True))
    return RoutingAgreement(hits / len(pairs), len(pairs))
