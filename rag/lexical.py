"""The lexical leg: BM25 (bm25s) over jieba tokens.

Unit names and section titles found at index time are added to the dictionary of this module's
own jieba tokenizer, so "综合行政执法队" or "太行一号项目部" stay one token instead of being cut into
pieces. (Not to jieba's shared default tokenizer: the parser cuts words with it, and a notice must
parse the same whether or not an index was loaded before it in the same process.)
"""

from __future__ import annotations

import logging
import re
import threading

import numpy as np

from index.units import to_simplified
from rag.wordlists import words

_STOP = frozenset(words("stopwords"))  # rag/data/stopwords.txt
_TOKEN = re.compile(r"[\u4e00-\u9fa5]+|[A-Za-z]+|\d+(?:\.\d+)?%?")
_JIEBA_LOCK = threading.Lock()
_ADDED: set[str] = set()
_TOKENIZER = None


def _jieba():
    """The retrieval's own jieba tokenizer (created once)."""
    global _TOKENIZER
    if _TOKENIZER is None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        with _JIEBA_LOCK:
            if _TOKENIZER is None:
                _TOKENIZER = jieba.Tokenizer()
    return _TOKENIZER


def add_words(words) -> None:
    """Teach jieba the unit names and section titles of the index (idempotent)."""
    jieba = _jieba()
    with _JIEBA_LOCK:
        for w in words:
            w = w.strip()
            if 2 <= len(w) <= 20 and w not in _ADDED:
                jieba.add_word(w, freq=20000)
                _ADDED.add(w)


def tokenize(text: str) -> list[str]:
    """jieba tokens without punctuation and stop words."""
    jieba = _jieba()
    tokens: list[str] = []
    for tok in jieba.lcut(to_simplified(text)):  # one script: traditional notices match simplified questions
        tok = tok.strip().lower()
        if tok and tok not in _STOP and _TOKEN.search(tok):
            tokens.append(tok)
    return tokens


class LexicalIndex:
    """BM25 over a fixed list of texts; scores every text for a query."""

    def __init__(self, texts: list[str]) -> None:
        import bm25s

        self._bm25 = bm25s.BM25()
        corpus = [tokenize(t) or ["\u2400"] for t in texts]
        self._bm25.index(corpus, show_progress=False)
        self.df: dict[str, int] = {}  # in how many texts each token occurs
        for tokens in corpus:
            for tok in set(tokens):
                self.df[tok] = self.df.get(tok, 0) + 1
        self._size = len(texts)

    @property
    def vocabulary(self):
        """The tokens of the indexed texts (a dict's key view: O(1) membership)."""
        return self._bm25.vocab_dict.keys()

    def scores(self, query: str) -> np.ndarray:
        tokens = [t for t in tokenize(query) if t in self._bm25.vocab_dict]
        if not tokens:
            return np.zeros(self._size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)
