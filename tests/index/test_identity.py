"""read_identity: title, 文号, issuer, date and kind from what the text states, nothing invented."""

from __future__ import annotations

import pytest

from index.clean import clean_text, page_source
from index.identity import read_identity
from tests.conftest import CORPUS


def identity_of(stem: str):
    raw = (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")
    return read_identity(stem, f"{stem}.txt", clean_text(raw), page_source(raw))


@pytest.mark.parametrize(
    ("stem", "title", "number", "issuer", "date", "kind"),
    [
        (
            "yangcheng-2024-transport-eco-workplan",
            "2024年交通运输生态环境保护工作要点",
            "阳交字〔2024〕138号",
            "阳城县交通运输局",
            "2024-09-04",
            "工作要点",
        ),
        (
            "jilin-2024-transport-eco-workplan",
            "2024年吉林省交通运输行业生态环境保护工作要点",
            None,
            None,
            None,
            "工作要点",
        ),
        (
            "lianyungang-2024-green-lowcarbon-plan",
            "连云港市交通运输领域绿色低碳发展实施方案",
            "连交〔2024〕160号",
            "连云港市交通运输局",
            None,
            "实施方案",
        ),
        (
            "bazhou-2025-eco-duty-report",
            "巴州交通运输局2025年生态环境保护履职报告",
            None,
            "巴州交通运输局",
            "2026-01-14",
            "履职报告",
        ),
    ],
)
def test_identity_of_each_notice(stem, title, number, issuer, date, kind) -> None:
    ident = identity_of(stem)
    assert (ident.title, ident.doc_number, ident.issuer, ident.date, ident.kind) == (
        title,
        number,
        issuer,
        date,
        kind,
    )
    assert ident.doc_id == stem and ident.source_file == f"{stem}.txt"


def test_a_news_page_is_kind_news_with_its_headline_as_title() -> None:
    ident = identity_of("shanxi-2024-air-quality-news")
    assert ident.kind == "新闻"
    assert ident.title == "10方面重点任务 守护山西“好空气”"
    assert ident.doc_number is None and ident.date is None


def test_a_doc_number_with_spaces_is_normalised() -> None:
    ident = read_identity("x", "x.txt", "某县交通运输局文件\n某交字〔 2024 〕7 号\n关于做好春运工作的通知")
    assert ident.doc_number == "某交字〔2024〕7号"
    assert ident.issuer == "某县交通运输局"
    assert ident.kind == "通知"


def test_a_text_that_states_nothing_gets_no_invented_fields() -> None:
    ident = read_identity(
        "x", "x.txt", "今年以来，全县持续推进清洁取暖改造，成效明显，群众满意度不断提升，各项工作稳步推进。"
    )
    assert (ident.doc_number, ident.issuer, ident.date, ident.kind) == (None, None, None, None)


def test_a_date_in_the_body_is_not_the_signature_date_unless_on_its_own_line() -> None:
    ident = read_identity("x", "x.txt", "某局工作要点\n本办法自2024年5月1日起施行。")
    assert ident.date is None


def test_a_page_without_a_document_title_gets_none() -> None:
    # a table page: its first lines are a heading and a header cell, not the name of a document
    ident = read_identity("x", "x.txt", "公共文化服务\n主要参与部门\n1.开展送戏下乡活动。(县文旅局)")
    assert ident.title == ""


def test_the_information_name_metadata_line_gives_the_title() -> None:
    text = "索 引 号  123/jt/2020-01  发布机构  某市交通运输局\n 信息名称  2020年政府工作报告责任分工-市交通运输局\n28.加快农村公路提档升级。"
    assert read_identity("x", "x.txt", text).title == "2020年政府工作报告责任分工-市交通运输局"


def test_a_title_run_into_a_table_header_and_a_title_over_two_lines() -> None:
    run_in = "附件 某县2018年环境空气质量综合整治方案职责清单 工作任务和内容 责任单位 配合单位 完成时间 负责全县宣传工作。"
    assert read_identity("x", "x.txt", run_in + "\n县委宣传部 持续开展").title == "某县2018年环境空气质量综合整治方案职责清单"
    two_lines = "关于征集对2023年某市民生实事项目\n实施情况专题询问意见建议的通告\n根据市人大常委会工作安排,现征集意见。"
    assert read_identity("x", "x.txt", two_lines).title == "关于征集对2023年某市民生实事项目实施情况专题询问意见建议的通告"


def test_a_breadcrumb_is_no_title() -> None:
    text = "您现在的位置:首页\n> 政务公开 > 重点工作落实情况\n2023年莲都区政府工作报告重点工作责任分解第一季度进展情况\n作者: 来源: 莲都区人民政府办公室"
    assert read_identity("x", "x.txt", text).title == "2023年莲都区政府工作报告重点工作责任分解第一季度进展情况"
    crumb = "当前位置:\n文档之家› 郭坑镇城乡环境卫生整治任务分解表\n郭坑镇城乡环境卫生整治任务分解表"
    assert read_identity("x", "x.txt", crumb).title == "郭坑镇城乡环境卫生整治任务分解表"


@pytest.mark.parametrize(
    "text, title",
    [
        ("关于龟山社区水改有关事项的会议纪要\n(二○一二年九月十二日)\n一、会议认为,…", "关于龟山社区水改有关事项的会议纪要"),
        ("文档介绍:龙府发〔2009〕23号成都市龙泉驿区人民政府关于2009年重点推进重大项目有关事项的通知各街道办事处、区政府各部门:为加快…",
         "成都市龙泉驿区人民政府关于2009年重点推进重大项目有关事项的通知"),
    ],
)
def test_minutes_and_a_title_run_into_a_one_line_page(text: str, title: str) -> None:
    assert read_identity("x", "x.txt", text).title == title


@pytest.mark.parametrize(
    "text, title",
    [
        ("【落实情况】市林业局2021年主要任务第一季度落实情况-4188云顶集团\n发布时间:2021-04-20 16:49\n序号 | 主要任务 |",
         "市林业局2021年主要任务第一季度落实情况"),
        ("2023年政务公开工作要点_某某县人民政府网\n一、总体要求", "2023年政务公开工作要点"),
        ("创新驱动-开放合作\n一、总体要求", ""),  # a slogan with a dash is no title
    ],
)
def test_a_page_title_bar_loses_its_column_tag_and_site_name(text: str, title: str) -> None:
    assert read_identity("x", "x.txt", text).title == title


@pytest.mark.parametrize(
    "text, title",
    [
        # a law database's key, in traditional script
        ("歷史法規\n法規名稱: 經濟部暨所屬各機關(構)個案計畫管制及評核作業注意事項\n民國 105 年 12 月 23 日\n一、為利…",
         "經濟部暨所屬各機關(構)個案計畫管制及評核作業注意事項"),
        # a notice about arrangements (事宜)
        ("成立運動會領導小組事宜\n時間:2022-02-25 11:35:00\n為切實保障運動會順利開展比賽,決定成立領導小組。",
         "成立運動會領導小組事宜"),
        # the site's heading, then the title in full (its place and issue number)
        ("市创建全国文明城市工作指挥部办公室关于全国文明城市建设工作督查通报\n"
         "admin 分享 时间: 加入收藏\nV市创建全国文明城市工作指挥部办公室关于全国文明城市建设工作督查通报(2022年·第9期)\n一、督查情况",
         "V市创建全国文明城市工作指挥部办公室关于全国文明城市建设工作督查通报(2022年·第9期)"),
        # 《》 typed as <>, and an attachment's file name
        ("<政府工作报告>任务分解表\n一、经济发展\n", "《政府工作报告》任务分解表"),
        ("贯彻落实生活垃圾分类制度重点任务责任分工表.docx\n序号 工作内容 责任单位\n", "贯彻落实生活垃圾分类制度重点任务责任分工表"),
    ],
)
def test_titles_of_web_copies(text: str, title: str) -> None:
    assert read_identity("x", "x.txt", clean_text(text)).title == title


def test_a_title_over_its_republic_of_china_date_keeps_both_apart() -> None:
    raw = "法務部矯正署少年輔育院辦事細則\n民國 99 年 12 月 31 日\n第 1 條\n本院為處理內部單位之分工職掌,特訂定本細則。"
    ident = read_identity("x", "x.txt", clean_text(raw))
    assert (ident.title, ident.date) == ("法務部矯正署少年輔育院辦事細則", "2010-12-31")


def test_the_documents_own_title_line_wins_over_the_cover_letters_shorter_wording() -> None:
    raw = ("佛山市人民政府办公室印发关于佛山高新技术产业开发区管理体制意见的通知\n禅城区、顺德区人民政府,市直有关单位:\n"
           "现印发给你们,请遵照执行。\n关于佛山高新技术产业开发区管理体制的意见\n一、关于市高新区管理架构和职责")
    assert read_identity("x", "x.txt", clean_text(raw)).title == "关于佛山高新技术产业开发区管理体制的意见"


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("区利用消费热点促进居民消费意见针对一季度我区商贸流通业出现销售水平整体下滑的情况。根据国务院办公厅文件精神,现提出以下意见。",
         "区利用消费热点促进居民消费意见"),
        ("承德市人民政府2023年5月25日(此件主动公开)承德市病媒生物预防控制管理办法第一条为科学预防、控制和消除病媒生物危害,制定本办法。",
         "承德市病媒生物预防控制管理办法"),
    ],
)
def test_a_title_run_into_the_text_after_it_is_cut_where_the_text_starts(text: str, title: str) -> None:
    assert read_identity("x", "x.txt", clean_text(text)).title == title


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # a news story: the line over its dated lead is the headline, whatever its last word
        ("犍为县“四公一农”工作推进会召开\n1月22日,犍为县“四公一农”工作推进会在县委会议室召开。\n会议指出,要压实工作责任。",
         "犍为县“四公一农”工作推进会召开"),
        ("全市防汛工作部署会议举行\n近日,市政府召开全市防汛工作部署会议。\n会议要求,市水利局负责…。",
         "全市防汛工作部署会议举行"),
        # genres beyond the kinds of 公文
        ("市交通运输局2023年工作总结\n一、主要工作\n(一)公路建设。", "市交通运输局2023年工作总结"),
    ],
)
def test_titles_that_do_not_end_in_a_kind_of_official_document(text: str, title: str) -> None:
    assert read_identity("x", "x.txt", clean_text(text)).title == title


def test_a_heading_over_body_text_is_not_taken_for_a_headline() -> None:
    text = "公共文化服务体系建设\n全面落实公共文化服务保障标准,市文广局负责。\n"
    assert read_identity("x", "x.txt", clean_text(text)).title == ""


def test_a_document_the_text_cites_is_not_its_title() -> None:
    raw = ("工作部门责任清单(2015版 第一批)\n民政局\n与相关部门的职责边界\n"
           "《中华人民共和国精神卫生法》第八条;《国务院办公厅转发中央综治办等部门关于加强肇事肇祸等严重精神障碍患者救治救助工作意见的通知》(国办发〔2013〕68号)\n")
    assert read_identity("x", "x.txt", clean_text(raw)).title == "工作部门责任清单(2015版 第一批)"


def test_a_web_sites_name_on_the_first_line_is_not_part_of_the_title() -> None:
    text = clean_text("法搜网--中国法律信息搜索网\n包头市防治艾滋病工作委员会关于认真组织实施艾滋病项目的通知\n"
                      "1、政府职责:各旗县区政府负责项目的组织领导。\n")
    assert read_identity("x", "x.txt", text, None).title == "包头市防治艾滋病工作委员会关于认真组织实施艾滋病项目的通知"
