"""A request-body limit for `/api/*` whose 413 has the API's one error shape (Starlette's is plain text)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.errors import error_response


class BodyLimit:
    """Refuse bodies over `max_bytes` on paths under `prefix` with a JSON 413, before the app reads them.

    A declared Content-Length over the limit is refused at once; otherwise the body is read up to the
    limit (it is small) and handed on unchanged.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, prefix: str = "/api/", own_limit: tuple[str, ...] = ()) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.prefix = prefix
        self.own_limit = own_limit  # routes that set a limit of their own (uploads: RAG_MAX_FILE_MB per file)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(self.prefix) or path.startswith(self.own_limit):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            more = message.get("more_body", False)
            if size > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
        body, replayed = b"".join(chunks), False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        kb = self.max_bytes // 1024
        response = error_response(413, f"请求体过大：最多 {kb} KB (request body larger than {kb} KB)")
        await response(scope, receive, send)
