"""split_clauses: fixed numbering precedence, paragraphs for unnumbered text, 第X条 articles."""

from __future__ import annotations

import pytest

from index.clauses import heading_level, heading_title, split_clauses
from index.parse import parse_document
from tests.conftest import DATA


def lines(text: str) -> list[tuple[str, int]]:
    out, offset = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((line, offset))
        offset += len(line) + 1
    return out


def test_many_arabic_items_nest_under_their_chinese_numbered_parents() -> None:
    # Seven "1."-style items against four "（一）" headings: a vote by frequency would make the
    # arabic items the top level; the fixed precedence nests them under （一）/（二）.
    doc = parse_document(DATA / "nested_numbering.txt")
    tasks = [c for c in doc.clauses if c.section_path[0] == "一、重点任务"]
    assert [(c.section_path[1], c.clause_no) for c in tasks] == [
        ("（一）加强客运安全管理", "1."),
        ("（一）加强客运安全管理", "2."),
        ("（一）加强客运安全管理", "3."),
        ("（二）加强货运安全管理", "1."),
        ("（二）加强货运安全管理", "2."),
        ("（二）加强货运安全管理", "3."),
        ("（二）加强货运安全管理", "4."),
    ]
    assert tasks[3].section_path == ("一、重点任务", "（二）加强货运安全管理", "1.开展危险货物运输专项整治")
    assert tasks[3].units == ("执法大队",)


def test_a_new_top_level_heading_closes_the_open_ones() -> None:
    doc = parse_document(DATA / "nested_numbering.txt")
    measures = [c for c in doc.clauses if c.section_path[0] == "二、保障措施" and c.clause_no]
    assert [c.section_path for c in measures] == [
        ("二、保障措施", "（一）加强组织领导"),
        ("二、保障措施", "（二）强化督导检查"),
    ]
    assert measures[1].text == "（二）强化督导检查。每月5日前报送工作进展。"


def test_a_notice_without_numbering_is_split_into_its_paragraphs() -> None:
    doc = parse_document(DATA / "no_numbering.txt")
    body = (DATA / "no_numbering.txt").read_text(encoding="utf-8").split("\n\n")[1:]
    assert [c.text for c in doc.clauses] == [p.strip() for p in body]
    assert all(c.clause_no == "" for c in doc.clauses)


def test_articles_nest_under_chapters() -> None:
    doc = parse_document(DATA / "articles.txt")
    assert [(c.section_path[0], c.clause_no) for c in doc.clauses] == [
        ("第一章 总则", "第一条"),
        ("第一章 总则", "第二条"),
        ("第二章 管理职责", "第三条"),
        ("第二章 管理职责", "第四条"),
        ("第三章 附则", "第五条"),
    ]
    assert doc.clauses[2].text == "第三条 市交通运输局负责全市公路路域环境管理工作。"


def test_an_article_closes_the_previous_article() -> None:
    raw = split_clauses(lines("第一条 甲乙丙丁。\n第二条 戊己庚辛。"))
    assert [(r.section_path, r.text) for r in raw] == [
        (("第一条 甲乙丙丁",), "第一条 甲乙丙丁。"),
        (("第二条 戊己庚辛",), "第二条 戊己庚辛。"),
    ]


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("第二章 管理职责", 0),
        ("二、重点任务", 1),
        ("第三条 市交通运输局负责", 2),  # an article holds items numbered （一）, as in regulations
        ("（四）深入推进交通运输污染防治", 3),
        ("(四) 深入推进交通运输污染防治", 3),
        ("5. 加快公路新能源充（换）电设施建设", 4),
        ("11.深入实施绿色出行", 4),
        ("3、推进客运车辆动态监控", 4),
        ("（2）督促企业", 5),
        ("①开展检查", 6),
    ],
)
def test_heading_levels_follow_the_fixed_precedence(line: str, level: int) -> None:
    found = heading_level(line)
    assert found is not None and found[0] == level


@pytest.mark.parametrize(
    "line", ["2.5万辆新能源汽车已投入运营。", "2024年完成全省高速公路绿化。", "以下各具体工作任务需配合。"]
)
def test_sentences_starting_with_numbers_are_not_headings(line: str) -> None:
    assert heading_level(line) is None


def test_a_paragraph_under_a_numbered_task_stays_in_that_task() -> None:
    raw = split_clauses(
        lines("一、重点任务\n1.加强扬尘治理。\n持续做好施工扬尘管控。（责任单位：农管股）\n2.加强噪声治理。")
    )
    assert [r.text for r in raw] == [
        "1.加强扬尘治理。\n持续做好施工扬尘管控。（责任单位：农管股）",
        "2.加强噪声治理。",
    ]


def test_heading_title_is_cut_at_the_first_sentence_end() -> None:
    assert heading_title("5. 加快公路新能源充（换）电设施建设。推动我县公路沿线充电基础设施建设。") == (
        "5. 加快公路新能源充（换）电设施建设"
    )


def test_the_inheritance_sentence_is_kept_apart_from_the_task_above_it() -> None:
    text = "一、重点任务\n3.全面落实。（厅运输处）\n以下各具体工作任务需各市〔州〕交通运输局配合或具体落实，不再列入责任单位。\n4.将理念贯穿。（厅综合规划处）"
    raw = split_clauses(lines(text))
    assert [r.inherit_marker for r in raw] == [False, True, False]
    assert raw[0].text == "3.全面落实。（厅运输处）"


def test_a_page_on_one_line_is_split_after_each_labelled_duty_bracket() -> None:
    from index.parse import parse_text

    doc = parse_text(
        "6.完成减排监测体系建设工作任务。(考核责任单位:省环保厅) 7.加快推进城市供排水管理系统建设。"
        "(考核责任单位:省住房和城乡建设厅) (五)区域突出环境问题整治目标 完成重金属污染整治工作。(考核责任单位:省环保厅)",
        doc_id="t", source_file="t.txt",
    )
    assert [c.units for c in doc.clauses] == [("省环保厅",), ("省住房和城乡建设厅",), ("省环保厅",)]


def _parsed(text: str):
    """The whole pipeline on a notice's text: cleaning, clauses and units."""
    from index.parse import parse_text

    return parse_text(text, doc_id="t", source_file="t.txt")


def test_unit_cells_printed_one_per_line_under_a_task_are_its_units() -> None:
    doc = _parsed(
        "城乡环境卫生整治任务分解表\n"
        "5、整治农村河流保障饮水安全。加快实施农村饮水安全工程建设,提高农村自来水普及率。\n各村(居、场)\n苏荣义\n"
        "6、开展农村环境连片整治活动。结合生态村创建,组织开展农村环境连片整治示范工作。\n镇创卫办\n各村(居、场)\n林玉铭\n"
    )
    tasks = [c for c in doc.clauses if c.clause_no]
    assert [c.units for c in tasks] == [("各村(居、场)",), ("镇创卫办", "各村(居、场)")]
    assert all(c.unit_source == "line" for c in tasks)


def test_a_body_named_above_its_duties_still_heads_them() -> None:
    doc = _parsed(
        "二、职责分工\n市防火办\n负责全市森林防火的组织协调工作。\n市气象局\n负责火险天气预报。\n"
    )
    duties = [c for c in doc.clauses if "负责" in c.text]
    assert [c.units for c in duties] == [("市防火办",), ("市气象局",)]


def test_a_heading_that_names_a_body_then_a_colon_opens_its_list_on_the_same_line() -> None:
    doc = _parsed(
        "秘書室分設二科,各科掌理事項如下:一、第一科:(一)施政方針、工作報告之彙編事項。\n(二)機要事務之處理事項。\n"
        "二、第二科:(一)文書之收發事項。\n資金來源:1.財政投資125萬元;2.地方債券1000萬元。\n"
    )
    units = {c.text.split("。")[0]: c.units for c in doc.clauses}
    assert units["(一)施政方針、工作報告之彙編事項"] == ("第一科",)
    assert units["(二)機要事務之處理事項"] == ("第一科",)
    assert units["(一)文書之收發事項"] == ("第二科",)
    assert any("\n資金來源:1.財政投資125萬元;2.地方" in c.text for c in doc.clauses)  # a key's listed value stays whole


def test_a_body_and_a_colon_alone_heads_the_duties_below_it_but_an_addressee_line_heads_nothing() -> None:
    doc = _parsed(
        "各区、县(市)党委政法委、人力社保局、信访局、发改局、住建局、公安分局、财政局:\n为深入贯彻落实根治欠薪批示指示精神,进一步健全工作机制,现就有关事项通知如下:\n"
        "一、职责分工\n市经贸委：\n负责全市节能工作。\n市财政局：\n负责节能资金保障。\n"
    )
    units = {c.text.split("\n")[-1]: c.units for c in doc.clauses}
    assert units["负责全市节能工作。"] == ("市经贸委",)
    assert units["负责节能资金保障。"] == ("市财政局",)
    assert all(not c.units for c in doc.clauses if "信访局" in c.text)


def test_headings_numbered_with_a_space_and_headings_that_count_or_lead_their_items() -> None:
    doc = _parsed(
        "本局設下列各科,分別掌理下列事項:\n一 人民團體科:社會團體、合作社等會務輔導事項。\n二 社會救助科:低收入戶生活扶助與照顧。\n"
        "附件1 县政府工作报告任务清单\n一、县示范区管委会牵头工作(8项)\n1.打造食用菌酵素生产基地。\n2.建设3个劳动密集型产业园。\n"
        "二、督查发现的问题\n(一)鹿城镇(14个)\n1.格林天城一号门外公益广告褪色破损。\n"
    )
    units = {c.text.split("。")[0]: (c.units, c.lead_units) for c in doc.clauses}
    assert units["一 人民團體科:社會團體、合作社等會務輔導事項"] == (("人民团体科",), ())
    assert units["二 社會救助科:低收入戶生活扶助與照顧"] == (("社会救助科",), ())
    assert units["1.打造食用菌酵素生产基地"] == (("县示范区管委会",), ("县示范区管委会",))
    assert units["1.格林天城一号门外公益广告褪色破损"] == (("鹿城镇",), ())


@pytest.mark.parametrize(
    "text, task, units",
    [
        # a distribution list and the issuing office's footer name no one who does the task
        ("一、重点任务\n1.做好道路养护工作,确保安全畅通。\n2.加强治超工作,严厉打击违法超限。\n抄送:市交通运输局\n县交通运输局办公室\n2024年3月1日印发\n",
         "2.加强治超工作", ()),
        # names under the duties of a notice that heads duties with names are headings, not cells:
        # the duty is its heading's body's only
        ("三、职责分工\n(一)县交通运输局\n负责道路养护。\n(二)县财政局\n负责资金保障,确保到位。\n县公安局\n县应急局\n",
         "负责资金保障", ("县财政局",)),
    ],
)
def test_names_after_a_task_that_are_no_unit_cells(text: str, task: str, units: tuple[str, ...]) -> None:
    doc = _parsed(text)
    clause = next(c for c in doc.clauses if task in c.text)
    assert clause.units == units, clause.text


def _units_by_clause(text: str) -> dict[str, tuple[str, ...]]:
    from index.parse import parse_text

    return {c.text.split("。")[0]: c.units for c in parse_text(text, "t", "t.txt").clauses}


def test_a_laws_items_sit_inside_its_articles_and_belong_to_the_body_the_article_names() -> None:
    # a law site's layout: "第 4 條" on a line of its own, then "X職掌如下:" and its 一、二、 items
    units = _units_by_clause(
        "第 3 條\n本局設行政課、經濟課及分駐(派出)所分別掌理本細則所定之事項。\n"
        "第 4 條\n行政課職掌如下: 一、警力配置之調整事項。 二、勤前教育之規劃實施事項。 三、交通安全維護、管制、宣導與交通秩序整理、"
        "交通事故處理之規劃、督導事項。 四、警備、警衛、警戒之規劃執行及機動保安警力之調遣配備事項。\n"
        "第 5 條\n經濟課掌理事項如下︰\n一、經濟警察業務之規劃、督導事項。\n"
    )
    assert units["一、警力配置之調整事項"] == ("行政课",)
    assert units["二、勤前教育之規劃實施事項"] == ("行政课",)
    assert units["一、經濟警察業務之規劃、督導事項"] == ("经济课",)
    assert units["第 3 條 本局設行政課、經濟課及分駐(派出)所分別掌理本細則所定之事項"] == ("行政课", "经济课", "分驻(派出)所")


def test_decimal_sections_nest_by_depth_and_hold_their_bracketed_items() -> None:
    from index.parse import parse_text

    doc = parse_text("2.3 各工作组职责\n2.3.2 专家组\n主要职责:\n(一)负责农业自然灾害的调查、评估和分析;\n"
                     "2.3.3 宣传组\n(一)负责应急新闻报道。\n", "t", "t.txt")
    paths = {c.text[:7]: c.section_path for c in doc.clauses}
    assert paths["(一)负责农业"] == ("2.3 各工作组职责", "2.3.2 专家组", "(一)负责农业自然灾害的调查、评估和分析")
    assert [c.units for c in doc.clauses if c.text.startswith("(一)")] == [("专家组",), ("宣传组",)]


def _units_by_last_line(text: str) -> dict[str, tuple[str, ...]]:
    from index.parse import parse_text

    return {c.text.split("\n")[-1].split("。")[0]: c.units for c in parse_text(text, "t", "t.txt").clauses}


def test_a_bodys_name_and_colon_on_its_own_line_heads_the_duty_below_it_whatever_its_verb() -> None:
    units = _units_by_last_line(
        "食品安全监督涉及多个部门,具体如下:\n农业部:\n负责农产品生产环节的监管。\n公安部:\n打击食品安全犯罪。\n"
        "工业和信息化部(工信部):\n管理食品工业行业。\n"
    )
    assert units["负责农产品生产环节的监管"] == ("农业部",)
    assert units["打击食品安全犯罪"] == ("公安部",)
    assert units["管理食品工业行业"] == ("工业和信息化部(工信部)",)


def test_an_addressee_line_does_not_head_the_letter_below_it() -> None:
    units = _units_by_clause("各县区交通运输局:\n为贯彻落实省厅部署,现将有关事项通知如下。\n")
    assert units["为贯彻落实省厅部署,现将有关事项通知如下"] == ()


def test_a_paragraph_whose_semicolon_parts_each_name_who_does_them_is_a_task_each() -> None:
    text = ("一、完成专项资金整合\n将原外贸发展专项整合为“开放型经济发展专项资金”,由市商务局管理;"
            "将原电子商务专项整合为“服务业发展专项资金”,由市发改委、市商务局共同管理,发改委牵头;"
            "将原肉菜储备资金整合为“放心消费工程专项资金”,由市发改委、市商务局共同管理,发改委牵头。")
    raw = split_clauses(lines(text))
    assert len(raw) == 3 and "由市商务局管理" in raw[0].text
    assert [r.text[:6] for r in raw[1:]] == ["将原电子商务", "将原肉菜储备"]
    # parts without their own units stay one task
    raw = split_clauses(lines("一、要求\n加强组织领导;完善工作机制;强化督查考核,由市政府督查室负责。"))
    assert len(raw) == 1


def test_two_bodies_sentences_are_a_task_each_unless_a_label_may_cover_both() -> None:
    text = "二、明确职责\n财务处负责专项资金的预算编制、绩效评价等综合协调管理工作;对外贸易处、市场秩序处分别牵头两个专项资金管理。"
    raw = split_clauses(lines(text))
    assert [r.text[:3] for r in raw][-2:] == ["财务处", "对外贸"]
    labelled = "二、明确职责\n财务处负责预算编制;市场秩序处负责资金管理。(责任单位:财务处、市场秩序处)"
    assert len(split_clauses(lines(labelled))) == 1
