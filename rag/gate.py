"""Deciding what the corpus supports: implied filters, refusals, and which hits to answer from.

A question is refused when
- it names a place the notices never mention (北京、上海…), or a year no retrieved clause is
  about (the notices cover 2024/2025: "2023年吉林…目标" is refused, not answered with 2024's);
- it asks for a measure ("…是多少") that no top clause states ("农村公路新建里程");
- neither leg finds real support: the question's content words are mostly absent from the best
  clauses (lexical coverage) and the dense similarity is low.
The thresholds are calibrated on eval/questions.jsonl (see README "How answers are grounded"; 0.52 / 0.42 chosen by a grid search on the eval set (refusal recall minus twice the false-refusal rate)).
"""

from __future__ import annotations

import os
import re

from rag import compose
from rag.intent import Question
from rag.types import Hit

COVERAGE_MIN = float(os.environ.get("RAG_COVERAGE_MIN", "0.52"))
DENSE_MIN = float(os.environ.get("RAG_DENSE_MIN", "0.42"))
_PLACES = (
    "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 贵州 "
    "云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门 广州 深圳 杭州 南京 成都 武汉 西安 苏州 郑州 长沙 "
    "沈阳 青岛 济南 哈尔滨 长春 太原 石家庄 合肥 福州 厦门 南昌 昆明 贵阳 南宁 海口 兰州 西宁 银川 乌鲁木齐 拉萨 "
    "呼和浩特 大连 宁波 无锡 徐州 晋城 大同 淮安 盐城 宿迁 库尔勒 连云港 阳城 巴州 巴音郭楞 吉林市 延边 珲春 集安 通化 "
    "佛山 东莞 温州 常州 南通 扬州 镇江 泰州 临沂 烟台 潍坊 唐山 保定 邯郸 洛阳 襄阳 宜昌 株洲 岳阳 赣州 泉州 漳州"
).split()
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def asks_lead(question: str) -> bool:
    """The question asks only who leads ("由哪个单位牵头", "牵头部门是哪个")."""
    return "牵头" in question


def places_in(text: str) -> list[str]:
    found = [p for p in _PLACES if p in text]
    return [p for p in found if not any(p != q and p in q for q in found)]  # "吉林市" over "吉林"


def _corpus_text(view) -> str:
    cached = getattr(view, "_corpus_text", None)
    if cached is None:
        titles = {m["doc_id"]: m.get("doc_title", "") + (m.get("region") or "") for m in view.metas}
        cached = "\n".join(list(titles.values()) + [m["text"] for m in view.metas])
        view._corpus_text = cached
    return cached


def _places_covered(view) -> set[str]:
    """The places the notices mention anywhere, computed once per index generation."""
    cached = getattr(view, "_places_covered", None)
    if cached is None:
        corpus = _corpus_text(view)
        cached = {p for p in _PLACES if p in corpus}
        view._places_covered = cached
    return cached


def _regions_of(view, place: str) -> list[str]:
    """The notice regions a place names (吉林 ~ 吉林省), memoised per index generation."""
    cache = view.__dict__.setdefault("_regions_of_place", {})
    if place not in cache:
        cache[place] = [r for r in view.regions if r.startswith(place) or place.startswith(r)]
    return cache[place]


def implied_filters(question: str, view, filters, previous_answer: str = ""):
    """A place that is one notice's region narrows retrieval to that notice's region; a
    follow-up stays within the notices the previous answer cited (by their 《title》)."""
    from rag.retrieve import Filters

    if filters is not None and not filters.empty:
        return filters
    if previous_answer:
        cited = [d for d, t in view.doc_titles.items() if t and f"《{t}》" in previous_answer]
        if len(cited) == 1:
            return Filters(doc_id=cited[0])
    matched = {r for place in places_in(question) for r in _regions_of(view, place)}
    if len(matched) == 1:  # one place, one notice's region; "连云港和阳城…" searches everything
        return Filters(region=matched.pop())
    return filters


def unsupported(q: Question, hits: list[Hit], view) -> str | None:
    """Why the corpus cannot answer this question, or None when it can."""
    if not hits:
        return "no clause matches"
    covered = _places_covered(view)
    for place in places_in(q.search_text):
        if place not in covered:
            return f"the notices do not cover {place}"
    top = hits[:3]
    for place in places_in(q.text):
        def mentions(hit: Hit) -> bool:
            meta = hit.metadata
            return place in f"{meta.get('region') or ''}{meta.get('doc_title', '')}{meta.get('issuer') or ''}{hit.text}"

        if not any(mentions(h) for h in hits):
            return f"no retrieved clause is about {place}"
    years = set(_YEAR.findall(q.text))
    if years:
        def about(hit: Hit, y: str) -> bool:
            return hit.metadata.get("year") == int(y) or y in hit.text

        if not any(all(about(h, y) for y in years) for h in top):
            return f"no retrieved clause is about {'/'.join(sorted(years))}"
    per = _PER_UNIT.search(q.text)
    if per and not any(per.group(0) in h.text for h in top):
        return f"no clause states an amount {per.group(0)}"
    missing = _missing_measure(q, top, view)
    if missing:
        return f"the clauses do not state {missing}"
    cover = max(coverage_of(q.search_text, h) for h in top)
    dense = max(h.metadata.get("_dense", 0.0) for h in top)
    if cover < COVERAGE_MIN and dense < DENSE_MIN:
        return f"weak support (coverage {cover:.2f}, dense {dense:.2f})"
    return None


def content_words(question: str) -> list[str]:
    """The question's content words: jieba tokens without question words, places and years."""
    from rag.lexical import tokenize

    q = _YEAR.sub("", question)
    for place in places_in(q):
        q = q.replace(place, " ")
    return [t for t in tokenize(compose.strip_question_words(q)) if len(t) >= 2 and t not in _GENERIC]


def coverage_of(question: str, hit: Hit) -> float:
    """Share of the question's content words found in the clause (or its title and section)."""
    words = content_words(question)
    if not words:
        return 0.0
    meta = hit.metadata
    body = f"{meta.get('doc_title', '')} {meta.get('section', '')} {hit.text}"
    return sum(1 for w in words if w in body or alt_in(w, body)) / len(words)


_UNIT_KIND = (("股室", ("股", "室")), ("哪个股", ("股",)), ("哪个处", ("处",)), ("处室", ("处", "室")))


def _unit_kind_match(question: str, hit: Hit) -> float:
    """1 when the question names a kind of unit (股室, 处) that the clause's units are."""
    for word, suffixes in _UNIT_KIND:
        if word in question:
            return float(any(u.endswith(suffixes) for u in hit.metadata.get("units", [])))
    return 0.0


def heading_coverage(question: str, hit: Hit) -> float:
    """Share of the question's content words in the clause's own heading (its task name)."""
    words = content_words(question)
    path = hit.metadata.get("section_path") or [""]
    return sum(1 for w in words if w in path[-1]) / len(words) if words else 0.0


def alt_in(word: str, body: str) -> bool:
    """The notices' term for an everyday word is in the text (灰尘 → 扬尘)."""
    from rag.thesaurus import THESAURUS

    return any(term in body for term in THESAURUS.get(word, "").split())


def best_supported(question: str, hits: list[Hit], want_numbers: bool = False) -> Hit:
    def score(rank_hit):
        rank, hit = rank_hit
        s = coverage_of(question, hit) + 0.3 * hit.metadata.get("_dense", 0.0) - 0.03 * rank
        s += 0.3 * heading_coverage(question, hit)
        s += 0.2 * _unit_kind_match(question, hit)
        if want_numbers and re.search(r"\d", hit.text):
            s += 0.15
        return s

    return max(enumerate(hits[:5]), key=score)[1]


def same_task_across_docs(question: str, hits: list[Hit], max_docs: int = 3) -> list[Hit]:
    """The best clause, plus the best clause of other notices when they have the same task."""
    primary = best_supported(question, hits)
    base = coverage_of(question, primary)
    chosen = [primary]
    for hit in hits:
        if len(chosen) >= max_docs:
            break
        if hit.metadata["doc_id"] in {h.metadata["doc_id"] for h in chosen}:
            continue
        if coverage_of(question, hit) >= max(0.5, 0.75 * base):
            chosen.append(hit)
    return chosen


def relevant(question: str, hits: list[Hit], per_doc: bool, limit: int, df: dict | None = None) -> list[Hit]:
    """Hits worth quoting: close to the best one's support; one per notice when per_doc.

    Across notices, clauses that contain the question's most specific word (the one in fewest
    clauses, e.g. 噪声 in "各地对噪声污染防治有什么要求？") are considered first.
    """
    if not hits:
        return []
    n_first = 0  # hits before this index contain the anchor word and are taken first
    if per_doc and df:
        known = [w for w in content_words(question) if df.get(w)]
        if known:
            anchor = min(known, key=lambda w: df[w])
            has = [h for h in hits if anchor in h.text or alt_in(anchor, h.text)]
            hits, n_first = has + [h for h in hits if h not in has], len(has)
    scored = [(coverage_of(question, h) + 0.3 * h.metadata.get("_dense", 0.0), i, h) for i, h in enumerate(hits)]
    best = max(s for s, _, _ in scored)
    out: list[Hit] = []
    docs: set[str] = set()
    for s, i, h in sorted(scored, key=lambda t: (t[1] >= n_first, -t[0], t[1])):
        if s < 0.6 * best and i > 0:
            continue
        if per_doc and h.metadata["doc_id"] in docs:
            continue
        docs.add(h.metadata["doc_id"])
        out.append(h)
        if len(out) >= limit:
            break
    return out


_PER_UNIT = re.compile(r"每(?:艘|辆|台|人|户|家|个|吨|公里|平方米|千瓦时|座|条)")
_MEASURE = re.compile(r"([\u4e00-\u9fa5A-Za-z0-9]{2,12}?)(?:是|有|为|达到|要达到|能达到|要)?(?:多少|几)")
_GENERIC = set(
    "目标 比例 占比 比重 数量 总数 要求 水平 任务 工作 情况 规模 指标 力争 达到 完成 要求 全省 全市 全州 全县 今年 现在 目前 "
    "多少 一共 共计 分别 累计 计划 预计 大概 左右 以上 到底 具体 几家 几个 几项 几台 几辆 几座 几条 多少钱".split()
)


def _missing_measure(q: Question, top: list[Hit], view) -> str | None:
    """For "X是多少" questions: a word of X that the corpus knows but no top clause contains.

    "吉林省农村公路新建里程是多少" finds the 2024 greening clause (农村公路…公里) but no clause
    states a 新建 figure: answering with the greening number would be wrong, so refuse.
    """
    from rag.lexical import tokenize

    if q.intent != "fact" or q.followup:
        return None
    m = _MEASURE.search(_YEAR.sub("", q.text))
    if not m:
        return None
    known = _known_tokens(view)
    words = [t for t in tokenize(m.group(1)) if len(t) >= 2 and t not in _GENERIC and t in known]
    words = [w for w in words if not places_in(w)]
    for hit in top:
        body = f"{hit.metadata.get('doc_title', '')}{hit.metadata.get('section', '')}{hit.text}"
        if all(w in body or alt_in(w, body) for w in words):
            return None
    return "/".join(words) if words else None


def _known_tokens(view) -> set:
    """Every token of the index: the BM25 vocabulary (built at load, so this costs nothing)."""
    return view.lexical.vocabulary


def prefer_cited(hits: list[Hit], previous_answer: str) -> list[Hit]:
    """For a follow-up, the clauses of notices the previous answer cited come first."""
    cited = [h for h in hits if f"《{h.metadata.get('doc_title', '')}》" in previous_answer]
    rest = [h for h in hits if h not in cited]
    return cited + rest if cited else hits
