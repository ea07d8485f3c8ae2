"""A local OpenAI-compatible server for tests: the real ``openai`` client talks to it.

Each request takes the next behaviour from a queue (the last one repeats): a text answer,
structured JSON, malformed JSON, an HTTP 500, a stall longer than the client's timeout.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Behaviour:
    kind: str  # text | json | malformed | error | stall | refusal
    body: Any = None
    status: int = 500
    seconds: float = 2.0


@dataclass
class StubState:
    script: list[Behaviour] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)

    def next(self) -> Behaviour:
        return self.script.pop(0) if len(self.script) > 1 else self.script[0]


def _completion(content: str | None, refusal: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": "stub-model",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
                "finish_reason": "stop",
            }
        ],
    }


def _handler(state: StubState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            return None

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            state.requests.append({"path": self.path, "body": body})
            b = state.next()
            if b.kind == "stall":
                time.sleep(b.seconds)
                return self._send(200, _completion("too late"))
            if b.kind == "error":
                return self._send(b.status, {"error": {"message": "stub failure"}})
            if b.kind == "refusal":
                return self._send(200, _completion(None, refusal=str(b.body)))
            if b.kind == "json":
                return self._send(200, _completion(json.dumps(b.body)))
            if b.kind == "malformed":
                return self._send(200, _completion('{"text": "cut off'))
            return self._send(200, _completion(str(b.body)))

        def _send(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout): nothing to answer

    return Handler


@contextmanager
def openai_stub() -> Iterator[tuple[str, StubState]]:
    """A running stub on a free port of 127.0.0.1; yields its base URL and its state."""
    state = StubState(script=[Behaviour("text", "ok")])
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", state
    finally:
        server.shutdown()
        server.server_close()
