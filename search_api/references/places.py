"""Places a text names (jieba's place tag, ns), other than the country itself: the locality a question asks
about (上海的企业…), and the locality a document's title speaks for (上海市职业教育条例; none for a national
law)."""

from __future__ import annotations

import re
from functools import lru_cache

from graph.text import tagged_words

_COUNTRY = frozenset({"中华人民共和国", "中国", "我国", "全国", "国家"})
_SUFFIX = re.compile(r"(?:省|市|县|区|自治区|自治州)$")
_NOISE = re.compile(r"[\s《》“”\"'‘’「」『』]")


@lru_cache(maxsize=4096)
def places_in(text: str) -> tuple[str, ...]:
    """上海的企业要… → (上海,); 河南省实施《中华人民共和国职业教育法》办法 → (河南省,)."""
    out: list[str] = []
    for word, flag in tagged_words(_NOISE.sub("", text)):
        if flag == "ns" and len(word) >= 2 and word not in _COUNTRY and word not in out:
            out.append(word)
    return tuple(out)


def short_place(place: str) -> str:
    """上海市 → 上海 (how questions write it); a name that is all suffix stays."""
    return _SUFFIX.sub("", place) or place


def same_place(a: str, b: str) -> bool:
    x, y = short_place(a), short_place(b)
    return x in y or y in x
