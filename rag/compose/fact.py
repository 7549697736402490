"""Fact questions (numbers, targets, deadlines): the best sentences of the one clause that states it."""

from __future__ import annotations

import re

from index.units import to_simplified
from rag.compose.quote import asks_time, best_sentences, citation, cited, has_date, heading, who_sentences
from rag.intent import Question, asks_identity
from rag.ranking import best_supported
from rag.retrieve import IndexView
from rag.scope import whole_notice
from rag.text import years_in
from rag.types import Answer, Hit

LOOK_AT = 4  # a clause about the asked year, or with a date, is looked for among the top this many


class FactComposer:
    """Quotes the figure or date from one clause; says so when the clause states no deadline."""

    def compose(self, q: Question, hits: list[Hit], view: IndexView) -> Answer:
        best = best_supported(q.text if not q.followup else q.search_text, hits, want_numbers=True, notice=whole_notice(view))
        identity = _identity_answer(q, best, view) if not q.followup else None
        if identity:
            return identity
        years = years_in(q.text)

        def about(hit: Hit) -> bool:  # the clause states the year, or its notice is that year's
            return all(y + "年" in hit.text or hit.metadata.get("year") == int(y) for y in years)

        if years and not about(best):
            best = next((h for h in hits[:LOOK_AT] if about(h)), best)
        if asks_time(q.text):
            dated = [h for h in hits[:LOOK_AT] if has_date(h.text)]
            if q.followup:
                dated = [h for h in dated if h in hits[:2]]
            if not dated:
                c = citation(1, best)
                text = f"《{c.doc_title}》“{heading(best.metadata) or c.section}”中没有写明完成时限 [1]。"
                return Answer(question=q.original, answer=text, refused=False, intent=q.intent, citations=[c])
            best = dated[0]
        sents = best_sentences(best.text, q.text, k=2, want_numbers=True, duty_text=best.metadata.get("duty_text", ""))
        c = citation(1, best, highlight=sents[0] if sents else "")
        text = f"根据《{c.doc_title}》“{heading(best.metadata) or c.section}”：{cited(sents, 1)}"
        if q.followup and best.metadata.get("units") and "谁" in q.text:
            text += "\n" + "".join(who_sentences(1, best.metadata))
        return Answer(question=q.original, answer=text, refused=False, intent=q.intent, citations=[c], units=[])


def _identity_answer(q: Question, best: Hit, view: IndexView) -> Answer | None:
    """"…的文号是什么", "会议纪要是哪天的": the notice's 文号 or date (its identity), cited from the clause of
    that notice that prints it (or any: a citation carries its notice's identity); None when the notice
    has none."""
    meta = best.metadata
    asks = asks_identity(q.text)
    if asks is None:
        return None
    rest = re.sub(r"(?:文号|字号|哪一?天|什么时候|何时|日期|落款)(?:是(?:什么|多少|啥|哪个))?", "", to_simplified(q.text))
    if re.search(r"多少|几|哪些|什么|谁|怎么|如何", rest):
        return None  # the question asks something else too ("分几级管制？该注意事项是哪天的版本？")
    named = re.search(r"([\u4e00-\u9fa5]{2,4})文号", to_simplified(q.text))
    if asks == "文号" and named and not re.search(r"的$|^发文", named.group(1)) \
            and named.group(1) not in to_simplified(str(meta.get("doc_number") or "")):
        return None  # "国办文号": the number of another notice it names, not this one's
    if asks == "文号" and meta.get("doc_number"):
        what, value = "文号", str(meta["doc_number"])
    elif asks == "日期" and (iso := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", str(meta.get("date") or ""))):
        y, m, d = (int(x) for x in iso.groups())
        what, value = "日期", f"{y}年{m}月{d}日"
    else:
        return None
    plain = re.sub(r"\s+", "", to_simplified(value))
    printed = next((i for i, other in enumerate(view.metas) if other["doc_id"] == meta["doc_id"]
                    and plain in re.sub(r"\s+", "", to_simplified(other["text"]))), None)
    hit = view.hit(printed) if printed is not None else best  # (a citation carries its notice's 文号 and date)
    c = citation(1, hit, highlight=value if printed is not None else "")
    text = f"《{c.doc_title}》的{what}是{value} [1]。"
    return Answer(question=q.original, answer=text, refused=False, intent=q.intent, citations=[c], units=[])
