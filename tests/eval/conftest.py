"""A scripted stand-in for the assistant, so the runner can be tested without an index.

`ScriptedSystem` answers each eval question from its gold clauses, taken from the
real notices, and can be told to make one kind of mistake; the runner must then
report exactly that mistake.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from eval.run import gold_units, load_questions
from rag.types import REFUSAL, Answer, Citation, Hit

ROOT = Path(__file__).resolve().parents[2]
MINI = Path(__file__).resolve().parent / "data" / "mini.jsonl"
TITLES = {
    "yangcheng-2024-transport-eco-workplan": "2024年交通运输生态环境保护工作要点",
    "jilin-2024-transport-eco-workplan": "2024年吉林省交通运输行业生态环境保护工作要点",
}
DISTRACTOR = ("shanxi-2024-air-quality-news", "全省高速公路已建成充电桩890台,实现服务区充电设施全覆盖")


def clause_line(doc: str, contains: str) -> str:
    """The line of the notice that holds ``contains`` (the mini set picks one-line clauses)."""
    text = (ROOT / "docs_corpus" / f"{doc}.txt").read_text(encoding="utf-8")
    return next(line.strip() for line in text.splitlines() if contains in line)


@dataclass
class ScriptedSystem:
    questions: list[dict]
    mistake: str = ""  # "" | "wrong_number" | "never_refuse" | "extra_unit" | "miss_retrieval"
    delay_s: float = 0.0

    def _q(self, question: str) -> dict:
        return next(q for q in self.questions if q["question"] == question)

    def retrieve(self, question: str, k: int = 10, filters=None) -> list[Hit]:
        q = self._q(question)
        golds = [(g["doc"], clause_line(g["doc"], g["contains"])) for g in q.get("gold_clauses", [])]
        items = [DISTRACTOR] * 5 + golds if self.mistake == "miss_retrieval" else golds + [DISTRACTOR]
        return [Hit(f"c{i}", text, {"doc_id": doc}, 1.0 - i / 10) for i, (doc, text) in enumerate(items[:k])]

    def ask(self, question: str, history=None, filters=None) -> Answer:
        time.sleep(self.delay_s)
        q = self._q(question)
        if not q["answerable"] and self.mistake != "never_refuse":
            return Answer(question, REFUSAL, True, "refuse")
        if not q["answerable"]:
            doc, text = DISTRACTOR
            cite = Citation(1, doc, "10方面重点任务", None, None, None, "", text, [], [])
            return Answer(question, f"{text}[1]。", False, "fact", citations=[cite])
        units = gold_units(q) + (["水运股"] if self.mistake == "extra_unit" else [])
        citations, sentences = [], []
        for n, g in enumerate(q["gold_clauses"], start=1):
            text = clause_line(g["doc"], g["contains"])
            citations.append(Citation(n, g["doc"], TITLES[g["doc"]], None, None, None, "", text, units, []))
            claim = g["contains"]
            if self.mistake == "wrong_number":
                claim = claim.replace("60%", "70%").replace("2日", "5日")
            sentences.append(f"根据《{TITLES[g['doc']]}》，{claim} [{n}]。")
        if units:
            sentences.append(f"责任单位是：{'、'.join(units)} [1]。")
        return Answer(question, "".join(sentences), False, q["type"], units=units, citations=citations)

    def units(self) -> list[dict]:
        return [{"name": "发展中心", "count": 1, "docs": []}]


@pytest.fixture
def mini_questions() -> list[dict]:
    return load_questions(MINI)
