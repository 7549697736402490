"""The plain RAG recipe we compare against, on the same machine with the same embedder.

Recipe: LangChain ``RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50)``
over the raw text of each notice, an in-memory Chroma collection (embeddings
passed explicitly, never Chroma's default embedding function), top-4 chunks.
The "answer" is the retrieved chunks joined with ``[1]..[4]`` markers (on every
sentence of a chunk), its units
are every known unit name that occurs in those chunks, and it never refuses.
It exposes the runner's interface: ``retrieve(question, k) -> list[Hit]`` and
``ask(question, history) -> Answer``.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rag.types import Answer, Citation, Hit
from rag.verify import split_sentences

CHUNK_SIZE = 500
CHUNK_OVERLAP = 50
TOP_K = 4


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    doc_id: str
    index: int
    text: str


def read_notice(path: Path) -> str:
    """Raw text of a notice: ``index.read.read_text`` when the project has it, else UTF-8."""
    try:
        from index.read import read_text
    except ImportError:
        return path.read_text(encoding="utf-8")
    return read_text(path)


def split_corpus(corpus: Path) -> list[Chunk]:
    """Split every ``*.txt`` notice of ``corpus`` into recursive-character chunks."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
    chunks: list[Chunk] = []
    for path in sorted(corpus.glob("*.txt")):
        for i, text in enumerate(splitter.split_text(read_notice(path))):
            digest = hashlib.sha256(f"{path.stem}\x00{i}\x00{text}".encode()).hexdigest()[:20]
            chunks.append(Chunk(digest, path.stem, i, text))
    if not chunks:
        raise ValueError(f"no .txt notices in {corpus}")
    return chunks


class Baseline:
    """Chunk + embed + top-k, with no clause structure, unit logic or refusal."""

    name = "baseline"

    def __init__(self, chunks: list[Chunk], embedder, unit_names: Iterable[str] = (), k: int = TOP_K):
        import chromadb
        from chromadb.config import Settings

        if k < 1:
            raise ValueError("k must be at least 1")
        self.k = k
        self.embedder = embedder
        self.unit_names = sorted({u for u in unit_names if u}, key=lambda u: (-len(u), u))
        self._chunks = {c.chunk_id: c for c in chunks}
        key = hashlib.sha256(
            (getattr(embedder, "name", "?") + "".join(c.chunk_id for c in chunks)).encode()
        ).hexdigest()[:16]
        client = chromadb.EphemeralClient(settings=Settings(anonymized_telemetry=False))
        name = f"baseline-{key}"
        if name in {c.name for c in client.list_collections()}:
            client.delete_collection(name)
        self._collection = client.create_collection(
            name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
        )
        texts = [c.text for c in chunks]
        self._collection.add(
            ids=[c.chunk_id for c in chunks],
            embeddings=embedder.embed_documents(texts),
            documents=texts,
            metadatas=[{"doc_id": c.doc_id, "chunk": c.index} for c in chunks],
        )

    @classmethod
    def build(
        cls,
        corpus: Path | None = None,
        embedder=None,
        unit_names: Iterable[str] = (),
        k: int = TOP_K,
    ) -> Baseline:
        """Baseline over ``corpus`` (default: the index settings' corpus) with the "use" embedder."""
        if corpus is None:
            from index.settings import IndexSettings

            corpus = IndexSettings.from_env().corpus
        if embedder is None:
            from index.embed import get_embedder

            embedder = get_embedder("use")
        return cls(split_corpus(Path(corpus)), embedder, unit_names, k)

    def retrieve(self, question: str, k: int | None = None, filters=None) -> list[Hit]:
        """Top-``k`` chunks by cosine similarity (``filters`` is accepted and ignored).

        The question is embedded with ``embed_documents`` (the same model call as
        ``embed_query``) so that it never hits the query cache our assistant filled
        for the same question, which would make the baseline's latency look unreal.
        """
        n = min(k or self.k, len(self._chunks))
        result = self._collection.query(
            query_embeddings=[self.embedder.embed_documents([question])[0]],
            n_results=n,
            include=["documents", "metadatas", "distances"],
        )
        hits = []
        for cid, text, meta, dist in zip(
            result["ids"][0], result["documents"][0], result["metadatas"][0], result["distances"][0]
        ):
            metadata = {"doc_id": meta["doc_id"], "doc_title": meta["doc_id"], "chunk": meta["chunk"],
                        "section": "", "units": self.units_in(text), "lead_units": []}
            hits.append(Hit(clause_id=cid, text=text, metadata=metadata, score=1.0 - float(dist)))
        return hits

    def units_in(self, text: str) -> list[str]:
        """Every known unit name occurring in ``text``, longest names first."""
        return [u for u in self.unit_names if u in text]

    def ask(self, question: str, history: list[dict] | None = None, filters=None) -> Answer:
        """The top-k chunks as the answer; every sentence of chunk ``n`` carries ``[n]``.

        Marking each sentence (not just the chunk's end) lets the grounding checks
        judge the baseline on what it quotes rather than on where its marker sits.
        """
        start = time.perf_counter()
        hits = self.retrieve(question, self.k)
        citations = [
            Citation(n=n, doc_id=h.metadata["doc_id"], doc_title=h.metadata["doc_title"],
                     doc_number=None, issuer=None, date=None, section="", text=h.text,
                     units=list(h.metadata["units"]), lead_units=[], clause_id=h.clause_id)
            for n, h in enumerate(hits, start=1)
        ]
        units = list(dict.fromkeys(u for c in citations for u in c.units))
        text = "\n".join(
            "".join(f"{sentence}[{c.n}]" for sentence in split_sentences(c.text)) for c in citations
        )
        return Answer(question=question, answer=text, refused=False, intent="baseline",
                      units=units, citations=citations, mode="baseline",
                      latency_ms=(time.perf_counter() - start) * 1000)
