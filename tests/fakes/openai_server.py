"""A real OpenAI-compatible chat server on 127.0.0.1 for tests (stdlib only, no network).

Speaks enough of the protocol for `openai` / `langchain_openai.ChatOpenAI`:
`POST /v1/chat/completions` (JSON, or SSE when the request says `"stream": true`) and
`GET /v1/models`. Tests script the replies, one per chat request, in order:

    server.script(Reply("答案[1]"), Reply(status=500), lambda req: Reply(...))

A callable gets the `Request` (so it can build its reply from the prompt's passages).
Requests are recorded in `server.requests`. An unscripted request gets HTTP 500.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Reply:
    """What the server answers to one chat request.

    Attributes:
        text: the assistant message content.
        status: HTTP status; anything but 200 sends an OpenAI-style error body.
        delay: seconds to wait before answering (simulates a slow or hung endpoint).
        chunk_size: characters per SSE chunk when the client streams.
        chunk_delay: seconds between SSE chunks.
        error: the error message for a non-200 status.
    """

    text: str = ""
    status: int = 200
    delay: float = 0.0
    chunk_size: int = 8
    chunk_delay: float = 0.0
    error: str = "internal server error"


@dataclass(frozen=True)
class Request:
    """One request the server received (header names lower-cased)."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict = field(default_factory=dict)

    @property
    def messages(self) -> list[dict]:
        return list(self.body.get("messages", []))

    def message(self, role: str) -> str:
        """Content of the first message with `role` ("system" or "user")."""
        return next((m["content"] for m in self.messages if m.get("role") == role), "")

    def passages(self) -> dict[int, str]:
        """The numbered passages `[n] …` in the user message: n -> passage text."""
        pattern = re.compile(r"(?ms)^\[(\d+)\] (.*?)(?=\n\s*\n|\n</|\Z)")
        return {int(m.group(1)): m.group(2) for m in pattern.finditer(self.message("user"))}


Script = Reply | Callable[[Request], Reply]


class FakeOpenAIServer:
    """An OpenAI-compatible HTTP server on an ephemeral loopback port, in a background thread."""

    model = "fake-qwen"

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self._script: deque[Script] = deque()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-openai", daemon=True
        )

    @property
    def url(self) -> str:
        """Base URL including /v1, as RAG_LLM_BASE_URL takes it."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()  # wakes handlers sleeping in a delay
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def script(self, *replies: Script) -> None:
        """Queue replies for the next chat requests, in order."""
        with self._lock:
            self._script.extend(replies)

    @property
    def chat_requests(self) -> list[Request]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def _next(self, request: Request) -> Reply:
        with self._lock:
            item = self._script.popleft() if self._script else None
        if item is None:
            return Reply(status=500, error="no scripted reply for this request")
        return item(request) if callable(item) else item

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args) -> None:  # keep test output quiet
                pass

            def _record(self, body: dict) -> Request:
                request = Request(
                    self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
                )
                with server._lock:
                    server.requests.append(request)
                return request

            def _send_json(self, status: int, payload: dict) -> None:
                data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._record({})
                if self.path.rstrip("/").endswith("/v1/models"):
                    self._send_json(
                        200,
                        {
                            "object": "list",
                            "data": [
                                {"id": server.model, "object": "model", "created": 0, "owned_by": "fake"}
                            ],
                        },
                    )
                else:
                    self._send_json(404, {"error": {"message": "not found", "type": "not_found"}})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except json.JSONDecodeError:
                    body = {}
                request = self._record(body)
                if not self.path.rstrip("/").endswith("/v1/chat/completions"):
                    self._send_json(404, {"error": {"message": "not found", "type": "not_found"}})
                    return
                reply = server._next(request)
                if reply.delay and server._stop.wait(reply.delay):
                    return
                try:
                    if reply.status != 200:
                        self._send_json(
                            reply.status,
                            {"error": {"message": reply.error, "type": "server_error", "code": reply.status}},
                        )
                    elif body.get("stream"):
                        self._stream(body, reply)
                    else:
                        self._send_json(200, _completion(body, reply.text))
                except (BrokenPipeError, ConnectionResetError):  # client gave up (timeout)
                    pass

            def _stream(self, body: dict, reply: Reply) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                text, size = reply.text, max(1, reply.chunk_size)
                deltas = [{"role": "assistant", "content": ""}]
                deltas += [{"content": text[i : i + size]} for i in range(0, len(text), size)]
                for i, delta in enumerate(deltas):
                    if i > 1 and reply.chunk_delay and server._stop.wait(reply.chunk_delay):
                        return
                    self._event(_chunk(body, delta, None))
                self._event(_chunk(body, {}, "stop"))
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

            def _event(self, payload: dict) -> None:
                self.wfile.write(
                    b"data: " + json.dumps(payload, ensure_ascii=False).encode("utf-8") + b"\n\n"
                )
                self.wfile.flush()

        return Handler


def _completion(body: dict, text: str) -> dict:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", FakeOpenAIServer.model),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
    }


def _chunk(body: dict, delta: dict, finish: str | None) -> dict:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": body.get("model", FakeOpenAIServer.model),
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
