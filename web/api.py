"""JSON API over the assistant: ask, units, tasks, documents, health.

Security layers, outermost first: CORS (only RAG_ALLOWED_ORIGINS), a 16 KB body limit on
`/api/*` (web/body_limit.py, a JSON 413), the optional `X-API-Key` check (401), and a per-client
rate limit shared by all `/api/*` endpoints (slowapi, 429). Answering runs in the threadpool.
"""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader
from slowapi import Limiter
from slowapi.util import get_remote_address
from starlette.concurrency import run_in_threadpool

from web.body_limit import BodyLimit
from web.errors import AssistantError, field_error, install_error_handlers
from web.schemas import (
    DEFAULT_TASK_LIMIT,
    MAX_FILTER_CHARS,
    MAX_OFFSET,
    MAX_TASK_LIMIT,
    NOT_BLANK,
    AnswerModel,
    AskRequest,
    DocumentModel,
    ErrorModel,
    FilterModel,
    HealthModel,
    TasksModel,
    UnitModel,
)
from web.settings import WebSettings

if TYPE_CHECKING:  # rag (Chroma, numpy) is loaded with the assistant, not with this module
    from rag.retrieve import Filters
    from rag.service import AnswerService

log = logging.getLogger(__name__)

_api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="needed when RAG_API_KEY is set"
)


def to_filters(model: FilterModel | None, **extra: Any) -> Filters | None:
    """Turn request filters into `rag.retrieve.Filters` (None when nothing is set)."""
    from rag.retrieve import Filters

    values = model.model_dump(exclude_none=True) if model else {}
    values.update({k: v for k, v in extra.items() if v not in (None, "")})
    return Filters(**values) if values else None


async def call_assistant(assistant: AnswerService, method: str, *args: Any, **kwargs: Any) -> Any:
    """Run one assistant method in the threadpool, mapping failures to `AssistantError`."""
    try:
        return await run_in_threadpool(getattr(assistant, method), *args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - every failure becomes a clear JSON error
        log.exception("assistant.%s failed", method)
        try:
            health = await run_in_threadpool(assistant.health)
        except Exception as health_exc:  # noqa: BLE001
            health = {"ok": False, "error": str(health_exc)}
        if not health.get("ok"):
            raise AssistantError(
                503, f"索引不可用 (index unavailable): {health.get('error') or exc}"
            ) from exc
        raise AssistantError(500, f"内部错误 (internal error): {type(exc).__name__}") from exc


def install_api(app: FastAPI, assistant: AnswerService, settings: WebSettings) -> None:
    """Add the `/api/*` and `/healthz` routes, CORS, limits and error handlers to `app`.

    Args:
        app: the application to extend.
        assistant: the answering service (`rag.answer.Assistant`, or anything with its interface).
        settings: web settings (origins, key, rate limit, body limit).
    """
    limiter = Limiter(key_func=get_remote_address, storage_uri="memory://")
    app.state.limiter = limiter
    rate = limiter.shared_limit(settings.rate_limit, scope="api")

    async def check_key(key: str | None = Depends(_api_key_header)) -> None:
        if settings.api_key and not (key and secrets.compare_digest(key.encode(), settings.api_key.encode())):
            raise AssistantError(
                401, "缺少或错误的 API 密钥：请在请求头 X-API-Key 中提供 (missing or wrong X-API-Key)"
            )

    errors: dict = {
        413: {"model": ErrorModel, "description": f"body over {settings.max_body_bytes // 1024} KB"},
        422: {"model": ErrorModel, "description": "invalid request"},
        429: {"model": ErrorModel, "description": "rate limit exceeded"},
        500: {"model": ErrorModel, "description": "internal error"},
        503: {"model": ErrorModel, "description": "index unavailable"},
    }
    if settings.api_key:  # the key (and its 401) appear in the schema only when one is required
        errors[401] = {"model": ErrorModel, "description": "missing or wrong X-API-Key"}
    router = APIRouter(
        prefix="/api",
        tags=["api"],
        dependencies=[Depends(check_key)] if settings.api_key else [],
        responses=errors,
    )

    @router.post("/ask", response_model=AnswerModel)
    @rate
    async def ask(request: Request, body: AskRequest) -> dict:
        """Answer a question from the notices, with numbered citations; or refuse."""
        history = [t.model_dump() for t in body.history][-settings.max_history_turns :]
        answer = await call_assistant(
            assistant, "ask", body.question, history=history or None, filters=to_filters(body.filters)
        )
        return answer.to_dict()

    @router.get("/units", response_model=list[UnitModel])
    @rate
    async def units(request: Request) -> list[dict]:
        """Every responsible unit named in the notices, with how many clauses name it."""
        return await call_assistant(assistant, "units")

    @router.get("/tasks", response_model=TasksModel, responses={404: {"model": ErrorModel, "description": "unknown unit"}})
    @rate
    async def tasks(
        request: Request,
        unit: str = Query(
            min_length=1, max_length=MAX_FILTER_CHARS, pattern=NOT_BLANK, description="unit name, e.g. 综运股"
        ),
        doc_id: str | None = Query(default=None, max_length=MAX_FILTER_CHARS),
        issuer: str | None = Query(default=None, max_length=MAX_FILTER_CHARS),
        year: int | None = Query(default=None, ge=1949, le=2100),
        offset: int = Query(default=0, ge=0, le=MAX_OFFSET, description="tasks to skip"),
        limit: int = Query(default=DEFAULT_TASK_LIMIT, ge=1, le=MAX_TASK_LIMIT, description="tasks to return"),
    ) -> dict:
        """One unit's task list in document order, a page at a time (`count` is the whole list's length)."""
        name = unit.strip()
        if not name:  # the pattern already refuses it; kept for characters the two regex engines disagree on
            msg = "单位名称不能为空 (unit must not be empty)"
            raise AssistantError(422, f"unit: {msg}", [field_error("string_pattern_mismatch", ("query", "unit"), msg)])
        filters = to_filters(None, doc_id=doc_id, issuer=issuer, year=year)
        page = await call_assistant(assistant, "task_page", name, filters=filters, offset=offset, limit=limit)
        if not page.total and name not in {u["name"] for u in await call_assistant(assistant, "units")}:
            msg = f"文件中没有名为“{name}”的责任单位；可用 GET /api/units 查看 (unknown unit)"
            raise AssistantError(404, msg, [field_error("unknown_unit", ("query", "unit"), msg)])
        return page.to_dict()

    @router.get("/documents", response_model=list[DocumentModel])
    @rate
    async def documents(request: Request) -> list[dict]:
        """The indexed notices with their identity (title, 文号, issuer, date, kind, region)."""
        return await call_assistant(assistant, "documents")

    @app.get("/healthz", response_model=HealthModel, tags=["ops"], responses={503: {"model": HealthModel}})
    async def healthz() -> Any:
        """200 when the index answers; 503 with the error when it is missing or corrupt."""
        try:
            health = await run_in_threadpool(assistant.health)
        except Exception as exc:  # noqa: BLE001
            health = {"ok": False, "clauses": 0, "embedder": "", "error": f"{type(exc).__name__}: {exc}"}
        return JSONResponse(HealthModel(**health).model_dump(), status_code=200 if health.get("ok") else 503)

    app.include_router(router)

    install_error_handlers(app, settings.rate_limit)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes, own_limit=("/api/documents",))

    if settings.allowed_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.allowed_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "X-API-Key"],
            max_age=600,
        )

