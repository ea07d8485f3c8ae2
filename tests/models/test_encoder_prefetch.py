"""Prefetching a text: the encode that later asks for it gets the same vector, and the
network runs once, whether the prefetch has finished, is under way, has not started, or
failed."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

import numpy as np
import pytest

from models.encoder import HashingEncoder, MiniLMEncoder, _key


class GatedEncoder(MiniLMEncoder):
    """The encoder's caching and prefetching around a network that waits for a signal and
    counts the texts it runs, so that a test decides when a prefetch is under way."""

    def __init__(self) -> None:
        super().__init__()
        self.ran: list[str] = []
        self.started = threading.Event()
        self.release = threading.Event()
        self.fail_next = False
        self._reference = HashingEncoder()

    def _compute(self, texts: list[str]) -> np.ndarray:
        self.started.set()
        assert self.release.wait(10), "the test never released the network"
        self.ran.extend(texts)
        if self.fail_next:
            self.fail_next = False
            raise RuntimeError("the network failed")
        return self._reference.encode(texts)


@pytest.fixture
def encoder() -> Iterator[GatedEncoder]:
    enc = GatedEncoder()
    yield enc
    enc.release.set()  # never leave the prefetch thread waiting


def settle(encoder: GatedEncoder) -> None:
    """Wait for the prefetches in flight to end, however they end."""
    for job in list(encoder._pending.values()):
        with contextlib.suppress(Exception):
            job.result(10)


def test_a_finished_prefetch_is_served_from_the_cache(encoder: GatedEncoder) -> None:
    encoder.release.set()
    encoder.prefetch("staff Project Atlas")
    settle(encoder)

    vec = encoder.encode(["staff Project Atlas"])
    np.testing.assert_array_equal(vec, HashingEncoder().encode(["staff Project Atlas"]))
    assert encoder.ran == ["staff Project Atlas"]


def test_an_encode_waits_for_a_prefetch_under_way_instead_of_running_again(
    encoder: GatedEncoder,
) -> None:
    text = "a data engineer for Globex"
    encoder.prefetch(text)
    assert encoder.started.wait(10)  # the prefetch is inside the network now
    got: list[np.ndarray] = []
    caller = threading.Thread(target=lambda: got.append(encoder.encode([text, text])))
    caller.start()
    caller.join(0.2)
    assert caller.is_alive()  # waiting for the prefetch, not running the network itself
    encoder.release.set()
    caller.join(10)

    assert encoder.ran == [text]
    np.testing.assert_array_equal(got[0], HashingEncoder().encode([text, text]))


def test_a_prefetch_that_has_not_started_is_cancelled_and_done_by_the_caller(
    encoder: GatedEncoder,
) -> None:
    encoder.prefetch("first")  # takes the one prefetch thread and holds it in the network
    assert encoder.started.wait(10)
    first = encoder._pending[_key("first")]
    encoder.prefetch("second")  # queued behind it
    queued = encoder._pending[_key("second")]
    got: list[np.ndarray] = []
    caller = threading.Thread(target=lambda: got.append(encoder.encode(["second"])))
    caller.start()
    deadline = time.monotonic() + 10
    while not queued.cancelled() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert queued.cancelled()  # the caller did not queue behind "first"
    encoder.release.set()
    caller.join(10)
    first.result(10)  # the prefetch of "first" ends on its own thread

    np.testing.assert_array_equal(got[0], HashingEncoder().encode(["second"]))
    assert sorted(encoder.ran) == ["first", "second"]


def test_a_failed_prefetch_is_encoded_again_by_the_caller(encoder: GatedEncoder) -> None:
    encoder.fail_next = True
    encoder.release.set()
    encoder.prefetch("status of Initech")
    settle(encoder)

    vec = encoder.encode(["status of Initech"])
    np.testing.assert_array_equal(vec, HashingEncoder().encode(["status of Initech"]))
    assert encoder.ran == ["status of Initech", "status of Initech"]


def test_a_cached_text_is_not_prefetched_again(encoder: GatedEncoder) -> None:
    encoder.release.set()
    encoder.encode(["already seen"])
    encoder.prefetch("already seen")
    assert not encoder._pending
    assert encoder.ran == ["already seen"]
