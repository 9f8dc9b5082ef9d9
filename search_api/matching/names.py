"""Name helpers shared by the matching modules (no dependencies, so the index can use them too)."""

from __future__ import annotations

# Suffixes that say nothing about the field; stripped before comparing 专业 names.
_GENERIC_SUFFIXES = ("应用技术", "工程技术", "技术", "管理", "应用")


def core_name(name: str) -> str:
    for suffix in _GENERIC_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def same_specialty(name: str, listed: str) -> bool:
    """`listed` (a crosswalk row's 专业) denotes `name`: the same name, or the same field at another level
    (液压与气动技术 ↔ 液压与气动技术应用 at 中职)."""
    if name == listed:
        return True
    core = core_name(listed)
    return len(core) >= 3 and (name.startswith(core) or core_name(name) == core)
