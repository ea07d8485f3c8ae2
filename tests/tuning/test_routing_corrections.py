"""Categories approvers corrected become training labels; the test split is never touched."""

from __future__ import annotations

from models.classifier import TrainingConfig
from models.classifier.data import LabeledData
from models.classifier.training import fit_classifier
from models.encoder import HashingEncoder
from models.tuning import classifier as learn
from models.tuning.records import DecisionRecord
from tests.models.test_classifier import TINY
from tests.tuning.crafted import record


def _routed(text: str, predicted: str, routed_to: str) -> DecisionRecord:
    payload = {"text": text, "predicted_category": predicted, "confidence": 0.8}
    if predicted == routed_to:
        return record("route_request", "accept", payload, payload)
    return record(
        "route_request", "override", payload, {**payload, "predicted_category": routed_to}
    )


def _corpus() -> tuple[LabeledData, LabeledData]:
    train = [(t, label) for label, texts in TINY.items() for t in texts[:11]]
    test = [(t, label) for label, texts in TINY.items() for t in texts[11:]]
    return (
        LabeledData([t for t, _ in train], [lab for _, lab in train], source="train.csv"),
        LabeledData([t for t, _ in test], [lab for _, lab in test], source="test.csv"),
    )


OFFSITE_CLAIMS = [
    f"expense claim for the {thing} during the offsite in {city}"
    for thing in ("hotel", "taxi", "dinner", "train ticket")
    for city in ("Lisbon", "Berlin", "Oslo")
]


def test_corrections_teach_the_model_the_firms_routing() -> None:
    train, test = _corpus()
    encoder = HashingEncoder()
    champion, _ = fit_classifier(train, encoder, config=TrainingConfig.fast())
    decided = [
        _routed(t, champion.predict_one(t).top_label, "payroll_question") for t in OFFSITE_CLAIMS
    ]
    decided.append(_routed(train.texts[0], train.labels[0], train.labels[0]))  # an accept
    fixes = learn.corrections(decided)
    assert 0 < len(fixes) <= len(OFFSITE_CLAIMS)  # only the overrides are corrections

    update = learn.with_corrections(train, test, fixes)
    assert update.added == len(fixes)
    challenger, _ = fit_classifier(update.data, encoder, config=TrainingConfig.fast())

    unseen = ["expense claim for the hotel during the offsite in Madrid"]
    assert champion.predict(unseen)[0].top_label != "payroll_question"
    assert challenger.predict(unseen)[0].top_label == "payroll_question"
    fresh = [_routed(unseen[0], "room_booking", "payroll_question")]
    assert learn.agreement(challenger, fresh).accuracy == 1.0
    assert learn.agreement(champion, fresh).accuracy == 0.0


def test_a_correction_of_a_test_request_is_never_trained_on() -> None:
    train, test = _corpus()
    before = (list(test.texts), list(test.labels))
    in_test = "  " + test.texts[0].upper() + "  "  # the same request, differently written
    fixes = learn.corrections(
        [
            _routed(in_test, test.labels[0], "room_booking"),
            _routed(train.texts[1], train.labels[1], "payroll_question"),
            _routed("please order a standing desk", "laptop_issue", "room_booking"),
            _routed("where is the fire exit", "room_booking", "facilities"),
        ]
    )
    update = learn.with_corrections(train, test, fixes)

    assert (update.dropped_in_test, update.relabelled, update.added, update.unknown_label) == (
        1,
        1,
        1,
        1,
    )
    trained = {
        learn.normalise(t): lab
        for t, lab in zip(update.data.texts, update.data.labels, strict=True)
    }
    assert learn.normalise(in_test) not in trained
    assert trained[learn.normalise(train.texts[1])] == "payroll_question"
    assert trained[learn.normalise("please order a standing desk")] == "room_booking"
    assert (list(test.texts), list(test.labels)) == before
    assert len(update.data) == len(train) + 1
