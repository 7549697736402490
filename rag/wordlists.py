"""Word lists kept as data: `rag/data/<name>.txt`, one entry per line, `#` starts a comment."""

from __future__ import annotations

from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def entries(name: str) -> tuple[str, ...]:
    """The non-blank, non-comment lines of `rag/data/<name>.txt`, stripped, in file order.

    Raises:
        FileNotFoundError: no such list.
    """
    path = DATA_DIR / f"{name}.txt"
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return tuple(line for line in lines if line)


def words(name: str) -> list[str]:
    """A list of single words (places, generic words, stop words), duplicates dropped."""
    return list(dict.fromkeys(entries(name)))


def mapping(name: str) -> dict[str, str]:
    """A list of "word term term …" lines as {word: "term term …"}, in file order."""
    out: dict[str, str] = {}
    for line in entries(name):
        word, *terms = line.split()
        out[word] = " ".join(terms)
    return out
