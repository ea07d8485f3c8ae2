"""What the use cases need besides a session: configuration and plugged-in collaborators."""

from __future__ import annotations

from dataclasses import dataclass, field

from governance.listeners import (
    CandidateSource,
    DecisionListener,
    EventSubscriber,
    ModelPromoter,
    NoCandidates,
    RecordOnlyPromoter,
)
from governance.policies import Policies
from governance.templates import Templates


@dataclass
class Context:
    policies: Policies
    templates: Templates
    candidate_source: CandidateSource = field(default_factory=NoCandidates)
    promoter: ModelPromoter = field(default_factory=RecordOnlyPromoter)
    decision_listeners: list[DecisionListener] = field(default_factory=list)
    event_subscribers: list[EventSubscriber] = field(default_factory=list)
