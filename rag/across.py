"""Questions over two notices named side by side, answered one notice at a time.

"节能工作分工中的市交通局和机动车区域限行方案中的市交通运输局，分别负责什么？" is two questions:
"节能工作分工中的市交通局负责什么？" and "机动车区域限行方案中的市交通运输局负责什么？". Asked as one,
the notice that fits the words better crowds the other out (or a unit's task list is refused because
no single notice is about both). :func:`split_across` finds the two halves; the caller answers each
and :func:`merge` puts the answers together, citations renumbered.
"""

from __future__ import annotations

import re
from dataclasses import replace

from rag.types import Answer, Citation
from rag.verify import PART_NOTE

# A half of the question names a notice: its kind of document, or the work it is about.
_NOTICE_WORD = re.compile(
    r"方案|意见|通知|要点|报告|预案|规划|纲要|清单|分工|计划|办法|措施|纪要|文件|职责|专项|整治|监管|工作|项目|实事|会议|责任书|"
    r"治理|普查|创建|防治|防控|行动|检查|巡查|督查|设施"
)
# "公安交通管理部门在城市道路安全设施和三轮车整治里各要干啥": the body asked about comes first.
_SUBJECT_FIRST = re.compile(r"^(?P<subject>[^，,。在]{2,15})在(?P<rest>.+[中里])[，,]?$")
_JOIN = re.compile(r"以及|和|与|及")
# What the second half says about both ("…方案中，市财政局", "…文件在公交线路调整上"): given to the first.
_SHARED = re.compile(r"(?:[中里][，,].*|在[^，,。]{2,15}上)$")  # (not "…里的市场主体培育": its own topic)
# "分别", "各自", "各是/各要", "都得": the question asks each notice the same thing.
_EACH = re.compile(r"分别|各自|各(?=[是要定有由负])|都(?=得|要)")


def split_across(question: str) -> list[str] | None:
    """The two sub-questions of "A和B…分别…", or None when the question is not of that form."""
    m = _EACH.search(question)
    if not m:
        return None
    left, tail = question[: m.start()], question[m.end():]
    subject = _SUBJECT_FIRST.match(left)
    if subject:  # → "公安交通管理部门在城市道路安全设施里…", "公安交通管理部门在三轮车整治里…"
        rest = subject.group("rest")
        for join in _JOIN.finditer(rest):
            a, b = rest[: join.start()], rest[join.end():]
            if len(a) >= 4 and len(b) >= 4 and _NOTICE_WORD.search(a) and _NOTICE_WORD.search(b):
                a += b[-1] if a[-1] not in "中里" else ""
                return [f"{subject.group('subject')}在{a}{tail}", f"{subject.group('subject')}在{b}{tail}"]
        return None
    for join in _JOIN.finditer(left):
        a, b = left[: join.start()].strip(), left[join.end():].strip()
        if len(a) < 4 or len(b) < 4 or not (_NOTICE_WORD.search(a) and _NOTICE_WORD.search(b)):
            continue
        shared = _SHARED.search(b)
        if shared and not _SHARED.search(a):
            a += shared.group(0)
        return [f"{a.rstrip('，, ')}{tail}", f"{b.rstrip('，, ')}{tail}"]
    return None


def merge(question: str, intent: str, answers: list[Answer]) -> Answer:
    """One answer from the sub-answers: each answered half in turn, its citations renumbered after the
    ones before it; a half the notices cannot answer is said to be so."""
    lines: list[str] = []
    citations: list[Citation] = []
    units: list[str] = []
    for answer in answers:
        if answer.refused:
            lines.append(f"{PART_NOTE}现有文件无法回答“{answer.question}”。")
            continue
        offset = len(citations)
        text = re.sub(r"\[(\d+)\]", lambda m: f"[{int(m.group(1)) + offset}]", answer.answer)
        lines.append(text)
        citations += [replace(c, n=c.n + offset) for c in answer.citations]
        units += [u for u in answer.units if u not in units]
    return Answer(question=question, answer="\n".join(lines), refused=False, intent=intent, units=units,
                  citations=citations)
