"""The refusal policy (rag/refusal.py) on tiny inline notices: what is refused, and what is not."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from rag.intent import parse_question
from rag.lexical import tokenize
from rag.refusal import refusal_reason
from rag.types import ClauseMeta, Hit

_CLAUSES = [
    ("2024年吉林省交通运输绿色低碳发展工作要点", "吉林省", 2024,
     "推进公路沿线充电基础设施建设，2024年底前高速公路服务区快充站覆盖率达到100%。"),
    ("2024年吉林省交通运输绿色低碳发展工作要点", "吉林省", 2024,
     "加强公路施工扬尘治理，施工工地落实围挡、覆盖、洒水等措施。"),
    ("2025年吉林省农村公路建设计划", "吉林省", 2025, "全年新建农村公路里程3000公里。"),  # indexed, not retrieved
]


def _hit(i: int, dense: float = 0.6) -> Hit:
    title, region, year, text = _CLAUSES[i]
    meta: ClauseMeta = {"doc_id": "jl", "doc_title": title, "region": region, "year": year, "text": text,
                        "section": "一、重点任务", "issuer": "吉林省交通运输厅", "units": []}
    return Hit(clause_id=str(i), text=text, metadata=meta, score=1.0, dense=dense)


def _view(extra: list[Hit] | None = None) -> SimpleNamespace:
    """What the policy reads of an index generation: clause metadata, the BM25 vocabulary and
    each token's document frequency."""
    hits = [_hit(i) for i in range(len(_CLAUSES))] + (extra or [])  # the whole index, not only what was retrieved
    df: dict[str, int] = {}
    for h in hits:
        for t in set(tokenize(h.text)):
            df[t] = df.get(t, 0) + 1
    return SimpleNamespace(metas=[h.metadata for h in hits], lexical=SimpleNamespace(vocabulary=set(df), df=df))


def _reason(question: str, hits: list[Hit] | None = None) -> str | None:
    q = parse_question(question, None, unit_in_question=False)
    return refusal_reason(q, [_hit(0), _hit(1)] if hits is None else hits, _view([h for h in hits or [] if h.metadata["doc_id"] != "jl"]))


def test_a_question_the_notices_support_is_not_refused() -> None:
    assert _reason("吉林省高速公路服务区快充站覆盖率目标是多少？") is None
    assert _reason("吉林省公路施工扬尘怎么治理？") is None


def test_a_place_no_notice_mentions_is_refused() -> None:
    assert _reason("北京市高速公路服务区快充站覆盖率目标是多少？") == "the notices do not cover 北京"


def test_a_year_no_retrieved_clause_is_about_is_refused() -> None:
    assert _reason("2023年吉林省高速公路服务区快充站覆盖率目标是多少？") == "no retrieved clause is about 2023"


def test_a_measure_the_retrieved_clauses_do_not_state_is_refused() -> None:
    # The index knows 农村公路, 新建, 里程 (another notice), but neither retrieved clause states them.
    assert _reason("吉林省农村公路新建里程是多少？") == "the clauses do not state 农村公路/新建/里程"
    assert _reason("吉林省高速公路每辆车补贴多少？") == "no clause states an amount 每辆"


def test_nothing_retrieved_is_refused() -> None:
    assert _reason("吉林省高速公路服务区快充站覆盖率目标是多少？", hits=[]) == "no clause matches"


@pytest.mark.parametrize("dense, refused", [(0.1, True), (0.9, False)])
def test_weak_support_on_both_legs_is_refused(dense: float, refused: bool) -> None:
    hits = [_hit(0, dense=dense), _hit(1, dense=dense)]
    reason = _reason("吉林省船舶岸电设施使用情况怎么样？", hits=hits)
    assert (reason is not None and reason.startswith("weak support")) is refused


def test_a_question_for_a_person_no_clause_names_is_refused() -> None:
    assert _reason("吉林省交通运输厅厅长是谁？") == "no clause names the 厅长"


def test_latin_letters_in_a_question_match_the_clause_in_any_case() -> None:
    from rag.ranking import coverage_of
    from rag.types import Hit

    meta = {"doc_id": "x", "doc_title": "", "section": "", "section_path": []}
    clause = Hit(clause_id="1", text="确保如期完成BC类家庭半年度复核工作。", metadata=meta, score=0.0)  # type: ignore[arg-type]
    assert coverage_of("BC类家庭半年度复核", clause) == 1.0


def _unlabelled_hit(text: str, dense: float = 0.7) -> Hit:
    """A clause of a page saved without its header: its identity names no place ("我市…")."""
    meta: ClauseMeta = {"doc_id": "page", "doc_title": "2009年为民办实事项目", "region": None, "year": 2009,
                        "text": text, "section": "十、加强食品安全监管", "issuer": None, "units": []}
    return Hit(clause_id="p", text=text, metadata=meta, score=1.0, dense=dense)


def test_a_place_no_notice_names_may_be_the_place_of_a_notice_without_one() -> None:
    page = _unlabelled_hit("全年抽查食品及相关产品不少于2500批次,对获证食品生产企业100%监督抽查。")
    assert _reason("北京市2009年加强食品安全监管，全年抽查食品不少于多少批次？", hits=[page]) is None
    # but not when every clause retrieved is of a notice about another place
    assert _reason("北京市高速公路服务区快充站覆盖率目标是多少？") == "the notices do not cover 北京"
    # nor when the notice's text names a place of its own
    shanxi = _unlabelled_hit("全省高速公路已建成充电桩890台,山西实现服务区充电设施全覆盖。")
    assert _reason("北京市高速公路服务区充电桩建了多少台？", hits=[shanxi]) == "the notices do not cover 北京"


def test_a_place_no_notice_names_needs_strong_support_from_a_notice_without_one() -> None:
    fire = _unlabelled_hit("市气象部门要对火场气候进行监测,提供火场天气预报。", dense=0.2)
    reason = _reason("今天武汉天气怎么样？", hits=[fire])
    assert reason is not None and reason.startswith("weak support for 武汉")


def test_a_stage_the_clauses_do_not_state_is_refused_and_first_batch_has_two_spellings() -> None:
    stages = _unlabelled_hit("第一阶段:自2014年6月1日起,禁止黄标车驶入限行区域。第二阶段:自2014年10月15日起,禁止高排放车辆驶入。")
    assert _reason("限行方案中第三阶段从什么时候开始？", hits=[stages]) == "the clauses do not state 第3阶段"
    assert _reason("限行方案中第二阶段从什么时候开始？", hits=[stages]) is None
    batch = _unlabelled_hit("全面排查闲置地块,首批选择4-5地块,结合实际提出综合改造利用方案。")
    assert _reason("闲置地块改造，第一批选几块地？", hits=[batch]) is None
    plan = _unlabelled_hit("“十一五”期间,全市单位GDP能耗下降20%。")
    assert _reason("“十二五”期间全市单位GDP能耗要下降多少？", hits=[plan]) == "the clauses do not state 十二五"


def test_a_clause_is_searched_with_its_units_and_without_the_spaces_of_its_page() -> None:
    from rag.refusal import clause_body

    row = _unlabelled_hit("新能源汽车. 县交通 运输局 12月底前完成新能源汽车更换")
    row.metadata["units"] = ["县公安局"]
    assert "县交通运输局" in clause_body(row) and "县公安局" in clause_body(row)


def test_a_notice_without_a_year_of_its_own_is_about_the_years_its_text_names() -> None:
    row = _unlabelled_hit("新投放公共自行车3000辆,新增100个网点。")
    row.metadata["year"] = None
    intro = _unlabelled_hit("2014年市政府民生实事项目共有42项任务,实事项目总体进展情况良好。")
    intro.metadata["year"] = None
    hits = [row, intro]
    q = parse_question("2014年要新投放多少辆公共自行车？", None, unit_in_question=False)
    assert refusal_reason(q, [row], _view(hits)) is None
    q = parse_question("2015年要新投放多少辆公共自行车？", None, unit_in_question=False)
    assert refusal_reason(q, [row], _view(hits)) == "no retrieved clause is about 2015"


def test_a_place_or_body_named_as_the_most_specific_word_is_looked_for_in_the_whole_notice(monkeypatch) -> None:
    import rag.refusal as refusal

    monkeypatch.setattr(refusal, "SPECIFIC_DF", 0.2)

    def clause(doc: str, i: int, text: str) -> Hit:
        meta: ClauseMeta = {"doc_id": doc, "doc_title": "稳增长促发展若干政策措施", "region": None, "year": None,
                            "text": text, "section": "", "issuer": None, "units": []}
        return Hit(clause_id=f"{doc}{i}", text=text, metadata=meta, score=1.0, dense=0.7)

    guandu = [clause("guandu", 0, "环评文件上报审批时,只需提交水保批复。"), clause("guandu", 1, "官渡区对重大项目前期工作给予补助。")]
    other = [clause("other", i, f"第{i}项措施:环评审批提速,简化流程。") for i in range(10)]
    view = _view(guandu + other)
    q = parse_question("官渡区环评文件上报审批时需要提交哪些材料？", None, unit_in_question=False)
    assert refusal_reason(q, guandu[:1], view) is None  # the notice names 官渡区, its clause need not
    assert refusal_reason(q, other[:1], view) == "no top clause has 官渡区"


def test_a_quoted_name_no_top_clause_has_is_refused() -> None:
    task = _unlabelled_hit("(二)以政务公开助力稳增长。围绕“放管服”改革,及时公开政策措施。")
    assert _reason("政务公开任务中，“围绕提质增效抓好政策解读”由谁负责？", hits=[task]) == "no top clause has “围绕提质增效抓好政策解读”"
    assert _reason("政务公开任务中，“以政务公开助力稳增长”由谁负责？", hits=[task]) is None


@pytest.mark.parametrize("request_", ["帮我写一段森林防火的宣传标语", "写一首关于春节的诗", "请起草一份扬尘治理通知"])
def test_a_request_to_write_text_is_declined(request_: str) -> None:
    assert _reason(request_) == "a request to write text, not a question the notices answer"
    assert _reason("谁负责起草管理办法？") != "a request to write text, not a question the notices answer"


def test_a_short_name_of_a_body_is_found_written_in_full() -> None:
    from rag.text import abbreviates

    assert abbreviates("区卫健局", "周村区卫生健康局2021年度政务公开重点工作")
    assert abbreviates("市发改委", "由市发展和改革委员会牵头")
    assert not abbreviates("县林业局", "县农业农村局负责")  # not the same body
    assert not abbreviates("综合", "综合行政执法")  # not a body's name


def test_a_question_about_two_places_notices_may_date_only_one_of_them() -> None:
    other = Hit(clause_id="cd", text="市工商局为城区菜市场监管工作的市级牵头部门。", score=1.0, dense=0.6,
                metadata={"doc_id": "cd", "doc_title": "成都市城区菜市场监管职责", "region": "成都市", "year": None,
                          "text": "市工商局为城区菜市场监管工作的市级牵头部门。", "section": "职责", "units": ["市工商局"]})
    hits = [_hit(1), other, _hit(0), _hit(2)]  # the 2025 notice is fourth
    q = parse_question("吉林省2025年农村公路建设和成都市菜市场监管分别有什么要求？", None, unit_in_question=False)
    assert refusal_reason(q, hits, _view([other])) is None
    alone = parse_question("吉林省2025年公路施工扬尘怎么治理？", None, unit_in_question=False)
    assert refusal_reason(alone, hits, _view([other])) == "no retrieved clause is about 2025"


def test_an_ordinal_is_checked_by_its_own_rule_not_as_a_rare_word() -> None:
    row = _unlabelled_hit("闲置地块改造,首批选择4-5地块进行试点。")
    other = _unlabelled_hit("第一批项目名单由市发改委公布。")  # makes 第一批 a rare word the index knows
    filler = [_unlabelled_hit(f"做好第{i}项日常工作。") for i in range(300)]
    q = parse_question("闲置地块改造，第一批挑几块地？", None, unit_in_question=False)
    assert refusal_reason(q, [row], _view([row, other, *filler])) is None


def test_a_quote_of_a_tasks_parts_is_found_in_any_punctuation() -> None:
    row = _unlabelled_hit("86.深入推进河长制,加大徐家河国家湿地公园保护力度,落实长江“十年禁渔”。")
    q = parse_question("“深入推进河长制、落实长江十年禁渔”这项任务的牵头单位是谁？", None, unit_in_question=False)
    assert refusal_reason(q, [row], _view([row])) is None
    other = parse_question("“深入推进湖长制、落实长江十年禁渔”这项任务的牵头单位是谁？", None, unit_in_question=False)
    assert refusal_reason(other, [row], _view([row])) == "no top clause has “深入推进湖长制、落实长江十年禁渔”"


def test_a_specific_compound_the_clause_writes_apart_is_not_missing() -> None:
    from rag.refusal import _pieces

    assert _pieces("县民生实事") == ["民生", "实事"]  # "大竹县…民生实事": the place and the topic apart
    assert _pieces("加氢站") == []  # one word: it must be there whole


def test_a_five_year_plan_by_its_short_name_is_found_in_its_full_name() -> None:
    from rag.text import alt_in

    assert alt_in("十一五", "《嘉兴市国民经济和社会发展第十一个五年规划纲要》主要目标任务分解落实方案")
    assert not alt_in("十二五", "《嘉兴市国民经济和社会发展第十一个五年规划纲要》")


def test_a_compound_the_text_writes_as_a_list_is_present() -> None:
    from rag.text import alt_in

    assert alt_in("猪牛羊肉", "实行定点屠宰区域的猪、牛、羊肉卫生指标合格率达到95%")
    assert not alt_in("猪牛羊肉", "实行定点屠宰区域的猪肉卫生指标合格率达到95%")


def _notice_clause(doc: str, i: int, text: str, title: str, region: str | None = None, section: str = "") -> Hit:
    meta: ClauseMeta = {"doc_id": doc, "doc_title": title, "region": region, "year": None, "text": text,
                        "section": section, "issuer": None, "units": []}
    return Hit(clause_id=f"{doc}{i}", text=text, metadata=meta, score=1.0, dense=0.7)


def test_a_who_question_about_something_its_notice_never_mentions_is_refused(monkeypatch) -> None:
    import rag.refusal as refusal

    monkeypatch.setattr(refusal, "SPECIFIC_DF", 0.2)
    plan = "食品安全监管职责分工"
    food = [_notice_clause("food", 0, "市农业局:负责农产品生产环节的质量安全监管。", plan),
            _notice_clause("food", 1, "市工商局:负责食品流通环节的监管。", plan),
            _notice_clause("food", 2, "市卫生局负责。", plan, section="三、餐饮业和集体食堂的卫生监管")]
    school = _notice_clause("school", 0, "学校食堂的食品安全由市教育局负责。", "学校后勤管理办法")
    filler = [_notice_clause("f", i, f"第{i}项日常工作按计划推进。", "工作要点") for i in range(20)]
    view = _view(food + [school] + filler)
    canteen = parse_question("食品安全分工里，学校食堂这块归谁管？", None, unit_in_question=False)
    assert canteen.intent == "who"
    # 学校食堂 is in another notice, not in the notice of any retrieved clause: a near miss, not 市工商局
    assert refusal_reason(canteen, food[:2], view) == "no top clause has 学校食堂"
    # the clause need not repeat the word when its notice has it, in a heading too
    staff = parse_question("食品安全分工里，集体食堂的卫生谁来监管？", None, unit_in_question=False)
    assert refusal_reason(staff, food[:2], view) is None


def test_a_measure_is_looked_for_in_the_notice_of_the_place_asked(monkeypatch) -> None:
    import rag.refusal as refusal

    jiangle = _notice_clause("jiangle", 0, "将乐县2022年度党政领导生态环境保护目标责任书分解方案", "将乐县2022年度生态环境保护目标责任书分解方案", "将乐县")
    luonan = _notice_clause("ln", 0, "全县森林覆盖率达到69.8%。", "创建森林城市任务分解")
    q = parse_question("将乐县2022年森林覆盖率目标是多少？", None, unit_in_question=False)
    view = _view([jiangle, luonan])
    reason = refusal_reason(q, [luonan, jiangle], view)
    assert reason is not None and reason.startswith("the clauses do not state") and "覆盖率" in reason
    monkeypatch.setattr(refusal, "SUPPORT_IN_PLACE", False)  # the other county's clause would have answered it
    assert refusal_reason(q, [luonan, jiangle], view) is None


def test_a_compound_the_notice_writes_with_a_word_between_its_halves_is_present(monkeypatch) -> None:
    import rag.refusal as refusal

    monkeypatch.setattr(refusal, "SPECIFIC_DF", 0.2)
    plan = "应急管理局政务公开工作要点"
    open_ = [_notice_clause("yj", 0, "及时公开人大代表建议和政协委员提案办理结果。", plan),
             _notice_clause("yj", 1, "主动公开机关职能、领导信息等基本信息。", plan)]
    other = _notice_clause("dc", 0, "县人大议案、建议,政协提案有关承办事项。", "督查督办制度")
    filler = [_notice_clause("f", i, f"第{i}项日常工作按计划推进。", "工作要点") for i in range(20)]
    view = _view(open_ + [other] + filler)
    q = parse_question("政务公开里，政协提案办理结果的公开谁负责？", None, unit_in_question=False)
    assert refusal_reason(q, open_, view) is None
    assert refusal_reason(q, open_[1:], _view(open_[1:] + [other] + filler)) == "no top clause has 政协提案"


@pytest.mark.parametrize("question", ["领导小组组长是谁？", "园林绿化美化组由谁任组长？", "前线指挥部的总指挥由谁担任？"])
def test_a_person_asked_by_a_group_title_no_clause_names_is_refused(question: str) -> None:
    group = _notice_clause("g", 0, "领导小组办公室设在区教育局,负责日常工作。", "成立运动会领导小组")
    assert refusal_reason(parse_question(question, None, unit_in_question=False), [group], _view([group])) is not None
    named = _notice_clause("g", 1, "组长由区长担任,总指挥由副区长担任。", "成立运动会领导小组")
    assert refusal_reason(parse_question(question, None, unit_in_question=False), [named], _view([named])) is None


def test_a_count_the_notice_never_states_is_refused() -> None:
    plan = "城市黑臭水体防治工作实施方案"
    pond = _notice_clause("hc", 0, "加强1-2号泡周边环境整治,由新安街道办事处负责。", plan)
    q = parse_question("黑臭水体防治方案中，3号泡的整治由哪个单位负责？", None, unit_in_question=False)
    assert refusal_reason(q, [pond], _view([pond])) == "no retrieved notice states 3号"
    two = parse_question("黑臭水体防治方案中，2号泡的整治由哪个单位负责？", None, unit_in_question=False)
    assert refusal_reason(two, [pond], _view([pond])) is None
