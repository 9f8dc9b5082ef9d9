"""The pipeline's lookups of stored documents by text and by work (no scan of the whole library per file)."""

from graph.models import Document
from ingest.pipeline import StoredDocuments


def _doc(doc_id: str, sha: str | None, work: str | None) -> Document:
    return Document(id=doc_id, title=doc_id, source=f"{doc_id}.md", sha256=doc_id, text_sha256=sha, work=work)


def test_first_document_with_a_text_wins_and_a_replaced_one_keeps_its_place() -> None:
    stored = StoredDocuments([_doc("a", "t1", None), _doc("b", "t1", None), _doc("c", "t2", "职业教育法")])
    assert stored.with_text("t1").id == "a"  # type: ignore[union-attr]
    stored.add(_doc("a", "t3", None))  # a re-ingested with another text
    assert stored.with_text("t1").id == "b"  # type: ignore[union-attr]
    assert stored.with_text("t3").id == "a"  # type: ignore[union-attr]
    stored.add(_doc("b", "t3", None))
    assert stored.with_text("t3").id == "a"  # type: ignore[union-attr]  # a came first
    assert stored.with_text("t1") is None


def test_versions_of_a_work_in_order_and_moved_when_the_work_changes() -> None:
    stored = StoredDocuments([_doc("law-2022", "x", "职业教育法"), _doc("other", "y", "教育法")])
    stored.add(_doc("law-1996", "z", "职业教育法"))
    assert [d.id for d in stored.of_work("职业教育法")] == ["law-2022", "law-1996"]
    assert stored.of_work(None) == []
    stored.add(_doc("law-1996", "z", "教育法"))
    assert [d.id for d in stored.of_work("职业教育法")] == ["law-2022"]
    assert [d.id for d in stored.of_work("教育法")] == ["other", "law-1996"]
