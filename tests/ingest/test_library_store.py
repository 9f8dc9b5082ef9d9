"""The library in both stores: versions of a work (current / superseded, SUPERSEDES, recomputed on add and
delete), one document per normalised text whatever its name or encoding, folder walks that skip what is
not a policy text. The embeddings do not matter here, so a hashing embedder stands in for the model."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from graph.models import Document, Entity, Relation
from graph.store import GraphStore
from ingest.knowledge import KnowledgeBase
from ingest.pipeline import IngestPipeline
from ingest.versions import VERSIONS_ORIGIN, delete_document, plan_versions, refresh_versions, versions_origin
from tests.conftest import SEED
from tests.ingest.conftest import DATA, UNSEEN

LAW_1996 = "# 中华人民共和国职业教育法\n\n1996年5月15日 第八届全国人民代表大会常务委员会第十九次会议通过\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n第一条 为了实施科教兴国战略，发展职业教育，制定本法。\n\n第三条 职业教育是国家教育事业的重要组成部分。\n"  # noqa: E501
LAW_2022 = "# 中华人民共和国职业教育法\n\n1996年5月15日 第八届全国人民代表大会常务委员会第十九次会议通过\n\n2022年4月20日 第十三届全国人民代表大会常务委员会第三十四次会议修订）\n\n<!-- INFO END -->\n\n## 第一章 总 则\n\n第一条 为了推动职业教育高质量发展，制定本法。\n\n第三条 职业教育是与普通教育具有同等重要地位的教育类型。\n"  # noqa: E501


class HashEmbedder:
    """Deterministic 512-d vectors from the text's hash (the store needs vectors, these tests no meaning)."""

    dimension = 512

    def start(self) -> None:
        pass

    def _vector(self, text: str) -> list[float]:
        digest = hashlib.sha256(text.encode("utf-8")).digest()
        return [((digest[i % 32] + i) % 17) / 17.0 + 0.01 for i in range(self.dimension)]

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


def _pipeline(store: GraphStore, kb: KnowledgeBase) -> IngestPipeline:
    return IngestPipeline(store, HashEmbedder(), max_file_bytes=10**7, progress=False, knowledge=kb)


def _law(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _by_source(store: GraphStore) -> dict[str, Document]:
    return {d.source: d for d in store.list_documents()}


def test_versions_of_a_work(store: GraphStore, kb: KnowledgeBase, tmp_path: Path) -> None:
    pipeline = _pipeline(store, kb)
    old = _law(tmp_path / "laws", "职业教育法(1996-05-15).md", LAW_1996)
    new = _law(tmp_path / "laws", "职业教育法(2022-04-20).md", LAW_2022)
    assert pipeline.ingest_paths([new]).documents == 1  # the newer first: the older is superseded on arrival
    summary = pipeline.ingest_paths([old])
    docs = _by_source(store)
    v1996, v2022 = docs[old.name], docs[new.name]
    assert (v1996.work, v2022.work) == ("职业教育法", "职业教育法")
    assert (v1996.status, v2022.status) == ("superseded", "current")
    assert (v1996.version_date, v2022.version_date) == ("1996-05-15", "2022-04-20")
    (edge,) = store.edges_of(v2022.id, ["SUPERSEDES"], "out")
    assert edge.target == v1996.id and edge.evidence == [v2022.header_passage_id]
    assert edge.properties["superseded_version_date"] == "1996-05-15"
    assert summary.superseded and "1996-05-15" in summary.superseded[0]

    before = store.stats()
    assert refresh_versions(store).supersedes == [(v2022.id, v1996.id)]
    assert store.stats() == before  # nothing changed: nothing written
    assert pipeline.ingest_paths([old, new]).unchanged == 2 and store.stats() == before

    # Deleting the current version makes the older one current again, and removes the newer whole.
    assert delete_document(store, v2022.id)
    docs = _by_source(store)
    assert list(docs) == [old.name] and docs[old.name].status == "current"
    assert store.get_node(v2022.id) is None and store.edges_of(v1996.id, ["SUPERSEDES"]) == []
    assert not delete_document(store, v2022.id)
    # And adding it back supersedes the old one again.
    pipeline.ingest_paths([new])
    assert _by_source(store)[old.name].status == "superseded"
    assert delete_document(store, v1996.id)
    assert [(d.source, d.status) for d in store.list_documents()] == [(new.name, "current")]
    assert store.get_node(v1996.id) is None
    assert all(VERSIONS_ORIGIN not in n.origins or n.label != "Document" for n in store.export_json(["Document"]).nodes
               if n.id == v1996.id)  # fmt: skip


def test_plan_keeps_other_issuers_and_news_apart() -> None:
    def doc(i: str, work: str, date: str, issuers: list[str], kind: str = "通知") -> Document:
        return Document(id=i, title=work, work=work, version_date=date, issuers=issuers, kind=kind,  # type: ignore[arg-type]
                        source=f"{i}.txt", sha256=i)  # fmt: skip

    plan = plan_versions([
        doc("a", "关于做好职业院校招生工作的通知", "2021-03-01", ["湖南省教育厅"]),
        doc("b", "关于做好职业院校招生工作的通知", "2022-03-01", ["湖北省教育厅"]),
        doc("c", "关于做好职业院校招生工作的通知", "2023-03-01", ["湖南省教育厅"]),
        doc("n1", "楚怡名单公布", "2022-01-01", [], "新闻"),
        doc("n2", "楚怡名单公布", "2023-01-01", [], "新闻"),
        doc("s1", "职业教育法", "2022-04-20", ["全国人民代表大会常务委员会"]),
        doc("s2", "职业教育法", "2022-04-20", ["全国人民代表大会常务委员会"]),
    ])  # fmt: skip
    assert plan.supersedes == [("c", "a")]
    assert {i for i, s in plan.status.items() if s == "superseded"} == {"a"}


def test_same_text_under_another_name_or_encoding_is_one_document(store: GraphStore, kb: KnowledgeBase,
                                                                  tmp_path: Path) -> None:  # fmt: skip
    folder = tmp_path / "in"
    folder.mkdir()
    text = UNSEEN.read_text(encoding="utf-8")
    (folder / UNSEEN.name).write_text(text, encoding="utf-8")
    (folder / "株洲方案_GBK副本.txt").write_bytes(text.replace("\n", "\r\n").encode("gbk"))
    summary = _pipeline(store, kb).ingest_paths([folder])
    assert summary.ok and summary.documents == 1 and summary.duplicates == 1
    dup = next(f for f in summary.files if f.status == "duplicate")
    assert dup.source.endswith("株洲方案_GBK副本.txt") and dup.duplicate_of == UNSEEN.name
    assert len(store.list_documents()) == 1


def test_folder_walks_skip_what_is_not_a_policy_text(store: GraphStore, kb: KnowledgeBase, tmp_path: Path) -> None:
    folder = tmp_path / "library"
    (folder / "laws").mkdir(parents=True)
    (folder / "laws" / SEED.name).write_bytes(SEED.read_bytes())
    for name in ("README.md", "SOURCES.md", "LICENSE", "CHANGELOG.md", "data.csv", "notes.json", "logo.png"):
        (folder / name).write_text("这不是政策文件。This is not a policy text.\n", encoding="utf-8")
    (folder / ".hidden.txt").write_text("隐藏文件", encoding="utf-8")
    summary = _pipeline(store, kb).ingest_paths([folder])
    assert summary.ok and summary.documents == 1
    skipped = {Path(s.source).name: s.reason for s in summary.skipped}
    assert set(skipped) == {"README.md", "SOURCES.md", "LICENSE", "CHANGELOG.md", "data.csv", "notes.json", "logo.png"}
    assert "not a policy text" in skipped["SOURCES.md"] and "data file" in skipped["data.csv"]
    assert [d.source for d in store.list_documents()] == [SEED.name]
    named = _pipeline(store, kb).ingest_paths([DATA / "README.md"])  # named directly: taken
    assert named.documents == 1 and not named.skipped


def test_an_upload_recomputes_only_its_own_work(
    store: GraphStore, kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pipeline = _pipeline(store, kb)
    old = _law(tmp_path / "laws", "职业教育法(1996-05-15).md", LAW_1996)
    new = _law(tmp_path / "laws", "职业教育法(2022-04-20).md", LAW_2022)
    pipeline.ingest_paths([old, new])
    docs = _by_source(store)
    v1996, v2022 = docs[old.name], docs[new.name]
    origin = versions_origin("职业教育法")
    node = store.get_node(v1996.id)
    assert node is not None and origin in node.origins and VERSIONS_ORIGIN not in node.origins

    read: list[str] = []
    for name in ("list_documents", "export_json"):
        real = getattr(store, name)
        monkeypatch.setattr(store, name, lambda *a, _real=real, _name=name, **k: read.append(_name) or _real(*a, **k))
    before = store.stats()
    plan = refresh_versions(store, ["职业教育法", None])
    assert plan.supersedes == [(v2022.id, v1996.id)] and store.stats() == before  # nothing changed, no write
    assert read == []  # the work's documents through the store's index, not the whole library
    monkeypatch.undo()

    # A store written before per-work origins: one origin for every work. The first refresh that meets it
    # recomputes everything under per-work origins, and the statuses stay.
    store.delete_origin(origin)
    store.upsert_entities(
        [_document_entity(v1996.id, v1996.title, "superseded"), _document_entity(v2022.id, v2022.title, "current")],
        [Relation(source=v2022.id, target=v1996.id, type="SUPERSEDES", evidence=v2022.header_passage_id)],
        VERSIONS_ORIGIN,
    )
    refresh_versions(store, ["职业教育法"])
    node = store.get_node(v1996.id)
    assert node is not None and VERSIONS_ORIGIN not in node.origins and origin in node.origins
    assert [(d.source, d.status) for d in store.list_documents()] == [(old.name, "superseded"), (new.name, "current")]
    (edge,) = store.edges_of(v2022.id, ["SUPERSEDES"], "out")
    assert edge.target == v1996.id
    assert delete_document(store, v2022.id)  # per-work origin cleared first: the document goes whole
    assert store.get_node(v2022.id) is None and _by_source(store)[old.name].status == "current"


def _document_entity(doc_id: str, title: str, status: str) -> Entity:
    return Entity(id=doc_id, label="Document", name=title, properties={"status": status})
