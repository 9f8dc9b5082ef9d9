"""Tokenisation for both keyword indexes, and Lucene's document-length encoding."""

from __future__ import annotations

from graph import text
from graph.keyword_index import lucene_length
from graph.text import Tokenizer, search_tokens, tokenize


def test_known_names_come_whole_and_in_parts() -> None:
    tokenizer = Tokenizer(["湖南省教育厅", "楚怡高水平高职院校", "楚怡"])
    tokens = tokenizer.tokenize("湖南省教育厅支持楚怡高水平高职院校建设")
    for word in ("湖南省教育厅", "教育厅", "湖南省", "楚怡高水平高职院校", "楚怡", "高职", "院校"):
        assert word in tokens, word
    assert len(tokens) == len(set(tokens)), "a part is never emitted twice for one name"


def test_unknown_prefix_name_still_yields_its_known_parts() -> None:
    # 楚怡 is a known name inside the longer one (the shared tokenizer this test once used had learnt it
    # in the test above).
    tokenizer = Tokenizer(["楚怡", "楚怡工匠计划", "50所楚怡工匠学校"])
    assert "楚怡" in tokenizer.tokenize("建成50所楚怡工匠学校")


def test_stop_words_punctuation_and_case() -> None:
    assert tokenize("的、和，。！") == []
    assert tokenize("BIM技术") == ["bim", "技术"]


def test_lucene_length_matches_smallfloat() -> None:
    # Values from Lucene's SmallFloat.byte4ToInt(intToByte4(n)): exact below 40, then four significant bits.
    exact = list(range(40))
    assert [lucene_length(n) for n in exact] == exact
    assert [lucene_length(n) for n in (40, 41, 42, 43, 55, 56, 57, 100, 1000)] == [40, 40, 42, 42, 54, 56, 56, 96, 984]
    assert all(lucene_length(n) <= lucene_length(n + 1) for n in range(5000))


def test_search_tokens_add_bigrams_across_word_boundaries() -> None:
    tokens = search_tokens("职业院校办学能力包含技工学校")
    assert "含技" in tokens and "技工" in tokens
    assert tokens.count("技工") == 1, "a bigram that is already a word is not added again"
    assert search_tokens("") == [] and search_tokens("BIM") == ["bim"]


NAME = "甲乙丙丁戊基地"  # a made-up name no dictionary holds


def test_tokenizer_objects_own_their_names() -> None:
    import jieba

    knows, blank = Tokenizer([NAME]), Tokenizer()
    assert NAME in knows.tokenize(f"建设{NAME}的方案")
    assert NAME not in blank.tokenize(f"建设{NAME}的方案")
    assert NAME not in jieba.lcut(f"建设{NAME}的方案"), "jieba's process-wide dictionary is never taught"


def test_tokenizer_version_names_its_words_in_any_order() -> None:
    a, b = Tokenizer(["楚怡工匠计划", NAME]), Tokenizer([NAME, "楚怡工匠计划"])
    assert a.version == b.version and a.words == b.words
    before = a.version
    assert a.add_words([NAME, " ", "x"]) == frozenset()  # known, blank, too short: nothing new
    assert a.version == before
    assert a.add_words(["乙丙丁计划"]) == {"乙丙丁计划"}
    assert a.version != before


def test_a_new_name_leaves_texts_without_it_as_they_were() -> None:
    """Names are added without re-weighing jieba's dictionary, so only texts that contain one change."""
    texts = ["湖南省教育厅推动职业院校办学能力提升，含技工院校。", "到2025年建成50所楚怡高水平高职院校。"]
    tk = Tokenizer()
    before = [tk.search_tokens(t) for t in texts]
    tk.add_words([f"{NAME}{i}号" for i in range(200)])
    assert [tk.search_tokens(t) for t in texts] == before


def test_no_tokenizer_is_shared_and_the_module_functions_learn_nothing() -> None:
    """Each store owns its tokenizer; the module-level functions know jieba's base dictionary only, so a
    name taught to one tokenizer changes no other and no module-level result."""
    assert not hasattr(text, "add_words") and not hasattr(text, "shared_tokenizer")
    sample = f"建设{NAME}，湖南省教育厅支持楚怡高水平高职院校建设"
    before = (tokenize(sample), search_tokens(sample))
    taught = Tokenizer([NAME, "楚怡高水平高职院校"])
    assert NAME in taught.tokenize(sample)
    assert (tokenize(sample), search_tokens(sample)) == before
    assert before == (Tokenizer().tokenize(sample), Tokenizer().search_tokens(sample))
    assert NAME not in before[0]
