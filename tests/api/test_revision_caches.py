"""The caches ask, search and matching keep are keyed on the store's one revision: read once per question,
rebuilt only after a write. A small fake store counts what each cache reads and bumps its revision the
way every store does on a write."""

from __future__ import annotations

from collections import Counter

from graph.models import Document, Node, PassageHit, SearchFilters, StoreStats, Subgraph
from graph.text import Tokenizer
from search_api.ask.linking import Gazetteer
from search_api.ask.support import Evidence, SupportJudge
from search_api.expansion import Thesaurus
from search_api.matching.index import IndexCache
from search_api.references.catalogue import Library
from search_api.revision import RevisionCache


class FakeStore:
    """Documents and entities in memory; every read counted; write() bumps the revision."""

    name = "fake"

    def __init__(self) -> None:
        self._revision = 7
        self.tokenizer = Tokenizer()
        self.reads: Counter[str] = Counter()
        self.entities = [Node(id="org:edu", label="Organization", properties={"name": "湖南省教育厅"})]
        self.documents = [Document(id="doc:a", title="湖南省职业教育楚怡行动计划", source="a.txt", sha256="a")]

    def write(self) -> None:
        self._revision += 1

    def revision(self) -> int:
        self.reads["revision"] += 1
        return self._revision

    def find_entities(self, q: str, label: str | None = None, limit: int = 20) -> list[Node]:
        self.reads["find_entities"] += 1
        return list(self.entities)

    def list_documents(self) -> list[Document]:
        self.reads["list_documents"] += 1
        return list(self.documents)

    def stats(self) -> StoreStats:
        self.reads["stats"] += 1
        return StoreStats(nodes={"Passage": 1000})

    def keyword_search(self, tokens: list[str], k: int, filters: SearchFilters | None = None) -> list[PassageHit]:
        self.reads["keyword_search"] += 1
        return []

    def export_json(self, labels: list[str] | None = None) -> Subgraph:
        self.reads["export_json"] += 1
        return Subgraph()


def test_a_revision_cache_builds_once_per_revision() -> None:
    store = FakeStore()
    built: list[int] = []
    cache = RevisionCache(store, lambda: built.append(store._revision) or len(built))  # type: ignore[arg-type]
    assert cache.peek() is None
    assert [cache.get() for _ in range(3)] == [1, 1, 1]
    store.write()
    assert cache.get() == 2 and cache.get() == 2
    cache.invalidate()
    assert cache.get() == 3
    assert cache.builds == 3 and built == [7, 8, 8]


def test_a_write_during_a_build_is_seen_by_the_next_get() -> None:
    """The revision is read before the build: a write that lands meanwhile leaves the value under the
    older revision, so the next get() rebuilds instead of keeping data older than its key."""
    store = FakeStore()

    def build() -> int:
        value = store._revision
        store.write()  # another process writes while this build reads
        return value

    cache = RevisionCache(store, build)  # type: ignore[arg-type]
    assert cache.get() == 7
    assert cache.get() == 8  # rebuilt: 7 was filed under revision 7, the store is at 8
    assert cache.builds == 2


def test_the_gazetteer_is_built_once_per_revision() -> None:
    store = FakeStore()
    gazetteer = Gazetteer(store)  # type: ignore[arg-type]
    for _ in range(5):
        assert [m.node.id for m in gazetteer.link("湖南省教育厅发布了什么？")] == ["org:edu"]
    assert gazetteer.builds == 1 and store.reads["find_entities"] == 1
    assert store.reads["stats"] == store.reads["list_documents"] == 0  # no per-question fingerprint
    store.entities.append(Node(id="prog:cy", label="Programme", properties={"name": "楚怡工匠计划"}))
    assert gazetteer.link("楚怡工匠计划") == []  # not written yet: the store's revision has not moved
    store.write()
    assert [m.node.id for m in gazetteer.link("楚怡工匠计划")] == ["prog:cy"]
    assert gazetteer.builds == 2


def test_the_library_rereads_documents_only_after_a_write() -> None:
    store = FakeStore()
    library = Library(store)  # type: ignore[arg-type]
    for _ in range(5):
        library.refresh()
    assert library.builds == 1 and store.reads["list_documents"] == 1
    assert store.reads["revision"] == 5  # what a refresh costs when nothing changed
    assert [d.id for d in library.stored_documents()] == ["doc:a"]
    store.documents.append(Document(id="doc:b", title="职业院校办学能力提升方案", source="b.txt", sha256="b"))
    store.write()
    library.refresh()
    assert library.builds == 2 and [d.id for d in library.documents()] == ["doc:a", "doc:b"]


def test_document_frequencies_are_kept_until_a_write() -> None:
    store = FakeStore()
    judge = SupportJudge(store, Thesaurus(groups=[]))  # type: ignore[arg-type]
    evidence = [Evidence(title="湖南省职业教育楚怡行动计划", text="建设楚怡高水平高职学校。")]
    first = judge.assess("楚怡高水平高职学校建设多少所？", evidence, meaning=0.5)
    searches = store.reads["keyword_search"]
    assert searches > 0 and store.reads["stats"] == 1
    for _ in range(3):
        assert judge.assess("楚怡高水平高职学校建设多少所？", evidence, meaning=0.5) == first
    assert store.reads["keyword_search"] == searches and store.reads["stats"] == 1
    store.write()
    judge.assess("楚怡高水平高职学校建设多少所？", evidence, meaning=0.5)
    assert store.reads["keyword_search"] == 2 * searches and store.reads["stats"] == 2


def test_the_matching_index_is_rebuilt_only_after_a_write() -> None:
    store = FakeStore()
    cache = IndexCache(store)  # type: ignore[arg-type]
    first = cache.get()
    assert cache.get() is first and store.reads["export_json"] == 1
    store.write()
    assert cache.get() is not first and store.reads["export_json"] == 2
    cache.invalidate()
    cache.get()
    assert cache.builds == 3
