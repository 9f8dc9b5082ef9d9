"""Recognises what kind of question was asked, from its wording and the entities it names.

Relationship questions are the ones the graph answers better than any passage: who issued a document,
which organisations carry a programme, how many of something a plan sets, what an organisation is
asked to do, what else a programme is called, and how two entities are linked. Anything else is
answered extractively. Rules are on wording patterns that hold for the kind, never on given questions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from graph.views import Organization
from search_api.ask.linking import LinkedName, squash
from search_api.ask.schemas import Intent

_ALIAS = re.compile(
    r"又叫|又称|别称|别名|也叫|也称|还叫|还称|简称|全称|又名|另称|俗称|亦称|也就是|即什么|被称为|被称作|被叫做|"
    r"叫做什么|叫作什么|称作什么|另一个名|其他名称|别的名"
)
_LINK = re.compile(r"关系|联系|关联|有何关|什么关|如何关|怎么关|怎样关|相关|之间|连接|有何联|纽带")
_ISSUER_WORD = re.compile(r"发布|印发|发文|出台|制定|制发|颁布|签发|下发|联合发|联合印")
_ISSUER_ASK = re.compile(r"谁|哪|什么|吗|是否|有没有|是不是|单位|部门|机关|机构")
_ISSUER_NOUN = re.compile(r"发文单位|发文机关|发布单位|发布机关|发布部门|印发单位|发文部门|制定部门|落款|联合发文")
# "Who leads this plan": a document word and a lead word (牵头 alone also names project leads).
_DOC_LEAD = re.compile(r"(文件|计划|方案|通知|意见|办法|规划|行动).{0,8}(谁|哪个|哪些|哪家).{0,4}(牵头|主导|主办)")
# "X是什么": with X an alias, the answer is what X is also called.
_WHAT_IS = re.compile(r"是什么|什么是|指什么|是指|是啥|是哪个")
# 几所 / 多少个 / 数量 … (几 alone is too common: 几乎, 几点 — so it needs a measure word after it).
_COUNT = re.compile(r"几[所个家项批名类年次条支座期位种人]|多少|数量|数目|总数|规模|几十")
_WHICH_ORG = re.compile(
    r"(哪些|哪几|哪个|哪所|哪家|哪一|什么|谁)(所|家|个)?(学校|院校|高校|职校|单位|部门|机构|组织|地方|市州|县|政府|企业)"
    r"|由谁|谁来|谁负责|谁承担|谁牵头|谁建设|是谁|有谁"
)
# Who holds a post (校长是谁, 厅长叫什么名字): a person, which no relationship of the graph names.
_POST = r"校长|厅长|局长|部长|主任|书记|院长|负责人|市长|省长|县长|董事长|总经理|处长|科长|主席"
_PERSON = re.compile(
    rf"(?:{_POST})[^，。？?]{{0,4}}(?:是谁|叫什么|姓名|名字|是哪位)|(?:谁|哪位)(?:是|担任|任)[^，。？?]{{0,8}}(?:{_POST})"
)
# Which 专业 an industry needs, and which industries a 专业 serves (answered by matching). 专业群 and 专业智库
# are 楚怡 programmes, not catalogue 专业.
_SPEC = r"专业(?![群智])"
_ASKS_SPECIALTIES = re.compile(
    rf"(哪些|什么|哪几个|哪几类|哪类|何种|哪一些)(样的)?(的)?{_SPEC}|{_SPEC}(有哪些|是什么|有什么|有啥)"
    rf"|(需要|要|适合|对应|对接|匹配|配套|开设|设置|开办)(的)?{_SPEC}"
)
_INDUSTRY_WORD = re.compile(r"产业链|产业|行业|领域|企业")
_ASKS_INDUSTRIES = re.compile(
    r"(哪些|什么|哪几个|哪类|哪一些)(的)?(产业链|产业|行业|领域|企业|岗位)|能去哪|可以去哪|能进哪|能做什么工作"
    r"|(就业|毕业)(去向|方向|领域|前景)|对口(哪些|什么)?(产业|行业|岗位|企业)"
)
_WHAT = re.compile(r"什么|哪些|哪几|任务|职责|要求|做什么|干什么|怎么做|如何做|负责|承担|作用|支持|被")


def classify(question: str, names: list[LinkedName]) -> Intent:
    q = squash(question)
    labels = [m.node.label for m in names]
    named = [m for m in names if m.node.label != "Region"]
    if _PERSON.search(q):
        return "open"
    if asks_match(q, labels) is not None:
        return "match"
    if named and _ALIAS.search(q):
        return "alias"
    if named and _WHAT_IS.search(q) and any(squash(m.surface) != squash(m.name) for m in named):
        return "alias"
    if len(named) >= 2 and _LINK.search(q):
        return "link"
    if _ISSUER_NOUN.search(q) or _DOC_LEAD.search(q) or (_ISSUER_WORD.search(q) and _ISSUER_ASK.search(q)):
        return "issuer"
    if _COUNT.search(q):
        return "count"
    if "Programme" in labels and _WHICH_ORG.search(q) and _programme_is_object(names):
        return "carriers"
    if "Organization" in labels and _WHAT.search(q):
        return "org_tasks"
    if "Programme" in labels and _WHICH_ORG.search(q):
        return "carriers"
    return "open"


def asks_match(question: str, labels: Sequence[str]) -> Literal["specialties", "industries"] | None:
    """ "specialties" when the question asks which 专业 an industry or chain needs (工程机械产业链需要哪些专业？),
    "industries" when it asks which industries or chains a 专业 serves (数控技术对应哪些产业？ X专业能去哪些
    行业); None otherwise. The industry side must be named (an industry or chain found in the question, or
    the word 产业/行业), and so must the 专业 side (a 专业 found, or the word 专业)."""
    q = squash(question)
    industry_named = "IndustryChain" in labels or "Industry" in labels or bool(_INDUSTRY_WORD.search(q))
    specialty_named = "Specialty" in labels or bool(re.search(_SPEC, q))
    if _ASKS_SPECIALTIES.search(q) and industry_named:
        return "specialties"
    if _ASKS_INDUSTRIES.search(q) and specialty_named:
        return "industries"
    return None


def level_named(question: str) -> Literal["中职", "高职专科", "职业本科"] | None:
    """The 专业 level a question names: 中职 (中专, 中等职业), 职业本科 (本科), 高职专科 (高职, 专科, 大专)."""
    q = squash(question)
    if re.search(r"中职|中专|中等职业|职高|职业高中", q):
        return "中职"
    if re.search(r"职业本科|本科", q):
        return "职业本科"
    if re.search(r"高职|专科|大专", q):
        return "高职专科"
    return None


def _programme_is_object(names: list[LinkedName]) -> bool:
    """'哪些学校建设楚怡文化传承基地' asks for carriers; '新化县楚怡工业学校建设什么' names the carrier."""
    return not any(
        m.node.label == "Organization" and Organization.from_node(m.node).kind != "government" for m in names
    )


def asks_definition(question: str) -> bool:
    return bool(_WHAT_IS.search(squash(question)))


def asks_yes_no(question: str) -> bool:
    q = squash(question)
    return bool(re.search(r"吗[？?]?$|是否|是不是|有没有|有无", q))


def unit_asked(question: str) -> str | None:
    """The measure word a count question uses (几所 → 所, 多少个 → 个), if any."""
    m = re.search(r"(?:几|多少)([所个家项批名类年次条支座期位种人])", squash(question))
    return m.group(1) if m else None


# Units that measure rather than count (money, time, age, shares): a count of schools never answers them.
MEASURES = ("亿元", "万元", "元", "钱", "小时", "分钟", "天", "周岁", "岁", "度", "分", "倍", "%", "百分比", "比例")


def measure_asked(question: str) -> str | None:
    """The measure a question asks for (多少亿元 → 亿元, 几个小时 → 小时, 多少钱 → 钱), if any."""
    q = squash(question)
    m = re.search(rf"(?:几|多少)(?:个)?({'|'.join(map(re.escape, MEASURES))})", q)
    return m.group(1) if m else None
