"""The Chinese sentences graph answers are made of. Relationship types are named through
graph.vocabulary, so no ASCII type (ISSUED_BY, MAPS_TO …) ever reaches an answer."""

from __future__ import annotations

import re

from graph.models import Edge, GraphPath, Node
from graph.views import Target, display_name
from graph.vocabulary import relation_words
from search_api.ask.targets import target_text


def join(names: list[str]) -> str:
    return "、".join(names)


def quoted(name: str) -> str:
    return f"「{name}」"


def titled(title: str) -> str:
    return f"《{title}》"


# -- issuer --------------------------------------------------------------------------------------------
def issued_by(title: str, issuers: list[str], *, counted: bool, lead: bool) -> str:
    """'《T》由A、B联合发布。', led by the number of issuers when the question counts them, followed by the
    first-listed issuer when it asks who leads."""
    verb = "联合发布" if len(issuers) > 1 else "发布"
    text = f"{titled(title)}由{join(issuers)}{verb}。"
    if counted:
        text = f"共{len(issuers)}个发布单位：{text}"
    if lead and len(issuers) > 1:
        text += f"落款列首位的是{issuers[0]}。"
    return text


def not_issuers(names: list[str], issued: str) -> str:
    return f"否。{join(names)}不在发布单位之列：{issued}"


def among_issuers(names: list[str], title: str, of_several: bool, issued: str) -> str:
    one = "之一" if of_several else ""
    return f"是的，{join(names)}是{titled(title)}的发布单位{one}。{issued}"


def yes(statement: str) -> str:
    return f"是的。{statement}"


# -- targets -------------------------------------------------------------------------------------------
def amount(target: Target) -> str:
    """'10 所'."""
    return f"{target.quantity} {target.unit}".strip()


def quantity_value(target: Target) -> str:
    """'10所', the value of a quantity fact."""
    return f"{target.quantity}{target.unit}"


def describe_target(target: Target, unit: str | None = None) -> str:
    """'10 所：全省遴选建设10所“楚怡”优秀中职学校。' When the question counts in another unit than the
    target ('支持多少个市州…' for '14个市州各改扩建1所…'), the number in that unit leads instead."""
    said = amount(target)
    if unit and unit != target.unit:
        context = f"{target.scope}{target.text}"
        other = re.search(rf"(\d+)\s*{re.escape(unit)}([\u4e00-\u9fff]{{0,3}}?)(?:各|，|,|$)", context)
        if other:
            said = f"{other.group(1)} {unit}{other.group(2)}"
    phrase = target.text.strip() or target_text(target)
    tail = f"（期限：{target.deadline}）" if target.deadline and target.deadline not in phrase else ""
    return f"{said}：{phrase.rstrip('。；;')}{tail}。"


def targets_over_time(entries: list[tuple[Target, str, str | None]], unit: str | None = None) -> str:
    """Several figures for one thing, newest first: '资料中的数字不止一个（按时间从新到旧）：《新闻》（2022-08-01）
    报道的结果：30 所：…；《计划》（2021-…）规划目标：10 所：…。'"""
    parts = []
    for target, title, date in entries:
        what = "报道的结果" if target.kind == "result" else "规划目标"
        when = f"（{date}）" if date else ""
        parts.append(f"{titled(title)}{when}{what}：{describe_target(target, unit).rstrip('。')}")
    return "资料中的数字不止一个（按时间从新到旧）：" + "；".join(parts) + "。"


# -- carriers and an organisation's tasks ---------------------------------------------------------------
def carriers(programme: str, organisations: list[str], targets: list[Target]) -> str:
    text = f"承担{quoted(programme)}建设的有：{join(organisations)}。"
    if targets:
        text += "目标：" + "；".join(describe_target(t) for t in targets)
    return text


def also_called(aliases: list[str]) -> str:
    """'（又称「A」、「B」）', or '' without aliases."""
    return f"（又称{join([quoted(a) for a in aliases])}）" if aliases else ""


def org_tasks(organisation: str, programmes: list[str], issued_titles: list[str]) -> str:
    """What an organisation is supported to build, and which documents it issued (an issuing
    department's part in a plan is to issue it: said rather than guessing at tasks)."""
    sentences = [f"{organisation}被支持建设{join(programmes)}。"] if programmes else []
    if issued_titles:
        role = f"{organisation}是{join([titled(t) for t in issued_titles])}的发布单位之一"
        sentences.append(role + ("。" if programmes else "；文中未见单独分派给它的建设任务。"))
    return "".join(sentences)


# -- aliases ---------------------------------------------------------------------------------------------
def aliases(asked: str, name: str, others: list[str], asked_by_name: bool) -> str:
    """'「X」又称「A」。' when asked by the name; '「A」即「X」（又称「B」）。' when asked by an alias."""
    if asked_by_name:
        return f"{quoted(name)}又称{join([quoted(a) for a in others])}。"
    rest = [a for a in others if a != name]
    return f"{quoted(asked)}即{quoted(name)}" + (f"{also_called(rest)}。" if rest else "。")


def definition(description: str) -> str:
    return description.rstrip("。") + "。"


# -- links (paths) ------------------------------------------------------------------------------------------
def link(a: str, b: str, descriptions: list[str]) -> str:
    return f"{a}与{b}的联系：" + "；".join(descriptions) + "。"


def edge_sentence(edge: Edge, nodes: dict[str, Node]) -> str:
    src, dst = display_name(nodes[edge.source]), display_name(nodes[edge.target])
    if edge.type == "ASSIGNED_TO":
        return f"{dst}承担{quoted(src)}的建设"
    if edge.type == "ISSUED_BY":
        return f"{dst}发布{titled(src)}"
    if edge.type == "MENTIONS":
        return f"原文“{src}…”提到{dst}"
    return f"{src}{relation_words(edge.type).verb}{dst}"


def _shared_middle(path: GraphPath) -> str | None:
    """Two hops of one type through a middle entity: '二者都承担「X」的建设', '二者共同发布了《T》' …"""
    edges, middle = path.edges, path.nodes[1]
    name = display_name(middle)
    kind = edges[0].type
    if kind == "ASSIGNED_TO":
        return f"二者都承担{quoted(name)}的建设"
    if kind == "ISSUED_BY":
        return f"二者共同发布了{titled(name)}"
    if kind == "LOCATED_IN":
        return f"二者都位于{name}"
    if edges[0].source == path.nodes[0].id and edges[1].source == path.nodes[2].id:
        return f"二者都{relation_words(kind).verb}{name}"
    return None


def describe_path(path: GraphPath) -> str:
    edges = path.edges
    if len(edges) == 2 and path.nodes[1].label != "Passage" and edges[0].type == edges[1].type:
        shared = _shared_middle(path)
        if shared is not None:
            return shared
    if len(edges) == 2 and path.nodes[1].label == "Passage" and all(e.type == "MENTIONS" for e in edges):
        return f"同一段原文同时提到二者（“{display_name(path.nodes[1])}…”）"
    nodes = {n.id: n for n in path.nodes}
    return "，".join(edge_sentence(e, nodes) for e in edges)
