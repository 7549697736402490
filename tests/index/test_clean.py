"""clean_text: web chrome dropped, page-break damage repaired, the notice's wording untouched."""

from __future__ import annotations

from index.clean import clean_text, page_source
from tests.conftest import CORPUS


def read(stem: str) -> str:
    return (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")


def test_a_sentence_cut_by_a_page_break_is_rejoined() -> None:
    raw = (
        "深入学习贯彻习近平总书记关于生态文明建设和生态环境\n\n"
        "保护的重要指示精神，每季度至少学习一次。（责任单位：党办）\n"
    )
    assert (
        clean_text(raw)
        == "深入学习贯彻习近平总书记关于生态文明建设和生态环境保护的重要指示精神，每季度至少学习一次。（责任单位：党办）"
    )


def test_a_unit_bracket_cut_by_a_page_break_is_rejoined() -> None:
    raw = "大力发展智能交通，不断优化调整运输结构。（责任单\n\n位:综运股)\n\n2. 积极引导绿色出行。"
    assert clean_text(raw).split("\n") == [
        "大力发展智能交通，不断优化调整运输结构。（责任单位:综运股)",
        "2. 积极引导绿色出行。",
    ]


def test_a_word_cut_by_a_page_break_is_rejoined() -> None:
    raw = "推动交通运输工具收集、场站接收与城市公\n\n共转运处置体系的有效衔接。"
    assert clean_text(raw) == "推动交通运输工具收集、场站接收与城市公共转运处置体系的有效衔接。"


def test_short_headings_and_the_next_numbered_item_are_not_joined() -> None:
    raw = "（一）大力推广新能源汽车，优化运输装备结构\n\n强化政策引导与资金支持：积极争取资金。\n1.加强监管，严格执法\n2.开展检查。"
    assert clean_text(raw).split("\n") == [
        "（一）大力推广新能源汽车，优化运输装备结构",
        "强化政策引导与资金支持：积极争取资金。",
        "1.加强监管，严格执法",
        "2.开展检查。",
    ]


def test_web_chrome_lines_are_dropped_and_page_furniture_cut_off() -> None:
    raw = (
        "网易首页 > 网易号 > 正文 申请入驻\n\n10方面重点任务 守护山西“好空气”\n\n0\n分享至\n\n"
        "3月21日,省政府新闻办举行新闻发布会。\n\n来源:山西晚报\n\n"
        "特别声明:以上内容为自媒体平台用户上传并发布。\n\n相关推荐\n热点推荐\n中超巨大争议!申花补时绝杀被吹\n"
    )
    assert clean_text(raw).split("\n") == [
        "10方面重点任务 守护山西“好空气”",
        "3月21日,省政府新闻办举行新闻发布会。",
    ]
    assert page_source(raw) == "山西晚报"


def test_the_same_title_printed_twice_is_kept_once() -> None:
    raw = "关于印发《实施方案》的通知\n\n关于印发《实施方案》的通知\n\n连交〔2024〕160号"
    assert clean_text(raw).split("\n") == ["关于印发《实施方案》的通知", "连交〔2024〕160号"]


def test_inline_html_tags_in_a_ledger_cell_are_removed_and_cells_kept() -> None:
    raw = "14\t\t<p>加强固体废物资源化利用。</p> <p>推进资源节约集约综合利用</p>\t农管股 各工程项目部\t\t"
    cells = clean_text(raw).split("\t")
    assert cells[2] == "加强固体废物资源化利用。 推进资源节约集约综合利用"
    assert cells[3] == "农管股 各工程项目部"


def test_the_real_yangcheng_notice_loses_no_body_text() -> None:
    text = clean_text(read("yangcheng-2024-transport-eco-workplan"))
    for phrase in (
        "生态环境保护的重要指示精神",
        "（责任单位:综运股)",
        "城市公共转运处置体系",
        "协调解决推动",
        "大力推进绿色施工",
    ):
        assert phrase in text
    assert "\n\n" not in text


def test_the_real_shanxi_page_keeps_its_articles_and_drops_the_rest() -> None:
    text = clean_text(read("shanxi-2024-air-quality-news"))
    assert text.endswith("持续推进空气质量改善。")
    assert "全省高速公路已建成充电桩890台" in text
    for chrome in ("申花", "网易", "特别声明", "往期回顾", "无障碍浏览", "锦绣太原"):
        assert chrome not in text


def test_numbered_items_run_together_on_one_line_are_split() -> None:
    from index.clean import clean_text

    text = "2、完成江滩防护林建设。责任单位:市水利局,完成时间:2009年5月10日前。3、完成大道绿化隔离带建设。责任单位:市林业局,完成时间:2009年5月10日前。"
    lines = clean_text(text).split("\n")
    assert len(lines) == 2 and lines[1].startswith("3、")


def test_numbered_items_of_any_style_run_together_on_one_line_are_split() -> None:
    page = ("[接上页] (10)省民政厅:核实全省干旱灾害的损失,组织安排救灾及灾民安置工作。 "
            "(11)省住房和城乡建设厅:负责指导各城市供水管理部门加强供水管网建设和维护。 "
            "(12)省交通运输厅:协调组织市、县交通运输部门组织运力优先安排灾区抗旱物资的运输。")
    assert [line[:4] for line in clean_text(page).split("\n")] == ["(10)", "(11)", "(12)"]  # the page marker is dropped
    page = ("xx县创建园林县城责任单位职责分解一、县城区办事处(一)积极做好辖区范围内的立体绿化。(二)积极开展全民义务植树活动,"
            "尽责率在80%以上。二、县建设局(一)加强绿化建设,分类统计辖区内绿化覆盖面积。(二)完善城市绿地系统规划,统一、规范管理。")
    assert [line[:6] for line in clean_text(page).split("\n")] == [
        "xx县创建园", "一、县城区办", "(一)积极做", "(二)积极开", "二、县建设局", "(一)加强绿", "(二)完善城"]


def test_a_markdown_image_left_by_a_saved_page_is_dropped() -> None:
    assert clean_text("![]() 中國傳媒聯盟 訊:4月20日,縣委常委主持召開會議。").startswith("中國傳媒聯盟")


def test_a_page_of_excerpts_that_skips_item_numbers_is_still_split_per_item() -> None:
    line = ("按照以下分工负责病媒生物预防控制监督管理工作:(一)市卫生健康委负责医疗机构病媒生物预防控制工作的监督管理,"
            "(三)市商务局负责集贸市场等场所的监督管理,(五)市城市管理综合行政执法局负责监督管理垃圾转运站,"
            "(六)市教育局负责监督管理各级各类学校的病媒生物预防控制工作。")
    lines = clean_text(line).split("\n")
    assert [ln[:3] for ln in lines[1:]] == ["(一)", "(三)", "(五)", "(六)"]


def test_a_mirror_sites_pinyin_after_characters_is_cleaned_away() -> None:
    text = clean_text("(一)發(fā)改委:負責核發(fā)機動車環(huán)保標(biāo)志。(責任單位:市環(huán)保局)")
    assert text == "(一)發改委:負責核發機動車環保標志。(責任單位:市環保局)"
    assert clean_text("第(一)条 (a) 项") == "第(一)条 (a) 项"  # brackets without tone marks stay


def test_a_speech_enumeration_run_together_is_split_into_its_points() -> None:
    from index.clean import _split_inline_items

    line = ("會上,鄭建軍要求,一是要加快曙光園區建設進度,入園企業要積極與園區辦對接,盡快進場施工。"
            "二是要推進農畜產品地理標志登記申報工作,農牧業局要會同供銷社做好申報。三是要深入推進精準扶貧,扶貧辦要加快推進招投標工作。")
    parts = _split_inline_items(line)
    assert [p[:2] for p in parts[1:]] == ["一是", "二是", "三是"]
    # one "|" is a site's chrome, not a table row; "统一是" and "是否" are no points
    assert len(_split_inline_items("首页 | " + line)) == 4
    assert len(_split_inline_items("这个标准统一是省里定的,大家要看是否合适,核实后再报送市里审核,确认无误后再按程序办理,同时做好记录和归档工作,以备后续检查。")) == 1


def test_a_document_sharing_sites_pages_are_joined_back_into_one_text() -> None:
    page = ("《分工表.docx》由会员分享,可在线阅读,更多相关《分工表.docx(7页珍藏版)》请在文库上搜索。\n"
            "1、分工表序号工作内容责任单位1完善回收体系。2021年2月底前建成。市商务局,市\n"
            "2、住建局、市城管委,各区(市)县政府(管委会)2加强危险废物处置。市生态环境局,各区(市)县政府(管委会)"
            "3推进设施规划。市城管委、市住建局")
    lines = clean_text(page).split("\n")
    assert not any(line.startswith(("1、", "2、")) for line in lines)  # page numbers, not items
    assert any("市商务局,市住建局" in line for line in lines)  # a name cut by the page break is whole again
    assert [line[:1] for line in lines[-3:]] == ["1", "2", "3"]  # and the run-on table is read row by row


def test_a_run_on_page_keeps_its_paragraphs_apart_where_a_heading_or_a_body_starts_one() -> None:
    page = ("[接上页] 山西农业大学:负责农业自然灾害防灾减灾生产技术的研究、培训、教学。 新华社山西分社:配合省领导小组"
            "掌握舆论引导主动权,及时获取和发布信息。 2.3.2 专家组 专家组由省领导小组聘请专家组成。 主要职责:负责灾害评估。")
    assert clean_text(page).split("\n") == [
        "山西农业大学:负责农业自然灾害防灾减灾生产技术的研究、培训、教学。",
        "新华社山西分社:配合省领导小组掌握舆论引导主动权,及时获取和发布信息。",
        "2.3.2 专家组",
        "专家组由省领导小组聘请专家组成。 主要职责:负责灾害评估。",
    ]


def test_a_list_bullet_and_a_title_bracket_broken_over_lines() -> None:
    from index.clean import clean_text

    assert clean_text("- 一、企划处。\n- 二、农粮处。") == "一、企划处。\n二、农粮处。"
    assert clean_text("各级政府要根据《\n传染病防治法》、《\n执业医师法》等法律法规,加大管理力度。") == (
        "各级政府要根据《传染病防治法》、《执业医师法》等法律法规,加大管理力度。"
    )
