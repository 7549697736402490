"""Quoting clauses: their sentences, the best ones for a question, citations and unit sentences.

Numbers and unit names are never written by this module: they are quoted from the clause
text or taken from the clause's unit metadata. Framing text carries no digits, so every
number in an answer comes verbatim from the clause it cites.
"""

from __future__ import annotations

import re

from rag.text import strip_question_words
from rag.types import Citation, ClauseMeta, Hit

_SENT = re.compile(r"[^。；！？!?\n]+[。；！？!?]?")  # the verifier's sentence ends, "!" and "?" too
_LEADING_NO = re.compile(r"^(?:\d+(?:[.．]\d+)+\s*|[（(]?[一二三四五六七八九十\d]+[）)、.．]\s*)")  # "9.2", "（三）", "1、"
_UNIT_TAIL = re.compile(r"[（(][^（）()]*(?:责任单位|牵头单位|按职责分工|不再列出)[^（）()]*[）)]\s*[。.]?\s*$")


_MARKER_LIKE = re.compile(r"\[(\d+)\]")


def unmarked(text: str) -> str:
    """Quoted text with its own "[2010]" (a 文号 typed with square brackets: "国发[2010]23号") written
    "〔2010〕", so that it is never read as a citation marker [n]."""
    return _MARKER_LIKE.sub(r"〔\1〕", text)


def bigrams(text: str) -> set[str]:
    """Character bigrams of a text's letters and digits (punctuation removed)."""
    t = re.sub(r"[^\u4e00-\u9fa5A-Za-z0-9%]", "", text)
    return {t[i : i + 2] for i in range(len(t) - 1)}


def heading(meta: ClauseMeta) -> str:
    """The clause's own heading without its number, e.g. "加快公路新能源充（换）电设施建设"."""
    path = meta.get("section_path") or []
    last = path[-1] if path else ""
    if len(path) <= 1 and (meta.get("unit_source") or "").startswith("table"):
        # a table row under only its table's name ("表格", "重点任务分工表"): the row's first text cell
        cells = [c.strip() for c in re.split(r"\||\t", meta.get("text", ""))]
        first = next((c for c in cells if len(re.findall(r"[\u4e00-\u9fff]", c)) >= 4), "")
        last = lead_phrase(first, 30) if first else last
    return quotable(_LEADING_NO.sub("", last))


def quotable(text: str) -> str:
    """Text to quote inside a sentence: no closing stop, and no "?" (often a character the page lost)
    that would end the sentence."""
    return unmarked(re.sub(r"[?？!！]+", " ", text).strip().rstrip("。；;，,：: "))


# A statement of responsibility set apart from the task ("（责任单位：X）", "X牵头，Y配合。"); a bare
# name is the subject of its sentence ("火灾发生后,市气象部门要对…监测") and stays in the quote.
_SET_APART = re.compile(r"^\s*[（(【\[〔]|[:：]|负责|牵头|配合|协办|主办|承办")  # a bracket that opens it, not a name's alias


def sentences(text: str, duty_text: str = "") -> list[str]:
    """The clause's sentences, without its statement of responsibility (read by the index)."""
    if not duty_text:
        body = _UNIT_TAIL.sub("", text)
    else:
        body = text.replace(duty_text, " ") if _SET_APART.search(duty_text) else text
    found = [unmarked(s.strip()) for s in _SENT.findall(body) if _has_words(s)]
    if not found and body != text:  # the clause is its statement of responsibility and nothing else:
        return sentences(text)  # "(12)农业发展银行清远市分行负责落实…贷款。" is quoted whole
    return found


def _has_words(sentence: str) -> bool:
    """More than an item number and punctuation ("(12) 。" once its duty statement is cut out)."""
    return len(_LEADING_NO.sub("", sentence.strip()).strip(" 。；;，,、：:")) >= 4


def best_sentences(
    text: str, question: str, k: int = 2, want_numbers: bool = False, duty_text: str = ""
) -> list[str]:
    """The k sentences of a clause that best answer the question, in their original order."""
    sents = sentences(text, duty_text)
    if not sents:
        return []
    q = bigrams(strip_question_words(question))
    scored = []
    for i, s in enumerate(sents):
        overlap = len(q & bigrams(s)) / (len(q) or 1)
        if want_numbers and re.search(r"\d", s):
            overlap += 0.5
        if _LEADING_NO.match(s) and len(s) < 30:  # the bare heading line
            overlap -= 0.3
        scored.append((overlap, -i, s))
    top = sorted(scored, reverse=True)[:k]
    keep = {s for _, _, s in top}
    return [s for s in sents if s in keep]


def citation(n: int, hit: Hit, highlight: str = "") -> Citation:
    """Citation [n] of a clause, carrying its notice identity and units."""
    m = hit.metadata
    return Citation(
        n=n,
        doc_id=m["doc_id"],
        doc_title=m.get("doc_title", ""),
        doc_number=m.get("doc_number"),
        issuer=m.get("issuer"),
        date=m.get("date"),
        section=m.get("section", ""),
        text=hit.text,
        units=list(m.get("units", [])),
        lead_units=list(m.get("lead_units", [])),
        clause_id=hit.clause_id,
        unit_source=m.get("unit_source", ""),
        inherited_units=list(m.get("inherited_units", [])),
        table_units=list(m.get("table_units", [])),
        highlight=highlight,
        inherited_note=m.get("inherited_note", "") or "",
        page=m.get("page"),
        deadline=m.get("deadline"),
    )


def cited(sents: list[str], n: int) -> str:
    """Sentences quoted as written, each carrying its own [n] (the verifier checks every one)."""
    parts = [_LEADING_NO.sub("", s).rstrip("。；！？;!? ") for s in sents]
    return "；".join(f"{p} [{n}]" for p in parts if p) + "。"


def who_sentences(n: int, meta: ClauseMeta) -> list[str]:
    """Sentences naming a clause's units: lead and co-units apart, inherited ones marked."""
    title = meta.get("doc_title", "")
    task = heading(meta) or "该任务"
    text = meta.get("text", "")
    rest = after_own_name(task, meta.get("units", []), text)
    if rest is not None:  # "(一)区、县(市)政府。认真履行属地责任…": name the task by what follows the body
        task = quotable(lead_phrase(rest)) or task
    own = [u for u in meta.get("units", []) if u not in meta.get("inherited_units", [])]
    lead = meta.get("lead_units", [])
    co = [u for u in own if u not in lead]
    out: list[str] = []
    if lead:
        others = f"，责任单位是{'、'.join(co)}" if co else "，未另列其他责任单位"
        out.append(f"根据《{title}》，“{task}”的牵头单位是{'、'.join(lead)}{others} [{n}]。")
    elif meta.get("unit_source") == "issuer":
        out.append(f"《{title}》是{own[0]}的报告，“{task}”由{own[0]}负责 [{n}]。")
    elif own:
        out.append(f"根据《{title}》，“{task}”的责任单位是{'、'.join(own)} [{n}]。")
    inherited = meta.get("inherited_units", [])
    if inherited and meta.get("inherited_note"):
        note = meta["inherited_note"].rstrip("。")
        out.append(f"此外，该通知规定：“{note}”，因此{'、'.join(inherited)}也负有责任 [{n}]。")
    if meta.get("table_units"):
        out.append(f"文末台账中该任务的责任单位写作{'、'.join(meta['table_units'])} [{n}]。")
    return out


_TIME_Q = re.compile(r"(时限|期限|什么时候|何时|完成时间|截止|截至|哪一?年|几月|多久|时间节点)")
_DATE = re.compile(r"(\d{4}年|\d{1,2}月|年底|月底|年末|季度|每月|每季度|前完成|日前)")


def asks_time(question: str) -> bool:
    return bool(_TIME_Q.search(question))


def has_date(text: str) -> bool:
    return bool(_DATE.search(text))


def after_own_name(title: str, units, text: str) -> str | None:
    """When a task's heading is only the name of its body ("(5)市气象局。"), the text after that name;
    else None."""
    if title not in units or title not in text:
        return None
    return text[text.index(title) + len(title):].lstrip("。.：: \n")


def lead_phrase(text: str, limit: int = 18) -> str:
    """A paragraph's lead phrase ("强化政策引导与资金支持"), or its first words."""
    first = unmarked(re.split(r"[：:。；，]", text.strip(), maxsplit=1)[0])
    if len(first) <= limit:
        return first
    cut = first[:limit]
    if re.match(r"[\d.%．％]", first[limit]):
        cut = re.sub(r"[\d.,．]+$", "", cut).rstrip()  # never half a number ("60%" as "6…")
    return cut + "…"
