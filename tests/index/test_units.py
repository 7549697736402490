"""extract_units / inherited_units: the bracket forms notices use, and brackets that are not units."""

from __future__ import annotations

import pytest

from index.units import extract_units, inherited_units, is_unit_name, split_units


@pytest.mark.parametrize(
    "text",
    [
        "加强扬尘治理。（责任单位：综合行政执法队、农管股）",  # full-width bracket and colon
        "加强扬尘治理。(责任单位:综合行政执法队、农管股)",  # half-width bracket and colon
        "加强扬尘治理。（责任单位:综合行政执法队、农管股)",  # mixed, as a page break left it
        "加强扬尘治理。（责任单位：综合行政执法队、农管股）。",  # a full stop after the bracket
    ],
)
def test_responsibility_brackets_in_full_and_half_width(text: str) -> None:
    found = extract_units(text)
    assert found is not None
    assert found.units == ("综合行政执法队", "农管股")
    assert found.lead_units == ()


@pytest.mark.parametrize(
    "text",
    [
        "报送总结。（牵头单位：厅运输处，责任单位：省运输局、吉高集团）",
        "报送总结。(牵头单位:厅运输处,责任单位:省运输局、吉高集团)",
    ],
)
def test_lead_unit_comes_first_and_is_marked(text: str) -> None:
    found = extract_units(text)
    assert found is not None
    assert found.lead_units == ("厅运输处",)
    assert found.units == ("厅运输处", "省运输局", "吉高集团")


@pytest.mark.parametrize(
    ("text", "units"),
    [
        (
            "统筹利用通道资源。（厅综规处、厅建设处、省公路局按职责分工负责）",
            ("厅综规处", "厅建设处", "省公路局"),
        ),
        (
            "加强岸电监管。(市发改委、连云港海事局、市港口控股集团等部门和单位按职责分工负责)",
            ("市发改委", "连云港海事局", "市港口控股集团"),
        ),
        ("开展科技攻关。(市科技局、市交通局等部门按职责分工负责)", ("市科技局", "市交通局")),
    ],
)
def test_duty_sentences_in_the_bracket(text: str, units: tuple[str, ...]) -> None:
    found = extract_units(text)
    assert found is not None and found.units == units


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("严格执行生态补偿协议。（省航道局）", ("省航道局",)),
        ("落实声屏障建设要求。（厅建设处、吉高集团）", ("厅建设处", "吉高集团")),
        (
            "树立红线意识。（各市〔州〕交通运输局、厅机关各处室、厅直各单位、吉高集团）",
            ("各市〔州〕交通运输局", "厅机关各处室", "厅直各单位", "吉高集团"),
        ),
    ],
)
def test_a_bare_bracket_of_unit_names_is_accepted(text: str, units: tuple[str, ...]) -> None:
    found = extract_units(text)
    assert found is not None and found.units == units


@pytest.mark.parametrize(
    "text",
    [
        "持续推进大宗货物和中长距离（运距 500 公里以上）",
        "新增交通工具比例达到20%(不含摩托车,下同)",
        "推广橡胶粉改性沥青路面（试行）。",
        "贯彻落实《管理办法》（2024年修订）",
        "探索开展零碳（近零碳）排放服务区建设",
        "实现排放检验与维护治理闭环管理（I/M）",
        "没有括号的一句话。",
    ],
)
def test_brackets_that_are_not_unit_lists_give_no_units(text: str) -> None:
    assert extract_units(text) is None


def test_only_the_closing_bracket_counts_not_one_in_the_middle() -> None:
    text = "持续推进中长距离（运距 500 公里以上）货物运输“公转铁”。（责任单位：综运股）"
    found = extract_units(text)
    assert found is not None and found.units == ("综运股",)


def test_an_inheritance_sentence_inside_the_bracket_is_not_an_own_unit() -> None:
    text = "占比达到80%以上。(市发改委、市交通局等部门按职责分工负责,以下均需各县区人民政府、功能板块管委会落实,不再列出)"
    found = extract_units(text)
    assert found is not None and found.units == ("市发改委", "市交通局")
    assert inherited_units(text) == ("各县区人民政府", "功能板块管委会")


@pytest.mark.parametrize(
    ("text", "units"),
    [
        (
            "以下各具体工作任务需各市〔州〕交通运输局配合或具体落实，不再列入责任单位。",
            ("各市〔州〕交通运输局",),
        ),
        ("以下均需各县区人民政府、功能板块管委会落实,不再列出", ("各县区人民政府", "功能板块管委会")),
    ],
)
def test_inheritance_sentences_name_units_for_every_later_task(text: str, units: tuple[str, ...]) -> None:
    assert inherited_units(text) == units


def test_a_task_without_an_inheritance_sentence_passes_nothing_on() -> None:
    assert inherited_units("加强扬尘治理。（责任单位：综合行政执法队、农管股）") == ()


def test_split_units_drops_duty_words_and_duplicates() -> None:
    assert split_units("厅建设处、省公路局、厅建设处等部门和单位按职责分工负责") == ["厅建设处", "省公路局"]


@pytest.mark.parametrize(
    "name", ["综运股", "太行一号项目部", "人民银行连云港中心支行", "市供电公司", "厅直各单位",
             "各区(市)县政府(管委会)",  # a body and the kind that stands for it in a development zone
             "工会", "团委",  # the one union, the one youth league committee of the organisation
             "属地分局", "项目所在地县政府", "市海洋与渔业局", "市红十字会", "市个体劳动者协会", "区科技促进会",
             "体育系", "中文系",  # a college's faculties
             "第一課", "行政課", "建设部门", "市对外贸易经济合作局", "对台办"]  # a Taiwan bureau's sections; a bureau's stem may be a verb
)
def test_unit_names(name: str) -> None:
    assert is_unit_name(name)


@pytest.mark.parametrize("name", ["运距 500 公里以上", "不含摩托车", "下同", "近零碳", "试行",
                                  # sentence fragments that end like a body's name
                                  "及汇办", "拟办", "的业主和场所", "告知中介机构", "属跨机关（单位）",
                                  "牌照统一悬挂在电动自行车车体尾部",
                                  "1-3新生健康检查说明会", "公共管理和社会", "全市招商推进会",  # events, society
                                  "安全生产责任体系", "密切联系",  # 系 that is no faculty
                                  "全校停課", "纳入政府", "发动社区", "第五章殡葬管理机构", "对有关行政部门"])
def test_not_unit_names(name: str) -> None:
    assert not is_unit_name(name)


# ---------------------------------------------------------------- forms beyond the trailing bracket
from index.units import has_order_rule, parse_duty, read_duty, to_simplified  # noqa: E402


@pytest.mark.parametrize(
    ("text", "units", "lead"),
    [
        ("推进充电设施建设。【牵头单位：市发改委；配合单位：市交通局】", ("市发改委", "市交通局"), ("市发改委",)),
        ("推进充电设施建设。〔牵头单位:市发改委,责任单位:各县区政府〕", ("市发改委", "各县区政府"), ("市发改委",)),
        ("推进充电设施建设。[责任单位：市交通局]", ("市交通局",), ()),
        ("推进充电设施建设。（市交通运输局牵头，市公安局、市住建局配合）", ("市交通运输局", "市公安局", "市住建局"), ("市交通运输局",)),
        ("推进充电设施建设。（由市交通运输局负责）", ("市交通运输局",), ()),
        ("推进充电设施建设。（市交通运输局会同市公安局负责）", ("市交通运输局", "市公安局"), ("市交通运输局",)),
        ("推进充电设施建设。（市发改委、市交通局牵头，市财政局参与，各县区政府负责落实）",
         ("市发改委", "市交通局", "市财政局", "各县区政府"), ("市发改委", "市交通局")),
        ("推进充电设施建设。\n牵头单位：市发改委\n配合单位：市交通局、市公安局", ("市发改委", "市交通局", "市公安局"), ("市发改委",)),
        ("推进充电设施建设。\n牵头责任单位：县卫健委\n主要协作单位：各乡镇人民政府", ("县卫健委", "各乡镇人民政府"), ("县卫健委",)),
        ("推进充电设施建设。\n责任单位：县交通 运输局、县公安局", ("县交通运输局", "县公安局"), ()),
        ("推进充电设施建设。\n责任单位：县交通运输局、\n县公安局、县财政局", ("县交通运输局", "县公安局", "县财政局"), ()),
        ("推进充电设施建设。部门分工：市交通局牵头，市公安局配合。", ("市交通局", "市公安局"), ("市交通局",)),
        ("推進充電設施建設。（責任單位：市交通運輸局、市公安局）", ("市交通运输局", "市公安局"), ()),
        ("發展節水灌溉面積8000畝。(區水務局牽頭、各街辦配合)", ("区水务局", "各街办"), ("区水务局",)),  # parts joined by 、
        ("首先学生处要把组织学生参赛的工作切实负起责任来。", ("学生处",), ()),  # a connective before the subject
        ("8、教职工活动由工会负责安排", ("工会",), ()),
        ("下设市高新区管委会办公室,办公室编制为3人,负责高新区日常工作。", ("市高新区管委会办公室",), ()),  # set up for a duty
    ],
)
def test_responsibility_in_any_bracket_line_or_verb_form(text: str, units: tuple, lead: tuple) -> None:
    duty = read_duty(text)
    assert duty is not None
    assert duty.units == units
    assert duty.lead_units == lead


def test_people_and_deadlines_are_kept_apart_from_units() -> None:
    duty = read_duty("推进充电设施建设。\n责任领导：张三  责任单位：市交通局  完成时限：2024年6月底前")
    assert duty.units == ("市交通局",)
    assert duty.people == ("张三",)
    assert duty.deadline == "2024年6月底前"


def test_a_time_inside_the_duty_bracket_is_the_deadline() -> None:
    duty = read_duty("建成充电站10座。（市交通局负责，2024年底前完成）")
    assert duty.units == ("市交通局",) and duty.deadline == "2024年底前完成"


def test_a_date_inside_the_task_sentence_is_not_a_deadline() -> None:
    duty = read_duty("力争2025年底前建成充电站10座。（责任单位：市交通局）")
    assert duty.deadline is None


def test_scope_sentences_are_marked_for_the_preceding_items() -> None:
    duty = parse_duty("以上三项工作责任单位：市交通局、市公安局")
    assert duty.scope == "before" and duty.units == ("市交通局", "市公安局")


def test_the_order_rule_is_recognised_in_its_usual_wordings() -> None:
    assert has_order_rule("各项任务涉及多个单位的，列在第一位的为牵头单位。")
    assert has_order_rule("排在首位的为牵头单位")
    assert not has_order_rule("牵头单位要加强统筹。")


@pytest.mark.parametrize(
    "text",
    [
        "建成县残疾人综合服务中心。（2024年5月底前）",  # a project named like a body, and a time
        "新增交通工具比例达到20%(不含摩托车,下同)",
        "各地要认真落实。",
    ],
)
def test_projects_times_and_sentences_are_not_units(text: str) -> None:
    duty = read_duty(text)
    assert duty is None or not duty.units


def test_names_run_together_by_a_line_break_are_split() -> None:
    assert split_units("市国土资源局市农牧林业局") == ["市国土资源局", "市农牧林业局"]


def test_simplified_view_keeps_offsets() -> None:
    text = "（責任單位：縣交通運輸局）"
    assert len(to_simplified(text)) == len(text)
    assert to_simplified(text) == "（责任单位：县交通运输局）"


def test_a_task_that_starts_with_its_unit_and_a_duty_verb() -> None:
    duty = read_duty("（九）市园林局负责对影响交通的行道树进行修枝。")
    assert duty is not None and duty.units == ("市园林局",)


def test_places_act_through_their_government_beside_named_units() -> None:
    duty = read_duty("续建哈齐客运专线。(省发改委、铁路办、相关市、县政府负责)")
    assert duty is not None and duty.units == ("省发改委", "铁路办", "相关市", "县政府")
    assert read_duty("推进城市更新。（城市负责）") is None  # a bare word is not a body


def test_partners_named_with_huitong_inside_the_task() -> None:
    from index.units import partners

    assert partners("会同市农委、科技局、财政局，拟定规划") == ("市农委", "科技局", "财政局")
    assert partners("会同市太湖办上半年组织完成整治规划") == ("市太湖办",)


def test_a_heading_that_names_a_body_owns_the_tasks_under_it() -> None:
    from index.units import heading_units

    assert heading_units("一、市发展和改革委员会") == ("市发展和改革委员会",)
    assert heading_units("一、加快产业结构调整") == ()


def test_a_lead_mark_defined_by_the_notice() -> None:
    from index.units import apply_marker, lead_marker

    mark = lead_marker("责任部门（加*号为牵头部门，其余为参与部门）")
    assert mark == "*"
    assert apply_marker(("区农业农村委*", "区财政局"), (), mark) == (("区农业农村委", "区财政局"), ("区农业农村委",))


def test_a_duty_between_commas_inside_the_task() -> None:
    duty = read_duty("（四）公众聚集场所消防安全专项整治，由公安部门负责，有关部门配合。要坚决整治重大火灾隐患。")
    assert duty is not None and duty.units == ("公安部门", "有关部门")


def test_a_title_line_that_starts_with_the_issuer_names_no_unit() -> None:
    assert read_duty("阳城县交通运输局 关于印发《2024年交通运输生态环境保护 工作要点》的通知") is None


@pytest.mark.parametrize(
    ("text", "units", "lead"),
    [
        ("市规划局:负责白浪河河道整治等工程的扬尘污染防治。", ("市规划局",), ()),  # a department's duty line
        ("市城管执法局:采取有效措施,及时制止露天烧烤。", ("市城管执法局",), ()),
        ("3.规划部门要加强城市综合交通规划编制和实施。", ("规划部门",), ()),  # a kind of department + 要
        # an opening time, the subject's action verb, and a partner named with 会同
        ("(二)8月31日前,市城管局完成环卫车辆改造工作,会同市公安局完成牌证换发工作。", ("市城管局", "市公安局"), ("市城管局",)),
        # the subject assists another body, named as a list sharing one kind word
        ("5.交通部门协助文化、文物部门做好古桥梁、古码头的文物普查工作。", ("交通部门", "文化", "文物部门"), ()),
        # 由X负责 after an item number, partners between commas
        ("(一)由省经贸委负责,省农业厅、环保局配合,加快省级无公害畜禽基地建设。", ("省经贸委", "省农业厅", "环保局"), ()),
        # 及 and 和 in one list: every body split out
        ("完善规范性文件制定程序。(市政府办公室、市政府法制办及相关部门和县(区)政府)", ("市政府办公室", "市政府法制办", "相关部门", "县(区)政府"), ()),
        # X负责 then the bodies that assist, between commas, before the task
        ("8.市工商局负责,市经贸委、市农业局配合,严格实施肉品销售公示制度。", ("市工商局", "市经贸委", "市农业局"), ()),
        # bare stems that the list calls 部门
        ("(十三)人保、财政、审计等部门负责加强丧葬补助费发放管理。", ("人保", "财政", "审计"), ()),
        # one body assisting others in the subject: both do the task
        ("(十五)民宗部门协助城市管理等有关部门负责对封建迷信活动进行查处。", ("民宗部门", "城市管理"), ()),
        # the subject opens the line after the clause's own heading
        ("3、检查验收阶段(11月-12月)\n市整治工作领导小组对各区整治活动开展情况进行全面检查。", ("市整治工作领导小组",), ()),
        # the task's topic as a sentence of its own, then the subject
        ("(二)消毒灭源。镇(乡)人民政府负责本辖区内的消毒灭源工作。", ("镇(乡)人民政府",), ()),
        # the principle it follows, then the subject that leads (负责牵头)
        ("1、按属地管理原则,各街道办事处负责牵头组织各自辖区内集市的取消工作。", ("各街道办事处",), ("各街道办事处",)),
        ("2、执法三大队、工商分局等单位密切配合街道做好工作。", ("执法三大队", "工商分局"), ()),
        ("各级工商行政管理机关要与当地畜牧兽医部门建立疫情信息沟通机制。", ("各级工商行政管理机关",), ()),
        ("(一)加强组织领导。各街办、各有关单位要深入贯彻《农田水利条例》。", ("各街办", "各有关单位"), ()),
    ],
)
def test_a_task_whose_subject_is_its_units_and_its_partners(text: str, units: tuple, lead: tuple) -> None:
    duty = read_duty(text)
    assert duty is not None and (duty.units, duty.lead_units) == (units, lead)


@pytest.mark.parametrize(
    "text",
    [
        "市政府工作报告提出的目标全部完成。",  # a body's name inside another noun
        "企业要落实主体责任。",  # a bare kind word
    ],
)
def test_sentences_that_only_open_with_a_noun_have_no_subject_units(text: str) -> None:
    duty = read_duty(text)
    assert duty is None or not duty.units


def test_key_responsible_departments_and_all_year_deadlines() -> None:
    duty = parse_duty("重点责任部门:综合执法支队、环卫处")
    assert duty is not None and duty.units == ("综合执法支队", "环卫处")
    assert parse_duty("全年") is not None and parse_duty("全年").deadline == "全年"



def test_a_scope_line_with_shangshu_closes_the_projects_above_it() -> None:
    from index.parse import parse_text

    text = (
        "五、加强社区公共服务设施建设。改建标准化菜市场4家。\n第四季度完成40%,并组织验收。\n上述项目由区商务委牵头负责。\n"
        "新建小区健身点15个,新建社区健康步道15条。\n上述项目由区体育局牵头负责。\n"
    )
    clauses = parse_text(text, doc_id="x", source_file="x.txt").clauses
    market = next(c for c in clauses if "菜市场" in c.text)
    fitness = next(c for c in clauses if "健身点" in c.text)
    assert market.units == ("区商务委",) and fitness.units == ("区体育局",)


def test_a_second_subject_and_a_huitong_part_after_youx_qiantou() -> None:
    duty = read_duty("(一)10月31日前,市供销社完成回收车辆的统一标识改造,市公安局完成牌证换发工作。")
    assert duty is not None and duty.units == ("市供销社", "市公安局") and duty.lead_units == ()
    duty = read_duty("(二)验收阶段。由市体育局牵头,会同市发展改革委、市财政局等部门对建成的项目组织验收。")
    assert duty is not None and duty.units == ("市体育局", "市发展改革委", "市财政局")
    assert duty.lead_units == ("市体育局",)


def test_tasks_run_together_after_their_duty_brackets_are_split() -> None:
    from index.parse import parse_text

    text = (
        "加大市容环境综合整治力度。加强违法建筑清理。〔主要责任单位:市城管局、市规划局〕加强户外广告、招牌清理整治力度。"
        "存在安全隐患的应及时拆除。〔主要责任单位:市工商局〕\n"
    )
    clauses = parse_text(text, doc_id="x", source_file="x.txt").clauses
    first = next(c for c in clauses if "市容环境" in c.text)
    second = next(c for c in clauses if "户外广告" in c.text)
    assert first.units == ("市城管局", "市规划局") and second.units == ("市工商局",)


def test_a_body_with_its_other_name_in_brackets_and_a_decorative_mark() -> None:
    from index.units import apply_marker, is_unit_name

    assert is_unit_name("区农业农村局(区水利局)") and not is_unit_name("建设无违章河道(区水利局)")
    # no rule in the notice says what * means: it is dropped; a masked name keeps its stars
    assert apply_marker(("*区城管局", "****管理局"), (), None) == (("区城管局", "****管理局"), ())


def test_a_column_named_with_its_level_is_a_unit_column() -> None:
    from index.tables import column_role

    assert column_role("区责任单位") == "units" and column_role("市牵头单位") == "lead"


def test_a_paragraph_that_lists_duties_body_by_body_is_one_task_per_body() -> None:
    from index.parse import parse_text

    text = (
        "(二)明确分工,责任到人。市发改委负责提出全市节能规划;市经贸委负责全市工业节能;"
        "市规划局、市建设局负责建筑节能;市教育局、市卫生局分别负责教育、卫生系统节能。\n"
    )
    clauses = parse_text(text, doc_id="x", source_file="x.txt").clauses
    by_task = {c.text.split("负责")[-1][:4]: c.units for c in clauses if "负责" in c.text}
    assert by_task["提出全市"] == ("市发改委",) and by_task["全市工业"] == ("市经贸委",)
    assert by_task["建筑节能"] == ("市规划局", "市建设局")
    assert by_task["教育、卫"] == ("市教育局", "市卫生局")


def test_a_heading_that_is_a_bodys_name_owns_the_duties_written_under_it() -> None:
    from index.parse import parse_text

    text = "三、职责分工\n(一)市公安局\n按实施方案及时发布限行公告;设置禁止通行标志。\n(二)市财政局\n负责限行工作专项经费的保障。\n"
    clauses = parse_text(text, doc_id="x", source_file="x.txt").clauses
    police = next(c for c in clauses if "限行公告" in c.text)
    assert police.units == ("市公安局",)


def test_support_labels_and_a_deadline_that_goes_on_after_its_date() -> None:
    duty = read_duty("落实乡村医生补助政策。\n责任单位:市财政局\n支持单位:市卫生局\n责任人:蔡 波\n责任期限:2010年9月15日前完成制定《考核办法》")
    assert duty is not None and duty.units == ("市财政局", "市卫生局")
    assert duty.deadline == "2010年9月15日前完成"


def test_a_problem_then_its_fix_line_names_the_body_by_its_role_and_name() -> None:
    duty = read_duty("3、原安运司院落内有多处卫生死角,杂物乱堆。\n整改要求:由包片单位县供销社负责督促业主清理院内垃圾死角。")
    assert duty is not None and duty.units == ("县供销社",)  # not "包片单位县供销社"


def test_a_name_running_on_into_its_sentence_is_no_name() -> None:
    assert not is_unit_name("有关部门对汉宜高速宜昌段休息区内和收费站")
    assert is_unit_name("市对外经济贸易合作局")


def test_beside_assisting_bodies_the_undertaker_leads() -> None:
    duty = read_duty("一、治理畜牧业产品污染\n由省经贸委承办,省农业厅、卫生厅协办。治理工作目标:定点屠宰率达85%以上。")
    assert duty is not None and duty.units == ("省经贸委", "省农业厅", "卫生厅")
    assert duty.lead_units == ("省经贸委",)
    alone = read_duty("做好接待工作(承办单位:市外办)")
    assert alone is not None and alone.units == ("市外办",) and alone.lead_units == ()


@pytest.mark.parametrize(
    "text, units",
    [
        ("③仪仗队、花束队、引导员由市教育局组织实施。", ("市教育局",)),
        ("①各类奖项名单由竞赛部提供,奖品由组委会宣传部提供,秘书处具体组织实施。", ("竞赛部", "组委会宣传部", "秘书处")),
        ("④大型文体表演由市文化出版局和大型活动部组织,市教育局、各县区教育局配合。", ("市文化出版局", "大型活动部", "市教育局", "各县区教育局")),
    ],
)
def test_a_topic_then_the_bodies_that_do_it(text: str, units: tuple) -> None:
    duty = read_duty(text)
    assert duty is not None and duty.units == units


def test_organisation_inside_a_name_is_no_verb_and_city_and_county_bureaus_are_one_name() -> None:
    duty = read_duty("完善权力配置信息公开。(责任处室:办公室牵头,政策法规处和组织人事处负责落实)")
    assert duty is not None and duty.units == ("办公室", "政策法规处", "组织人事处")
    assert split_units("基教处、电教馆;各市、县(市、区)教育局") == ["基教处", "电教馆", "各市、县(市、区)教育局"]


def test_a_stage_period_in_a_heading_is_no_deadline_of_its_tasks() -> None:
    duty = read_duty("3、检查验收阶段(11月-12月)\n市整治工作领导小组对整治活动开展情况进行全面检查。")
    assert duty is not None and duty.units == ("市整治工作领导小组",) and duty.deadline is None
    due = read_duty("完成停车场建设。(2024年6月底前完成)")
    assert due is not None and due.deadline == "2024年6月底前完成"  # a task's own bracket still is


def test_bodies_a_lead_forms_a_mechanism_with() -> None:
    duty = read_duty("(一)建立协调机制 建立由省发展改革委牵头、省商务厅、人行太原中心支行、省工商局共同组成的"
                     "全省电子商务示范城市创建工作协调机制,研究提出相关政策。")
    assert duty is not None and duty.units == ("省发展改革委", "省商务厅", "人行太原中心支行", "省工商局")
    assert duty.lead_units == ("省发展改革委",)


def test_a_sentence_whose_subject_was_left_out_has_its_object_as_no_subject() -> None:
    assert read_duty("(五)协调各单位做好职责范围内的病媒生物预防控制工作。") is None


def test_duty_lines_that_open_with_a_body_and_a_colon_are_one_task_each() -> None:
    from index.units import duty_list_starts

    text = ("5、各部门要各司其职,组织好各项禁放工作。其职责分工为:\n区委宣传部:制订宣传工作方案,教育群众自觉遵守禁放规定。\n"
            "商委:做好准放区烟花爆竹品种、数量的需求。\n教委:负责在中小学校贯彻禁放规定。")
    assert len(duty_list_starts(text)) == 3


def test_subjects_that_act_by_a_rule_or_as_the_lead_and_a_verb_phrase_that_is_no_name() -> None:
    duty = read_duty("3、各乡(镇)政府、街道办事处必须依据区政府禁放工作部署,结合实际制定本辖区内禁放的整体方案。")
    assert duty is not None and duty.units == ("各乡(镇)政府", "街道办事处")
    lead = read_duty("(二)市水务部门作为牵头责任单位,负责对县、区编制的工程规划进行审查。")
    assert lead is not None and lead.lead_units == ("市水务部门",)
    assert not is_unit_name("摸清本单位")


def test_participants_labelled_after_a_space_and_a_topic_managed_by_a_body() -> None:
    duty = read_duty("2. 大型发电集团单位供电二氧化碳排放控制在550克以内。(牵头单位:能源局 参加单位:发展改革委、国资委)")
    assert duty is not None and duty.units == ("能源局", "发展改革委", "国资委") and duty.lead_units == ("能源局",)
    duty = read_duty("其余的内街、小巷的交通管理由区公安分局、区城建管理部门和公安派出所负责。")
    assert duty is not None and duty.units == ("区公安分局", "区城建管理部门", "公安派出所")


def test_articles_run_together_on_one_line_and_a_body_heading_that_goes_on_after_its_full_stop() -> None:
    from index.parse import parse_text

    doc = parse_text(
        "为维护市区内街、小巷的交通秩序,特作如下规定:第一条市区内街、小巷的交通秩序管理,由市公安局负责。"
        "第二条其余的内街、小巷的交通管理由区公安分局和公安派出所负责。第三条本规定自发布之日起施行。\n"
        "二、明确各方工作职责\n(一)区、县(市)政府。认真履行属地责任,对本行政区域内保障工作负主责。\n"
        "(二)市委政法委。负责协调各有关部门落实维稳责任。\n",
        doc_id="t", source_file="t.txt",
    )
    units = {c.clause_no: c.units for c in doc.clauses if c.clause_no}
    assert units["第一条"] == ("市公安局",)
    assert units["第二条"] == ("区公安分局", "公安派出所")
    assert units["(一)"] == ("区、县(市)政府",)
    assert units["(二)"] == ("市委政法委",)


def test_every_body_of_a_kind_listed_after_each_and_a_time_between_subject_and_verb() -> None:
    duty = read_duty("2.各乡镇、街道和各部门在节假日来临前,要及早安排好交通运输、生产经营及值守应急工作。")
    assert duty is not None and duty.units == ("各乡镇", "街道", "各部门")
    assert split_units("县政府、街道") == []  # a bare kind word with no "各…" before it names no body


def test_a_group_named_by_a_quoted_term_is_a_body_but_a_quoted_plan_is_not() -> None:
    assert is_unit_name("“门前三包”整治组")
    assert not is_unit_name("“十四五”规划")
    assert not is_unit_name("落实“河长制”工作小组")


def test_a_body_that_manages_a_thing_in_some_manner_is_responsible_for_it() -> None:
    duty = read_duty("第二条凡经确认可通行汽车的内街,由市公安局交通大队和市城建管理部门按三级马路管理。")
    assert duty is not None and duty.units == ("市公安局交通大队", "市城建管理部门")
    assert read_duty("加强对菜市场的管理,落实专职监管人员。") is None


@pytest.mark.parametrize(
    "text, units",
    [
        ("(一)考虑到社区居民要求改善饮用水源的实际情况,区交通建设局负责解决水改经费30万元。", ("区交通建设局",)),
        ("会议强调,要定期调度评估,县住房城乡建设局负责工作日常调度,定期收集工作情况。", ("县住房城乡建设局",)),
        ("1.加强组织领导。各级要加强领导。市体育局要会同市建委统筹实施建设工作。", ("市体育局", "市建委")),
    ],
)
def test_a_subject_that_opens_a_later_part_of_the_task(text: str, units: tuple[str, ...]) -> None:
    duty = read_duty(text)
    assert duty is not None and duty.units == units


def test_a_later_part_that_reports_what_was_done_or_names_whom_the_subject_works_with_gives_no_unit() -> None:
    assert read_duty("2017年以来,省住建厅贯彻落实实施意见,培育了25个省级产业基地。") is None
    assert read_duty("推进扬尘治理,联合公安部门开展工程运输车专项整治。") is None
    assert read_duty("3月21日,召开会议,县直有关部门和企业负责人参加了会议。") is None  # 负责人: people


def test_a_body_named_as_the_lead_department_is_the_lead() -> None:
    duty = read_duty("(一)市政府部门管理职责。市工商局为城区菜市场监管工作的市级牵头部门,组织监督检查。")
    assert duty is not None and duty.units == ("市工商局",) and duty.lead_units == ("市工商局",)


@pytest.mark.parametrize("name", ["四是经发局", "第五条公安机关", "10月份市政府", "并监督客运企业", "其余区由政府", "多部门", "纳入交通运输发展全局"])
def test_a_sentence_opening_is_not_part_of_a_name(name: str) -> None:
    assert not is_unit_name(name)


def test_an_enumerator_or_a_time_run_into_the_subject_is_not_part_of_it() -> None:
    assert read_duty("四是经发局要认真做好离退休职工的思想稳定工作。").units == ("经发局",)
    assert read_duty("10月份市政府向国家提出复查申请。").units == ("市政府",)


@pytest.mark.parametrize(
    "text, units",
    [
        ("各县区人民政府成立相应的粮食应急工作指挥部,负责领导本辖区内粮食应急工作。", ("各县区人民政府",)),
        ("乡镇人民政府要逐步建立通知到户的预警信息传递机制。", ("乡镇人民政府",)),  # after a modal, any action
        ("三、市政府督查室定期对清单落实情况进行督查。", ("市政府督查室",)),
        ("请各县区政府要严格按照任务分工,对涉及的工作任务进行再细化。", ("各县区政府",)),
        ("请各责任单位分别于2017年6月30日和12月10日前,将落实情况报市政府督查室。", ("各责任单位",)),
        # a time clause between the subject and its modal, or a time limit after it
        ("县林技中心在报告、传递森林火灾灾情时,应当按省、市森林防火指挥部的紧急通知报告。", ("县林技中心",)),
        ("县林技中心在接到紧急灾情报告后,30分钟内赶赴现场,进行初步调查。", ("县林技中心",)),
        # a topic and a colon before the subject
        ("(二)森林火灾灾情报告形式:县林技中心在报告灾情时,应当以电话、传真等最快的形式进行。", ("县林技中心",)),
        # 即 ("that is") before the subject, but 即墨 is a place
        ("即县水务局牵头,组织开展县级河流打击非法采砂专项行动。", ("县水务局",)),
        ("即墨区水务局牵头,组织开展河流打击非法采砂专项行动。", ("即墨区水务局",)),
        # sector departments
        ("劳动保障部门要把肺结核病诊断与治疗纳入城镇职工基本医疗保险的范畴。", ("劳动保障部门",)),  # jieba: "部|门要"
        ("新闻宣传、广电部门要开展结核病防治工作的公益性宣传。", ("新闻宣传", "广电部门")),  # stems sharing 部门
    ],
)
def test_more_ways_a_subject_takes_up_its_task(text: str, units: tuple[str, ...]) -> None:
    duty = read_duty(text)
    assert duty is not None and duty.units == units


def test_a_section_topic_run_into_a_body_name_is_not_part_of_it() -> None:
    duty = read_duty("3.1市场监测市发展和改革局（市粮食局）负责建立全市粮食市场监测预警系统。")
    assert duty is not None and duty.units == ("市发展和改革局（市粮食局）",)
    # a place or a body before the city is part of the name, or another name
    assert split_units("深圳市交通局") == ["深圳市交通局"]
    assert split_units("相关县区政府") == ["相关县区政府"]


def test_what_a_body_runs_in_brackets_is_not_part_of_its_name() -> None:
    assert split_units("本府秘书处(会议管理系统)") == ["本府秘书处"]
    assert split_units("区市政园林局(区绿化办)") == ["区市政园林局(区绿化办)"]  # a body and its other name
    assert split_units("市发展和改革局（市粮食局）") == ["市发展和改革局（市粮食局）"]


def test_a_decimal_section_number_is_a_heading_but_a_decimal_amount_is_not() -> None:
    from index.clauses import heading_level

    assert heading_level("2.3 各县区粮食应急机构及其职责") is not None
    assert heading_level("2.5万辆新能源汽车已投入运营。") is None


@pytest.mark.parametrize(
    "text, units",
    [
        ("1、将城市客运(含公共交通、出租车、中巴车)管理职责移交市交通运输局承担。", ("市交通运输局",)),
        ("2、将城市规划区地下水取水许可先期审核职责移交市水务局承担。", ("市水务局",)),
        ("(十一)市纠风办和查禁公路“三乱”督察队依法开展执法督导工作。", ("市纠风办", "查禁公路“三乱”督察队")),
    ],
)
def test_a_duty_handed_to_a_body_and_a_group_named_by_a_quoted_term(text: str, units: tuple[str, ...]) -> None:
    duty = read_duty(text)
    assert duty is not None and duty.units == units


@pytest.mark.parametrize(
    "text, units",
    [
        ("(二)市各有关部门和各区根据职能分工,继续加大执法管理。", ("市各有关部门", "各区")),
        ("4、清河街道、西三旗街道和东北旺乡,要组织人力、物力设立明显禁放标志。", ("清河街道", "西三旗街道", "东北旺乡")),
        ("(一)区政府办公室和区教育局为运动会的总协调机构。", ("区政府办公室", "区教育局")),
        ("第二条 各乡(镇、街道)人民政府(办事处)及各部门要明确专门办理部门。", ("各乡(镇、街道)人民政府(办事处)", "各部门")),
    ],
)
def test_every_place_of_a_level_a_comma_before_the_modal_and_a_coordinating_body(text: str, units: tuple[str, ...]) -> None:
    duty = read_duty(text)
    assert duty is not None and duty.units == units


def test_a_heading_that_says_whose_remit_the_items_below_are() -> None:
    from index.units import heading_units

    assert heading_units("一、属住建局职责范围:") == ("住建局",)
    assert heading_units("四、属城关派出所职责范围:") == ("城关派出所",)
    assert heading_units("二、属于环境卫生整治范围:") == ()


@pytest.mark.parametrize(
    "text, units, lead",
    [
        # a later sentence's 会同 partner: the subject leads
        ("(二)市经济和信息化委负责小矿山企业整顿关闭工作的综合协调,并向协调小组成员单位通报相关情况。会同市财政局组织申报全市关闭小矿山补偿资金。",
         ("市经济和信息化委", "市财政局"), ("市经济和信息化委",)),
        # how often, before the modal; a body whose name ends in 机构
        ("第十八条 各市(州、地)外商投资投诉机构每月应将投诉处理情况报省外商投资投诉中心备案。", ("各市(州、地)外商投资投诉机构",), ()),
    ],
)
def test_a_subjects_later_partner_and_a_frequency_before_its_modal(text: str, units: tuple[str, ...], lead: tuple[str, ...]) -> None:
    duty = read_duty(text)
    assert duty is not None and (duty.units, duty.lead_units) == (units, lead)


def test_a_colon_is_no_part_of_a_name() -> None:
    assert not is_unit_name("本法所称主管机关:在中央为卫生福利部")


def test_a_short_name_the_duty_also_writes_with_its_level_is_that_body() -> None:
    duty = read_duty("将原传统服务业提升专项整合为“服务业发展专项资金”,由市发改委、市商务局共同管理,发改委牵头。")
    assert duty is not None and (duty.units, duty.lead_units) == (("市发改委", "市商务局"), ("市发改委",))


def test_a_list_cut_from_its_opening_bracket_is_still_split() -> None:
    names = split_units("(市公安局、市城管局、市交通运输局")
    assert names == ["市公安局", "市城管局", "市交通运输局"]


def test_a_bracket_after_a_telephone_number_says_whose_number_it_is() -> None:
    assert read_duty("(9)设立举报电话4627132(市农牧局畜牧处)、95120(市卫生防疫站)。") is None
    duty = read_duty("(9)设立举报电话。(责任单位:市农牧局)")
    assert duty is not None and duty.units == ("市农牧局",)


def test_a_short_name_a_notice_defines_is_a_name_of_that_body() -> None:
    from index.units import labelled_names

    text = "第四条市防汛防台抗旱指挥部(以下简称市防指)指挥协调山洪灾害防御工作。\n第五条市防指结合全市防汛检查,组织开展隐患排查。"
    assert "市防指" in labelled_names(text)
    assert split_units("市防汛防台抗旱指挥部(以下简称市防指)") == ["市防汛防台抗旱指挥部"]
    duty = read_duty("市防指结合全市防汛检查,组织开展隐患排查。", labelled_names(text))
    assert duty is not None and duty.units == ("市防指",)


def test_a_name_glued_to_its_modal_and_a_names_other_name_in_brackets() -> None:
    # jieba cuts "督查|室要": the name still ends before 要
    duty = read_duty("区委区政府督查室要根据各项工作任务完成时限要求,适时开展督查督办工作。")
    assert duty is not None and duty.units == ("区委区政府督查室",)
    # an addressee line: "(办事处)" is the other name of the body before it, not a duty
    assert read_duty("各镇(街道)人民政府(办事处),临港经济开发区管委会,区政府各部门、直属机构:") is None


def test_a_sentence_that_opens_with_督导_has_left_out_its_subject() -> None:
    assert read_duty("督导消防、警察单位等执行森林火灾原因鉴定。") is None


def test_lines_that_open_with_bodies_and_what_they_do_are_a_task_each() -> None:
    from index.units import duty_list_starts

    text = "各部门要密切配合。\n计划部门要把防治工作列入计划。\n财政部门要把防治经费纳入预算。"
    assert len(duty_list_starts(text)) == 3


@pytest.mark.parametrize("text, units", [
    ("2. 水災、旱災:工務處。", ("工务处",)),
    ("(三)户外广告整治:区城管局、区市场监管局", ("区城管局", "区市场监管局")),
    ("二、地点:本署北区工程处一楼会议室", ()),  # a room, not a body
    ("信息来源:广水市水利和湖泊局", ()),  # no numbered item: a page's metadata
])
def test_a_numbered_topic_and_a_colon_before_a_body_alone_gives_the_topic_to_that_body(text: str, units: tuple[str, ...]) -> None:
    duty = read_duty(text)
    assert (duty.units if duty else ()) == units


@pytest.mark.parametrize("text", ["市发改委和市粮食局会同有关部门负责建立全市粮食监测预警系统,加强监测。",
                                  "(二)市发改委负责会同有关部门,落实规划的编制和报批。"])
def test_the_partner_of_the_subjects_own_sentence_takes_part_and_the_subject_leads(text: str) -> None:
    duty = read_duty(text)
    assert duty is not None and "有关部门" in duty.units and "市发改委" in duty.lead_units
    assert "有关部门" not in duty.lead_units
