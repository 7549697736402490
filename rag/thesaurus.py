"""Everyday words → the notices' own terms, appended to the search query.

People ask "修路的灰尘谁管？"; the notice says "公路工程施工扬尘". BM25 cannot bridge that and
the offline dense model only partly can, so a small domain thesaurus expands the query.
Only the query is expanded: answers still quote the clauses as written.
"""

from __future__ import annotations

THESAURUS: dict[str, str] = {
    "灰尘": "扬尘", "尘土": "扬尘", "粉尘": "扬尘", "修路": "公路工程 施工", "工地": "施工工地",
    "充电桩": "充电设施 充电基础设施", "充电站": "充电设施 充换电", "电车": "新能源汽车", "电动车": "新能源汽车 电动",
    "噪音": "噪声", "吵": "噪声", "公交车": "公共交通 公交", "坐公交": "公交出行 绿色出行", "打车": "出租汽车 巡游出租车",
    "出租车": "出租汽车 巡游出租车", "旧车": "老旧车辆 淘汰", "老车": "老旧车辆 淘汰", "柴油车": "柴油货车",
    "排气": "排放 尾气", "尾气": "排放检验 尾气", "修车": "机动车维修 汽修", "汽修厂": "汽修企业 机动车维修",
    "船": "船舶", "港口": "港口 码头", "码头": "码头 港口", "火车": "铁路", "货车": "货运车辆 货车",
    "塑料袋": "塑料污染 塑料废弃物", "垃圾": "垃圾分类 废弃物", "种树": "绿化 造林", "绿化": "绿化 造林",
    "太阳能": "光伏", "光伏板": "光伏", "省钱": "节能", "环保": "生态环境保护", "学习": "学习贯彻",
    "管": "负责 责任单位", "找谁": "责任单位", "谁干": "责任单位", "归谁": "责任单位",
    "补贴": "补贴 奖励资金", "钱": "资金", "培训": "培训 宣传教育", "宣传": "宣传 宣传周", "低碳日": "全国低碳日",
    "高速": "高速公路", "服务区": "高速公路服务区", "快充": "快速充换电 快充覆盖率", "路边": "公路沿线 路域",
    "检测站": "M站 检验检测机构", "回收": "循环利用 回收", "沥青": "废旧沥青", "补种": "补植", "拦查": "路检",
    "渣土": "渣土车 工程运输车", "扰民": "噪声污染", "边沟": "公路边沟", "乱排": "排放污物", "喷漆": "喷烤漆房 废气",
    "超载": "超限超载", "报上去": "报表", "进度": "工作进展 报表", "M站": "M站 机动车治理站", "网约车": "网约车 出行", "共享单车": "共享(电)单车 慢行交通",
}


def expand(question: str) -> str:
    """The question followed by the notices' terms for any everyday words in it."""
    extra = [terms for word, terms in THESAURUS.items() if word in question]
    return question if not extra else question + " " + " ".join(extra)

