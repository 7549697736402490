"""Property-based tests of `index.parse.parse_text` on random notices.

The notices are random Chinese text with random brackets, whitespace and numbering
(一、 （一） (一) 1. 1、 （1） ①), generated as a list of lines whose structure the test knows.

Properties:

1. Never crashes, on structured notices and on arbitrary text.
2. Never loses the text of a clause. Precisely, with W(s) = s without whitespace and
   ALL = W(every clause text of the document, concatenated in order):
   - a paragraph (an unnumbered line under a heading, or a preamble line of 20+ characters),
     and a numbered line with nothing under it (a leaf: the next line is numbered at the same
     or a shallower level, or there is none), satisfy W(line) in ALL;
   - a numbered line with lines under it is either in ALL (it opens its clause), or, when it is
     heading-shaped (no 。；;！？!? and at most 45 characters: index/clauses.py), it is shown as
     a section title: some clause's section path has an element that is a prefix of W(line)
     starting with its number (titles over 30 characters are shortened by design).
   Exceptions, by design of index/clean.py: a line equal to the line before it is dropped (a
   page printing its title twice); web-chrome lines (来源：, 当前位置… ) and short preamble
   lines (文号, addressee) are dropped -- the generator's alphabet cannot produce the former
   and its preamble lines are 20+ characters.

A numbered *leaf* that is heading-shaped (a short task line without sentence punctuation,
e.g. "1.开展绿色出行宣传月活动（责任单位：综运股）") is dropped by the parser today: see
`test_short_task_line_is_kept` for the minimal example. `test_no_clause_text_is_lost` checks
the full property and is marked xfail(strict) until that is fixed; the variant
`test_no_clause_text_is_lost_except_short_leaves` keeps guarding everything else meanwhile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.parse import parse_text

CJK = "交通运输生态环境保护工作推进加强落实单位局股队中心治理污染排放绿色低碳发展建设公路水运车辆能源监管"
BODY = CJK + "0123456789，、：；。（）()〔〕《》【】 \u3000"
CN = "一二三四五六七八九十"
LEVELS = {1: "一、", 2: "（一）", 4: "1.", 5: "（1）", 6: "①"}  # index/clauses.py precedence
SENTENCE = re.compile(r"[。；;！？!?]")
SHORT_TASK_BUG = (
    "BUG index/clauses.py: a numbered line without sentence punctuation and <= 45 characters with "
    "nothing under it (a short task such as '1.开展绿色出行宣传月活动（责任单位：综运股）') is taken "
    "for a heading and dropped: its text and units are in no clause"
)
PROFILE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def W(text: str) -> str:
    return re.sub(r"\s+", "", text)


@dataclass(frozen=True)
class Line:
    level: int | None  # None: an unnumbered paragraph
    text: str  # the line as written (number included), without surrounding whitespace


def _number(level: int, n: int, style: int) -> str:
    cn = CN[(n - 1) % 10]
    return {
        1: f"{cn}、",
        2: (f"（{cn}）", f"({cn})")[style % 2],
        4: (f"{n}.", f"{n}、", f"{n}．")[style % 3],
        5: (f"（{n}）", f"({n})")[style % 2],
        6: "①②③④⑤⑥⑦⑧⑨⑩"[(n - 1) % 10],
    }[level]


def heading_shaped(text: str) -> bool:
    return not SENTENCE.search(text) and len(text) <= 45


@st.composite
def bodies(draw, min_size: int = 0, max_size: int = 60, sentence: bool = False) -> str:
    first = draw(st.sampled_from(CJK))  # a digit right after "1." would make "1.2…", not a heading
    rest = draw(st.text(alphabet=BODY, min_size=min_size, max_size=max_size))
    text = first + rest
    return text + "。" if sentence and not SENTENCE.search(text) else text


@st.composite
def notices(draw, short_leaves: bool = True) -> list[Line]:
    """Lines of a random notice: an optional preamble, then numbered lines and paragraphs."""
    lines: list[Line] = []
    if draw(st.booleans()):
        lines.append(Line(None, draw(bodies(min_size=20, max_size=60, sentence=True)).strip()))
    counters: dict[int, int] = {}
    for _ in range(draw(st.integers(1, 12))):
        if lines and lines[-1].level is not None and draw(st.integers(0, 3)) == 0:
            lines.append(Line(None, draw(bodies(min_size=1, sentence=True)).strip()))
            continue
        level = draw(st.sampled_from(sorted(LEVELS)))
        counters[level] = counters.get(level, 0) + 1
        for deeper in [k for k in counters if k > level]:
            counters[deeper] = 0
        number = _number(level, counters[level], draw(st.integers(0, 5)))
        lines.append(Line(level, number + draw(st.sampled_from(["", " ", "\u3000"])) + draw(bodies())))
    lines = [Line(line.level, line.text.strip()) for line in lines]
    if not short_leaves:  # give heading-shaped leaves a sentence end (the variant without the bug)
        lines = [
            Line(ln.level, ln.text + "。") if ln.level is not None and _is_leaf(lines, i) and heading_shaped(ln.text) else ln
            for i, ln in enumerate(lines)
        ]
    return lines


def _is_leaf(lines: list[Line], i: int) -> bool:
    nxt = lines[i + 1] if i + 1 < len(lines) else None
    return nxt is None or (nxt.level is not None and nxt.level <= lines[i].level)


@st.composite
def raw_text(draw, lines: list[Line]) -> str:
    """The lines joined with random blank lines and leading/trailing whitespace."""
    out = []
    for line in lines:
        pad = draw(st.sampled_from(["", " ", "\u3000\u3000"]))
        out.append(pad + line.text + draw(st.sampled_from(["", " ", "\u3000"])))
        out.append("\n" * draw(st.integers(1, 3)))
    return "".join(out)


def lost_lines(lines: list[Line], raw: str) -> list[str]:
    """The lines whose text the parsed document lost (empty: the property holds)."""
    doc = parse_text(raw, doc_id="t", source_file="t.txt")
    everything = W("".join(c.text for c in doc.clauses))
    titles = {W(t).rstrip("…") for c in doc.clauses for t in c.section_path}
    lost = []
    previous = None
    for i, line in enumerate(lines):
        if line.text == previous:  # dropped as a repeated line, by design
            continue
        previous = line.text
        text = W(line.text)
        if text in everything:
            continue
        if line.level is not None and not _is_leaf(lines, i) and heading_shaped(line.text):
            number = re.match(r"^[（(]?[一二三四五六七八九十\d①-⑩]+[）)、.．]?", text)
            if any(t and text.startswith(t) and number and t.startswith(number.group(0)) for t in titles):
                continue
        lost.append(line.text)
    return lost


@PROFILE
@given(st.data())
def test_no_clause_text_is_lost_except_short_leaves(data) -> None:
    lines = data.draw(notices(short_leaves=False))
    raw = data.draw(raw_text(lines))
    assert lost_lines(lines, raw) == [], raw


@PROFILE
@given(st.data())
def test_no_clause_text_is_lost(data) -> None:
    lines = data.draw(notices())
    raw = data.draw(raw_text(lines))
    assert lost_lines(lines, raw) == [], raw


def test_short_task_line_is_kept() -> None:
    raw = "一、重点任务\n1.开展绿色出行宣传月活动（责任单位：综运股）\n2.推进老旧营运柴油货车淘汰更新（责任单位：运管所）\n"
    doc = parse_text(raw, doc_id="t", source_file="t.txt")
    assert [c.units for c in doc.clauses] == [("综运股",), ("运管所",)]


@PROFILE
@given(st.data())
def test_structured_notices_never_crash(data) -> None:
    lines = data.draw(notices())
    doc = parse_text(data.draw(raw_text(lines)), doc_id="t", source_file="t.txt")
    for clause in doc.clauses:
        assert clause.text.strip(), "a clause with no text"
        assert clause.section_path, "a clause without a section path"


@PROFILE
@given(
    st.lists(
        st.one_of(
            st.text(max_size=80),
            st.text(alphabet=BODY + "\t<>/p第章条以下需不再列出来源：责任单位牵头", max_size=80),
            st.sampled_from(["一、", "（一）", "(一)", "1.", "1、", "（1）", "①", "第一章", "第一条", "\t"]).flatmap(
                lambda n: st.text(alphabet=BODY, max_size=40).map(lambda b: n + b)
            ),
        ),
        max_size=25,
    )
)
def test_arbitrary_text_never_crashes(lines: list[str]) -> None:
    doc = parse_text("\n".join(lines), doc_id="t", source_file="t.txt")
    assert doc.identity.doc_id == "t"
    for clause in doc.clauses:
        assert 0 <= clause.start <= clause.end, "clause offsets out of order"
