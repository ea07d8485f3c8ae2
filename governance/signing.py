"""Webhook signatures: HMAC-SHA256 over ``"<timestamp>.<body>"`` with the shared secret.

Receivers check the signature and reject timestamps too far from their clock (replays), then
deduplicate on the event id: delivery is at least once.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-OpsCopilot-Signature"
TIMESTAMP_HEADER = "X-OpsCopilot-Timestamp"
EVENT_ID_HEADER = "X-OpsCopilot-Event-Id"
EVENT_TYPE_HEADER = "X-OpsCopilot-Event-Type"
ATTEMPT_HEADER = "X-OpsCopilot-Delivery-Attempt"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header value: ``sha256=<hex>``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def verify(
    secret: str,
    *,
    body: bytes,
    timestamp: str,
    signature: str,
    tolerance_seconds: int = 300,
    now: float | None = None,
) -> bool:
    """What a receiver runs: a valid signature on a recent timestamp."""
    try:
        ts = int(timestamp)
    except ValueError:
        return False
    if abs((now if now is not None else time.time()) - ts) > tolerance_seconds:
        return False
    return hmac.compare_digest(sign(secret, ts, body), signature)
