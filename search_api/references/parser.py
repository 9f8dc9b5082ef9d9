"""Finds structural references in a question, without knowing the library: the locator (第四章第三十六条,
第二百六十二条之二, 第36条, 劳动法36条, 第三条第二款, a plan's 二（一）2), the words before it where a law
name is (《教育法》, 职教法, 中华人民共和国劳动法, 本法), and a version the question asks for (1996年的,
旧版, 修订前, 现行). Which work and which passages the words mean is the resolver's business.
"""

from __future__ import annotations

import re

from search_api.references.numerals import CHINESE_NUMERAL, NUMERAL, parse_number
from search_api.references.schemas import RefPart, StructuralReference, VersionHint

_N = f"[{NUMERAL}]+"
_LAW_PART = re.compile(
    rf"第\s*[（(]?\s*(?P<n>{_N})\s*[)）]?\s*(?P<kind>编|章|节|条|款|项)(?:\s*之\s*(?P<sub>[{CHINESE_NUMERAL}\d]+))?"
)
# 劳动法36条: an Arabic article number without 第, only right after a law-like name.
_BARE_ARTICLE = re.compile(r"(?<![\d第])(?P<n>\d{1,4})\s*条(?!例|件|款|规|目|文|线|约)")
_LAW_WORD = re.compile(r"(?:法|条例|规定|办法|细则|决定|规则|章程)$")
# What the name of a law or another document ends with (楚怡行动计划, 实施方案, 通知 …).
_DOCUMENT_WORD = re.compile(
    r"(?:法|条例|规定|办法|细则|决定|规则|章程|纲要|意见|通知|计划|方案|规划|标准|公告|通告|批复|要点|指南|措施)$"
)
# Between two levels of one reference: nothing, or a connecting 的/中/里.
_JOIN = re.compile(r"^\s*(?:的|中的|里的|中|里)?\s*$")
_ORDER = {"编": 0, "章": 1, "节": 2, "条": 3, "款": 4, "项": 5}

_CN = "一二三四五六七八九十"
_OUTLINE = re.compile(
    rf"(?P<cn>[{_CN}]{{1,3}})\s*[、.．]?\s*(?P<pcn>[（(]\s*[{_CN}]{{1,3}}\s*[)）])"
    rf"(?:\s*(?P<num>\d{{1,2}})(?![\d年月日号%个所家项名人万亿元]))?(?:\s*[.．、]?\s*(?P<pnum>[（(]\s*\d{{1,2}}\s*[)）]))?"
    rf"|(?P<pcn2>[（(]\s*[{_CN}]{{1,3}}\s*[)）])\s*(?P<num2>\d{{1,2}})(?![\d年月日号%个所家项名人万亿元])"
    rf"(?:\s*[.．、]?\s*(?P<pnum2>[（(]\s*\d{{1,2}}\s*[)）]))?"
)
_DIGITS_IN = re.compile(rf"[{_CN}\d]+")

# The words before a locator: back to the previous clause mark, at most this many characters.
CONTEXT_CHARS = 40
_CLAUSE_MARK = re.compile(r"[，。？！；：,.?!;:\s、]")
_BOOK_TITLE = re.compile(r"《(?P<name>[^《》]{1,60})》(?P<tail>[^《》]{0,16})$")
_TRAILING_JOIN = re.compile(r"(?:里面的|里面|当中的|当中|中的|里的|的|中|里|之)$")
# Words that come before a law name in a question, not part of it.
_LEADING = re.compile(
    r"^(?:请问|请|问一下|问|根据|依据|依照|按照|参照|对照|关于|查询|查一下|查|看看|看一下|我想知道|想知道|想了解|了解|"
    r"告诉我|那么|那|在|按|依|据)+"
)
_DEICTIC = re.compile(
    r"(?:本|该|这部|这个|这份|此|上述)(?:法律|法规|法|条例|规定|办法|细则|文件|计划|方案|规划|通知|意见|决定)$"
)

_PREVIOUS = (
    r"旧版|老版|原版|旧的|老的|修订前|修改前|修正前|原来的|以前的|过去的|之前的|废止的|已废止|被废止|失效的|已失效|"
    r"上一版|前一版"
)
_CURRENT = r"现行|最新|新版|现在的|目前的|当前的|修订后|修改后|修正后|现在有效|新修订|新修改|新修正"
_RELATIVE = re.compile(rf"(?P<previous>{_PREVIOUS})|(?P<current>{_CURRENT})")
_VERSION_WORD = r"版本|版|修订|修正|修改|通过|颁布|公布|制定|施行"
_YEAR = re.compile(
    rf"(?<!\d)(?P<y>(?:19|20)\d{{2}})\s*(?:年(?:\s*\d{{1,2}}\s*月(?:\s*\d{{1,2}}\s*日)?)?)?\s*(?P<w>{_VERSION_WORD}|的)?"
)
_YEAR_IN_PARENS = re.compile(r"[（(]\s*(?P<y>(?:19|20)\d{2})[^）)]{0,12}[)）]")
_LAW_NAME_AHEAD = re.compile(r"^(?:的)?\s*(?:《|[\u4e00-\u9fff]{1,25}?(?:法|条例|规定|办法|细则))")


def parse_references(question: str) -> list[StructuralReference]:
    """Every structural reference in the question, in order (law locators, then plan outlines that do
    not overlap them)."""
    version = parse_version(question)
    refs = [*_law_references(question, version)]
    taken = [(r.start, r.end) for r in refs]
    for ref in _outline_references(question, version):
        if not any(ref.start < end and start < ref.end for start, end in taken):
            refs.append(ref)
    return sorted(refs, key=lambda r: r.start)


def parse_version(question: str) -> VersionHint | None:
    """The version a question asks for: a relative word (旧版, 修订前, 现行) or a year that is said of a
    version (1996年版, 1996年修订的, 1996年的职业教育法, 职业教育法（1996年）) — not a year the question is
    about (2024年湖南高考…)."""
    relative = _RELATIVE.search(question)
    for m in _YEAR.finditer(question):
        said_of_version = m.group("w") not in (None, "的") or bool(_LAW_NAME_AHEAD.match(question[m.end() :]))
        if said_of_version:
            return VersionHint(year=int(m.group("y")), text=m.group(0).strip())
    for m in _YEAR_IN_PARENS.finditer(question):
        before = question[: m.start()].rstrip()
        if before.endswith("》") or _LAW_WORD.search(before):
            return VersionHint(year=int(m.group("y")), text=m.group(0))
    if relative:
        if relative.group("previous"):
            return VersionHint(relative="previous", text=relative.group(0))
        return VersionHint(relative="current", text=relative.group(0))
    return None


def _law_references(question: str, version: VersionHint | None) -> list[StructuralReference]:
    parts: list[tuple[int, int, RefPart]] = []
    for m in _LAW_PART.finditer(question):
        part = _law_part(m.group("kind"), m.group("n"), m.group("sub"))
        if part is not None:
            parts.append((m.start(), m.end(), part))
    for m in _BARE_ARTICLE.finditer(question):
        context = _context(question, m.start())
        if _LAW_WORD.search(_strip_version(_TRAILING_JOIN.sub("", context))):
            part = _law_part("条", m.group("n"), None)
            if part is not None and not any(s <= m.start() < e for s, e, _ in parts):
                parts.append((m.start(), m.end(), part))
    parts.sort(key=lambda p: p[0])
    refs: list[StructuralReference] = []
    group: list[tuple[int, int, RefPart]] = []
    for item in parts:
        if group and _continues(question, group[-1], item):
            group.append(item)
            continue
        if group:
            refs.append(_reference(question, group, version))
        group = [item]
    if group:
        refs.append(_reference(question, group, version))
    return _inherit_names(question, refs)


# 劳动法第三十六条和第三十七条: a locator right after another one, joined by 和/与/、, is of the same law.
_FOLLOWS = re.compile(r"^\s*(?:和|与|及|以及|、|或|或者|至|到|—|-|~|～)\s*$")


def _inherit_names(question: str, refs: list[StructuralReference]) -> list[StructuralReference]:
    out: list[StructuralReference] = []
    for ref in refs:
        previous = out[-1] if out else None
        if (
            ref.law is None
            and previous is not None
            and previous.law
            and _FOLLOWS.match(question[previous.end : ref.start])
        ):
            ref = ref.model_copy(update={"law": previous.law, "context": previous.context})
        out.append(ref)
    return out


def _law_part(kind: str, number: str, sub: str | None) -> RefPart | None:
    n = parse_number(number)
    s = parse_number(sub) if sub else None
    if n is None or n == 0 or (sub and not s):
        return None
    return RefPart(kind=kind, number=n, sub=s)  # type: ignore[arg-type]


def _continues(question: str, previous: tuple[int, int, RefPart], item: tuple[int, int, RefPart]) -> bool:
    """第四章第三十六条第二款 is one reference: levels in order, joined by nothing or 的/中/里."""
    return _ORDER[item[2].kind] > _ORDER[previous[2].kind] and bool(_JOIN.match(question[previous[1] : item[0]]))


def _outline_references(question: str, version: VersionHint | None) -> list[StructuralReference]:
    refs = []
    for m in _OUTLINE.finditer(question):
        parts: list[RefPart] = []
        for group, kind in (
            ("cn", "cn"), ("pcn", "paren_cn"), ("pcn2", "paren_cn"),
            ("num", "num"), ("num2", "num"), ("pnum", "paren_num"), ("pnum2", "paren_num"),
        ):  # fmt: skip
            text = m.group(group)
            digits = _DIGITS_IN.search(text) if text else None
            n = parse_number(digits.group(0)) if digits else None
            if n:
                parts.append(RefPart(kind=kind, number=n))  # type: ignore[arg-type]
        if len(parts) >= 2:
            refs.append(_reference(question, [(m.start(), m.end(), p) for p in parts], version))
    return refs


def _reference(
    question: str, group: list[tuple[int, int, RefPart]], version: VersionHint | None
) -> StructuralReference:
    start, end = group[0][0], group[-1][1]
    context = _context(question, start)
    law = law_name(context)
    written_from = start
    if law:
        at = context.rfind("《" + law) if "《" + law in context else context.rfind(law)
        written_from = start - len(context) + max(at, 0)
    return StructuralReference(
        text=question[written_from:end].strip(),
        start=written_from,
        end=end,
        law=law,
        context=context,
        parts=[p for _, _, p in group],
        version=version,
    )


def _context(question: str, start: int) -> str:
    """The words right before a locator, back to the previous clause mark outside 《》."""
    before = question[max(0, start - CONTEXT_CHARS) : start]
    cut, depth = 0, 0
    for i, c in enumerate(before):
        if c == "《":
            depth += 1
        elif c == "》":
            depth = max(0, depth - 1)
        elif depth == 0 and _CLAUSE_MARK.match(c):
            cut = i + 1
    return before[cut:].strip()


def _strip_version(text: str) -> str:
    """职业教育法（1996年） / 1996年的职业教育法 / 旧版职业教育法 → 职业教育法."""
    text = re.sub(r"[（(][^（）()]{0,14}[)）]$", "", text).strip()
    text = re.sub(rf"(?:(?:19|20)\d{{2}}\s*年?\s*(?:{_VERSION_WORD})?(?:的)?)$", "", text).strip()
    text = re.sub(
        rf"^(?:(?:19|20)\d{{2}}\s*年?(?:\d{{1,2}}月(?:\d{{1,2}}日)?)?\s*(?:{_VERSION_WORD})?(?:的)?)", "", text
    )
    text = re.sub(rf"^(?:{_PREVIOUS}|{_CURRENT})(?:的)?", "", text)
    text = re.sub(rf"(?:{_PREVIOUS}|{_CURRENT})(?:的)?$", "", text)
    return text.strip()


def law_name(context: str) -> str | None:
    """The name a context ends with: 《…》 as written, a deictic (本法, 该条例), or the words ending in a
    law word (劳动法, 上海市职业教育条例) or another document word (楚怡行动计划) after leading question
    words are dropped. None when the context names no document."""
    text = _TRAILING_JOIN.sub("", context.strip())
    book = _BOOK_TITLE.search(text)
    if book and not _TRAILING_JOIN.sub("", _strip_version(book.group("tail"))):
        return book.group("name").strip()
    text = text.replace("《", "").replace("》", "")  # 河南省实施《职业教育法》办法: the name is the whole
    text = _TRAILING_JOIN.sub("", _strip_version(text))
    deictic = _DEICTIC.search(text)
    if deictic:
        return deictic.group(0)
    text = _LEADING.sub("", _strip_version(text))
    text = _TRAILING_JOIN.sub("", text)
    named = len(text) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", text) and _DOCUMENT_WORD.search(text)
    return text if named else None


def is_deictic(name: str) -> bool:
    """本法, 该条例, 这份文件 …: the document the request is about, not a name."""
    return bool(_DEICTIC.fullmatch(name))
