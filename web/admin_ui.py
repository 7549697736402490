"""The 文件管理 tab: notice list, multi-file upload with per-file progress and errors, delete with confirmation.

Shown only after the admin key (RAG_ADMIN_KEY) is entered; every handler checks the key again, so
the tab's events cannot be called without it. Uploads are indexed one file at a time (one new
index generation each), so one bad file does not hold back the others.
"""

from __future__ import annotations

import html
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

HEADERS = ["文档编号", "标题", "文号", "条款数", "单位数", "来源文件", "OCR"]
PRIVATE = "private"
FILE_TYPES = [".txt", ".md", ".html", ".htm", ".docx", ".pdf"]


def _key_ok(admin_key: str, given: str | None) -> bool:
    return bool(admin_key and given and secrets.compare_digest(given.encode(), admin_key.encode()))


def document_rows(assistant: Any) -> pd.DataFrame:
    rows = [
        [
            d["doc_id"],
            d.get("title") or "",
            d.get("doc_number") or "",
            d.get("clauses", 0),
            d.get("units", 0),
            d.get("source_file") or "",
            "是" if d.get("ocr") else "否",
        ]
        for d in assistant.documents()
    ]
    return pd.DataFrame(rows, columns=HEADERS)


def _choices(assistant: Any) -> list[tuple[str, str]]:
    return [(f"{d['doc_id']}（{d.get('title') or ''}）", d["doc_id"]) for d in assistant.documents()]


def results_html(rows: list[dict]) -> str:
    """Per-file status lines: waiting, working (with OCR page progress), added, or the reason it failed."""
    out = []
    for r in rows:
        state = r["state"]
        cls = {"done": "ok", "error": "err"}.get(state, "busy")
        out.append(
            f'<div class="upload-row upload-{cls}" data-file="{html.escape(r["name"])}">'
            f"<b>{html.escape(r['name'])}</b>：{html.escape(r['text'])}</div>"
        )
    return "".join(out) or '<div class="empty-note">选择文件后点击“上传并索引”。</div>'


def upload_files(assistant: Any, admin_key: str):
    def upload(key: str, files: list | None, progress=gr.Progress()) -> Iterator[tuple]:
        from index import ocr
        from index.uploads import UploadRejected, add_files

        if not _key_ok(admin_key, key):
            yield '<div class="upload-row upload-err">管理密钥错误。</div>', gr.skip(), gr.skip()
            return
        paths = [Path(f if isinstance(f, str) else getattr(f, "name", "")) for f in (files or [])]
        if not paths:
            yield '<div class="upload-row upload-err">请先选择文件。</div>', gr.skip(), gr.skip()
            return
        rows = [{"name": p.name, "state": "wait", "text": "等待中"} for p in paths]
        yield results_html(rows), gr.skip(), gr.skip()
        for i, path in enumerate(paths):
            rows[i].update(state="busy", text="正在解析和索引……")
            progress((i, len(paths)), desc=f"第 {i + 1}/{len(paths)} 个文件：{path.name}")
            yield results_html(rows), gr.skip(), gr.skip()

            def on_page(done: int, total: int, i: int = i, name: str = path.name) -> None:
                rows[i]["text"] = f"正在识别扫描页（OCR 第 {done}/{total} 页）……"
                progress((done, total), desc=f"{name}：OCR 第 {done}/{total} 页")

            token = ocr.PROGRESS.set(on_page)
            try:
                report = add_files([path], assistant.settings, names=[path.name])
                a = report.added[0]
                ocr_note = (
                    f"，OCR 识别了第 {'、'.join(map(str, a.ocr_pages))} 页" if a.ocr else "，未使用 OCR"
                )
                rows[i].update(
                    state="done",
                    text=f"已收录为 {a.doc_id}《{a.title}》：{a.clauses} 条条款，{a.units} 个责任单位{ocr_note}",
                )
            except UploadRejected as exc:
                rows[i].update(
                    state="error", text="未收录：" + "；".join(reason for _, _, reason in exc.errors)
                )
            except Exception as exc:  # noqa: BLE001 - shown per file; the index is unchanged
                rows[i].update(state="error", text=f"未收录：索引失败（{type(exc).__name__}: {exc}）")
            finally:
                ocr.PROGRESS.reset(token)
            try:
                assistant.refresh()
            except Exception:  # noqa: BLE001 - the app's watcher retries
                pass
            yield results_html(rows), gr.skip(), gr.skip()
        yield results_html(rows), document_rows(assistant), gr.update(choices=_choices(assistant), value=None)

    return upload


def documents_tab(assistant: Any, admin_key: str) -> None:
    """Add the 文件管理 tab to the Blocks being built."""
    with gr.Tab("文件管理", id="documents"):
        if not admin_key:
            gr.Markdown(
                "文件管理未开启：在服务器上设置环境变量 `RAG_ADMIN_KEY` 后，凭该管理密钥可上传和删除文件。"
            )
            return
        with gr.Row():
            key = gr.Textbox(label="管理密钥", type="password", elem_id="admin-key", scale=4)
            login = gr.Button("进入", variant="primary", elem_id="admin-login", scale=1, min_width=80)
        login_note = gr.Markdown(elem_id="admin-login-note")
        with gr.Column(visible=False, elem_id="admin-panel") as panel:
            table = gr.Dataframe(headers=HEADERS, interactive=False, wrap=True, elem_id="doc-table")
            files = gr.File(
                label="上传通知文件（可多选；扫描版 PDF 会自动 OCR）",
                file_count="multiple",
                file_types=FILE_TYPES,
                type="filepath",
                elem_id="doc-upload",
            )
            upload_btn = gr.Button("上传并索引", variant="primary", elem_id="doc-upload-btn")
            results = gr.HTML(results_html([]), elem_id="upload-results")
            with gr.Row():
                pick = gr.Dropdown([], label="选择要删除的文件", elem_id="doc-delete-pick", scale=4)
                delete_btn = gr.Button("删除", variant="stop", elem_id="doc-delete", scale=1, min_width=80)
            with gr.Row(visible=False) as confirm_row:
                confirm_note = gr.Markdown(elem_id="doc-delete-question")
                confirm_btn = gr.Button("确认删除", variant="stop", elem_id="doc-delete-confirm")
                cancel_btn = gr.Button("取消", elem_id="doc-delete-cancel")
            delete_note = gr.Markdown(elem_id="doc-delete-note")

        def enter(given: str) -> tuple:
            if not _key_ok(admin_key, given):
                return "管理密钥错误。", gr.update(visible=False), gr.skip(), gr.skip()
            return (
                "",
                gr.update(visible=True),
                document_rows(assistant),
                gr.update(choices=_choices(assistant), value=None),
            )

        for trigger in (login.click, key.submit):
            trigger(enter, key, [login_note, panel, table, pick], api_visibility=PRIVATE)
        upload_btn.click(
            upload_files(assistant, admin_key),
            [key, files],
            [results, table, pick],
            concurrency_limit=1,
            api_visibility=PRIVATE,
        )

        def ask_confirm(doc_id: str | None) -> tuple:
            if not doc_id:
                return gr.update(visible=False), "", "请先选择要删除的文件。"
            return gr.update(visible=True), f"确定从索引中删除 **{doc_id}** 吗？删除后将不再引用它。", ""

        delete_btn.click(ask_confirm, pick, [confirm_row, confirm_note, delete_note], api_visibility=PRIVATE)
        cancel_btn.click(
            lambda: (gr.update(visible=False), "已取消。"),
            None,
            [confirm_row, delete_note],
            api_visibility=PRIVATE,
        )

        def delete(given: str, doc_id: str | None) -> tuple:
            from index.uploads import DocumentNotFound, remove_documents

            if not _key_ok(admin_key, given):
                return gr.update(visible=False), "管理密钥错误。", gr.skip(), gr.skip()
            if not doc_id:
                return gr.update(visible=False), "请先选择要删除的文件。", gr.skip(), gr.skip()
            try:
                remove_documents([doc_id], assistant.settings)
                note = f"已删除 {doc_id}。"
            except DocumentNotFound as exc:
                note = str(exc)
            except Exception as exc:  # noqa: BLE001 - the index is unchanged
                note = f"删除失败，索引没有变化（{type(exc).__name__}: {exc}）"
            try:
                assistant.refresh()
            except Exception:  # noqa: BLE001
                pass
            return (
                gr.update(visible=False),
                note,
                document_rows(assistant),
                gr.update(choices=_choices(assistant), value=None),
            )

        confirm_btn.click(
            delete,
            [key, pick],
            [confirm_row, delete_note, table, pick],
            concurrency_limit=1,
            api_visibility=PRIVATE,
        )
