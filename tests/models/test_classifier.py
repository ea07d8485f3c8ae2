"""The request classifier on data a firm brings: any labels, bad files, abstaining, pickling.

These use the hashing encoder (no torch); the real encoder on the real corpus is exercised by
the evaluation gate in tests/evals.
"""

from __future__ import annotations

import csv
import pickle
import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from models.classifier import (
    RequestClassifier,
    TrainingConfig,
    TrainingDataError,
    read_labeled_csv,
    train_and_evaluate,
)
from models.classifier.calibration import choose_threshold, fit_temperature
from models.classifier.data import LabeledData, stratified_holdout
from models.classifier.training import TrainingResult, fit_classifier
from models.encoder import HashingEncoder

TINY: dict[str, list[str]] = {
    "laptop_issue": [
        "my laptop screen is flickering since the update",
        "laptop will not boot, stuck on the logo",
        "keyboard on my laptop stopped working",
        "laptop battery drains in an hour",
        "the laptop fan is very loud and it overheats",
        "cannot connect my laptop to the docking station",
        "laptop blue screen when I open outlook",
        "my laptop trackpad is not responding",
        "laptop is extremely slow after the reboot",
        "need a replacement charger for my laptop",
        "laptop wifi keeps dropping in the office",
        "laptop camera does not work in meetings",
        "my laptop hinge broke, screen wobbles",
        "laptop disk is full and I cannot save files",
    ],
    "room_booking": [
        "please book meeting room 4 for thursday afternoon",
        "can I reserve the boardroom for the client workshop",
        "book a room for twelve people next tuesday",
        "need a meeting room with a projector on friday",
        "reserve the small room for interviews all day wednesday",
        "please cancel my room booking for monday",
        "book the training room for the onboarding session",
        "is the large meeting room free tomorrow morning",
        "move my room reservation from 2pm to 4pm",
        "book a quiet room for a confidential call",
        "reserve two rooms for the offsite planning day",
        "can you book the auditorium for the all hands",
        "meeting room booking for the steering committee",
        "please hold the boardroom for the board visit",
    ],
    "payroll_question": [
        "my payslip shows the wrong tax code",
        "when is salary paid this month",
        "overtime was missing from my payslip",
        "how do I change the bank account for my salary",
        "payslip deduction I do not recognise",
        "my bonus was not included in payroll",
        "question about pension contributions on my payslip",
        "salary arrived late, is payroll delayed",
        "how is holiday pay calculated in payroll",
        "payroll deducted too much national insurance",
        "can I get a copy of last year's payslips",
        "my salary increase is not reflected in payroll",
        "payroll paid me twice by mistake",
        "who do I ask about payroll for contractors",
    ],
}


def write_csv(path: Path, data: dict[str, list[str]] = TINY) -> Path:
    """A ``text,label`` file of ``data``."""
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["text", "label"])
        for label, texts in data.items():
            writer.writerows([t, label] for t in texts)
    return path


def train_tiny(tmp_path: Path) -> TrainingResult:
    data = read_labeled_csv(write_csv(tmp_path / "tiny.csv"))
    train, holdout = stratified_holdout(data, 0.25, seed=0)
    return train_and_evaluate(
        train, holdout, HashingEncoder(), config=TrainingConfig.fast(), latency_sample=0
    )


def test_trains_on_a_firms_own_labels_and_reports_baselines(tmp_path: Path) -> None:
    result = train_tiny(tmp_path)
    model = result.model
    assert model.classes == sorted(TINY)
    assert result.train_size + result.holdout_size == sum(len(v) for v in TINY.values())
    assert set(result.baselines) == {"tfidf_lr", "embedding_lr"}
    assert result.report.macro_f1 >= 0.8, result.comparison()
    unseen = {
        "laptop_issue": "the laptop screen went black again",
        "room_booking": "book the big meeting room for friday",
        "payroll_question": "my payslip salary looks wrong this month",
    }
    predicted = {p.top_label for p in model.predict(list(unseen.values()))}
    assert predicted == set(unseen)
    assert all(len(p.alternatives) == 3 for p in model.predict(list(unseen.values())))
    assert {"holdout_macro_f1", "baseline_tfidf_lr_macro_f1", "abstain_threshold"} <= set(
        result.metrics()
    )
    assert result.params()["labels"] == ",".join(sorted(TINY))


def test_two_labels_are_enough(tmp_path: Path) -> None:
    two = {k: TINY[k] for k in ("laptop_issue", "payroll_question")}
    data = read_labeled_csv(write_csv(tmp_path / "two.csv", two))
    model, _ = fit_classifier(data, HashingEncoder(), config=TrainingConfig.fast())
    p = model.predict_one("my payslip is missing overtime")
    assert p.top_label == "payroll_question"
    assert sum(prob for _, prob in p.alternatives) == pytest.approx(1.0)
    # One text alone (its own path) and in a batch (scikit-learn's) agree.
    batch = model.predict(["my payslip is missing overtime", "the laptop is broken"])
    assert [prob for _, prob in batch[0].alternatives] == [
        pytest.approx(prob, rel=1e-9) for _, prob in p.alternatives
    ]


def test_a_text_unlike_anything_it_was_trained_on_goes_to_triage(tmp_path: Path) -> None:
    model = train_tiny(tmp_path).model
    odd = model.predict_one("zebra quantum marmalade orchestra volcano")
    assert odd.abstained and odd.label is None
    assert odd.reason == "out_of_domain"
    assert odd.top_label in TINY  # the best guess is still shown to the person triaging
    usual = model.predict_one("my laptop keyboard is broken")
    assert not usual.abstained and usual.label == "laptop_issue"


def test_low_confidence_abstains_at_the_stored_threshold(tmp_path: Path) -> None:
    model = train_tiny(tmp_path).model
    texts = ["laptop and payroll and room booking", "my laptop screen is broken"]
    model.novelty_threshold = None  # look at the confidence rule alone
    model.threshold = 0.0
    assert not any(p.abstained for p in model.predict(texts))
    model.threshold = 1.01  # nothing is that sure
    assert all(p.reason == "low_confidence" for p in model.predict(texts))


class _UnpicklableEncoder(HashingEncoder):
    """Holds a lock, like the real encoder's torch model: it cannot be pickled."""

    def __init__(self) -> None:
        self._lock = threading.Lock()


def test_the_pickled_model_leaves_the_encoder_out(tmp_path: Path) -> None:
    data = read_labeled_csv(write_csv(tmp_path / "tiny.csv"))
    encoder = _UnpicklableEncoder()
    model, _ = fit_classifier(data, encoder, config=TrainingConfig.fast())
    before = model.predict(["laptop fan noise", "book a room"])

    restored: RequestClassifier = pickle.loads(pickle.dumps(model))
    with pytest.raises(RuntimeError, match="attach an encoder"):
        restored.predict(["laptop fan noise"])
    after = restored.attach(encoder).predict(["laptop fan noise", "book a room"])
    assert [p.top_label for p in after] == [p.top_label for p in before]
    assert [p.confidence for p in after] == pytest.approx([p.confidence for p in before])


def test_an_encoder_other_than_the_training_one_is_refused(tmp_path: Path) -> None:
    data = read_labeled_csv(write_csv(tmp_path / "tiny.csv"))
    model, _ = fit_classifier(data, HashingEncoder(), config=TrainingConfig.fast())

    class Other(HashingEncoder):
        @property
        def version(self) -> str:
            return "some-other-encoder"

    with pytest.raises(ValueError, match="retrain"):
        model.attach(Other())


def _rows(*rows: Sequence[str]) -> str:
    return "\n".join(",".join(r) for r in rows) + "\n"


ENOUGH = "".join(f"laptop problem {i},laptop\nroom booking {i},room\n" for i in range(10))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "missing column"),
        (b"text,category\nhello,greeting\n", "missing column(s) label"),
        (b"text,label\n", "no rows"),
        (("text,label\n" + ENOUGH + "one odd request,odd\n").encode(), "'odd' has 1"),
        (b"text,label\n" + "".join(f"x {i},only\n" for i in range(12)).encode(), "only one label"),
        (("text,label\n" + ENOUGH + ",laptop\n").encode(), "empty text or label on line(s) 22"),
        (("text,label\n" + ENOUGH + "laptop problem 1,room\n").encode(), "two labels"),
        ("text,label\ncaf\u00e9 booking,room\n".encode("latin-1"), "not UTF-8"),
    ],
    ids=[
        "empty",
        "no-label-column",
        "header-only",
        "rare-label",
        "one-label",
        "blank",
        "conflict",
        "latin1",
    ],
)
def test_a_bad_training_file_says_what_to_fix(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(TrainingDataError) as err:
        read_labeled_csv(path)
    assert message in err.value.detail
    assert err.value.status_code == 422


def test_duplicate_rows_count_once_and_headers_are_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("Text,Label\n" + ENOUGH + "laptop problem 1,laptop\n")
    data = read_labeled_csv(path)
    assert data.label_counts == {"laptop": 10, "room": 10}


def test_temperature_scaling_recovers_a_known_temperature() -> None:
    rng = np.random.default_rng(0)
    logits = rng.normal(0, 3, size=(4000, 4))
    true_t = 2.5
    p = np.exp(logits / true_t)
    p /= p.sum(axis=1, keepdims=True)
    truth = np.array([rng.choice(4, p=row) for row in p])
    assert fit_temperature(logits, truth) == pytest.approx(true_t, rel=0.1)


def test_the_threshold_is_the_lowest_that_meets_the_precision_target() -> None:
    conf = np.array([0.99, 0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
    right = np.array([1, 1, 1, 1, 0, 1, 0, 0], dtype=bool)
    # Answering the top 4 is 100 % right; the 5th (0.7) is wrong.
    t = choose_threshold(conf, right, target_precision=0.95, min_coverage=0.25)
    assert 0.7 < t < 0.8
    # An unreachable target keeps at least min_coverage answered instead of abstaining on all.
    t = choose_threshold(conf, right, target_precision=1.01, min_coverage=0.5)
    assert 0.7 < t < 0.8
    assert choose_threshold(conf, np.ones(8, bool), target_precision=0.9, min_coverage=0.5) == 0.0


def test_one_message_gets_the_same_features_as_scikit_learns_transform(tmp_path: Path) -> None:
    model = train_tiny(tmp_path).model
    model.predict_one("my laptop keyboard is broken")  # builds the one-text paths
    restored: RequestClassifier = pickle.loads(pickle.dumps(model))  # and they survive pickling
    texts = [
        "my laptop keyboard is broken",
        "laptop laptop laptop LAPTOP screen",  # repeats: the sublinear term frequency
        "Ünïcödé payslip — salary?!",
        "zebra quantum marmalade",  # nothing in the vocabulary
        "",
    ]
    for featurizer in (model.featurizer, restored.featurizer):
        for block, vectorizer in featurizer._vectorizers.items():
            one = featurizer._single_text(block)
            assert one is not None, block
            for text in texts:
                fast, reference = one(text), vectorizer.transform([text])
                assert fast.shape == reference.shape
                np.testing.assert_allclose(fast.toarray(), reference.toarray(), rtol=1e-12)
    # The classifier on one text agrees with itself on a batch (which takes ``transform``).
    batch = model.predict(texts)
    alone = [model.predict_one(t) for t in texts]
    assert [p.alternatives for p in alone] == [
        tuple((label, pytest.approx(prob, rel=1e-9)) for label, prob in p.alternatives)
        for p in batch
    ]


def test_nothing_the_model_chooses_depends_on_the_held_out_rows(tmp_path: Path) -> None:
    """C, temperature, abstain and novelty thresholds and the vocabularies come from the
    training rows alone: the same training rows with other held-out labels, or other held-out
    texts, give the same model, and only the held-out score changes."""
    data = read_labeled_csv(write_csv(tmp_path / "tiny.csv"))
    train, holdout = stratified_holdout(data, 0.25, seed=0)
    labels = sorted(set(holdout.labels))
    scrambled = replace(holdout, labels=[labels[(labels.index(x) + 1) % len(labels)]
                                         for x in holdout.labels])  # fmt: skip

    def fit(h: LabeledData) -> TrainingResult:
        return train_and_evaluate(
            train, h, HashingEncoder(), config=TrainingConfig.fast(), latency_sample=0
        )

    # Words no training row has: fitted on the held-out texts, they would join the vocabulary.
    reworded = replace(holdout, texts=[f"{t} zqxv blorft" for t in holdout.texts])
    honest, other, unseen = fit(holdout), fit(scrambled), fit(reworded)

    probe = ["the laptop screen went black again", "book the big meeting room for friday zqxv"]
    for alt in (other, unseen):
        assert honest.summary == alt.summary  # every choice made by cross-validation
        assert honest.model.threshold == alt.model.threshold
        assert np.array_equal(honest.model.predict_proba(probe), alt.model.predict_proba(probe))
    assert other.report.macro_f1 < honest.report.macro_f1  # the held-out labels were used to score
