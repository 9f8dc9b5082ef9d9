"""What a query says about the library: the structural references it makes (resolved), the works it
names, and the version it asks for — so search can put the referenced passages first and prefer the
version meant (the current one unless a year or 旧版 is named)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from search_api.references.catalogue import Library
from search_api.references.parser import parse_references, parse_version
from search_api.references.places import places_in
from search_api.references.resolver import ReferenceResolver
from search_api.references.schemas import DocumentVersion, QuotedPassage, ReferenceResolution, VersionHint


class QueryReading(BaseModel):
    references: list[ReferenceResolution] = Field(default_factory=list)
    works: list[str] = Field(default_factory=list, description="works the query names, in order")
    version: VersionHint | None = None
    # work → the document id of the version the query means (only for works with several versions)
    meant: dict[str, str] = Field(default_factory=dict)
    places: list[str] = Field(default_factory=list, description="the localities the query asks about (上海)")

    @property
    def found(self) -> list[ReferenceResolution]:
        return [r for r in self.references if r.status == "found"]

    def pinned(self) -> list[QuotedPassage]:
        """The referenced passages, reference by reference, in document order, once each."""
        seen: set[str] = set()
        out = []
        for resolution in self.found:
            for p in resolution.passages:
                if p.id not in seen:
                    seen.add(p.id)
                    out.append(p)
        return out


class QueryReader:
    def __init__(self, library: Library, resolver: ReferenceResolver) -> None:
        self.library = library
        self.resolver = resolver

    def read(self, query: str, scope: DocumentVersion | None = None) -> QueryReading:
        self.library.refresh()
        references = [self.resolver.resolve(ref, scope) for ref in parse_references(query)]
        works = list(dict.fromkeys(n.name.work for n in self.resolver.named_works(query)))
        version = parse_version(query)
        meant: dict[str, str] = {}
        for resolution in references:
            doc = resolution.document
            if doc is not None and doc.versions > 1:
                meant.setdefault(doc.work, doc.id)
        for work in works:
            if work not in meant and len(self.library.versions_of(work)) > 1:
                chosen, _ = self.resolver.pick_version(work, version, scope)
                if chosen is not None:
                    meant[work] = chosen.id
        if scope is not None and scope.versions > 1:
            meant.setdefault(scope.work, scope.id)
        places = list(places_in(query))
        return QueryReading(references=references, works=works, version=version, meant=meant, places=places)
