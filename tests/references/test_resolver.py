"""The resolver over a small hand-built library in the embedded store (no model): works, aliases, versions,
articles, chapters, a plan's outline, 款/项, and what is not there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from graph.models import Document, DocumentBundle, Passage, Section
from search_api.references.catalogue import Library
from search_api.references.parser import parse_references
from search_api.references.reading import QueryReader
from search_api.references.resolver import ReferenceResolver, match_depth
from search_api.references.schemas import ReferenceResolution
from search_api.references.works import status_of, version_date_of, version_label, work_from_title, work_of

ALIASES = Path(__file__).resolve().parents[2] / "corpora" / "knowledge" / "law_aliases.csv"


def _bundle(
    doc_id: str, title: str, source: str, sections: dict[str, str], texts: list[tuple[str, str]]
) -> DocumentBundle:
    doc = Document(id=doc_id, title=title, source=source, sha256=f"sha-{doc_id}")
    secs = [
        Section(id=f"sec:{doc_id}:{path}", doc_id=doc_id, path=path, heading=heading, order=i)
        for i, (path, heading) in enumerate(sections.items())
    ]
    passages = [
        Passage(id=f"psg:{doc_id}:{i}", doc_id=doc_id, section_path=path, text=text, order=i)
        for i, (path, text) in enumerate(texts)
    ]
    return DocumentBundle(document=doc, sections=secs, passages=passages)


VET_1996 = _bundle(
    "doc:vet1996", "中华人民共和国职业教育法", "职业教育法(1996-05-15).md", {},
    [
        ("", "中华人民共和国职业教育法\n1996年5月15日第八届全国人民代表大会常务委员会第十九次会议通过"),
        ("第一章/第三条", "第三条 职业教育是国家教育事业的重要组成部分。"),
    ],
)  # fmt: skip
VET_2022 = _bundle(
    "doc:vet2022", "中华人民共和国职业教育法", "职业教育法(2022-04-20).md", {},
    [
        ("", "中华人民共和国职业教育法\n1996年5月15日…通过\n2022年4月20日第十三届全国人大常委会第三十四次会议修订"),
        ("第一章/第三条", "第三条 职业教育是与普通教育具有同等重要地位的教育类型。"),
    ],
)  # fmt: skip
LABOUR = _bundle(
    "doc:labour", "中华人民共和国劳动法", "劳动法(2018-12-29).md", {"第四章": "第四章 工作时间和休息休假"},
    [
        ("第一章/第三条", "第三条 劳动者享有平等就业和选择职业的权利。"),
        (
            "第三章/第二十五条",
            "第二十五条 劳动者有下列情形之一的，用人单位可以解除劳动合同：\n"
            "（一）在试用期间被证明不符合录用条件的；\n（二）严重违反用人单位的规章制度的；",
        ),
        ("第四章/第三十六条", "第三十六条 国家实行劳动者每日工作时间不超过八小时的工时制度。"),
        ("第四章/第三十七条", "第三十七条 对实行计件工作的劳动者，用人单位应当合理确定其劳动定额。"),
        ("第十三章/第一百零六条", "第一百零六条 省、自治区、直辖市人民政府规定劳动合同制度的实施步骤。"),
        ("第十三章/第一百零六条之一", "第一百零六条之一 这是修正时插入的一条。"),
        ("第十三章/第一百零七条", "第一百零七条 本法自1995年1月1日起施行。"),
    ],
)  # fmt: skip
PLAN = _bundle(
    "doc:plan", "湖南省职业教育楚怡行动计划", "湖南省职业教育楚怡行动计划_五部门.txt", {},
    [
        ("二/（一）/2", "2.建设一批“楚怡”文化传承基地。建设20个文化传承基地。"),
        ("三/（一）/2", "2.健全党的领导机制。"),
    ],
)  # fmt: skip


@pytest.fixture
def resolver(tmp_path: Path) -> Iterator[ReferenceResolver]:
    store = EmbeddedStore(tmp_path / "data")
    store.start()
    for bundle in (VET_1996, VET_2022, LABOUR, PLAN):
        store.upsert_document(bundle)
    yield ReferenceResolver(Library(store, ALIASES))
    store.close()


def _resolve(resolver: ReferenceResolver, question: str) -> ReferenceResolution:
    return resolver.resolve(parse_references(question)[0])


def test_works_and_versions_from_title_and_file_name() -> None:
    assert work_from_title("中华人民共和国职业教育法") == "职业教育法"
    assert work_from_title("北京市实施《中华人民共和国职业教育法》办法") == "北京市实施职业教育法办法"
    assert work_from_title("中华人民共和国职业教育法（2022年修订）") == "职业教育法"
    assert work_of(VET_1996.document) == work_of(VET_2022.document) == "职业教育法"
    assert version_date_of(VET_2022.document) == "2022-04-20"
    assert version_label("2022-04-20", VET_2022.passages[0].text) == "2022年4月20日修订"
    assert version_label("1996-05-15", VET_1996.passages[0].text) == "1996年5月15日通过"
    assert version_label("2020-01-02", "") == "2020年1月2日版"


def test_contract_fields_win_over_derived_ones() -> None:
    class LibraryDocument(Document):  # the fields ingest writes once the library contract lands
        work: str | None = None
        version_date: str | None = None
        status: str = "current"

    doc = LibraryDocument(
        id="d",
        title="某法（草案）",
        source="x.md",
        sha256="s",
        work="某法",
        version_date="2001-02-03",
        status="superseded",
    )
    assert work_of(doc) == "某法" and version_date_of(doc) == "2001-02-03"
    assert status_of(doc) == "superseded"  # ingest's status (tests/api/test_library.py: the real ingest path)
    # Document.status defaults to "current": without the library fields it says nothing, the versions decide.
    assert status_of(VET_1996.document) is None


def test_the_newest_version_is_current(resolver: ReferenceResolver) -> None:
    library = resolver._library
    assert library.status("doc:vet2022") == "current" and library.status("doc:vet1996") == "superseded"
    assert library.version("doc:vet2022").cited_as == "《中华人民共和国职业教育法》（2022年4月20日修订）"  # type: ignore[union-attr]
    assert library.version("doc:labour").cited_as == "《中华人民共和国劳动法》"  # type: ignore[union-attr]


def test_the_status_ingest_wrote_wins_over_the_derived_one(tmp_path: Path) -> None:
    """Two notices with one title from different bodies: ingest's versions keep both current (their
    issuers differ), where the title and dates alone would supersede the older one."""
    store = EmbeddedStore(tmp_path / "data")
    store.start()
    try:
        for doc_id, issuer, date in (("doc:a", "湖南省教育厅", "2021-03-01"), ("doc:b", "湖南省财政厅", "2022-03-01")):
            bundle = _bundle(doc_id, "关于做好职业教育工作的通知", f"{doc_id}.txt", {}, [("", "正文。")])
            bundle.document = bundle.document.model_copy(
                update={"work": "关于做好职业教育工作的通知", "version_date": date, "issuers": [issuer]}
            )
            store.upsert_document(bundle)
        library = Library(store, ALIASES)
        assert library.status("doc:a") == library.status("doc:b") == "current"
    finally:
        store.close()


@pytest.mark.parametrize(
    "question", ["劳动法第三十六条", "劳动法第36条", "《中华人民共和国劳动法》第三十六条", "劳动法第四章第三十六条"]
)
def test_an_article_by_any_name_and_numeral(resolver: ReferenceResolver, question: str) -> None:
    found = _resolve(resolver, question)
    assert found.status == "found" and found.sections == ["第四章/第三十六条"]
    assert found.label == "《中华人民共和国劳动法》第三十六条"
    assert [p.id for p in found.passages] == ["psg:doc:labour:2"]


def test_current_version_unless_a_year_or_an_older_one_is_asked(resolver: ReferenceResolver) -> None:
    assert _resolve(resolver, "职教法第三条").document.id == "doc:vet2022"  # type: ignore[union-attr]
    assert _resolve(resolver, "现行职业教育法第三条").document.id == "doc:vet2022"  # type: ignore[union-attr]
    for question in (
        "1996年的职业教育法第三条",
        "旧版职业教育法第三条",
        "修订前的职业教育法第三条",
        "2010年职业教育法第三条",
    ):
        found = _resolve(resolver, question)
        assert found.document.id == "doc:vet1996", question  # type: ignore[union-attr]
        assert found.label.startswith("《中华人民共和国职业教育法》（1996年5月15日通过）第三条")


def test_an_amended_article_is_its_own(resolver: ReferenceResolver) -> None:
    found = _resolve(resolver, "劳动法第一百零六条之一")
    assert found.status == "found" and found.sections == ["第十三章/第一百零六条之一"]
    plain = _resolve(resolver, "劳动法第一百零六条")
    assert plain.sections == ["第十三章/第一百零六条"]


def test_a_chapter_holds_its_articles_and_names_its_heading(resolver: ReferenceResolver) -> None:
    found = _resolve(resolver, "劳动法第四章")
    assert found.status == "found" and len(found.passages) == 2
    assert found.label == "《中华人民共和国劳动法》第四章 工作时间和休息休假"


def test_clauses_and_items(resolver: ReferenceResolver) -> None:
    item = _resolve(resolver, "劳动法第二十五条第一款第二项")
    assert item.status == "found" and item.excerpt == "（二）严重违反用人单位的规章制度的；"
    missing = _resolve(resolver, "劳动法第三十六条第三款")
    assert missing.status == "not_found" and "没有第三款" in missing.message


def test_a_plan_outline(resolver: ReferenceResolver) -> None:
    found = _resolve(resolver, "楚怡行动计划二（一）2")
    assert found.status == "found" and found.sections == ["二/（一）/2"]
    assert _resolve(resolver, "二（一）2").document.id == "doc:plan"  # type: ignore[union-attr]  # only one has it
    both = _resolve(resolver, "楚怡行动计划（一）2")
    assert both.sections == ["二/（一）/2", "三/（一）/2"]


def test_what_is_not_there_says_so(resolver: ReferenceResolver) -> None:
    too_far = _resolve(resolver, "劳动法第九千条")
    assert too_far.status == "not_found"
    assert too_far.message == "资料中没有找到《中华人民共和国劳动法》第九千条：该法共一百零七条。"
    unknown = _resolve(resolver, "刑法第二百六十二条之二")
    assert unknown.status == "not_found" and "资料库没有收录《刑法》" in unknown.message
    foreign = _resolve(resolver, "日本职业教育法第三条")
    assert foreign.status == "not_found" and "日本职业教育法" in foreign.message
    early = _resolve(resolver, "1990年的职业教育法第三条")
    assert early.status == "not_found" and "1996年5月15日通过" in early.message
    only = _resolve(resolver, "旧版劳动法第三十六条")
    assert only.status == "not_found" and "只有它的一个版本" in only.message


def test_a_bare_locator_is_ambiguous_in_a_library_and_settled_by_a_scope(resolver: ReferenceResolver) -> None:
    ref = parse_references("第三条")[0]
    assert resolver.resolve(ref).status == "ambiguous"
    assert {c.id for c in resolver.resolve(ref).candidates} == {"doc:vet2022", "doc:labour"}  # current ones
    scoped = resolver.resolve(ref, resolver._library.version("doc:vet1996"))
    assert scoped.status == "found" and scoped.document.id == "doc:vet1996"  # type: ignore[union-attr]
    deictic = resolver.resolve(parse_references("本法第三十六条")[0], resolver._library.version("doc:labour"))
    assert deictic.status == "found"


def test_a_reading_means_the_version_asked_for(resolver: ReferenceResolver) -> None:
    reader = QueryReader(resolver._library, resolver)
    assert reader.read("职业教育法规定的职业教育地位").meant == {"职业教育法": "doc:vet2022"}
    assert reader.read("1996年职业教育法规定的职业教育地位").meant == {"职业教育法": "doc:vet1996"}
    pinned = reader.read("劳动法第三十六条和第三十七条").pinned()
    assert [p.section_path for p in pinned] == ["第四章/第三十六条", "第四章/第三十七条"]


def test_match_depth() -> None:
    refs = parse_references("第四章")[0].law_parts
    assert match_depth(refs, "第四章/第三十六条") == 1
    assert match_depth(refs, "第五章/第四十条") is None
    outline = parse_references("二（一）2")[0].law_parts
    assert match_depth(outline, "二/（一）/2/（1）") == 3
    assert match_depth(outline, "二/（二）/2") is None
