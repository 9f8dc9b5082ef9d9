"""Chinese and Arabic numerals as structural references write them: 第三十六条 = 第36条, 第一百零七条,
第二百六十二条之二, 二（一）2. Counting numbers only (no decimals, no 万-scale article numbers)."""

from __future__ import annotations

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
CHINESE_NUMERAL = "零〇一二两三四五六七八九十百千万"
NUMERAL = CHINESE_NUMERAL + "0123456789０１２３４５６７８９"


def parse_number(text: str) -> int | None:
    """36 / ３６ / 三十六 → 36; 一百零七 → 107; 十 → 10; None for anything else (or nothing)."""
    text = text.strip().translate(_FULL_WIDTH)
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if any(c not in _DIGITS and c not in _UNITS for c in text):
        return None
    if all(c in _DIGITS for c in text) and len(text) > 1:
        # 二〇二二 (digit by digit, as years are written)
        return int("".join(str(_DIGITS[c]) for c in text))
    total, section, current = 0, 0, 0
    for c in text:
        if c in _DIGITS:
            current = _DIGITS[c]
        elif c == "万":
            total += (section + current) * 10000
            section = current = 0
        else:
            section += (current or 1) * _UNITS[c]
            current = 0
    return total + section + current


def to_chinese(n: int) -> str:
    """36 → 三十六, 107 → 一百零七, 10 → 十, 110 → 一百一十 (the way laws number their articles)."""
    if n < 0:
        raise ValueError(n)
    if n == 0:
        return "零"
    if n >= 10000:
        high, low = divmod(n, 10000)
        rest = to_chinese(low) if low else ""
        return to_chinese(high) + "万" + ("零" + rest if low and low < 1000 else rest)
    digits = "零一二三四五六七八九"
    out = ""
    gap = False  # a zero place between written digits (一百零七)
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            out += ("零" if gap else "") + digits[d] + unit
            gap = False
        elif out:
            gap = True
        if n == 0:
            break
    # 十三条, not 一十三条; 一百一十 keeps its 一.
    return out[1:] if out.startswith("一十") else out
