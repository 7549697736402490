"""Gradio 6 assistant: 智能问答, 责任查询, 分工矩阵, 文件结构, 文件管理 (mounted at /ui by app.py)."""

from __future__ import annotations

import hashlib
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from rag.types import Answer
from web import render
from web.api import to_filters

EXAMPLES = [
    ["公路沿线充电设施建设由谁负责？"],  # staff: who is responsible
    ["综运股有哪些任务？"],  # staff: what must a unit do
    ["施工工地扬尘污染防治有哪些要求？"],  # new employee: requirements
]
EXAMPLE_LABELS = ["谁负责：充电设施建设", "单位任务：综运股", "新员工：扬尘防治要求"]
HISTORY_TURNS = 6
PRIVATE = "private"  # the JSON API (with key and rate limit) is the programmatic interface, not Gradio's
ALL = ""


def doc_label(doc: dict) -> str:
    """Short label of a notice for columns and menus, e.g. 阳城县·工作要点."""
    head = doc.get("region") or doc.get("issuer") or doc["doc_id"]
    year = str(doc.get("year") or (doc.get("date") or "")[:4])
    kind = doc.get("kind") or ""
    return "·".join(p for p in (head, year, kind) if p)


class UIState:
    """Data the UI shows that does not change while the server runs (loaded once)."""

    def __init__(self, assistant: Any) -> None:
        self.assistant = assistant
        self.documents: list[dict] = assistant.documents()
        self.units: list[dict] = sorted(assistant.units(), key=lambda u: (-u["count"], u["name"]))
        self.labels = {d["doc_id"]: doc_label(d) for d in self.documents}
        self.issuers = sorted({d["issuer"] for d in self.documents if d.get("issuer")})
        self.export_dir = Path(tempfile.mkdtemp(prefix="policy-qa-csv-"))
        self.years = sorted({str(d["year"]) for d in self.documents if d.get("year")})

    def filters(
        self, doc_id: str | None, issuer: str | None, year: str | None, unit: str | None = None
    ) -> Any:
        return to_filters(
            None,
            doc_id=doc_id or None,
            issuer=issuer or None,
            year=int(year) if year else None,
            unit=unit or None,
        )

    def matrix(self) -> tuple[pd.DataFrame, list[str | None]]:
        """Units × notices clause counts, and the doc_id of each column (None: not a notice)."""
        doc_ids = [d["doc_id"] for d in self.documents]
        counts: dict[str, dict[str, int]] = {}
        for u in self.units:  # the same lookup as 责任查询, so a cell and its clause list agree
            per_doc = counts.setdefault(u["name"], {})
            for c in self.assistant.tasks(u["name"]):
                per_doc[c.doc_id] = per_doc.get(c.doc_id, 0) + 1
        rows = [
            [unit] + [per_doc.get(d, 0) for d in doc_ids] + [sum(per_doc.values())]
            for unit, per_doc in counts.items()
        ]
        rows.sort(key=lambda r: (-r[-1], r[0]))
        columns = ["单位"] + [self.labels[d] for d in doc_ids] + ["合计"]
        return pd.DataFrame(rows, columns=columns), [None, *doc_ids, None]


def _chat(state: UIState):
    def respond(message: str, chat: list, turns: list, doc: str, issuer: str, year: str) -> Iterator[tuple]:
        question = (message or "").strip()
        if not question:
            yield message, chat, turns, gr.skip()
            return
        chat = [
            *chat,
            {"role": "user", "content": render.chat_text(question)},
            {"role": "assistant", "content": "…"},
        ]
        yield "", chat, turns, '<div class="empty-note">正在检索条款……</div>'
        text, final, last = "", None, 0.0
        stream = state.assistant.ask_stream(
            question, history=turns[-HISTORY_TURNS:] or None, filters=state.filters(doc, issuer, year)
        )
        for item in stream:
            if isinstance(item, Answer):
                final = item
                continue
            text += item
            if time.monotonic() - last > 0.05:
                last = time.monotonic()
                chat[-1] = {"role": "assistant", "content": render.chat_text(text)}
                yield "", chat, turns, gr.skip()
        answer_text = final.answer if final else text
        chat[-1] = {"role": "assistant", "content": render.chat_text(answer_text)}
        turns = [*turns, {"question": question, "answer": answer_text}]
        yield "", chat, turns, render.answer_panel(final)

    return respond


def _lookup(state: UIState):
    def lookup(unit: str, doc: str, issuer: str, year: str) -> tuple:
        name = (unit or "").strip()
        if not name:
            return "请选择或输入一个单位。", pd.DataFrame(columns=render.TASK_HEADERS), None
        tasks = state.assistant.tasks(name, filters=state.filters(doc, issuer, year))
        rows = render.task_rows(name, tasks)
        table = pd.DataFrame(rows, columns=render.TASK_HEADERS)
        summary = render.task_summary(name, tasks)
        if not tasks and (doc or issuer or year):
            summary = f"在所选文件范围内没有找到“{render.chat_text(name)}”的任务；可把筛选改回“全部”再查。"
        if not rows:
            return summary, table, None
        scope = hashlib.sha256(repr((name, doc, issuer, year)).encode()).hexdigest()[:8]
        folder = state.export_dir / scope  # the same lookup reuses its file
        folder.mkdir(exist_ok=True)
        path = folder / f"{_safe_name(name)}-任务清单.csv"
        return summary, table, str(render.write_csv(path, rows))

    return lookup


def _safe_name(name: str) -> str:
    return "".join(ch for ch in name if ch.isalnum())[:40] or "unit"


def build_ui(assistant: Any, admin_key: str = "") -> gr.Blocks:
    """Build the Gradio Blocks for `assistant` (mount with `gr.mount_gradio_app`).

    Args:
        assistant: the assistant to answer from.
        admin_key: RAG_ADMIN_KEY; the 文件管理 tab asks for it before it shows anything.
    """
    from web.admin_ui import documents_tab

    state = UIState(assistant)
    doc_choices = [("全部文件", ALL)] + [(state.labels[d["doc_id"]], d["doc_id"]) for d in state.documents]
    with gr.Blocks(title="政策文件问答助手", delete_cache=(3600, 86400)) as demo:
        gr.Markdown(
            "## 政策文件问答助手\n回答只依据已收录的文件条款，并标注出处；文件没有写的，会明确说明无法回答。"
        )
        with gr.Row():
            f_doc = gr.Dropdown(doc_choices, value=ALL, label="文件", scale=2)
            f_issuer = gr.Dropdown(
                [("全部发文机关", ALL)] + [(i, i) for i in state.issuers], value=ALL, label="发文机关"
            )
            f_year = gr.Dropdown([("全部年份", ALL)] + [(y, y) for y in state.years], value=ALL, label="年份")
        filters = [f_doc, f_issuer, f_year]

        with gr.Tab("智能问答", id="chat"):
            with gr.Row():
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(
                        label="对话",
                        height=460,
                        elem_id="chatbot",
                        placeholder="请输入问题，例如：某项工作由哪个单位负责？",
                    )
                    with gr.Row():
                        msg = gr.Textbox(
                            show_label=False,
                            placeholder="输入问题，按 Enter 发送",
                            scale=5,
                            max_length=2000,
                            elem_id="question",
                        )
                        send = gr.Button("发送", variant="primary", scale=1, min_width=80)
                    gr.Examples(EXAMPLES, inputs=msg, label="示例问题", example_labels=EXAMPLE_LABELS)
                    clear = gr.Button("清空对话", size="sm")
                with gr.Column(scale=2):
                    gr.Markdown("#### 依据条款")
                    cites = gr.HTML(render.answer_panel(None), elem_id="citations")
            turns = gr.State([])
            respond = _chat(state)
            for trigger in (msg.submit, send.click):
                trigger(
                    respond,
                    [msg, chatbot, turns, *filters],
                    [msg, chatbot, turns, cites],
                    concurrency_limit=4,
                    api_visibility=PRIVATE,
                )
            clear.click(
                lambda: ([], [], render.answer_panel(None)),
                None,
                [chatbot, turns, cites],
                api_visibility=PRIVATE,
            )

        with gr.Tab("责任查询", id="lookup"):
            unit_choices = [(f"{u['name']}（{u['count']}）", u["name"]) for u in state.units]
            with gr.Row():
                unit = gr.Dropdown(
                    unit_choices,
                    value=None,
                    label="责任单位（可输入）",
                    allow_custom_value=True,
                    scale=3,
                    elem_id="unit-picker",
                )
                go = gr.Button("查询", variant="primary", scale=1, min_width=80)
            summary = gr.Markdown()
            table = gr.Dataframe(
                headers=render.TASK_HEADERS,
                wrap=True,
                interactive=False,
                elem_id="task-table",
                column_widths=["16%", "10%", "16%", "38%", "10%", "10%"],
            )
            csv_file = gr.File(label="导出CSV", interactive=False)
            lookup = _lookup(state)
            for trigger in (go.click, unit.select):
                trigger(
                    lookup,
                    [unit, *filters],
                    [summary, table, csv_file],
                    concurrency_limit=4,
                    api_visibility=PRIVATE,
                )

        with gr.Tab("分工矩阵", id="matrix"):
            frame, col_docs = state.matrix()
            gr.Markdown("每格是该单位在该文件中负责的条款数。点击单元格查看对应条款。")
            styled = frame.style.background_gradient(cmap="Blues", subset=list(frame.columns[1:-1]))
            grid = gr.Dataframe(styled, interactive=False, elem_id="matrix", max_height=520)
            picked = gr.HTML(elem_id="matrix-detail")

            def show_cell(evt: gr.SelectData) -> str:
                row, col = evt.index
                name = frame.iloc[row, 0]
                doc_id = col_docs[col] if 0 <= col < len(col_docs) else None
                tasks = assistant.tasks(name, filters=state.filters(doc_id, None, None))
                where = state.labels.get(doc_id, "全部文件") if doc_id else "全部文件"
                head = f"<h4>{render.esc(name)} · {render.esc(where)}：{len(tasks)} 条</h4>"
                return head + "".join(render.citation_card(c, numbered=False) for c in tasks)

            grid.select(show_cell, None, picked, api_visibility=PRIVATE)

        with gr.Tab("文件结构", id="tree"):
            first = state.documents[0]["doc_id"] if state.documents else None
            pick = gr.Dropdown(doc_choices[1:], value=first, label="选择文件")
            tree = gr.HTML(
                render.clause_tree(assistant.clauses(first) if first else []), elem_id="clause-tree"
            )
            pick.change(
                lambda d: render.clause_tree(assistant.clauses(d) if d else []),
                pick,
                tree,
                api_visibility=PRIVATE,
            )

        documents_tab(assistant, admin_key)

        def current_menus() -> tuple:
            """Notices added or removed since the app started appear in the menus on the next page load."""
            docs = assistant.documents()
            choices = [(doc_label(d), d["doc_id"]) for d in docs]
            issuers = sorted({d["issuer"] for d in docs if d.get("issuer")})
            years = sorted({str(d["year"]) for d in docs if d.get("year")})
            return (
                gr.update(choices=[("全部文件", ALL)] + choices),
                gr.update(choices=[("全部发文机关", ALL)] + [(i, i) for i in issuers]),
                gr.update(choices=[("全部年份", ALL)] + [(y, y) for y in years]),
                gr.update(choices=choices),
            )

        demo.load(current_menus, None, [f_doc, f_issuer, f_year, pick], api_visibility=PRIVATE)
    return demo
