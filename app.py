"""Serve the policy assistant: JSON API, Gradio UI at /ui, and the embeddable chat widget.

Run `python app.py` (flags: --host, --port, --store, --rebuild). The first start builds the
index from docs_corpus/ when there is none; later starts reuse it. With RAG_CHROMA_URL set the
index lives on that Chroma server instead of the local store directory.
"""

from __future__ import annotations

import argparse
import logging
import secrets
import sys
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from web.api import install_api
from web.documents import install_documents
from web.settings import WebSettings

STATIC = Path(__file__).resolve().parent / "web" / "static"
log = logging.getLogger("app")


def create_app(assistant: Any, settings: WebSettings | None = None, ui: bool = True) -> FastAPI:
    """Build the FastAPI app: /api/*, /healthz, /widget.js, /widget-demo and the Gradio UI at /ui.

    Args:
        assistant: a loaded `rag.answer.Assistant` (or anything with its interface).
        settings: web settings; read from the environment when None.
        ui: mount the Gradio UI (tests of the JSON API can skip it).

    Returns:
        The application, ready for uvicorn or a TestClient.
    """
    settings = settings or WebSettings.from_env()
    app = FastAPI(
        title="政策文件问答 API",
        version="0.1.0",
        description="Answers questions about Chinese government notices with clause-level citations, "
        "or refuses with a fixed sentence when the notices do not say.",
    )
    install_api(app, assistant, settings)
    install_documents(app, assistant, settings)  # admin upload/delete, and following new index generations

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse("/ui/")

    @app.get("/widget.js", include_in_schema=False)
    async def widget_js() -> FileResponse:
        return FileResponse(
            STATIC / "widget.js",
            media_type="text/javascript; charset=utf-8",
            headers={"Cache-Control": "public, max-age=300"},
        )

    @app.get("/widget-demo", include_in_schema=False)
    async def widget_demo() -> HTMLResponse:
        return HTMLResponse((STATIC / "demo.html").read_text(encoding="utf-8"))

    if ui:
        _mount_ui(app, assistant, api_key=settings.api_key, admin_key=settings.admin_key)
    return app


def _ui_login(api_key: str):
    """Gradio's login check when RAG_API_KEY is set: the password is the key (any user name)."""

    def check(username: str, password: str) -> bool:
        return secrets.compare_digest(str(password).encode(), api_key.encode())

    return check


def _mount_ui(app: FastAPI, assistant: Any, api_key: str = "", admin_key: str = "") -> None:
    import gradio as gr

    from web.render import CSS
    from web.ui import build_ui

    try:
        blocks = build_ui(assistant, admin_key=admin_key)
    except Exception as exc:  # noqa: BLE001 - the API and /healthz still explain what is wrong
        log.error("UI not available: %s", exc)
        message = f"<h3>索引不可用</h3><p>{_escape(str(exc))}</p><p>详情见 /healthz。</p>"

        @app.get("/ui/", include_in_schema=False)
        async def ui_unavailable() -> HTMLResponse:
            return HTMLResponse(message, status_code=503)

        return
    login = {"auth": _ui_login(api_key), "auth_message": "请输入 API 密钥作为密码，用户名任意 (enter RAG_API_KEY as the password)"}
    gr.mount_gradio_app(app, blocks, path="/ui", css=CSS, footer_links=[], **(login if api_key else {}))


def _escape(text: str) -> str:
    import html

    return html.escape(text)


def load_assistant(store: Path | None, build: bool = True, rebuild: bool = False) -> Any:
    """Load the assistant; build the index first when it is missing, mismatched or `rebuild` is set.

    Args:
        store: index directory (None: RAG_STORE or .store). Ignored for the data when
            RAG_CHROMA_URL points at a Chroma server.
        build: build the index when it cannot be loaded (False: report the error instead).
        rebuild: rebuild before loading even if an index is there.

    Returns:
        The assistant. When the index can neither be loaded nor built, it carries the error
        (/healthz answers 503 with it) and picks the index up once one is built (`watch`).
    """
    from index.settings import IndexSettings
    from rag.answer import Assistant

    index_settings = IndexSettings.from_env(store=store)
    where = index_settings.chroma_url or str(index_settings.store)
    if not rebuild:
        assistant = Assistant.follow(index_settings)
        if assistant.index.error is None or not build:
            return assistant
        print(f"索引不可用（{where}）：{assistant.index.error}", flush=True)
    print(f"正在从 {index_settings.corpus} 建立索引到 {where} ……", flush=True)
    try:
        from index.store import build_index

        print(build_index(index_settings).summary(), flush=True)
    except Exception as exc:  # noqa: BLE001 - reported; the app still starts and says why on /healthz
        print(f"建立索引失败：{exc}", file=sys.stderr, flush=True)
    return Assistant.follow(index_settings)


def main(argv: list[str] | None = None) -> int:
    """Parse flags, load (or build) the index and serve until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", help="interface to bind (RAG_HOST, default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (RAG_PORT, default 7860)")
    parser.add_argument("--store", type=Path, help="index directory (RAG_STORE, default .store)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the index before serving")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = WebSettings.from_env(host=args.host, port=args.port)
    assistant = load_assistant(args.store, rebuild=args.rebuild)
    assistant.watch()  # serve each new build by itself, and recover once a damaged index is rebuilt
    app = create_app(assistant, settings)

    import uvicorn

    print(
        f"问答助手：http://{settings.host}:{settings.port}/ui/   API 文档：http://{settings.host}:{settings.port}/docs",
        flush=True,
    )
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
