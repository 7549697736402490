"""What the web layer needs from an assistant: the `AnswerService` protocol.

`rag.answer.Assistant` implements it; `app.py`'s stand-in for a missing index and test doubles
may too. web/ is typed against this protocol, not against `Assistant`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from rag.retrieve import Filters
    from rag.types import Answer, Citation, TaskPage


class AnswerService(Protocol):
    """Answers questions and lists what the index holds."""

    def ask(self, question: str, history: list[dict] | None = None, filters: Filters | None = None) -> Answer: ...

    def ask_stream(
        self, question: str, history: list[dict] | None = None, filters: Filters | None = None
    ) -> Iterator[str | Answer]: ...

    def units(self) -> list[dict[str, Any]]: ...

    def documents(self) -> list[dict[str, Any]]: ...

    def clauses(self, doc_id: str | None = None) -> list[Citation]: ...

    def tasks(self, unit: str, filters: Filters | None = None) -> list[Citation]: ...

    def task_page(
        self, unit: str, filters: Filters | None = None, offset: int = 0, limit: int | None = None
    ) -> TaskPage: ...

    def health(self) -> dict[str, Any]: ...

    def refresh(self) -> bool: ...
