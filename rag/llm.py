"""LLM answer mode: write an answer from cited clauses, verify it, else show the extractive one.

The model sees at most `max_passages` clauses, numbered [1]..[n] as in the extractive
answer. Its reply is shown only if `rag.verify.verify_answer` accepts it (every sentence
cited, every citation known, every number present in the cited clause, sentences
supported) and it gives no unit a 牵头 role the clauses do not give it. Otherwise, and on
any endpoint failure, the extractive answer is returned with the reason in
`Answer.verification`.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
import string
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import openai

from rag.settings import LLMSettings
from rag.types import REFUSAL, Answer, Citation
from rag.verify import citation_markers, strip_markers, verify_answer

if TYPE_CHECKING:
    from langchain_core.runnables import Runnable

logger = logging.getLogger("rag.llm")

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"
SYSTEM_VARS = frozenset({"refusal"})
USER_VARS = frozenset({"question", "context", "history"})
_BEARER = re.compile(r"(Bearer\s+)\S+", re.IGNORECASE)


class LLMUnavailable(RuntimeError):
    """The endpoint failed, timed out or replied with nothing. The message holds no secrets."""


def load_prompt(name: str, required_vars: Iterable[str], prompts_dir: Path | None = None) -> str:
    """Load `prompts/<name>.txt` and check its `{variables}` at load time.

    Args:
        name: file stem (or file name) under the prompts directory.
        required_vars: variables the template must use; it may use no others
            (literal braces are written `{{` `}}`).
        prompts_dir: directory to load from; defaults to the repository's prompts/.

    Returns:
        The template text.

    Raises:
        ValueError: the file is missing, or a variable is missing or unknown.
    """
    path = (prompts_dir or PROMPTS_DIR) / (name if name.endswith(".txt") else f"{name}.txt")
    if not path.is_file():
        raise ValueError(f"prompt file not found: {path}")
    text = path.read_text(encoding="utf-8")
    try:
        found = {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    except ValueError as exc:
        raise ValueError(f"prompt {path.name} is not a valid template: {exc}") from None
    required = set(required_vars)
    if missing := required - found:
        raise ValueError(f"prompt {path.name} is missing required variable(s): {', '.join(sorted(missing))}")
    if unknown := found - required:
        raise ValueError(
            f"prompt {path.name} uses unknown variable(s): {', '.join(sorted(unknown))}; "
            "write literal braces as {{ and }}"
        )
    return text


def select_passages(citations: list[Citation], max_passages: int = 6) -> list[Citation]:
    """The first `max_passages` citations, numbered 1..k in order (the numbers the model sees)."""
    return [c if c.n == i else dataclasses.replace(c, n=i) for i, c in enumerate(citations[:max_passages], 1)]


def _truncate(text: str, limit: int) -> str:
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind("。"), cut.rfind("；"), cut.rfind(";"))
    return (cut[: end + 1] if end >= limit // 2 else cut) + "…"


def passage_text(c: Citation, max_chars: int = 1200) -> str:
    """One passage as the model sees it: `《title》 section（units）` then the (cut) clause text."""
    return dataclasses.replace(c, text=_truncate(c.text, max_chars)).passage


def format_context(passages: list[Citation], max_chars: int = 1200) -> str:
    """Numbered passages `[n] …`, separated by blank lines."""
    return "\n\n".join(f"[{c.n}] {passage_text(c, max_chars)}" for c in passages)


def format_history(history: list[dict] | None, max_messages: int = 6, max_chars: int = 300) -> str:
    """Recent turns as plain text (data for the model, never instructions)."""
    lines = []
    for turn in (history or [])[-max_messages:]:
        if "content" in turn:
            who = "用户" if turn.get("role", "user") == "user" else "助手"
            lines.append(f"{who}：{_truncate(str(turn['content']), max_chars)}")
        else:
            if turn.get("question"):
                lines.append(f"用户：{_truncate(str(turn['question']), max_chars)}")
            if turn.get("answer"):
                lines.append(f"助手：{_truncate(str(turn['answer']), max_chars)}")
    return "\n".join(lines) or "（无）"


def _refusal_kind(text: str) -> str:
    """ "pure" if the reply is the refusal sentence (citations ignored), "mixed" if it contains it."""
    body, core = strip_markers(text).strip(), REFUSAL.rstrip("。")
    if body.rstrip("。. ") == core:
        return "pure"
    return "mixed" if core in body else ""


def _role_errors(text: str, passages: list[Citation]) -> list[str]:
    """Units the answer calls 牵头 although no passage makes them lead."""
    lead = {u for c in passages for u in c.lead_units}
    errors = []
    for unit in sorted({u for c in passages for u in c.units} - lead, key=len, reverse=True):
        u = re.escape(unit)
        if re.search(rf"{u}[^。；;，,！？!?\n]{{0,30}}?牵头|牵头单位[^。；;，,！？!?\n]{{0,30}}?{u}", text):
            errors.append(unit)
    return errors


def _reason(v: Any, role_errors: list[str]) -> str:
    parts = []
    if unknown := list(getattr(v, "unknown_citations", []) or []):
        parts.append("cites passages that were not given: " + " ".join(f"[{n}]" for n in unknown))
    if numbers := list(getattr(v, "missing_numbers", []) or []):
        parts.append("numbers not in the cited passages: " + "、".join(map(str, numbers)))
    if uncited := list(getattr(v, "uncited_sentences", []) or []):
        parts.append(f"{len(uncited)} sentence(s) without a citation")
    if unsupported := list(getattr(v, "unsupported_sentences", []) or []):
        parts.append(f"{len(unsupported)} sentence(s) not supported by the cited passages")
    if role_errors:
        parts.append("called lead (牵头) but not lead in the passages: " + "、".join(role_errors))
    if not parts and not getattr(v, "citation_valid", True):
        parts.append("no valid citation")
    return "; ".join(parts) or "verification failed"


def fallback(extractive: Answer, reason: str, **details: Any) -> Answer:
    """The extractive answer, marked with why the LLM answer is not shown; logs the reason."""
    logger.warning("LLM answer not used, showing extractive answer: %s", reason)
    return dataclasses.replace(extractive, verification={"fallback": True, "reason": reason, **details})


def verify_and_choose(
    llm_text: str,
    citations: list[Citation],
    extractive: Answer,
    *,
    max_passages: int = 6,
    max_passage_chars: int = 1200,
) -> Answer:
    """Show the LLM answer if it is grounded in the passages it was given, else the extractive one.

    Args:
        llm_text: the model's full reply.
        citations: the citations passed to `LLMAnswerer.answer`/`stream` (selected the same way).
        extractive: the extractive answer for the same question.
        max_passages: as in the settings used to ask the model.
        max_passage_chars: as in the settings used to ask the model.

    Returns:
        An `Answer` with mode "llm" and `verification` = the checks, or the extractive
        answer with `verification = {"fallback": True, "reason": ..., ...}`.
    """
    passages = select_passages(citations, max_passages)
    text = (llm_text or "").strip()
    if not passages:
        return fallback(extractive, "no passages to ground an answer")
    if not text:
        return fallback(extractive, "empty reply from the LLM")
    refusal = _refusal_kind(text)
    if refusal == "mixed":
        return fallback(extractive, "LLM reply mixes the refusal sentence with an answer", llm_answer=text)
    if refusal:
        if extractive.refused:
            return dataclasses.replace(
                extractive,
                answer=REFUSAL,
                refused=True,
                units=[],
                citations=[],
                mode="llm",
                verification={"ok": True, "refusal": True},
            )
        return fallback(extractive, "LLM refused but the passages answer the question", llm_answer=text)
    if extractive.refused:
        return fallback(extractive, "question was refused; LLM answer not shown", llm_answer=text)

    v = verify_answer(text, {c.n: passage_text(c, max_passage_chars) for c in passages})
    checks = dataclasses.asdict(v) if dataclasses.is_dataclass(v) else dict(vars(v))
    role_errors = _role_errors(text, passages)
    if not v.ok or role_errors:
        return fallback(
            extractive, _reason(v, role_errors), llm_answer=text, role_errors=role_errors, **checks
        )
    cited_ns = set(citation_markers(text))
    cited = [c for c in passages if c.n in cited_ns]
    cited_units = {u for c in cited for u in c.units}
    return dataclasses.replace(
        extractive,
        answer=text,
        refused=False,
        units=[u for u in extractive.units if u in cited_units],
        citations=cited,
        mode="llm",
        verification=checks,
    )


class LLMAnswerer:
    """Writes answers with an OpenAI-compatible chat endpoint through a LangChain chain.

    The chain is `ChatPromptTemplate | ChatOpenAI | StrOutputParser()`; the client is
    created on first use. Prompts are loaded (and checked) when the answerer is built.
    """

    def __init__(self, settings: LLMSettings, prompts_dir: Path | None = None) -> None:
        if not settings.enabled:
            raise ValueError("LLM mode is off: set RAG_LLM_BASE_URL and RAG_LLM_MODEL to use LLMAnswerer")
        from langchain_core.prompts import ChatPromptTemplate

        self.settings = settings
        self._prompt = ChatPromptTemplate.from_messages(
            [
                ("system", load_prompt("answer_system", SYSTEM_VARS, prompts_dir)),
                ("human", load_prompt("answer_user", USER_VARS, prompts_dir)),
            ]
        ).partial(refusal=REFUSAL)
        self._chain: Runnable | None = None

    def __repr__(self) -> str:
        return f"LLMAnswerer(base_url={self.settings.base_url!r}, model={self.settings.model!r})"

    @property
    def chain(self) -> Runnable:
        """The runnable chain, built on first use."""
        if self._chain is None:
            from langchain_core.output_parsers import StrOutputParser
            from langchain_openai import ChatOpenAI
            from pydantic import SecretStr

            s = self.settings
            llm = ChatOpenAI(
                model=s.model,
                base_url=s.base_url,
                # Local servers (vLLM, Ollama) need no key, but the client insists on one; an
                # explicit placeholder also stops it sending OPENAI_API_KEY to a foreign endpoint.
                api_key=SecretStr(s.api_key or "EMPTY"),
                timeout=s.timeout,
                max_retries=0,
                temperature=s.temperature,
                # `streaming` is left unset on purpose: then invoke() makes one JSON request and
                # .stream() streams (SSE). In langchain-core 1.x an explicit streaming=False
                # hard-disables streaming, and streaming=True makes invoke() stream too.
            )
            self._chain = self._prompt | llm | StrOutputParser()
        return self._chain

    def _inputs(self, question: str, passages: list[Citation], history: list[dict] | None) -> dict:
        return {
            "question": question.strip(),
            "context": format_context(passages, self.settings.max_passage_chars),
            "history": format_history(history),
        }

    def _describe(self, exc: Exception) -> str:
        if isinstance(exc, openai.APITimeoutError):
            return f"LLM endpoint timed out after {self.settings.timeout:g}s"
        if isinstance(exc, openai.APIStatusError):
            return f"LLM endpoint returned HTTP {exc.status_code}"
        if isinstance(exc, openai.APIConnectionError):
            return f"LLM endpoint unreachable at {self.settings.base_url}"
        return self.redact(f"LLM call failed: {type(exc).__name__}: {exc}")[:300]

    def redact(self, text: str) -> str:
        """`text` with the API key and any bearer token masked."""
        if self.settings.api_key:
            text = text.replace(self.settings.api_key, "***")
        return _BEARER.sub(r"\1***", text)

    def answer(self, question: str, citations: list[Citation], history: list[dict] | None = None) -> str:
        """The model's reply (unverified) to `question` from the first `max_passages` citations.

        Raises:
            LLMUnavailable: no passages, endpoint error, timeout, HTTP error or empty reply.
        """
        passages = select_passages(citations, self.settings.max_passages)
        if not passages:
            raise LLMUnavailable("no passages to ground an answer")
        try:
            text = self.chain.invoke(self._inputs(question, passages, history))
        except Exception as exc:  # any endpoint misbehaviour means: show the extractive answer
            raise LLMUnavailable(self._describe(exc)) from None
        if not text or not text.strip():
            raise LLMUnavailable("empty reply from the LLM")
        return text.strip()

    def stream(
        self, question: str, citations: list[Citation], history: list[dict] | None = None
    ) -> Iterator[str]:
        """Yield the model's reply in chunks as the endpoint streams it (unverified).

        Pass the joined chunks to `verify_and_choose` before treating them as the answer.

        Raises:
            LLMUnavailable: no passages, or the endpoint failed or timed out mid-stream.
        """
        passages = select_passages(citations, self.settings.max_passages)
        if not passages:
            raise LLMUnavailable("no passages to ground an answer")
        try:
            for chunk in self.chain.stream(self._inputs(question, passages, history)):
                if chunk:
                    yield chunk
        except Exception as exc:
            raise LLMUnavailable(self._describe(exc)) from None

    def verify_and_choose(self, llm_text: str, citations: list[Citation], extractive: Answer) -> Answer:
        """`verify_and_choose` with this answerer's passage limits."""
        s = self.settings
        return verify_and_choose(
            llm_text,
            citations,
            extractive,
            max_passages=s.max_passages,
            max_passage_chars=s.max_passage_chars,
        )

    def answer_or_fallback(
        self, question: str, citations: list[Citation], history: list[dict] | None, extractive: Answer
    ) -> Answer:
        """Ask the model and return its verified answer, or the extractive answer with the reason.

        Never raises for endpoint trouble (errors, timeouts, 5xx, empty replies). When the
        extractive answer refused or there are no citations, the model is not called.
        """
        if extractive.refused:
            return dataclasses.replace(
                extractive, verification={"fallback": True, "reason": "question refused; LLM not called"}
            )
        if not citations:
            return fallback(extractive, "no passages to ground an answer")
        try:
            text = self.answer(question, citations, history)
        except LLMUnavailable as exc:
            return fallback(extractive, str(exc))
        return self.verify_and_choose(text, citations, extractive)


@functools.lru_cache(maxsize=4)
def get_answerer(settings: LLMSettings) -> LLMAnswerer:
    """One shared answerer (prompts loaded once, one HTTP client) per settings value."""
    return LLMAnswerer(settings)


def configured_answerer() -> LLMAnswerer | None:
    """The answerer of the LLM settings in the environment; None when no LLM is configured.

    Invalid settings are logged and ignored: answers stay extractive.
    """
    try:
        settings = LLMSettings.from_env()
    except ValueError as exc:
        logger.warning("LLM settings ignored: %s", exc)
        return None
    if not settings.enabled:
        return None
    return get_answerer(settings)
