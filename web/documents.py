"""Admin API for notices: upload (`POST /api/documents`), delete (`DELETE /api/documents/{doc_id}`),
(a running app follows index changes made by any process through rag/live.py's watcher).

Both routes need the header `X-Admin-Key` equal to `RAG_ADMIN_KEY`; with no admin key configured
they answer 403 (uploads are off). Bad files get 400 / 413 / 415 with a Chinese reason per file,
in the body `{"detail", "errors": [{"file", "status", "detail"}]}`, and the index is unchanged.
Indexing runs in the threadpool; the app switches to the new generation before answering 201.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Header, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile as StarletteUploadFile

from web.schemas import ErrorModel
from web.settings import WebSettings

log = logging.getLogger(__name__)
MAX_FILES = 20  # files in one upload request
_MB = 1024 * 1024


class AddedModel(BaseModel):
    """One added notice."""

    doc_id: str
    title: str
    doc_number: str | None = None
    clauses: int
    units: int = Field(description="distinct responsible units named in the notice")
    ocr: bool = Field(description="some pages had no text layer and were read by OCR")
    ocr_pages: list[int] = []
    source_file: str = ""


class RemovedModel(BaseModel):
    doc_id: str
    removed: bool
    clauses: int = Field(description="clauses left in the index")
    documents: int = Field(description="notices left in the index")


class AdminErrorModel(BaseModel):
    detail: str = Field(description="what went wrong, in Chinese")
    errors: list[dict] = Field(default_factory=list, description="per file: file, status, detail")


_ERRORS = {
    422: {"model": ErrorModel},
    403: {"model": AdminErrorModel, "description": "uploads are off, or X-Admin-Key is missing or wrong"},
    500: {"model": ErrorModel, "description": "internal error"},
    503: {"model": AdminErrorModel, "description": "index unavailable"},
}


_UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {
                        "type": "array",
                        "items": {"type": "string", "format": "binary"},
                        "description": "one or more notice files (.txt .md .html .htm .docx .pdf)",
                    }
                },
            }
        }
    },
}


class AdminError(Exception):
    def __init__(self, status: int, detail: str, errors: list[dict] | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors or []


def check_admin_key(settings: WebSettings, key: str | None) -> None:
    """Raise AdminError 403 unless uploads are on and `key` is the admin key."""
    if not settings.admin_key:
        raise AdminError(403, "文件管理未开启：服务器未设置 RAG_ADMIN_KEY (uploads are off)")
    if not (key and secrets.compare_digest(key.encode(), settings.admin_key.encode())):
        raise AdminError(
            403, "管理密钥错误或缺失：请在请求头 X-Admin-Key 中提供 (missing or wrong X-Admin-Key)"
        )


def _index_settings(assistant: Any):
    from index.settings import IndexSettings

    settings = getattr(assistant, "settings", None)
    if not isinstance(settings, IndexSettings):  # an UnavailableAssistant answers every attribute
        raise AdminError(503, "索引不可用，无法管理文件；详情见 /healthz (index unavailable)")
    return settings


def _max_upload_bytes() -> int:
    from index.read import _max_file_mb

    return int(_max_file_mb() * _MB)


def install_documents(app: FastAPI, assistant: Any, settings: WebSettings) -> None:
    """Add the admin upload/delete routes and start following index generations on startup."""
    if hasattr(assistant, "watch"):  # follow builds made by other processes (`index add` / `remove` / `build`)
        app.router.on_startup.append(assistant.watch)
    limit = _max_upload_bytes()
    errors = dict(_ERRORS)
    if settings.api_key:
        errors[401] = {"model": AdminErrorModel}
    router = APIRouter(prefix="/api", tags=["admin"], max_body_size=limit * MAX_FILES + _MB, responses=errors)

    def check_api_key(key: str | None) -> None:
        if settings.api_key and not (key and secrets.compare_digest(key.encode(), settings.api_key.encode())):
            raise AdminError(
                401, "缺少或错误的 API 密钥：请在请求头 X-API-Key 中提供 (missing or wrong X-API-Key)"
            )

    @router.post(
        "/documents",
        status_code=201,
        response_model=list[AddedModel],
        responses={
            400: {"model": AdminErrorModel, "description": "empty, damaged or not a notice"},
            413: {"model": AdminErrorModel, "description": "over RAG_MAX_FILE_MB"},
            415: {"model": AdminErrorModel, "description": "unsupported file type"},
        },
        openapi_extra={"requestBody": _UPLOAD_BODY},
    )
    async def upload(
        request: Request,
        x_admin_key: str | None = Header(default=None),
        x_api_key: str | None = Header(default=None),
    ) -> list[dict]:
        """Add notices (multipart, field `file`, one or more); scanned PDFs are OCRed; same doc id: replaced."""
        check_api_key(x_api_key)
        check_admin_key(settings, x_admin_key)  # before the body is read: no key, no spooled upload
        index_settings = _index_settings(assistant)
        try:
            form = await request.form(max_files=MAX_FILES, max_fields=MAX_FILES)
        except Exception as exc:  # noqa: BLE001 - malformed multipart, too many parts
            raise AdminError(
                400, f"无法读取上传内容：请用 multipart/form-data 的字段 file 上传（{exc}）"
            ) from exc
        file = [v for v in form.getlist("file") if isinstance(v, StarletteUploadFile)]
        if not file:
            raise AdminError(400, "没有收到文件：请用 multipart/form-data 的字段 file 上传 (no file)")
        tmp = Path(tempfile.mkdtemp(prefix="policy-qa-upload-"))
        try:
            paths, names = [], []
            for i, item in enumerate(file):
                path = tmp / f"{i}{Path(item.filename or '').suffix.lower()}"
                size = await _save(item, path, limit)
                if size > limit:
                    errors = [
                        {
                            "file": item.filename,
                            "status": 413,
                            "detail": f"文件超过 {limit / _MB:g} MB 的上限（可设置 RAG_MAX_FILE_MB）",
                        }
                    ]
                    raise AdminError(413, f"{item.filename}：{errors[0]['detail']}", errors)
                paths.append(path)
                names.append(item.filename or path.name)
            report = await run_in_threadpool(_add, assistant, paths, names, index_settings)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return [a.to_dict() for a in report.added]

    @router.delete(
        "/documents/{doc_id}",
        response_model=RemovedModel,
        responses={404: {"model": AdminErrorModel, "description": "no such notice"}},
    )
    async def delete(
        doc_id: str,
        x_admin_key: str | None = Header(default=None),
        x_api_key: str | None = Header(default=None),
    ) -> dict:
        """Remove a notice from the index; its clauses are no longer cited."""
        check_api_key(x_api_key)
        check_admin_key(settings, x_admin_key)
        index_settings = _index_settings(assistant)
        report = await run_in_threadpool(_remove, assistant, doc_id, index_settings)
        return {"doc_id": doc_id, "removed": True, "clauses": report.clauses, "documents": report.documents}

    app.include_router(router)

    @app.exception_handler(AdminError)
    async def _admin_error(request: Request, exc: AdminError) -> JSONResponse:
        return JSONResponse({"detail": exc.detail, "errors": exc.errors}, status_code=exc.status)



async def _save(item: UploadFile, path: Path, limit: int) -> int:
    size = 0
    with open(path, "wb") as out:
        while chunk := await item.read(1024 * 1024):
            size += len(chunk)
            if size > limit:
                return size
            out.write(chunk)
    return size


def _add(assistant: Any, paths: list[Path], names: list[str], index_settings) -> Any:
    from index.uploads import UploadRejected, add_files

    try:
        report = add_files(paths, index_settings, names=names)
    except UploadRejected as exc:
        errors = [{"file": n, "status": s, "detail": d} for n, s, d in exc.errors]
        raise AdminError(exc.status, "文件未收录，索引没有变化：" + str(exc), errors) from exc
    _refresh(assistant)
    return report


def _remove(assistant: Any, doc_id: str, index_settings) -> Any:
    from index.uploads import DocumentNotFound, remove_documents

    try:
        report = remove_documents([doc_id], index_settings)
    except DocumentNotFound as exc:
        raise AdminError(404, str(exc)) from exc
    _refresh(assistant)
    return report


def _refresh(assistant: Any) -> None:
    try:
        assistant.refresh()
    except Exception:  # noqa: BLE001 - the watcher retries
        log.exception("switching to the new index generation failed")

