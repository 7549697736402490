"""Ledger tables (台账): rows read by column name, merged task cells inherited, rows linked to clauses."""

from __future__ import annotations

from index.tables import is_table_header, link_rows, parse_table

HEADER = "序号\t工作任务\t工作内容\t责任单位\t进展情况\t备注"


def test_the_header_line_is_recognised_only_with_a_unit_column() -> None:
    assert is_table_header(HEADER)
    assert is_table_header("编号\t重点任务\t牵头单位")
    assert not is_table_header("序号\t工作任务\t工作内容")
    assert not is_table_header("责任单位：综运股")  # a sentence, not a row


def test_rows_are_read_by_column_name_and_units_split() -> None:
    rows = ["1\t加强扬尘污染治理\t持续做好公路工程施工扬尘管控。\t综合行政执法队 农管股 各工程项目部\t\t"]
    [rec] = parse_table(HEADER, rows)
    assert rec.row_no == "1"
    assert rec.task == "加强扬尘污染治理"
    assert rec.content == "持续做好公路工程施工扬尘管控。"
    assert rec.units == ("综合行政执法队", "农管股", "各工程项目部")


def test_an_empty_task_cell_inherits_the_task_above() -> None:
    rows = [
        "2\t统筹推进生态环境保护交通运输工作\t统筹交通运输碳达峰碳中和工作。\t办公室\t\t",
        "3\t\t严格执行公路规划建设和环评工作有关政策。\t规划股 公路股\t\t",
        "4\t持续优化调整交通运输结构\t持续推进“公转铁”。\t综运股\t\t",
    ]
    recs = parse_table(HEADER, rows)
    assert [r.task for r in recs] == ["统筹推进生态环境保护交通运输工作"] * 2 + ["持续优化调整交通运输结构"]
    assert recs[1].units == ("规划股", "公路股")


def test_a_different_column_order_is_read_by_name() -> None:
    recs = parse_table("责任单位\t序号\t工作内容", ["发展中心\t7\t推动公路沿线充电基础设施建设。"])
    assert (recs[0].row_no, recs[0].units, recs[0].content) == (
        "7",
        ("发展中心",),
        "推动公路沿线充电基础设施建设。",
    )


def test_rows_link_to_the_clause_they_restate_and_not_to_an_unrelated_one() -> None:
    clauses = [
        "5. 加快公路新能源充（换）电设施建设。推动我县公路沿线充电基础设施建设。依托太行一号旅游公路驿站建设新能源充（换）电设施。",
        "7. 深入开展交通运输行业噪声污染防治工作。",
    ]
    recs = parse_table(
        HEADER,
        [
            "10\t加快公路新能源充电(换)电设备建设\t推动我县公路沿线充电基础设施建设。依托太行一号旅游公路驿站建设新能源充(换)电设施。\t发展中心\t\t",
            "12\t深入开展交通运输行业噪声污染防治工作。\t\t发展中心 农管股\t\t",
            "99\t完全无关的任务\t召开年度表彰大会并评选先进个人。\t办公室\t\t",
        ],
    )
    assert link_rows(recs, clauses) == [0, 1, None]


# ---------------------------------------------------------------- tables flattened to text
from index.tables import column_role, find_tables, read_table  # noqa: E402


def _parsed(text: str):
    """The whole pipeline on a notice's text: cleaning, tables, clauses and units."""
    from index.parse import parse_text

    return parse_text(text, doc_id="t", source_file="t.txt")


def _rows(text: str):
    lines = text.split("\n")
    [table] = find_tables(lines)
    return table, read_table(table, lines)


def test_column_names_give_roles() -> None:
    assert column_role("牵头单位") == "lead"
    assert column_role("协同配合单位") == "support"
    assert column_role("责任科室") == "units"
    assert column_role("完成时限") == "deadline"
    assert column_role("责任领导") == "people"
    assert column_role("工作任务") == "text"


def test_a_pipe_table_gives_one_task_per_row() -> None:
    table, rows = _rows(
        "| 序号 | 工作任务 | 牵头单位 | 配合单位 | 完成时限 |\n"
        "| 1 | 建设公路充电设施 | 市交通局 | 市发改委 | 2024年底前 |\n"
        "| 2 | 推广新能源公交车 | 市公交集团 | 市财政局、市交通局 | 长期坚持 |"
    )
    assert table.shape == "pipe"
    assert [r.units for r in rows] == [("市交通局", "市发改委"), ("市公交集团", "市财政局", "市交通局")]
    assert [r.lead_units for r in rows] == [("市交通局",), ("市公交集团",)]
    assert [r.deadline for r in rows] == ["2024年底前", "长期坚持"]


def test_a_table_printed_one_cell_per_line_with_a_merged_unit_cell() -> None:
    _, rows = _rows(
        "序号\n工作任务\n完成时限\n责任领导\n责任股室\n"
        "1\n开展文化下乡演出不少于100场。\n12月底前\n王明\n文化股\n文化馆\n"
        "2\n建成乡镇综合文化站5个。\n6月底前\n"
        "3\n完成非遗展厅布展。\n非遗中心"
    )
    assert [r.units for r in rows] == [("文化股", "文化馆"), ("文化股", "文化馆"), ("非遗中心",)]
    assert rows[0].people == ("王明",) and rows[1].deadline == "6月底前"


def test_a_space_separated_table_and_its_sub_rows() -> None:
    _, rows = _rows(
        "序号 项目名称 责任单位 目标任务 备注\n"
        "1 新增城镇就业 人社局 8950人 已完成\n"
        "2 提高低保标准 民政局 100%\n"
        "完成低保资金发放 区民政局 10000万"
    )
    assert [r.units for r in rows] == [("人社局",), ("民政局",), ("区民政局",)]


def test_prose_with_unit_words_is_not_a_table() -> None:
    assert find_tables(["各责任单位要高度重视，牵头单位要加强统筹。", "一、工作任务"]) == []


def test_a_cell_per_line_table_whose_unit_column_comes_before_the_task() -> None:
    # "| 序号 |" then one cell per line ending in " |": every row has one cell per column
    table, rows = _rows(
        "| 2025年度区民政局重点工作任务分解 |\n| 序号 |\n责任单位 |\n考核指标 |\n实施部门 |\n完成时限 |\n"
        "| 1 |\n区民政局 |\n按月完成临时救助的审核确认工作。 |\n低保中心 |\n2025年12月底 |\n"
        "| 2 |\n区民政局 |\n按月完成城乡低保对象的动态调整工作。 |\n社会救助股 |\n2025年12月底 |"
    )
    assert [r.units for r in rows] == [("区民政局", "低保中心"), ("区民政局", "社会救助股")]
    assert [r.deadline for r in rows] == ["2025年12月底", "2025年12月底"]


def test_a_cell_per_line_table_whose_rows_list_their_units_one_per_line() -> None:
    doc = _parsed(
        "附件1\n2019年民生实事指标落实情况表\n序号\n工作目标\n区责任单位\n工作指标\n进展情况\n"
        "1\n建设美丽河湖100条以上\n区农业农村局\n1条。\n已完成。\n"
        "2\n清除淤泥3000万立方米\n*区城管局\n*区农业农村局\n完成河湖库塘清淤13万方。\n已完成。\n"
        "3\n新增1500个农村生活污水处理设施标准化运维\n区住建局\n提升改造终端40个。\n已完成。\n",
    )
    units = {c.text.split("\t")[1]: set(c.units) for c in doc.clauses if c.units}
    assert units == {
        "建设美丽河湖100条以上": {"区农业农村局"},
        "清除淤泥3000万立方米": {"区城管局", "区农业农村局"},
        "新增1500个农村生活污水处理设施标准化运维": {"区住建局"},
    }


def test_a_box_drawn_table_with_wrapped_and_merged_cells() -> None:
    doc = _parsed(
        "各责任单位工作任务\n"
        "┌──┬────┬──────────┬─────┬───┐\n"
        "│序号│责任单位│ 任务目标 │ 完成时间 │责 任│\n"
        "│ │ │ │ │ 人 │\n"
        "├──┼────┼──────────┼─────┼───┤\n"
        "│ 1 │ 金水区 │1.新建绿地50万平方米。 │2006.11.30│ 区长 │\n"
        "│ │ ├──────────┼─────┤ │\n"
        "│ │ │2.新建游园5个,每个面积不少于 │2006.04.30│ │\n"
        "│ │ │4000平方米。 │ │ │\n"
        "├──┼────┼──────────┼─────┼───┤\n"
        "│ 2 │ 二七区 │1.新植乔木2万株。 │2006.10.31│ 区长 │\n"
        "└──┴────┴──────────┴─────┴───┘\n",
    )
    rows = [(c.units, c.deadline) for c in doc.clauses if c.units]
    assert rows == [(("金水区",), "2006.11.30"), (("金水区",), "2006.04.30"), (("二七区",), "2006.10.31")]
    assert any("每个面积不少于4000平方米" in c.text for c in doc.clauses)


def test_a_space_table_whose_line_runs_several_rows_together() -> None:
    _, rows = _rows(
        "工作任务和内容 责任单位 完成时间\n"
        "负责全县大气污染防治工作的舆论宣传,开展专题宣传和跟踪报道. 县委宣传部 持续开展 "
        "负责大气污染综合治理工作任务的督导和检查考核工作. 县督查室 持续开展 "
        "负责制定城区扬尘污染整治百日攻坚工作方案,督促落实. 县五城办 7月底前制定"
    )
    assert [(r.units, r.deadline) for r in rows] == [
        (("县委宣传部",), "持续开展"), (("县督查室",), "持续开展"), (("县五城办",), "7月底前制定")]


def test_a_cell_per_line_table_with_a_category_column_and_a_lead_that_repeats_the_unit() -> None:
    doc = _parsed(
        "2023年政府工作报告重点工作责任分解\n分类\n序号\n事项\n责任单位\n牵头单位\n发展目标\n"
        "1\n地区生产总值增长6.5%以上。\n区农业农村局、区经商局\n区发改局\n"
        "2\n区本级固定资产投资增长25%。\n区发改局\n区发改局\n"
        "3\n区本级规上工业增加值增长10%。\n区经商局\n区经商局\n主要任务\n"
        "4\n加快建设莲都经开区。\n莲都经开区管委会\n莲都经开区管委会\n",
    )
    rows = [(c.units, c.lead_units) for c in doc.clauses if c.units]
    assert rows == [
        (("区发改局", "区农业农村局", "区经商局"), ("区发改局",)),
        (("区发改局",), ("区发改局",)),
        (("区经商局",), ("区经商局",)),
        (("莲都经开区管委会",), ("莲都经开区管委会",)),
    ]


def test_a_pipe_table_whose_unit_cell_prints_one_body_per_line_and_a_dated_deadline_cell() -> None:
    doc = _parsed(
        "重点任务分工及进度安排表\n序号 |\n工作任务 |\n责任单位 |\n时间进度 |\n"
        "1 |\n完善旅游应急管理体系,制订应急预案。 |\n市旅游局、各区县人民政府 |\n2016年6月底前取得阶段性成果 |\n"
        "2 |\n| 污水处理厂除磷脱氮改造工程年底前建成投入运行。\n| 丹阳市政府\n句容市政府\n丹徒区政府\n市建设局\n|\n"
    )
    tourism = next(c for c in doc.clauses if "旅游应急" in c.text)
    assert tourism.deadline == "2016年6月底前"  # the date, not what is due by then
    sewage = next(c for c in doc.clauses if "除磷脱氮" in c.text)
    assert set(sewage.units) == {"丹阳市政府", "句容市政府", "丹徒区政府", "市建设局"}


def test_a_table_with_undertaking_and_assisting_columns_marks_the_undertaker_lead() -> None:
    doc = _parsed(
        "序号 | 工作任务 | 承办单位 | 协办单位 | 完成时限\n"
        "1 | 编制武术节接待方案 | 市外办 | 市旅游局、市公安局 | 8月底前\n"
    )
    [row] = [c for c in doc.clauses if c.units]
    assert row.units == ("市外办", "市旅游局", "市公安局") and row.lead_units == ("市外办",)


def test_a_two_column_pipe_table_and_rows_printed_without_their_merged_first_cell() -> None:
    two = _parsed(
        "重点工作清单及分工\n具 体 要 求 | 责任科室 | ||\n"
        "1 | 严格落实政策解读与政策文件同步起草。 | 办公室牵头,局各股室、局属各中心配合 | |\n"
    )
    row = next(c for c in two.clauses if "政策解读" in c.text)
    assert row.units == ("办公室", "局各股室", "局属各中心") and row.lead_units == ("办公室",)
    shifted = _parsed(
        "各市、县(市、区)教育局,各高等学校:\n现将任务分解印发给你们。\n"
        "工作任务 | 具体要求 | 责任单位 | 时限要求 |\n"
        "一、抓好主动公开。 | 1.重点加强学前教育信息公开。 | 办公室 | 持续推进 |\n"
        "2.持续加大民生实事信息公开力度。 | 办公室、基教处;各市、县(市、区)教育局 | 持续推进 | |\n"
        "3.完善“教育入学一件事”。 | 基教处、电教馆 | 6月底前 | |\n"
    )
    rows = {c.text.split(" | ")[0]: (c.units, c.deadline) for c in shifted.clauses if "|" in c.text}
    assert rows["2.持续加大民生实事信息公开力度。"] == (("办公室", "基教处", "各市、县(市、区)教育局"), "持续推进")
    assert rows["3.完善“教育入学一件事”。"] == (("基教处", "电教馆"), "6月底前")


def test_a_row_read_without_any_unit_is_kept_as_a_clause() -> None:
    doc = _parsed("序号 | 工作任务 | 责任单位 | 完成时限\n1 | 建设智慧停车系统 | 市城管局 | 6月底前\n2 | 开展停车秩序宣传月活动 |  | \n")
    assert any("停车秩序宣传月" in c.text for c in doc.clauses)  # its text can still be found


def test_no_line_of_a_nested_table_is_lost_from_the_clauses() -> None:
    text = (
        "2024年度区政府民生实事人大票决项目进度表\n2024年,区政府民生实事项目共10个。区住建局区政府民生实事项目1个。\n"
        "序号 |\n牵头单位 |\n区民生实事项目数量 |\n项目名称 |\n业主单位 |\n本月进展情况 |\n"
        "一 |\n区住建局 |\n区政府民生实事项目(1个) |\n(一)“打通断头路 畅通微循环”攻坚专项行动(6条路) |\n"
        "1.文化中心北路 |\n区城投 |\n已完工 |\n|\n2.乐业路 |\n区城管局 |\n已完工 |\n"
    )
    found = " ".join(c.text for c in _parsed(text).clauses)
    for cell in ("打通断头路 畅通微循环", "1.文化中心北路", "2.乐业路"):
        assert cell in found  # a question about the project still finds its row


def test_a_responsibility_list_column_and_names_a_space_apart_in_one_cell() -> None:
    doc = _parsed(
        "建设任务 | 工作事项 | 任务清单 | 责任清单 | 时限清单 |\n"
        "(一)组织指挥提能升级 | 1.组织机构 | 1.落实防汛防台行政首长负责制和岗位责任制; | 党政办 应消站 | 4月 |\n"
        "(二)监测预警 | 2.巡查 | 2.补充设置村(社区)水利工程巡查员、山洪预警员; | 农村办 规划建设办 国土所 村(社区) | 5月 |\n"
    )
    rows = [c for c in doc.clauses if c.unit_source.startswith("table")]
    assert [(c.units, c.deadline) for c in rows] == [(("党政办", "应消站"), "4月"), (("农村办", "规划建设办", "国土所"), "5月")]


def test_key_points_columns_are_task_text_and_the_most_specific_is_the_content() -> None:
    header = "工作要求\t一级要点\t二级要点\t责任科室"
    rows = ["一、优化政务公开工作基础\t(一)深化行政规章集中公开。\t1.规范行政法规使用,统一参考行政法规库。\t法规和基金监管科牵头,办公室配合"]
    [rec] = parse_table(header, rows)
    assert rec.task == "一、优化政务公开工作基础"
    assert rec.content == "1.规范行政法规使用,统一参考行政法规库。"
    assert rec.units == ("法规和基金监管科", "办公室") and rec.lead_units == ("法规和基金监管科",)


def test_a_name_a_space_broke_into_two_cells_is_one_name() -> None:
    from index.tables import _cells

    assert _cells("县交通 运输局 12月底前完成 负责抓好施工工地扬尘污染防治", "space")[0] == "县交通运输局"
    assert _cells("县委县政府 督查室 持续开展 负责督导和检查考核工作", "space")[0] == "县委县政府督查室"
    assert _cells("县公安局 县城管局 持续开展", "space")[:2] == ["县公安局", "县城管局"]
