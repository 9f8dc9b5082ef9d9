"""The real pipeline into both stores (embedded and a real Neo4j), with the real embedding model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.store import GraphStore
from graph.text import tokenize
from ingest.embedding import Embedder
from ingest.extraction import org_id, programme_id
from ingest.knowledge import KnowledgeBase
from ingest.pipeline import IngestPipeline
from tests.conftest import SEED, MemoEmbedder
from tests.ingest.conftest import UNSEEN
from tests.ingest.test_extraction import SEED_ISSUERS, SEED_TARGETS


def _pipeline(store: GraphStore, embedder: object, kb: KnowledgeBase, reports: Path | None = None,
              **kw: object) -> IngestPipeline:  # fmt: skip
    return IngestPipeline(store, embedder, max_file_bytes=10**7, progress=False, knowledge=kb,  # type: ignore[arg-type]
                          report_dir=reports, **kw)  # type: ignore[arg-type]  # fmt: skip


def _copy(src: Path, folder: Path, name: str | None = None, edit: tuple[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = src.read_text(encoding="utf-8")
    if edit:
        assert edit[0] in text
        text = text.replace(*edit)
    out = folder / (name or src.name)
    out.write_text(text, encoding="utf-8")
    return out


def test_seed_gold_in_the_store(store: GraphStore, memo_embedder: MemoEmbedder, kb: KnowledgeBase,
                                tmp_path: Path) -> None:  # fmt: skip
    summary = _pipeline(store, memo_embedder, kb, tmp_path / "reports").ingest_paths([SEED])
    assert summary.ok and summary.documents == 1
    assert summary.duplicates_dropped == 40 and summary.passages >= 20
    (doc,) = store.list_documents()
    assert doc.issuers == SEED_ISSUERS and doc.publication == "主动公开"

    issued = store.edges_of(doc.id, ["ISSUED_BY"], "out")
    assert {e.target for e in issued} == {org_id(n) for n in SEED_ISSUERS}
    for edge in issued:
        evidence = store.get_node(edge.evidence[0])
        assert evidence is not None and evidence.label == "Passage"

    assigned = store.edges_of(programme_id("楚怡文化传承基地"), ["ASSIGNED_TO"], "out")
    assert {e.target for e in assigned} == {org_id("湖南工业职业技术学院"), org_id("新化县楚怡工业学校")}
    school = store.get_node(org_id("新化县楚怡工业学校"))
    assert school is not None and school.properties["kind"] == "school" and school.properties["region"] == "新化县"

    targets = set()
    for edge in store.edges_of(doc.id, ["SETS_TARGET"], "out"):
        node = store.get_node(edge.target)
        assert node is not None and node.label == "Target" and edge.evidence
        targets.add((node.properties["quantity"], node.properties["unit"], node.properties["object"]))
    assert targets == SEED_TARGETS

    party = store.keyword_search(tokenize("学校党组织书记队伍建设"), 30)
    assert sum("加强学校党组织书记队伍建设" in h.passage.text for h in party) == 1  # items 5–20: one passage
    groups = store.keyword_search(tokenize("多方参与职教集团"), 3)
    assert "由政府、企业、行业、职业院校等多方参与" in groups[0].passage.text  # the broken sentence, whole

    report = json.loads(Path(summary.files[0].report or "").read_text(encoding="utf-8"))
    assert sum(d["kind"] == "duplicate_paragraph" for d in report["report"]["dropped"]) == 15
    assert report["report"]["joined"][0]["after"].startswith("企业、行业")
    run = json.loads((tmp_path / "reports" / "last-run.json").read_text(encoding="utf-8"))
    assert run["documents"] == 1 and run["duplicates_dropped"] == 40


def test_reingest_changes_nothing(store: GraphStore, memo_embedder: MemoEmbedder, kb: KnowledgeBase) -> None:
    first = _pipeline(store, memo_embedder, kb).ingest_paths([SEED, UNSEEN])
    assert first.ok and first.documents == 2
    before = store.stats()
    again = _pipeline(store, memo_embedder, kb).ingest_paths([SEED, UNSEEN])
    assert again.unchanged == 2 and again.documents == 0
    assert store.stats() == before
    # Even re-processed from scratch, content-derived ids make the same graph.
    forced = _pipeline(store, memo_embedder, kb, force=True).ingest_paths([SEED, UNSEEN])
    assert forced.documents == 2
    assert store.stats() == before


def test_changed_document_replaces_its_passages_and_relations(
    store: GraphStore, memo_embedder: MemoEmbedder, kb: KnowledgeBase, tmp_path: Path
) -> None:
    v1 = _copy(SEED, tmp_path / "v1")
    schools = ("支持湖南工业职业技术学院、新化县楚怡工业学校建设", "支持新化县楚怡工业学校建设")
    v2 = _copy(SEED, tmp_path / "v2", edit=schools)
    v2.write_text(v2.read_text(encoding="utf-8").replace("遴选建设 5 所", "遴选建设 6 所"), encoding="utf-8")
    pipeline = _pipeline(store, memo_embedder, kb)
    assert pipeline.ingest_paths([v1]).documents == 1
    n_passages = store.stats().nodes["Passage"]
    assert pipeline.ingest_paths([v2]).documents == 1
    assert len(store.list_documents()) == 1
    assert store.stats().nodes["Passage"] == n_passages
    targets = {store.get_node(e.target).properties["quantity"]  # type: ignore[union-attr]
               for e in store.edges_of(programme_id("楚怡优秀技工院校"), ["SETS_TARGET"], "out")}  # fmt: skip
    assert targets == {6}
    assigned = {e.target for e in store.edges_of(programme_id("楚怡文化传承基地"), ["ASSIGNED_TO"], "out")}
    assert assigned == {org_id("新化县楚怡工业学校")}
    assert store.get_node(org_id("湖南工业职业技术学院")) is None  # only the old version named it


def test_delete_removes_only_what_the_document_alone_brought(
    store: GraphStore, memo_embedder: MemoEmbedder, kb: KnowledgeBase
) -> None:
    pipeline = _pipeline(store, memo_embedder, kb)
    pipeline.ingest_paths([SEED])
    seed_only = store.stats()
    pipeline.ingest_paths([UNSEEN])
    unseen_doc = next(d for d in store.list_documents() if d.source == UNSEEN.name)
    assert store.get_node(org_id("湖南铁道职业技术学院")) is not None
    assert store.delete_document(unseen_doc.id)
    assert store.get_node(org_id("湖南铁道职业技术学院")) is None
    shared = store.get_node(programme_id("楚怡高水平高职院校"))  # named by both documents
    assert shared is not None
    assigned = {e.target for e in store.edges_of(programme_id("楚怡文化传承基地"), ["ASSIGNED_TO"], "out")}
    assert assigned == {org_id("湖南工业职业技术学院"), org_id("新化县楚怡工业学校")}
    assert store.stats() == seed_only


class _FailingEmbedder:
    """The real model for the first batch, then a failure: an embedding error part-way through a document."""

    def __init__(self, real: Embedder) -> None:
        self.dimension = real.dimension
        self._real = real
        self.calls = 0

    def start(self) -> None:
        self._real.start()

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        if self.calls > 1:
            raise RuntimeError("simulated failure of the embedding model (out of memory on batch 2)")
        return self._real.embed_passages(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._real.embed_query(text)


def test_a_document_is_written_whole_or_not_at_all(
    store: GraphStore, memo_embedder: MemoEmbedder, kb: KnowledgeBase, tmp_path: Path
) -> None:
    v1 = _copy(SEED, tmp_path / "v1")
    v2 = _copy(SEED, tmp_path / "v2", edit=("遴选建设 5 所", "遴选建设 7 所"))
    assert _pipeline(store, memo_embedder, kb).ingest_paths([v1]).ok
    before = store.stats()
    (doc_before,) = store.list_documents()
    failing = _FailingEmbedder(memo_embedder)
    summary = _pipeline(store, failing, kb, embed_batch=8).ingest_paths([v2, UNSEEN])
    assert failing.calls == 3  # v2: batch 1 ok, batch 2 fails; the next file fails on its first batch
    assert [e.error for e in summary.errors] == ["EmbeddingFailed", "EmbeddingFailed"]
    assert "nothing of this document was written" in summary.errors[0].message
    assert store.stats() == before
    assert store.list_documents() == [doc_before]  # the old version, intact


def test_bad_input_is_reported_per_file_and_the_rest_goes_on(
    store: GraphStore, memo_embedder: MemoEmbedder, kb: KnowledgeBase, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    _copy(SEED, folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 64)
    (folder / "gibberish.txt").write_bytes(bytes(range(0x80, 0x100)) * 4)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really a docx")
    (folder / "huge.md").write_text("楚怡" * 3000, encoding="utf-8")
    unknown = tmp_path / "table.xlsx"
    unknown.write_bytes(b"PK\x03\x04")
    summary = IngestPipeline(store, memo_embedder, max_file_bytes=12_000, progress=False, knowledge=kb,
                             report_dir=tmp_path / "reports").ingest_paths([folder, unknown])  # fmt: skip
    assert summary.documents == 1 and not summary.ok
    errors = {Path(e.source).name: e.error for e in summary.errors}
    assert errors == {
        "empty.txt": "EmptyDocument",
        "binary.txt": "DecodeFailed",
        "gibberish.txt": "DecodeFailed",
        "broken.pdf": "CorruptFile",
        "broken.docx": "CorruptFile",
        "huge.md": "FileTooLarge",
        "table.xlsx": "UnsupportedFormat",
    }
    assert all(e.message for e in summary.errors)
    run = json.loads((tmp_path / "reports" / "last-run.json").read_text(encoding="utf-8"))
    assert len(run["errors"]) == 7 and run["documents"] == 1


def test_known_names_stay_whole_for_keyword_search(
    store: GraphStore, memo_embedder: MemoEmbedder, kb: KnowledgeBase
) -> None:
    _pipeline(store, memo_embedder, kb).ingest_paths([UNSEEN])
    tokenize = store.tokenizer.tokenize  # the pipeline teaches the store's own tokenizer
    assert "醴陵市陶瓷烟花职业技术学校" in tokenize("确定醴陵市陶瓷烟花职业技术学校为建设单位")
    assert "湖南工业职业技术学院" in tokenize("支持湖南工业职业技术学院建设")  # from the alias table
    hits = store.keyword_search(tokenize("醴陵市陶瓷烟花职业技术学校"), 3)
    assert hits and "醴陵市陶瓷烟花职业技术学校" in hits[0].passage.text


@pytest.mark.model
@pytest.mark.slow
def test_the_22_laws_ingest_with_chapters_and_articles(
    embedder: Embedder, kb: KnowledgeBase, law_files: list[Path], tmp_path: Path
) -> None:
    from graph.embedded import EmbeddedStore

    store = EmbeddedStore(tmp_path / "data")
    store.start()
    summary = _pipeline(store, embedder, kb, tmp_path / "reports").ingest_paths(law_files)
    assert summary.ok, summary.errors
    assert summary.documents == 22
    stats = store.stats()
    assert stats.nodes["Document"] == 22 and stats.nodes["Section"] > 1000
    assert stats.relationships["PART_OF"] > 900  # 条 under 章
    vet = next(d for d in store.list_documents() if d.source == "职业教育法(2022-04-20).md")
    assert vet.issuers == ["全国人民代表大会常务委员会"]
    hits = store.keyword_search(tokenize("职业学校学生 实习 报酬"), 5, None)
    assert hits and all(h.passage.section_path.split("/")[-1].endswith("条") for h in hits)


def test_a_second_document_does_not_erase_what_the_first_told(
    store: GraphStore, memo_embedder: MemoEmbedder, kb: KnowledgeBase
) -> None:
    pipeline = _pipeline(store, memo_embedder, kb)
    pipeline.ingest_paths([SEED])
    pipeline.ingest_paths([UNSEEN])  # names 楚怡文化传承基地 without defining it
    base = store.get_node(programme_id("楚怡文化传承基地"))
    assert base is not None and "湖湘传统文化教育" in str(base.properties["description"])
    assert "楚怡职业教育文化馆" in base.properties["aliases"]  # type: ignore[operator]
