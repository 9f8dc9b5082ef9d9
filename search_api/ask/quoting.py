"""Answers to structural references: the article or section quoted whole, under the name of the version it
comes from (《中华人民共和国职业教育法》（2022年4月20日修订）第三条：…), or the reason it is not there."""

from __future__ import annotations

import re

from search_api.references.schemas import LAW_LEVELS, ReferenceResolution

MAX_QUOTE_CHARS = 1500  # a chapter quoted whole stops here; the rest is in the citations
MAX_REFERENCE_CITATIONS = 30
_ARTICLE_LABEL = re.compile(r"^\s*第[零〇一二两三四五六七八九十百千万\d]+条(?:之[一二三四五六七八九十\d]+)?\s*")


def quote(resolution: ReferenceResolution) -> str:
    """The referenced text, whole: one article after its label, a chapter or outline section article by
    article (up to MAX_QUOTE_CHARS), a 款/项 alone."""
    if resolution.excerpt:
        return f"{resolution.label}：{resolution.excerpt}"
    sections = resolution.sections or [""]
    texts = {s: "\n".join(p.text for p in resolution.passages if _under(p.section_path, s)) for s in sections}
    last = resolution.reference.law_parts[-1].kind if resolution.reference.law_parts else None
    if len(sections) == 1 and last == "条":
        return f"{resolution.label}：{_ARTICLE_LABEL.sub('', texts[sections[0]])}"
    if len(sections) == 1 and last not in LAW_LEVELS:
        return f"{resolution.label}：{texts[sections[0]]}"
    body: list[str] = []
    size = 0
    shown = 0
    several = len(sections) > 1  # 二（一）2 and 三（一）2 both match （一）2: say which is which
    for p in resolution.passages:
        if size > MAX_QUOTE_CHARS:
            break
        body.append(f"[{p.section_path}] {p.text}" if several else p.text)
        size += len(p.text)
        shown += 1
    rest = len(resolution.passages) - shown
    more = f"\n……（以下{rest}段从略，见引用）" if rest else ""
    return f"{resolution.label}：\n" + "\n".join(body) + more


def _under(path: str, section: str) -> bool:
    return not section or path == section or path.startswith(section + "/")
