"""Matching quality cases: the issue's two, and our own development cases over other chains, plain
words, GB/T names and codes, and the reverse direction. Each says which 专业 (or 行业) a specialist
would expect near the top; tests/reference/test_match_api.py and scripts/eval_matching.py run them.
"""

from __future__ import annotations

from pydantic import BaseModel


class ForwardCase(BaseModel):
    industry: str
    level: str
    top: int
    expect: list[str]  # every one of these 专业 within the top `top`


class ReverseCase(BaseModel):
    specialty: str
    top: int
    expect_codes: list[str]  # each GB/T code, or one on its branch (ancestor/descendant), within the top `top`
    first_chain: str | None = None  # the best chain among the chain results


# The issue's quality cases.
ISSUE_CASES = [
    ForwardCase(
        industry="工程机械",
        level="高职专科",
        top=10,
        expect=["机械制造及自动化", "机电一体化技术", "液压与气动技术", "智能工程机械运用技术"],
    ),
    ForwardCase(industry="新能源汽车", level="高职专科", top=2, expect=["新能源汽车技术"]),
]

# Our development cases: other chains, other levels, plain words and GB/T names/codes.
DEV_CASES = [
    ForwardCase(
        industry="轨道交通装备",
        level="高职专科",
        top=10,
        expect=["铁道机车车辆制造与维护", "高速铁路动车组制造与维护", "城市轨道交通车辆制造与维护"],
    ),
    ForwardCase(
        industry="中小航空发动机及航空航天装备",
        level="高职专科",
        top=10,
        expect=["航空发动机制造技术", "航空发动机装配调试技术", "飞行器数字化制造技术", "航空发动机维修技术"],
    ),
    ForwardCase(
        industry="生物医药",
        level="高职专科",
        top=10,
        expect=["药品生产技术", "生物制药技术", "中药制药", "药物制剂技术"],
    ),
    ForwardCase(industry="茶产业", level="高职专科", top=3, expect=["茶叶生产与加工技术", "茶艺与茶文化"]),
    ForwardCase(
        industry="健康养老", level="高职专科", top=10, expect=["智慧健康养老服务与管理", "老年保健与管理", "护理"]
    ),
    ForwardCase(
        industry="现代物流",
        level="高职专科",
        top=10,
        expect=["现代物流管理", "冷链物流技术与管理", "智能物流技术", "供应链运营"],
    ),
    ForwardCase(
        industry="文化旅游",
        level="高职专科",
        top=10,
        expect=["旅游管理", "导游", "酒店管理与数字化运营", "智慧景区开发与管理"],
    ),
    ForwardCase(
        industry="电子信息", level="高职专科", top=10, expect=["电子信息工程技术", "应用电子技术", "电子产品制造技术"]
    ),
    ForwardCase(industry="有色金属", level="高职专科", top=5, expect=["有色金属智能冶金技术"]),
    ForwardCase(industry="现代石化", level="高职专科", top=10, expect=["石油化工技术", "石油炼制技术", "应用化工技术"]),
    ForwardCase(industry="现代种业", level="高职专科", top=3, expect=["种子生产与经营"]),
    ForwardCase(industry="新能源汽车", level="中职", top=3, expect=["新能源汽车制造与检测", "新能源汽车运用与维修"]),
    ForwardCase(industry="新能源汽车", level="职业本科", top=1, expect=["新能源汽车工程技术"]),
    ForwardCase(industry="工程机械", level="中职", top=10, expect=["交通工程机械运用与维修", "液压与气动技术应用"]),
    # Plain words, GB/T names and codes (not chains of ours).
    ForwardCase(industry="无人机", level="高职专科", top=3, expect=["无人机应用技术"]),
    ForwardCase(industry="汽车制造业", level="高职专科", top=5, expect=["汽车制造与试验技术"]),
    ForwardCase(industry="C3514", level="高职专科", top=10, expect=["智能工程机械运用技术"]),
    ForwardCase(industry="家政服务", level="高职专科", top=3, expect=["现代家政服务与管理"]),
    ForwardCase(industry="集成电路", level="高职专科", top=3, expect=["集成电路技术", "微电子技术"]),
    ForwardCase(industry="风力发电", level="高职专科", top=3, expect=["风力发电工程技术"]),
    ForwardCase(industry="动漫游戏", level="高职专科", top=5, expect=["动漫制作技术"]),
    ForwardCase(industry="湖南省工程机械产业链", level="高职专科", top=10, expect=["智能工程机械运用技术"]),
    ForwardCase(industry="智能网联汽车", level="高职专科", top=1, expect=["智能网联汽车技术"]),
    ForwardCase(industry="先进储能材料", level="高职专科", top=1, expect=["储能材料技术"]),
    ForwardCase(industry="节能环保", level="高职专科", top=10, expect=["环境工程技术", "工业节能技术"]),
    ForwardCase(
        industry="装配式建筑", level="高职专科", top=5, expect=["装配式建筑工程技术", "装配式建筑构件智能制造技术"]
    ),
    ForwardCase(industry="医疗器械", level="高职专科", top=5, expect=["医疗器械维护与管理", "智能医疗装备技术"]),
    ForwardCase(industry="农业机械", level="高职专科", top=5, expect=["现代农业装备应用技术"]),
    ForwardCase(industry="钢铁", level="高职专科", top=3, expect=["钢铁智能冶金技术", "智能轧钢技术"]),
    ForwardCase(industry="电子商务", level="高职专科", top=3, expect=["电子商务", "跨境电子商务"]),
    ForwardCase(industry="氢能", level="高职专科", top=3, expect=["氢能技术应用"]),
    ForwardCase(industry="人工智能", level="高职专科", top=3, expect=["人工智能技术应用"]),
    ForwardCase(industry="半导体", level="高职专科", top=3, expect=["集成电路技术", "微电子技术"]),
    ForwardCase(industry="新能源", level="高职专科", top=5, expect=["新能源装备技术", "新能源材料应用技术"]),
    ForwardCase(industry="船舶", level="高职专科", top=3, expect=["船舶工程技术"]),
    ForwardCase(industry="托育", level="高职专科", top=1, expect=["婴幼儿托育服务与管理"]),
    ForwardCase(industry="网络安全", level="高职专科", top=2, expect=["信息安全技术应用"]),
    ForwardCase(industry="家具", level="高职专科", top=2, expect=["家具设计与制造"]),
    ForwardCase(industry="服装", level="高职专科", top=2, expect=["服装设计与工艺"]),
]

REVERSE_CASES = [
    ReverseCase(specialty="液压与气动技术", top=5, expect_codes=["3444"], first_chain="工程机械"),
    ReverseCase(specialty="新能源汽车技术", top=3, expect_codes=["3612"], first_chain="新能源汽车"),
    ReverseCase(specialty="茶叶生产与加工技术", top=5, expect_codes=["1530", "0164"], first_chain="茶产业"),
    ReverseCase(specialty="护理", top=5, expect_codes=["841"], first_chain="健康养老"),
    ReverseCase(specialty="460104", top=5, expect_codes=["34"]),
]
