"""Small, honest fakes for the agent's ports: they do what the Protocol says, in memory."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy.orm import Session

from agents.ports import LLMError, ProposalReceipt, ProposalSubmission, Span, TraceHandle
from governance.payloads import validate_payload
from governance.types import ProposalType
from prompts import Prompt

T = TypeVar("T", bound=BaseModel)


class RecordingSink:
    """A proposal queue in a list. Validates payloads like the real queue and dedupes keys.

    ``status`` lets a test play a policy that auto-accepts at submission.
    """

    def __init__(self, status: str = "pending") -> None:
        self.status = status
        self.submitted: list[ProposalSubmission] = []
        self._by_key: dict[str, ProposalReceipt] = {}

    def submit(self, session: Session, proposal: ProposalSubmission) -> ProposalReceipt:
        if proposal.idempotency_key in self._by_key:
            return self._by_key[proposal.idempotency_key]
        validate_payload(ProposalType(proposal.type), dict(proposal.payload))
        self.submitted.append(proposal)
        receipt = ProposalReceipt(id=f"p{len(self.submitted)}", status=self.status)
        self._by_key[proposal.idempotency_key] = receipt
        return receipt

    def of_type(self, kind: str) -> list[ProposalSubmission]:
        return [p for p in self.submitted if p.type == kind]


class ScriptedLLM:
    """An LLM whose replies the test writes; raises what it is told to raise."""

    provider = "scripted"
    model = "scripted-1"

    def __init__(self, *, structured: Mapping[str, Any] | None = None, text: str = "") -> None:
        self.structured = dict(structured or {})
        self.text = text
        self.fail: Exception | None = None
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def generate(self, prompt: Prompt, variables: Mapping[str, Any], schema: type[T]) -> T:
        self.calls.append((prompt.id, dict(variables)))
        if self.fail:
            raise self.fail
        return schema.model_validate(self.structured)

    def complete(self, prompt: Prompt, variables: Mapping[str, Any]) -> str:
        self.calls.append((prompt.id, dict(variables)))
        if self.fail:
            raise self.fail
        if not self.text:
            raise LLMError("empty")
        return self.text


@dataclass
class _Span:
    name: str
    attributes: dict[str, Any] = field(default_factory=dict)
    outputs: Any = None

    def set_attribute(self, key: str, value: Any) -> None:
        self.attributes[key] = value

    def set_outputs(self, outputs: Any) -> None:
        self.outputs = outputs


class RecordingTrace:
    def __init__(self, trace_id: str) -> None:
        self.trace_id: str | None = trace_id
        self.spans: list[_Span] = []
        self.ended: dict[str, Any] | None = None

    @contextmanager
    def span(self, name: str, *, span_type: str = "CHAIN", inputs: Any = None) -> Iterator[Span]:
        s = _Span(name)
        self.spans.append(s)
        yield s

    def end(self, outputs: Any = None, *, error: str | None = None) -> None:
        self.ended = {"outputs": outputs, "error": error}


class RecordingTracer:
    def __init__(self) -> None:
        self.traces: list[RecordingTrace] = []

    def start(
        self, name: str, *, inputs: Any = None, tags: Mapping[str, str] | None = None
    ) -> TraceHandle:
        trace = RecordingTrace(f"tr-{len(self.traces) + 1:032d}")
        self.traces.append(trace)
        return trace
