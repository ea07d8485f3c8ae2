"""A keyword classifier for request categories, until the trained classifier is wired.

Each category has a few weighted patterns; the score of a category is the sum of the weights
that match. When two categories score close to each other the classifier abstains, so a
mixed request ("invoice the extra hours from the timesheet") goes to human triage instead of
being routed on a coin flip.
"""

from __future__ import annotations

import re

from agents.ports import Classification
from domain.types import RequestCategory

MODEL_VERSION = "keyword-rules-1"
# Keywords are weak evidence, however many match: never claim near-certainty, which a policy
# may treat as licence to act without a person (route_request auto-accepts above 0.97).
MAX_CONFIDENCE = 0.9

_RULES: dict[RequestCategory, list[tuple[str, float]]] = {
    RequestCategory.staffing_request: [
        (r"\b(need|needs|looking for|find me|staff|backfill|replace)\b", 1.0),
        (r"\b(engineer|developer|architect|analyst|consultant|scientist|tester|designer)s?\b", 1.0),
        (r"\b\d+(\.\d+)?\s*(h|hrs?|hours?)\s*(/|a|per)\s*(w|wk|week)\b", 1.5),
        (r"\b(full[- ]time|part[- ]time)\b", 1.0),
    ],
    RequestCategory.scope_change: [
        (r"\b(extra|additional|more)\b", 1.0),
        (r"\b(change request|scope|out of scope|new requirement)\b", 1.5),
        (r"\b(client|customer) (wants|asked|asks|requests|requested)\b", 1.0),
        (r"\babout \d+\s*(h|hours)\b(?!\s*(/|a|per)\s*w)", 1.0),
    ],
    RequestCategory.status_report: [
        (r"\bstatus (report|update|summary|email)\b", 2.0),
        (r"\b(draft|write|prepare|put together|compile)\b.*\b(status|update|summary)\b", 1.5),
        (r"\bweekly (update|report)\b|\bthis week'?s status\b", 1.5),
    ],
    RequestCategory.risk_escalation: [
        (r"\b(risk|risks|risky|overrun|over budget|escalat\w*)\b", 1.5),
        (r"\b(behind schedule|slipping|slipped|late|in trouble|red)\b", 1.0),
    ],
    RequestCategory.timesheet_expense: [
        (r"\b(timesheets?|expenses?|receipts?|mileage)\b", 2.0),
    ],
    RequestCategory.billing_invoice: [
        (r"\b(invoices?|invoicing|billing|credit note|payment|purchase order|po)\b", 2.0),
    ],
    RequestCategory.project_setup: [
        (r"\b(new project|set up|setup|kick[- ]?off|onboard\w*)\b", 1.5),
        (r"\bdeal (won|approved|signed)\b", 2.0),
    ],
    RequestCategory.general_question: [
        (r"\b(how is|how's|how are|what is|what's|when is|who is|doing|going|progress)\b", 1.0),
        (r"\?\s*$", 0.5),
    ],
}
_COMPILED = {
    label: [(re.compile(p, re.IGNORECASE), w) for p, w in rules] for label, rules in _RULES.items()
}


class KeywordClassifier:
    """Implements ``agents.ports.Classifier`` with weighted keyword patterns."""

    def __init__(self, *, margin: float = 0.5) -> None:
        # Abstain when the runner-up scores within ``margin`` of the winner.
        self.margin = margin

    def prepare(self, text: str) -> None:
        """Nothing runs ahead: the patterns take microseconds."""

    def classify(self, text: str) -> Classification:
        """The best-scoring category; a request with no signal is a general question."""
        scores = {
            label: sum(w for rx, w in rules if rx.search(text))
            for label, rules in _COMPILED.items()
        }
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        (top, top_score), (_, second_score) = ranked[0], ranked[1]
        if top_score == 0:
            return Classification(
                label=RequestCategory.general_question.value,
                confidence=0.5,
                model_version=MODEL_VERSION,
            )
        total = sum(s for _, s in ranked)
        confidence = round(min(MAX_CONFIDENCE, top_score / total), 3)
        alternatives = [(label.value, round(s / total, 3)) for label, s in ranked[1:4] if s > 0]
        return Classification(
            label=top.value,
            confidence=confidence,
            abstained=top_score - second_score < self.margin,
            alternatives=alternatives,
            model_version=MODEL_VERSION,
        )
