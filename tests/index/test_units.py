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
    "name", ["综运股", "太行一号项目部", "人民银行连云港中心支行", "市供电公司", "厅直各单位"]
)
def test_unit_names(name: str) -> None:
    assert is_unit_name(name)


@pytest.mark.parametrize("name", ["运距 500 公里以上", "不含摩托车", "下同", "近零碳", "试行"])
def test_not_unit_names(name: str) -> None:
    assert not is_unit_name(name)
