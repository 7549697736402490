"""What a question is about beyond its words: the filters it implies and the notices a follow-up stays in.

A question that names a place ("宁波…", "怀远县…", "广东妇女规划…") is answered from the notices
about that place. Which places a notice is about comes from its identity, not from a list: the
place names that open its issuer, its region and its title ("鞍山市立山区人民政府" → 鞍山, 立山).
A notice whose identity names no place (a page saved without its header) may be about anywhere,
so a place never excludes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from index.units import to_simplified
from rag.retrieve import Filters, IndexView
from rag.text import places_in
from rag.types import Hit

# A place name opening a title or an issuer: 2-4 characters and an administrative suffix, or one
# character and 县/州 (洋县, 歙县, 巴州), which is then kept whole.
_PLACE_PREFIX = re.compile(
    r"([\u4e00-\u9fa5]{2,4}?)(?:维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|省|市|州|盟|县|区|旗)"
    r"|([\u4e00-\u9fa5][县州])"
)
_LEAD_NOISE = re.compile(r"^(?:[【\[〈<《(（][^】\]〉>》)）]{0,30}[】\]〉>》)）]|\s|(?:19|20)\d{2}\s*年度?|关于)+")
_NOT_PLACES = frozenset(
    "各县 各市 各区 各州 全市 全县 全区 全省 全州 本市 本县 本区 本州 我市 我县 我区 该县 该市 此县 城区 市区 新区 县区 区县"
    # what a city or county sets out to become, opening a title ("生态市建设…", "文明城市创建…")
    " 生态市 生态县 生态区 文明城市 卫生城市 园林城市 森林城市 海绵城市 智慧城市 宜居城市 旅游城市"
    # words that only end like a place ("山西城市公交车": jieba tags 城市 as one)
    " 城市 都市 省市 市县 县市 城乡 城镇 乡镇".split()
)


def leading_places(text: str) -> list[str]:
    """The chain of place names a title or issuer opens with ("鞍山市立山区人民政府" → 鞍山, 立山)."""
    rest = _LEAD_NOISE.sub("", to_simplified(text or ""))
    names: list[str] = []
    while True:
        m = _PLACE_PREFIX.match(rest)
        if not m or m.group(0) in _NOT_PLACES:
            return names
        names.append(m.group(1) or m.group(2))
        rest = rest[m.end():]


def notice_places(view: IndexView) -> dict[str, frozenset[str]]:
    """doc_id -> the places its issuer, region and title open with; computed once per generation."""
    cached: dict[str, frozenset[str]] | None = getattr(view, "_notice_places", None)
    if cached is None:
        found: dict[str, set[str]] = {}
        for m in view.metas:
            if m["doc_id"] in found:
                continue
            names = set(leading_places(m.get("issuer") or "")) | set(leading_places(m.get("doc_title") or ""))
            # The region field can be a sentence fragment ("以上工作由市"): trusted only when the issuer
            # or title names it too, or it is a well-known place (rag/data/places.txt).
            names |= {p for p in leading_places(m.get("region") or "") if p in names or places_in(p)}
            found[m["doc_id"]] = names
        cached = {d: frozenset(n) for d, n in found.items()}
        view._notice_places = cached  # type: ignore[attr-defined]
    return cached


def notice_text(view: IndexView, doc_id: str) -> str:
    """A notice's title, issuer, region, headings and clauses in simplified script, built once per generation."""
    texts: dict[str, str] | None = getattr(view, "_notice_texts", None)
    if texts is None:
        parts: dict[str, list[str]] = {}
        for m in view.metas:
            if m["doc_id"] not in parts:
                parts[m["doc_id"]] = [f"{m.get('doc_title', '')}{m.get('issuer') or ''}{m.get('region') or ''}"]
            section = m.get("section") or ""
            if section and section not in parts[m["doc_id"]][-2:]:  # the headings over its clauses
                parts[m["doc_id"]].append(section)
            parts[m["doc_id"]].append(m["text"])
        texts = {d: to_simplified("\n".join(p)) for d, p in parts.items()}
        view._notice_texts = texts  # type: ignore[attr-defined]
    return texts.get(doc_id, "")


def whole_notice(view: IndexView) -> Callable[[str], str]:
    """doc_id -> the notice's whole text (`notice_text`), for ranking (rag.ranking.NoticeText)."""
    return lambda doc_id: notice_text(view, doc_id)


_ADMIN_SUFFIX = ("省", "市", "县", "区", "州", "盟", "旗")


def named_places(question: str) -> list[str]:
    """Place names jieba tags in a question (ns) that end in an administrative suffix (蔡甸区, 漳州)."""
    import jieba.posseg

    return [w for w, tag in jieba.posseg.lcut(question)
            if tag == "ns" and len(w) >= 2 and w.endswith(_ADMIN_SUFFIX) and w not in _NOT_PLACES]


def question_places(question: str, view: IndexView) -> list[str]:
    """The places a question names, longest first, none inside another: places some notice is
    about, well-known places (rag/data/places.txt) and names jieba tags as places. Memoised per
    index generation: scope, refusal and answering all ask for the same question's places."""
    cache: dict[str, list[str]] = view.__dict__.setdefault("_question_places", {})
    if question not in cache:
        if len(cache) > 1024:
            cache.clear()
        known = {p for names in notice_places(view).values() for p in names}
        found = [p for p in known if p in question] + places_in(question) + named_places(question)
        found = sorted(set(found), key=lambda p: (-len(p), p))  # (ties by name: a set's order changes per process)
        cache[question] = [p for p in found if not any(p != q and p in q for q in found)]
    return list(cache[question])


def place_stem(place: str) -> str:
    """A place without its administrative suffix, as a notice's text may name it ("莆田市" → "莆田":
    "莆田出入境检验检疫局"); a one-character stem keeps its suffix (洋县)."""
    stem = re.sub(r"(?:省|市|县|区|州|盟|旗)$", "", place)
    return stem if len(stem) >= 2 else place


def _same_place(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)  # 蔡甸区 ~ 蔡甸, 吉林 ~ 吉林省


def place_scopes(places: list[str], view: IndexView) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(about, unlabelled): the notices about one of `places` (their issuer or title opens with it,
    or their text names it: 长春 inside a notice about 吉林), and the notices whose identity names no
    place at all (a page saved without its header may be about it). Both empty when `places` is."""
    if not places:
        return (), ()
    by_doc = notice_places(view)
    stems = [place_stem(p) for p in places]
    about = tuple(d for d, names in by_doc.items()
                  if any(_same_place(p, n) for p in places for n in names) or any(p in notice_text(view, d) for p in stems))
    unlabelled = tuple(d for d, names in by_doc.items() if not names and d not in about)
    return about, unlabelled


def notices_about(places: list[str], view: IndexView) -> tuple[str, ...]:
    """The notices a question naming `places` may be answered from: those about them first, or,
    when there are none, those whose identity names no place. ("",) when no notice can be."""
    about, unlabelled = place_scopes(places, view)
    return about or unlabelled or ("",)


def implied_filters(question: str, view: IndexView, filters: Filters | None, previous_answer: str = "") -> list[Filters | None]:
    """The scopes to search, narrowest first: the caller answers from the first whose clauses
    support the question.

    - given filters: only those;
    - a follow-up stays within the one notice the previous answer cited (by its 《title》);
    - a place narrows retrieval to the notices about it, then to those and the notices whose
      identity names no place (one of them may be about it);
    - otherwise: everything.
    """
    if filters is not None and not filters.empty:
        return [filters]
    if previous_answer:
        cited = [d for d, t in view.doc_titles.items() if t and f"《{t}》" in previous_answer]
        if len(cited) == 1:
            return [Filters(doc_id=cited[0])]
    about, unlabelled = place_scopes(question_places(question, view), view)
    scopes: list[Filters | None] = []
    if about:
        scopes.append(Filters(doc_ids=about))
    if unlabelled and len(about) + len(unlabelled) < len(view.doc_titles):
        scopes.append(Filters(doc_ids=about + unlabelled))
    return scopes or [filters]


def prefer_cited(hits: list[Hit], previous_answer: str) -> list[Hit]:
    """For a follow-up, the clauses of notices the previous answer cited come first."""
    cited = [h for h in hits if f"《{h.metadata.get('doc_title', '')}》" in previous_answer]
    rest = [h for h in hits if h not in cited]
    return cited + rest if cited else hits
