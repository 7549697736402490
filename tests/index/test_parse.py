"""parse_document over the five real notices: identity, clause boundaries and responsible units.

Every expectation here is read from the notice text in docs_corpus/, not from parser output.
"""

from __future__ import annotations

import re

import pytest

from index.parse import parse_document
from index.types import Clause, ParsedDocument
from tests.conftest import CORPUS, DATA

YC = "yangcheng-2024-transport-eco-workplan"
JL = "jilin-2024-transport-eco-workplan"
LYG = "lianyungang-2024-green-lowcarbon-plan"
SX = "shanxi-2024-air-quality-news"
BZ = "bazhou-2025-eco-duty-report"
JL_INHERITED = "各市〔州〕交通运输局"
LYG_INHERITED = ("各县区人民政府", "功能板块管委会")


@pytest.fixture(scope="module")
def docs() -> dict[str, ParsedDocument]:
    return {p.stem: parse_document(p) for p in sorted(CORPUS.glob("*.txt"))}


def find(doc: ParsedDocument, *numbers: str) -> list[Clause]:
    """Clauses whose section path starts with headings numbered `numbers` (e.g. "二、", "(四)", "5.")."""
    return [
        c
        for c in doc.clauses
        if len(c.section_path) == len(numbers)
        and all(_number(h) == n for h, n in zip(c.section_path, numbers))
    ]


def one(doc: ParsedDocument, *numbers: str) -> Clause:
    found = [c for c in find(doc, *numbers) if c.clause_no]
    assert len(found) == 1, f"{numbers}: {[c.section for c in found]}"
    return found[0]


def _number(heading: str) -> str:
    m = re.match(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d{1,3}[.、．])", heading)
    return m.group(0).replace("（", "(").replace("）", ")") if m else heading


def jilin_item(doc: ParsedDocument, n: int) -> Clause:
    found = [c for c in doc.clauses if c.clause_no == f"{n}." and c.section_path[0] == "二、重点任务"]
    assert len(found) == 1
    return found[0]


def all_text(doc: ParsedDocument) -> str:
    return "\n".join(c.text for c in doc.clauses)


# ---- Yangcheng ------------------------------------------------------------------------------


def test_yangcheng_identity_is_read_from_the_header_and_signature(docs) -> None:
    ident = docs[YC].identity
    assert ident.doc_number == "阳交字〔2024〕138号"
    assert ident.issuer == "阳城县交通运输局"
    assert ident.date == "2024-09-04"
    assert ident.kind == "工作要点"
    assert ident.title == "2024年交通运输生态环境保护工作要点"


def test_yangcheng_charging_clause_has_its_three_units_and_full_section_path(docs) -> None:
    c = one(docs[YC], "二、", "(四)", "5.")
    assert c.units == ("发展中心", "农管股", "太行一号项目部")
    assert c.unit_source == "clause"
    assert c.section_path == (
        "二、重点任务",
        "(四) 深入推进交通运输污染防治",
        "5. 加快公路新能源充（换）电设施建设",
    )
    assert c.text.startswith("5. 加快公路新能源充（换）电设施建设。推动我县公路沿线充电基础设施建设。")
    assert c.text.endswith("（责任单位：发展中心、农管股、太行一号项目部）")


def test_a_page_break_inside_the_unit_bracket_keeps_the_clause_whole(docs) -> None:
    # The notice breaks "（责任单" / "位:综运股)" over a page: one clause, its unit read.
    c = one(docs[YC], "二、", "(三)", "1.")
    assert c.units == ("综运股",)
    assert c.text.endswith("不断优化调整运输结构。（责任单位:综运股)")
    assert "\n" not in c.text
    assert not [x for x in docs[YC].clauses if x.text.startswith("位")]


def test_a_page_break_inside_a_word_keeps_the_clause_whole(docs) -> None:
    c = one(docs[YC], "二、", "(四)", "3.")
    assert "城市公共转运处置体系" in c.text
    assert c.units == ("发展中心", "水运股")
    assert sum("转运处置体系" in x.text for x in docs[YC].clauses) == 1


def test_a_page_break_inside_a_heading_body_keeps_the_clause_whole(docs) -> None:
    found = find(docs[YC], "二、", "(一)")
    assert len(found) == 1
    assert "生态环境保护的重要指示精神" in found[0].text
    assert found[0].units == ("党办",)


def test_yangcheng_ledger_has_sixteen_rows_and_merged_task_cells_inherit_from_above(docs) -> None:
    rows = docs[YC].table_rows
    assert [r.row_no for r in rows] == [str(i) for i in range(1, 17)]
    by_no = {r.row_no: r for r in rows}
    for empty, above in (("3", "2"), ("5", "4"), ("11", "10"), ("14", "13"), ("16", "15")):
        assert by_no[empty].task == by_no[above].task != ""
    assert by_no["2"].task == "统筹推进生态环境保护交通运输工作"
    assert by_no["10"].units == ("发展中心", "农管股", "太行一号项目部")
    assert by_no["4"].units == ("综运股",)


def test_body_and_ledger_unit_names_are_both_kept_when_they_differ(docs) -> None:
    # (六)2. names 农管股 in the body; its ledger row 15 writes 局农管股.
    c = one(docs[YC], "二、", "(六)", "2.")
    assert c.units == ("农管股", "各工程项目部")
    assert c.table_units == ("局农管股", "各工程项目部")
    assert [r.row_no for r in c.table_rows] == ["15"]


def test_each_yangcheng_task_is_linked_to_its_own_ledger_row(docs) -> None:
    charging = one(docs[YC], "二、", "(四)", "5.")
    assert [r.row_no for r in charging.table_rows] == ["10"]
    assert charging.table_units == ()  # the ledger agrees with the body: nothing extra to show


def test_ledger_rows_are_not_indexed_as_body_clauses(docs) -> None:
    assert not [c for c in docs[YC].clauses if "\t" in c.text or c.text.startswith("序号")]
    assert sum("加快公路新能源充" in c.text for c in docs[YC].clauses) == 1


# ---- Jilin ---------------------------------------------------------------------------------


def test_jilin_item_3_names_its_lead_unit_apart(docs) -> None:
    c = jilin_item(docs[JL], 3)
    assert c.lead_units == ("厅运输处",)
    assert c.units == ("厅运输处", JL_INHERITED, "厅机关各处室", "厅直各单位", "吉高集团")
    assert c.inherited_units == ()


@pytest.mark.parametrize("n", range(4, 27))
def test_jilin_items_4_to_26_inherit_the_city_bureaus(docs, n: int) -> None:
    c = jilin_item(docs[JL], n)
    assert JL_INHERITED in c.units
    assert c.inherited_units == (JL_INHERITED,)
    assert c.unit_source == "clause+inherited"
    assert c.units[-1] == JL_INHERITED  # after the clause's own units


@pytest.mark.parametrize("n", [1, 2, 3])
def test_jilin_items_before_the_inheritance_sentence_do_not_inherit(docs, n: int) -> None:
    c = jilin_item(docs[JL], n)
    assert c.inherited_units == ()
    assert c.unit_source == "clause"
    assert JL_INHERITED in c.units  # named in their own bracket


def test_jilin_own_units_are_read_from_the_duty_bracket(docs) -> None:
    assert jilin_item(docs[JL], 11).units == ("厅公路处", "省公路局", "吉高集团", JL_INHERITED)
    assert jilin_item(docs[JL], 4).units == ("厅综合规划处", JL_INHERITED)
    assert jilin_item(docs[JL], 13).units == ("省航道局", JL_INHERITED)


def test_jilin_identity_invents_nothing_the_text_does_not_state(docs) -> None:
    ident = docs[JL].identity
    assert ident.title == "2024年吉林省交通运输行业生态环境保护工作要点"
    assert ident.kind == "工作要点"
    assert (ident.doc_number, ident.issuer, ident.date) == (None, None, None)


# ---- Lianyungang ---------------------------------------------------------------------------


def test_lianyungang_identity(docs) -> None:
    ident = docs[LYG].identity
    assert ident.doc_number == "连交〔2024〕160号"
    assert ident.title == "连云港市交通运输领域绿色低碳发展实施方案"
    assert ident.kind == "实施方案"


def test_lianyungang_task_4_lists_seven_departments_and_the_inherited_two(docs) -> None:
    c = one(docs[LYG], "二、", "(四)")
    own = ("市发改委", "市工信局", "市公安局", "市城管局", "市交通局", "市机关管理局", "市邮政管理局")
    assert c.units == own + LYG_INHERITED
    assert c.inherited_units == LYG_INHERITED
    assert c.unit_source == "clause+inherited"


def test_a_later_lianyungang_task_also_carries_the_inherited_two(docs) -> None:
    c = one(docs[LYG], "五、", "(十五)")
    assert (
        c.units
        == ("市发改委", "市工信局", "市交通局", "市自然资源与规划局", "市住建局", "市供电公司")
        + LYG_INHERITED
    )
    assert c.inherited_units == LYG_INHERITED


@pytest.mark.parametrize("number", ["(二十五)", "(二十六)"])
def test_lianyungang_organisation_sections_have_no_units(docs, number: str) -> None:
    c = one(docs[LYG], "八、", number)
    assert c.units == () and c.inherited_units == () and c.unit_source == ""


def test_an_organisation_section_that_names_its_bodies_after_a_lead_in_has_them(docs) -> None:
    # "(二十四)加强组织领导。在市碳达峰碳中和工作领导小组的统一领导下,市交通局、…市商务局等相关部门要强化沟通协调"
    c = one(docs[LYG], "八、", "(二十四)")
    assert c.units[:6] == ("市交通局", "市发改委", "市工信局", "市住建局", "市生态环境局", "市商务局")
    assert "市碳达峰碳中和工作领导小组" not in c.units
    # "(二十七)加强宣传培训。各县区交通运输主管部门应定期组织开展绿色低碳交通培训工作"
    assert one(docs[LYG], "八、", "(二十七)").units[0] == "各县区交通运输主管部门"


def test_a_long_lianyungang_task_split_in_pieces_keeps_its_units_in_every_piece(docs) -> None:
    pieces = find(docs[LYG], "二、", "(五)")
    assert len(pieces) >= 2
    assert [p.part for p in pieces] == list(range(len(pieces)))
    assert {p.parts for p in pieces} == {len(pieces)}
    assert {p.units for p in pieces} == {pieces[0].units}
    assert "市港口控股集团" in pieces[0].units and "连云港机场公司" in pieces[0].units


def test_a_bracket_that_is_not_a_unit_list_gives_no_units(docs) -> None:
    # (三)主要目标 has "(不含摩托车,下同)" in it; it names no unit.
    for c in find(docs[LYG], "一、", "(三)"):
        assert c.units == ()


# ---- Shanxi --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "chrome",
    ["申花", "颜骏凌", "特别声明", "网易", "热点推荐", "相关推荐", "Notice:", "分享至", "无障碍浏览"],
)
def test_nothing_from_the_news_page_around_the_article_is_indexed(docs, chrome: str) -> None:
    assert chrome not in all_text(docs[SX])


@pytest.mark.parametrize(
    "fact",
    ["全省高速公路已建成充电桩890台", "全省装配式建筑占新建建筑面积比例达30%", "全省制造业年均增长11.4%"],
)
def test_the_related_press_conference_articles_are_kept(docs, fact: str) -> None:
    assert fact in all_text(docs[SX])


def test_shanxi_is_recorded_as_news(docs) -> None:
    assert docs[SX].identity.kind == "新闻"
    assert docs[SX].identity.title == "10方面重点任务 守护山西“好空气”"
    # news names few doers ("明年,省住建厅将…制订2025年行动计划"); never the office that held the press conference
    units = [u for c in docs[SX].clauses for u in c.units]
    assert "省住建厅" in units and not any("新闻办" in u for u in units)
    assert all(u in c.text for c in docs[SX].clauses for u in c.units)
    assert not any(c.units for c in docs[SX].clauses if re.search(r"以来[,，]", c.text[:12]))  # what was done, not who must


# ---- Bazhou --------------------------------------------------------------------------------


def test_bazhou_identity(docs) -> None:
    ident = docs[BZ].identity
    assert ident.issuer == "巴州交通运输局"
    assert ident.kind == "履职报告"
    assert ident.date == "2026-01-14"
    assert ident.doc_number is None


def test_bazhou_task_clauses_are_the_reporting_bureaus_own(docs) -> None:
    tasks = [c for c in docs[BZ].clauses if c.section_path[0] == "二、聚焦重点任务，推动绿色发展"]
    assert len(tasks) >= 10
    for c in tasks:
        assert c.units == ("巴州交通运输局",)
        assert c.unit_source == "issuer"
    mstation = [c for c in tasks if c.text.startswith("M站建设整改")]
    assert len(mstation) == 1 and mstation[0].section_path[-1] == "（五）扎实推进环保督察整改，补齐治理短板"


def test_bazhou_introduction_is_not_assigned_to_anyone(docs) -> None:
    intro = [c for c in docs[BZ].clauses if c.section_path == ("引言",)]
    assert intro and all(c.units == () for c in intro)


def test_the_signature_block_is_not_indexed_as_a_clause(docs) -> None:
    for doc in docs.values():
        for c in doc.clauses:
            assert not re.fullmatch(r"\S{2,30}\n(?:19|20)\d{2}年\d{1,2}月\d{1,2}日", c.text), (
                doc.identity.doc_id,
                c.text,
            )


# ---- every notice --------------------------------------------------------------------------


def test_clause_offsets_point_into_the_cleaned_text(docs) -> None:
    for doc in docs.values():
        for c in doc.clauses:
            if c.parts == 1 and "\n" not in c.text:
                assert doc.text[c.start : c.end] == c.text, (doc.identity.doc_id, c.section)


def test_a_small_notice_parses_end_to_end() -> None:
    doc = parse_document(DATA / "nested_numbering.txt")
    assert doc.identity.doc_number == "某交字〔2024〕12号"
    assert doc.identity.issuer == "某县交通运输局"
    assert doc.identity.date == "2024-03-01"
    units = {c.clause_no + c.section_path[1][:3]: c.units for c in doc.clauses if len(c.section_path) == 3}
    assert units["2.（二）"] == ("执法大队", "路政股")


@pytest.mark.parametrize(
    "heading",
    ["第八条 区公安分局工作职责:", "三、区公安分局"],
)
def test_a_heading_naming_a_body_and_its_duties_owns_the_items_under_it(heading: str) -> None:
    from index.parse import parse_text

    doc = parse_text(
        f"(五)负责组织实施各类学校校舍安全工程的监督检查。\n{heading}\n"
        "(一)对本区消防工作实施监督管理,指导、监督消防机构履行法定消防安全职责。\n"
        "(二)负责本区道路交通安全的管理。预防道路交通事故,维护道路交通秩序。\n",
        doc_id="t", source_file="t.txt",
    )
    owned = [c.units for c in doc.clauses if "消防工作" in c.text or "道路交通安全" in c.text]
    assert owned == [("区公安分局",), ("区公安分局",)]


def test_a_numbered_heading_that_is_a_body_owns_the_duty_line_under_it() -> None:
    from index.parse import parse_text

    doc = parse_text(
        "2.2职责任务。\n(1)市林业局。\n负责火灾扑救的组织、火灾现场勘察、调查火灾损失情况等工作。\n"
        "(2)沈阳警备区。\n负责协调、指挥、调动当地驻军、武警部队参加森林火灾扑救工作。\n",
        doc_id="t", source_file="t.txt",
    )
    assert [c.units for c in doc.clauses if c.units] == [("市林业局",), ("沈阳警备区",)]


def test_duties_with_no_subject_are_the_subject_of_the_heading_above() -> None:
    from index.parse import parse_text

    doc = parse_text(
        "(一)区民政局作为主管部门总体负责救助帮困系统的运行、维护和安全。\n"
        "1.负责起草救助帮困系统的管理办法、工作规范,开展具体业务指导。\n"
        "(二)区劳动保障局、区卫生局、区教育局、区总工会、区残联、区妇联、团区委、区老龄委、区房地局、区人事局等部门"
        "根据救助帮困系统设计功能,做好本部门有关救助帮困工作的网上处理。具体包括:\n"
        "1.负责公布有关救助政策、帮困措施和具体标准。\n",
        doc_id="t", source_file="t.txt",
    )
    units = {c.text[:8]: c.units for c in doc.clauses}
    assert units["1.负责起草救助"] == ("区民政局",)
    assert units["1.负责公布有关"][:2] == ("区劳动保障局", "区卫生局") and len(units["1.负责公布有关"]) == 10


def test_a_table_printed_with_every_separator_lost_is_read_row_by_row() -> None:
    from index.parse import parse_text

    text = ("《某市规划纲要》主要目标任务分解落实方案序号主要工作任务第一责任单位主要责任单位一、主要发展指标"
            "1地区生产总值年均增长12%左右。市发展改革委各县(市、区)政府、嘉兴经济开发区、嘉兴港区"
            "2服务业增加值占生产总值比重达到40%。市发展改革委各县(市、区)政府、市三产发展领导小组各成员单位"
            "3地方财政收入年均增长13%。市财政局各县(市、区)政府、市国税局"
            "4社会消费品零售总额年均增长12%以上。市经贸委各县(市、区)政府\n")
    doc = parse_text(text, doc_id="t", source_file="t.txt")
    rows = {c.text[:1]: c for c in doc.clauses if c.text[:1].isdigit()}
    assert rows["1"].units == ("市发展改革委", "各县(市、区)政府", "嘉兴经济开发区", "嘉兴港区")
    assert rows["3"].units == ("市财政局", "各县(市、区)政府", "市国税局")
    assert rows["3"].lead_units == ("市财政局",)  # the header's 第一责任单位 leads
    assert "12%" in rows["1"].text and "40%" in rows["2"].text  # amounts are not row numbers
