"""Choosing the clauses a who-answer quotes: the same task in other notices, and only that."""

from __future__ import annotations

from rag.ranking import same_task_across_docs
from rag.types import Hit


def hit(doc: str, text: str, dense: float = 0.5) -> Hit:
    meta = {"doc_id": doc, "doc_title": "", "section": "", "section_path": [], "units": ["某局"]}
    return Hit(clause_id=doc + text[:4], text=text, metadata=meta, score=0.0, dense=dense)  # type: ignore[arg-type]


def test_another_notice_joins_only_with_the_questions_rarest_word() -> None:
    question = "标准化菜市场改建的实事项目由哪个部门牵头负责？"
    best = hit("a", "改建标准化菜市场4家，建设追溯系统。实事项目由区商务委牵头负责。", 0.7)
    same = hit("b", "改建标准化菜市场10家。实事项目牵头负责。", 0.6)
    other = hit("c", "开展妇幼健康守护行动，实事项目由部门牵头负责。", 0.6)
    df = {"标准化": 3, "菜市场": 2, "改建": 5, "实事": 20, "项目": 50}
    chosen = same_task_across_docs(question, [best, other, same], df=df)
    assert [h.metadata["doc_id"] for h in chosen] == ["a", "b"]
