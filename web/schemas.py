"""Request and response models of the HTTP API (they are what /openapi.json describes)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_QUESTION_CHARS = 2000
MAX_HISTORY_TURNS = 20
MAX_FILTER_CHARS = 200
DEFAULT_TASK_LIMIT, MAX_TASK_LIMIT, MAX_OFFSET = 100, 1000, 1_000_000
# "Not only whitespace", spelled out so that every regex engine that checks it agrees: Python's \s
# (str.strip), Rust's (pydantic) and ECMAScript's (JSON Schema, schemathesis) differ on \x1c-\x1f,
# \x85 and \ufeff. A value matches when it has one character none of them counts as whitespace.
_BLANK = r"\t\n\u000b\f\r \u001c-\u001f\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
NOT_BLANK = f"[^{_BLANK}]"


def _clean_question(value: str) -> str:
    text = value.strip()
    if not text:
        raise ValueError("问题不能为空 (question must not be empty)")
    if len(text) > MAX_QUESTION_CHARS:
        raise ValueError(
            f"问题过长：最多 {MAX_QUESTION_CHARS} 字，收到 {len(text)} 字 "
            f"(question is longer than {MAX_QUESTION_CHARS} characters)"
        )
    return text


class Turn(BaseModel):
    """One earlier exchange of the conversation, oldest first."""

    model_config = ConfigDict(extra="ignore")

    question: str = Field(max_length=MAX_QUESTION_CHARS)
    answer: str = Field(default="", max_length=8000)


class FilterModel(BaseModel):
    """Restrict answers to some notices. Every field is optional; unknown values match nothing."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str | None = Field(
        default=None, max_length=MAX_FILTER_CHARS, examples=["yangcheng-2024-transport-eco-workplan"]
    )
    issuer: str | None = Field(default=None, max_length=MAX_FILTER_CHARS)
    year: int | None = Field(default=None, ge=1949, le=2100)
    region: str | None = Field(default=None, max_length=MAX_FILTER_CHARS)
    unit: str | None = Field(default=None, max_length=MAX_FILTER_CHARS)


class AskRequest(BaseModel):
    """A question, optionally with the conversation so far (for follow-ups) and filters."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(
        description=f"1 to {MAX_QUESTION_CHARS} characters, not only whitespace",
        examples=["公路沿线充电设施建设由谁负责？"],
        # documented for clients; enforced by the validator below, which gives a clearer message
        json_schema_extra={"minLength": 1, "maxLength": MAX_QUESTION_CHARS, "pattern": NOT_BLANK},
    )
    history: list[Turn] = Field(default_factory=list, max_length=MAX_HISTORY_TURNS)
    filters: FilterModel | None = None

    @field_validator("question")
    @classmethod
    def _question(cls, value: str) -> str:
        return _clean_question(value)


class CitationModel(BaseModel):
    """A cited clause: which notice, where in it, who is responsible, and its text."""

    model_config = ConfigDict(extra="allow")

    n: int
    doc_id: str
    doc_title: str
    doc_number: str | None = None
    issuer: str | None = None
    date: str | None = None
    section: str
    text: str
    units: list[str] = []
    lead_units: list[str] = []
    clause_id: str = ""
    unit_source: str = ""
    inherited_units: list[str] = []
    table_units: list[str] = []
    highlight: str = ""
    page: int | None = Field(default=None, description="PDF notices: the page the clause starts on (p. N)")
    deadline: str | None = Field(
        default=None, description="the task's 完成时限 as the notice states it, e.g. 6月底前; null when none is stated"
    )


class AnswerModel(BaseModel):
    """The answer. When `refused` is true, `answer` is the fixed refusal sentence."""

    model_config = ConfigDict(extra="allow")

    question: str
    answer: str
    refused: bool
    intent: str
    units: list[str] = []
    citations: list[CitationModel] = []
    related: list[CitationModel] = []
    mode: str = "extractive"
    latency_ms: float = 0.0
    verification: dict | None = None


class UnitModel(BaseModel):
    name: str
    count: int = Field(description="number of clauses that name the unit")
    docs: list[str] = Field(description="doc_ids of the notices that name the unit")


class TasksModel(BaseModel):
    unit: str
    count: int = Field(description="number of tasks of the unit (all pages)")
    offset: int = Field(default=0, description="index of the first task of this page")
    limit: int = Field(default=DEFAULT_TASK_LIMIT, description="page size asked for")
    next_offset: int | None = Field(default=None, description="offset of the next page; null on the last")
    per_notice: dict[str, int] = Field(default_factory=dict, description="tasks per doc_id (all pages)")
    tasks: list[CitationModel]


class DocumentModel(BaseModel):
    model_config = ConfigDict(extra="allow")

    doc_id: str
    title: str
    doc_number: str | None = None
    issuer: str | None = None
    date: str | None = None
    kind: str | None = None
    region: str | None = None
    clauses: int = 0
    units: int = Field(default=0, description="distinct responsible units named in the notice")
    ocr: bool = Field(default=False, description="some of its pages were read by OCR")


class HealthModel(BaseModel):
    model_config = ConfigDict(extra="allow")

    ok: bool
    clauses: int = 0
    embedder: str = ""
    error: str | None = None


class ErrorItem(BaseModel):
    type: str
    loc: list[str | int] = []
    msg: str


class ErrorModel(BaseModel):
    """Every error: what is wrong and how to fix it (Chinese, then English), and the field errors."""

    detail: str = Field(description="what is wrong with the request, in words")
    errors: list[ErrorItem] = Field(default_factory=list, description="the individual field errors")
