"""A delivery manager's chat thread with a copilot, as the tests drive it."""

from __future__ import annotations

from dataclasses import dataclass

from agents import chat
from agents.copilot import Copilot, RunResult
from agents.ports import Requester


@dataclass(frozen=True)
class Conversation:
    copilot: Copilot
    requester: Requester
    thread: str

    def say(self, text: str) -> RunResult:
        """One chat turn in this thread."""
        return self.copilot.chat(self.thread, self.requester, text)

    def history(self) -> list[str]:
        """The thread's messages, oldest first."""
        with self.copilot.context.transaction() as s:
            return [m.content for m in chat.messages(s, self.thread)]
