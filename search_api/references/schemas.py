"""What a structural reference is, once parsed, and what it resolves to."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from search_api.references.numerals import to_chinese

# Law levels (第X编/章/节/条, and inside an article 第X款/第X项) and a plan's outline levels, named as
# ingest.structure names its markers: 一、 cn, （一） paren_cn, 1. num, （1） paren_num.
PartKind = Literal["编", "章", "节", "条", "款", "项", "cn", "paren_cn", "num", "paren_num"]
LAW_LEVELS: tuple[PartKind, ...] = ("编", "章", "节", "条")
OUTLINE_LEVELS: tuple[PartKind, ...] = ("cn", "paren_cn", "num", "paren_num")
ARTICLE_LEVELS: tuple[PartKind, ...] = ("款", "项")  # inside an article's text, not section paths
VersionStatus = Literal["current", "superseded"]
ResolutionStatus = Literal["found", "not_found", "ambiguous"]


class RefPart(BaseModel):
    """One level of a reference: 第三十六条 is (条, 36); 第二百六十二条之二 is (条, 262, sub 2)."""

    kind: PartKind
    number: int = Field(ge=0)
    sub: int | None = Field(default=None, ge=1, description="之二 → 2: an article inserted by an amendment")

    @property
    def label(self) -> str:
        """As a section path writes it: 第三十六条, 第二百六十二条之二, 二, （一）, 2, （1）."""
        n = to_chinese(self.number)
        if self.kind in LAW_LEVELS or self.kind in ARTICLE_LEVELS:
            return f"第{n}{self.kind}" + (f"之{to_chinese(self.sub)}" if self.sub else "")
        return {"cn": n, "paren_cn": f"（{n}）", "num": str(self.number), "paren_num": f"（{self.number}）"}[self.kind]


class VersionHint(BaseModel):
    """Which version a question asks for: a year (1996年的职业教育法) or a relative one (旧版, 现行)."""

    year: int | None = None
    relative: Literal["current", "previous"] | None = None
    text: str = Field(description="as written: 1996年的, 旧版, 修订前")


class StructuralReference(BaseModel):
    """A reference as written in a question."""

    text: str = Field(description="the reference as written, law name included: 《教育法》第五条")
    start: int
    end: int
    law: str | None = Field(default=None, description="the name written before the locator: 职教法, 本法, 刑法")
    context: str = Field(default="", description="the words just before the locator, where a name may hide")
    parts: list[RefPart]
    version: VersionHint | None = None

    @property
    def locator(self) -> str:
        """第四章第三十六条, 二（一）2 …"""
        return "".join(p.label for p in self.parts)

    @property
    def law_parts(self) -> list[RefPart]:
        """The levels a section path holds (款/项 are inside an article's text)."""
        return [p for p in self.parts if p.kind not in ARTICLE_LEVELS]


class DocumentVersion(BaseModel):
    """A document of the library seen as one version of a work."""

    id: str
    title: str
    source: str = ""
    work: str = Field(description="the same for every version: 职业教育法")
    version_date: str | None = Field(default=None, description="ISO date of this version")
    version_label: str = Field(default="", description="2022年4月20日修订; empty when unknown")
    status: VersionStatus = "current"
    versions: int = Field(default=1, description="how many versions of the work the library holds")
    issuers: list[str] = Field(default_factory=list)
    date: str | None = None

    @property
    def cited_as(self) -> str:
        """《中华人民共和国职业教育法》（2022年4月20日修订）: the version named when a work has several."""
        if self.versions > 1 and self.version_label:
            return f"《{self.title}》（{self.version_label}）"
        return f"《{self.title}》"


class QuotedPassage(BaseModel):
    id: str
    doc_id: str
    section_path: str
    text: str
    order: int


class ReferenceResolution(BaseModel):
    """What a reference points at: the passages of that article or section, or why there are none."""

    reference: StructuralReference
    status: ResolutionStatus
    document: DocumentVersion | None = None
    label: str = Field(default="", description="《中华人民共和国职业教育法》（2022年4月20日修订）第三条")
    passages: list[QuotedPassage] = Field(default_factory=list)
    sections: list[str] = Field(default_factory=list, description="the section paths found, in document order")
    excerpt: str | None = Field(default=None, description="the paragraph (款) or item (项) asked for, when one was")
    message: str = Field(default="", description="资料中没有找到… when not found; which documents when ambiguous")
    candidates: list[DocumentVersion] = Field(default_factory=list)
