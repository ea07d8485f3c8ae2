"""Spot text that tries to instruct the copilot: in a message, or hidden in the data it reads.

Detection is a tripwire, not the defence. The defence is structural: the graph has no path
that applies an effect, the requester is the authenticated user and never what a text says,
and the proposal type comes from the router, not from the model. What this module finds is
recorded as evidence and makes the proposal ineligible for auto-accept.
"""

from __future__ import annotations

import re

_PATTERNS = [
    r"\b(ignore|disregard|forget)\b.{0,40}\b(rules?|instructions?|polic\w*|guardrails?|previous|above)\b",
    r"\b(approve|accept)\b.{0,30}\b(this|it|all|everything|proposals?|immediately|now|without)\b",
    r"\bauto[-_ ]?accept\w*\b",
    r"\b(make|set|assign|grant|promote|add)\b.{0,20}\b(me|us|myself)\b.{0,20}\b(approver|admin\w*|director|role|permissions?)\b",
    r"\b(you are now|act as|pretend to be|new instructions|system prompt|developer mode)\b",
    r"\b(skip|bypass|override|disable|ignore)\b.{0,25}\b(polic\w*|approvals?|review|governance|checks?|segregation)\b",
    r"\bon behalf of\b.{0,30}\b(director|admin\w*|approver)\b",
    r"\b(mark|report)\b.{0,30}\bas (green|approved)\b",
]
_COMPILED = [re.compile(p, re.IGNORECASE | re.DOTALL) for p in _PATTERNS]


def find_instructions(text: str) -> list[str]:
    """The instruction-like passages in ``text`` (empty when there are none)."""
    return list(dict.fromkeys(m.group(0) for rx in _COMPILED for m in rx.finditer(text)))
