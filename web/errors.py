"""Every error of the HTTP API has one shape: ``{"detail": "中文 (English)", "errors": [...]}``.

`detail` says what is wrong and how to fix it, Chinese first; `errors` lists the individual
problems as ``{"type", "loc", "msg"}`` (empty when there is only the one). The handlers here cover
the assistant's own errors, validation errors, the rate limiter and Starlette's HTTP errors
(413 body too large, 404/405 routing), so no response of the app has another error shape.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from slowapi.errors import RateLimitExceeded
from starlette.exceptions import HTTPException as StarletteHTTPException

BODY_NOT_JSON = "请求体不是有效的 UTF-8 JSON (request body is not valid UTF-8 JSON)"
# Starlette's words for an unreadable body (FastAPI answers 400 with them): the same as bad JSON here.
_PARSE_ERROR = "There was an error parsing the body"
_STATUS_WORDS = {
    400: "请求无效 (bad request)",
    404: "没有这个地址 (not found)",
    405: "不支持该请求方法 (method not allowed)",
    413: "请求体过大 (request body too large)",
}


class AssistantError(Exception):
    """An API error with its status; `errors` names the offending fields when there are any."""

    def __init__(self, status: int, detail: str, errors: list[dict] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []


def error_response(status: int, detail: str, errors: list[dict] | None = None, **headers: str) -> JSONResponse:
    return JSONResponse({"detail": detail, "errors": errors or []}, status_code=status, headers=headers or None)


def field_error(kind: str, loc: tuple[str, ...], msg: str) -> dict:
    return {"type": kind, "loc": list(loc), "msg": msg}


# pydantic's error types in words a Chinese reader understands; its English message follows in brackets.
_TYPE_WORDS = {
    "missing": "缺少必填项",
    "extra_forbidden": "不允许的字段",
    "string_type": "应为字符串",
    "string_too_short": "太短或为空",
    "string_too_long": "太长",
    "string_pattern_mismatch": "不能只含空白字符",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "greater_than_equal": "超出允许范围",
    "less_than_equal": "超出允许范围",
    "too_long": "条目太多",
    "list_type": "应为列表",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "bool_parsing": "应为 true 或 false",
}


def validation_message(errors: list[dict]) -> str:
    """One line for all field errors, each Chinese first: ``history: 条目太多 (List should have…)``."""
    parts = []
    for err in errors:
        if err.get("type") == "json_invalid":
            return BODY_NOT_JSON
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        msg = str(err.get("msg", "")).removeprefix("Value error, ")
        if not re.search(r"[\u4e00-\u9fff]", msg):  # our own validators already write Chinese first
            msg = f"{_TYPE_WORDS.get(str(err.get('type')), '格式不正确')} ({msg})"
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts) or "请求无效 (invalid request)"


def _jsonable(errors: Any) -> list[dict]:
    return [
        {k: (v if isinstance(v, str | int | float | list | tuple | type(None)) else str(v))
         for k, v in err.items() if k in ("type", "loc", "msg")}
        for err in errors
    ]


def install_error_handlers(app: FastAPI, rate_limit: str) -> None:
    """Register the handlers that give every error the one shape."""

    @app.exception_handler(AssistantError)
    async def _assistant_error(request: Request, exc: AssistantError) -> JSONResponse:
        return error_response(exc.status, exc.detail, exc.errors)

    @app.exception_handler(RateLimitExceeded)
    async def _rate_limited(request: Request, exc: RateLimitExceeded) -> JSONResponse:
        return error_response(
            429, f"请求过于频繁，请稍后再试；每个客户端限 {rate_limit} (rate limit exceeded)", **{"Retry-After": "60"}
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _jsonable(exc.errors())
        return error_response(422, validation_message(errors), errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400 and exc.detail == _PARSE_ERROR:  # e.g. a body that is not UTF-8
            return error_response(422, BODY_NOT_JSON, [field_error("json_invalid", ("body",), BODY_NOT_JSON)])
        detail = _STATUS_WORDS.get(exc.status_code, f"HTTP {exc.status_code}")
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:  # one path may be served by routes of several routers (GET and POST /api/documents)
            headers["Allow"] = ", ".join(_allowed(request))
        return JSONResponse({"detail": detail, "errors": []}, status_code=exc.status_code, headers=headers or None)


def _allowed(request: Request) -> list[str]:
    """Every method some route of the app serves at this request's path."""
    from starlette.routing import Match

    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches({**request.scope, "method": "GET"})
        if match != Match.NONE and getattr(route, "methods", None):
            methods |= set(route.methods)
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            match, _ = route.matches({**request.scope, "method": method})
            if match == Match.FULL and getattr(route, "methods", None):
                methods |= set(route.methods)
    return sorted(methods)
