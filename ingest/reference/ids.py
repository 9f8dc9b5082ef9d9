"""Stable, readable node ids for reference data. Ids are global across labels, so each kind has its prefix."""

from __future__ import annotations

from graph.models import stable_id


def specialty_id(level: str, code: str) -> str:
    return f"specialty:{level}:{code}"


def specialty_class_id(level: str, code: str) -> str:
    return f"specialty-class:{level}:{code}"


def specialty_category_id(level: str, code: str) -> str:
    return f"specialty-category:{level}:{code}"


def industry_id(section: str, code: str) -> str:
    """`section` is the 门类 letter; a 门类's own code is that letter (industry:C, industry:C35, industry:C3514)."""
    return f"industry:{section}" if code == section else f"industry:{section}{code}"


def chain_id(name: str) -> str:
    return f"chain:{name}"


def school_id(name: str) -> str:
    # Derived from the canonical name exactly as ingest derives organisation ids from policy text
    # (stable_id("org", name)), so that a school named in a document and in the MoE list is one node.
    return stable_id("org", name)


def region_id(name: str) -> str:
    # As ingest derives region ids (stable_id("region", name)): 湖南省 from the list and from text meet.
    return stable_id("region", name)
