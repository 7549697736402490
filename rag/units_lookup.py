"""Unit names: the vocabulary of the index, tolerant matching, and finding a unit in a question.

Matching is tolerant only where the notices themselves justify it:
- a "局" prefix on a section name ("局农管股" ~ "农管股": the Yangcheng ledger vs its body);
- full-/half-width brackets;
- "市交通局" ~ "市交通运输局" only when one notice uses both names.
"""

from __future__ import annotations

import re
import unicodedata

from index.types import ClauseMeta
from index.units import UNIT_SUFFIXES, to_simplified


def norm(name: str) -> str:
    name = unicodedata.normalize("NFKC", name).replace("〔", "(").replace("〕", ")")
    return re.sub(r"\s+", "", name)


def _alias_key(normed: str) -> str:
    """市交通运输局 and 市交通局 share a key (they are one unit only where one notice uses both)."""
    return normed.replace("交通运输局", "交通局")


_NAME_GOES_ON = set("会局委办厅处室科股站所队院部司府心")
_SUBJECT_CUE = re.compile(r"(?:都|主要|具体|还|要|需要|应|应当)?(?:负责|承担|牵头|管|干|做|要做|有哪些|的任务|的职责|的工作)")


_GENERIC_DEPARTMENT = re.compile(r"([\u4e00-\u9fa5]{2,6}部门)")


class UnitVocabulary:
    """All unit names of one index generation."""

    def __init__(self, metas: list[ClauseMeta]) -> None:
        self.counts: dict[str, int] = {}
        self.docs: dict[str, list[str]] = {}
        self.table_names: set[str] = set()  # names only a ledger table uses (局农管股): resolved, not listed
        doc_text: dict[str, str] = {}
        for m in metas:
            doc_text[m["doc_id"]] = doc_text.get(m["doc_id"], "") + m["text"]
            self.table_names.update(u for u in m["table_units"] if u not in m["units"])
            for u in dict.fromkeys(m["units"]):
                if m.get("part", 0) == 0:
                    self.counts[u] = self.counts.get(u, 0) + 1
                self.docs.setdefault(u, [])
                if m["doc_id"] not in self.docs[u]:
                    self.docs[u].append(m["doc_id"])
        self._doc_text = doc_text
        # Normalised forms, computed once per index generation (find_in runs on every question).
        self._by_form: dict[str, str] = {}
        for u in list(self.counts) + sorted(self.table_names - set(self.counts)):
            for form in {norm(u), re.sub(r"^局", "", norm(u))}:
                if len(form) >= 2:
                    self._by_form.setdefault(form, u)
        self._longest = max((len(f) for f in self._by_form), default=0)
        known = list(self.counts) + sorted(self.table_names - set(self.counts))
        self._rank = {u: i for i, u in enumerate(known)}
        self._norm_of = {u: norm(u) for u in known}
        self._by_norm: dict[str, list[str]] = {}
        self._by_alias: dict[str, list[str]] = {}
        for u in known:
            self._by_norm.setdefault(self._norm_of[u], []).append(u)
            self._by_alias.setdefault(_alias_key(self._norm_of[u]), []).append(u)

    @property
    def names(self) -> list[str]:
        return sorted(self.counts, key=lambda u: (-self.counts[u], u))

    def variants(self, name: str) -> list[str]:
        """The index's names for the unit a user typed, most exact first; [] when unknown.

        Looked up in indexes built once per generation, so the cost does not grow with the
        number of units (it used to normalise every known name on every call).
        """
        q = norm(name)
        exact = list(self._by_norm.get(q, ()))
        near = set(self._by_norm.get("局" + q, ())) | set(self._by_norm.get(q.removeprefix("局"), ()) if q.startswith("局") else ())
        near |= {u for u in self._by_alias.get(_alias_key(q), ()) if self._aliased(q, self._norm_of[u])}
        return exact + sorted(near - set(exact), key=self._rank.__getitem__)

    def _aliased(self, a: str, b: str) -> bool:
        if _alias_key(a) != _alias_key(b) or a == b:
            return False
        return any(a in text and b in text for text in self._doc_text.values())

    def find_in(self, text: str) -> str | None:
        """The longest unit name (or tolerated variant) mentioned in a question."""
        t = norm(to_simplified(text))  # units are stored in simplified script: "建設局" asks for 建设局
        best: str | None = None
        # Look up every substring of the (short) question: cost independent of the number of units.
        # A name that ends like a body (局, 委, 中心 …) wins over one that does not ("工信局" over a
        # fragment "生态环" a notice's table let through); then the longer, then the earlier.
        # The body the question makes the subject wins ("辽宁省民政厅…中，审批处负责哪些工作": 审批处).
        # A body in the scene a question opens with ("连江创建办那次督查，凤城镇…", "…管理体制意见中，市高新区
        # 管委会…") sets the notice; the one after it is asked about.
        scene = re.match(r"^[^，,？?]{2,40}[，,]", t)
        scene_end = scene.end() if scene else 0
        best_key: tuple[bool, bool, bool, int, int] | None = None
        for length in range(min(self._longest, len(t)), 1, -1):
            for i in range(len(t) - length + 1):
                form = t[i : i + length]
                unit = self._by_form.get(form)
                if unit is None or (i + length < len(t) and t[i + length] in _NAME_GOES_ON):
                    continue  # "管委" inside "管委会": part of a longer name the notices do not use
                body_like = form.endswith(UNIT_SUFFIXES)
                if length <= 2 and not body_like:
                    continue  # a stem a list shares ("卫生、建设等部门"): in a question, "建设" is no body
                subject = body_like and _SUBJECT_CUE.match(t, i + length) is not None
                key = (i >= scene_end, subject, body_like, length, -i)
                if best_key is None or key > best_key:
                    best, best_key = unit, key
        if best is None and "交通运输局" in t:
            for u in self.counts:
                if "交通局" in u and norm(u).replace("交通局", "交通运输局") in t and self.variants(
                    norm(u).replace("交通局", "交通运输局")
                ):
                    return u
        if best in self.table_names and best not in self.counts:  # a ledger-only name: use the body's
            return next((u for u in self.variants(best) if u in self.counts), best)
        return best or self._generic_department(t)

    def _generic_department(self, t: str) -> str | None:
        """"气象部门负责什么": a kind of department the notices write as a body ("市气象部门", "市气象局"):
        the caller looks up the bodies of that kind."""
        for m in _GENERIC_DEPARTMENT.finditer(t):
            stem = re.sub(r"^(?:省|市|县|区|各级|各|相关|有关)", "", m.group(1)[:-2])
            if len(stem) >= 2 and any(stem in u and u.endswith(("局", "委", "厅", "办", "部门")) for u in self.counts):
                return m.group(1)
        return None
