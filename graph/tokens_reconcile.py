"""Keeps the embedded store's indexed tokens in step with its Tokenizer.

The store records the tokenizer's names and version with the passages' tokens. When the tokenizer has
learnt names since (store.tokenizer.add_words, or names the store recorded earlier being taught back at
start), only passages whose text contains a new name can segment differently (graph.text keeps jieba's
dictionary total fixed for that reason), so only those are re-tokenised. They are found through the
keyword index itself: every bigram of a passage's Chinese text is one of its tokens, so a passage that
contains a name holds all of the name's bigrams. A new tokenisation algorithm re-tokenises everything.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graph.keyword_index import KeywordIndex, encode_terms, term_hash
from graph.persistence import Database, Txn
from graph.text import ALGORITHM, Tokenizer, bigrams


@dataclass
class Plan:
    version: str
    words: frozenset[str]
    redo: list[tuple[int, bytes, int]]  # (row, terms, length) to write


class TokenReconciler:
    def __init__(self, db: Database, tokenizer: Tokenizer) -> None:
        self._db = db
        self._tokenizer = tokenizer
        self._stored: frozenset[str] = frozenset()
        self._version = ""

    def load(self) -> None:
        self._stored = frozenset(self._db.tokenizer_words())
        self._version = self._db.meta("tokenizer_version")
        self._tokenizer.add_words(self._stored)  # names only accumulate

    def up_to_date(self) -> bool:
        return self._tokenizer.version == self._version

    def pending(self, keywords: KeywordIndex) -> Plan | None:
        """What must be re-tokenised for the tokenizer as it is now; None when nothing changed."""
        version = self._tokenizer.version
        if version == self._version:
            return None
        words = self._tokenizer.words
        new = words - self._stored
        if self._version and self._version.split(":")[0] != str(ALGORITHM):
            texts = self._db.passage_texts(self._db.all_passage_rows())
            affected = texts
        else:
            texts = self._db.passage_texts(sorted(self._candidates(new, keywords)))
            affected = [(row, text) for row, text in texts if any(w in text for w in new)]
        redo = []
        for row, text in affected:
            tokens = self._tokenizer.search_tokens(text)
            redo.append((row, encode_terms(tokens), len(tokens)))
        return Plan(version, words, redo)

    def _candidates(self, words: frozenset[str], keywords: KeywordIndex) -> set[int]:
        rows: set[int] = set()
        for word in words:
            grams = sorted(set(bigrams(word)))
            if grams:
                found = keywords.rows_with_all([term_hash(g) for g in grams])
                rows.update(int(r) for r in np.asarray(found))
            else:
                rows.update(r for r, _ in self._db.passage_texts(containing=word))
        return rows

    def rewrite(self, txn: Txn, plan: Plan) -> None:
        txn.wrote |= bool(plan.redo)
        txn.conn.executemany(
            "UPDATE passages SET terms=?, length=?, tok_rev=? WHERE row=?",
            [(terms, length, txn.revision, row) for row, terms, length in plan.redo],
        )
        txn.conn.executemany(
            "INSERT OR IGNORE INTO tokenizer_words VALUES (?)", [(w,) for w in sorted(plan.words - self._stored)]
        )
        txn.set_meta("tokenizer_version", plan.version)

    def done(self, plan: Plan) -> None:
        """After the rewrite committed."""
        self._stored = plan.words
        self._version = plan.version
