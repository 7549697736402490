"""The JSON API against the real Assistant on the real index of docs_corpus/."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rag.types import REFUSAL
from tests.conftest import CORPUS
from tests.web.conftest import settings

pytestmark = pytest.mark.slow

WHO = "公路沿线充电设施建设由谁负责？"
ORIGIN = "https://bureau.example.gov.cn"


def test_ask_names_the_responsible_unit_with_its_clause(client: TestClient):
    r = client.post("/api/ask", json={"question": WHO})
    assert r.status_code == 200
    body = r.json()
    assert body["refused"] is False and body["question"] == WHO
    assert body["citations"], "an answer must cite clauses"
    cited = [c for c in body["citations"] if "发展中心" in c["units"]]
    assert cited and any("充电" in c["text"] for c in cited)
    assert "发展中心" in body["answer"]
    for c in body["citations"]:
        assert f"[{c['n']}]" in body["answer"] or body["intent"] in ("tasks", "across")
        assert c["doc_id"] in {p.stem for p in CORPUS.glob("*.txt")}


def test_unsupported_question_is_refused_with_the_fixed_sentence(client: TestClient):
    body = client.post("/api/ask", json={"question": "阳城县2024年的地区生产总值是多少亿元？"}).json()
    assert body["refused"] is True and body["answer"] == REFUSAL
    assert body["citations"] == []


@pytest.mark.parametrize(
    "question", ["😀😀😀", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>扬尘"]
)
def test_odd_questions_get_a_json_answer_that_echoes_them_verbatim(client: TestClient, question: str):
    r = client.post("/api/ask", json={"question": question})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["question"] == question
    if body["refused"]:  # the fixed sentence, or a hint when there was no question to answer
        assert body["answer"] == REFUSAL or body["intent"] == "invalid"
        assert body["citations"] == []
    if question.startswith("😀"):
        assert body["refused"] is True and body["intent"] == "invalid"


def test_follow_up_with_history_and_filters(client: TestClient):
    first = client.post("/api/ask", json={"question": WHO}).json()
    r = client.post(
        "/api/ask",
        json={
            "question": "它还负责哪些工作？",
            "history": [{"question": WHO, "answer": first["answer"]}],
            "filters": {"doc_id": "yangcheng-2024-transport-eco-workplan"},
        },
    )
    assert r.status_code == 200
    body = r.json()
    for c in body["citations"]:
        assert c["doc_id"] == "yangcheng-2024-transport-eco-workplan"


@pytest.mark.parametrize(
    ("payload", "phrase"),
    [
        ({"question": ""}, "不能为空"),
        ({"question": " \n\t "}, "不能为空"),
        ({"question": "问" * 2001}, "2000"),
        ({}, "question"),
        ({"question": 42}, "question"),
        ({"question": "谁负责？", "filters": {"year": "明年"}}, "filters.year"),
        ({"question": "谁负责？", "filters": {"path": "/etc/passwd"}}, "filters.path"),
        ({"question": "谁负责？", "history": [{"question": "q", "answer": "a"}] * 21}, "history"),
    ],
)
def test_bad_input_is_422_with_a_clear_message(client: TestClient, payload: dict, phrase: str):
    r = client.post("/api/ask", json=payload)
    assert r.status_code == 422
    assert phrase in r.json()["detail"]


def test_broken_json_is_422_not_500(client: TestClient):
    r = client.post(
        "/api/ask", content='{"question": "谁'.encode(), headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 422 and "JSON" in r.json()["detail"]


def test_body_over_16_kb_is_413(client: TestClient):
    big = json.dumps({"question": "谁负责？", "history": [{"question": "q", "answer": "长" * 3000}] * 2})
    assert len(big.encode()) > 16 * 1024
    r = client.post("/api/ask", content=big.encode(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413


def test_units_tasks_and_documents(client: TestClient):
    units = client.get("/api/units").json()
    names = {u["name"]: u for u in units}
    assert {"综运股", "发展中心"} <= set(names)
    assert (
        names["综运股"]["count"] >= 3 and "yangcheng-2024-transport-eco-workplan" in names["综运股"]["docs"]
    )

    r = client.get("/api/tasks", params={"unit": "综运股"})
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == len(body["tasks"]) >= 3
    assert all("综运股" in t["units"] for t in body["tasks"])
    assert any("公转铁" in t["text"] for t in body["tasks"])

    only = client.get(
        "/api/tasks", params={"unit": "综运股", "doc_id": "jilin-2024-transport-eco-workplan"}
    ).json()
    assert all(t["doc_id"] == "jilin-2024-transport-eco-workplan" for t in only["tasks"])

    docs = client.get("/api/documents").json()
    assert {d["doc_id"] for d in docs} == {p.stem for p in CORPUS.glob("*.txt")}
    yangcheng = next(d for d in docs if d["doc_id"] == "yangcheng-2024-transport-eco-workplan")
    assert yangcheng["doc_number"] == "阳交字〔2024〕138号"


def test_unknown_or_empty_unit(client: TestClient):
    r = client.get("/api/tasks", params={"unit": "不存在的科室"})
    assert r.status_code == 404 and "/api/units" in r.json()["detail"]
    assert client.get("/api/tasks", params={"unit": "  "}).status_code == 422
    assert client.get("/api/tasks").status_code == 422


def test_healthz_and_openapi(client: TestClient):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json()["ok"] is True and r.json()["clauses"] > 100
    schema = client.get("/openapi.json").json()
    ask = schema["paths"]["/api/ask"]["post"]
    assert ask["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/AskRequest")
    assert ask["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/AnswerModel")
    assert "citations" in schema["components"]["schemas"]["AnswerModel"]["properties"]
    assert {"/api/units", "/api/tasks", "/api/documents", "/healthz"} <= set(schema["paths"])


def test_cors_allows_only_configured_origins(make_client):
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-api-key",
    }
    allowed = make_client(allowed_origins=(ORIGIN,))
    r = allowed.options("/api/ask", headers={"Origin": ORIGIN, **preflight})
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == ORIGIN
    r = allowed.post("/api/ask", json={"question": WHO}, headers={"Origin": ORIGIN})
    assert r.headers["access-control-allow-origin"] == ORIGIN
    r = allowed.options("/api/ask", headers={"Origin": "https://evil.example.com", **preflight})
    assert r.status_code == 400 and "access-control-allow-origin" not in r.headers
    r = allowed.get("/api/units", headers={"Origin": "https://evil.example.com"})
    assert "access-control-allow-origin" not in r.headers
    default = make_client()
    r = default.get("/api/units", headers={"Origin": ORIGIN})
    assert "access-control-allow-origin" not in r.headers


def test_rate_limit_is_shared_across_the_api_and_answers_429(make_client):
    c = make_client(rate_limit="3/minute")
    assert c.get("/api/units").status_code == 200
    assert c.get("/api/documents").status_code == 200
    assert c.post("/api/ask", json={"question": WHO}).status_code == 200
    r = c.get("/api/units")
    assert r.status_code == 429
    assert "3/minute" in r.json()["detail"] and r.headers["retry-after"]
    assert c.get("/healthz").status_code == 200  # health checks are never limited


def test_api_key(make_client):
    c = make_client(api_key="s3cret-key")
    for headers in ({}, {"X-API-Key": "wrong"}):
        r = c.get("/api/units", headers=headers)
        assert r.status_code == 401 and "X-API-Key" in r.json()["detail"]
    assert c.post("/api/ask", json={"question": WHO}).status_code == 401
    assert c.get("/api/units", headers={"X-API-Key": "s3cret-key"}).status_code == 200
    assert c.get("/healthz").status_code == 200
    assert c.get("/widget.js").status_code == 200


def test_widget_and_root(client: TestClient):
    js = client.get("/widget.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert "innerHTML" not in js.text  # answers and questions are inserted as text only
    demo = client.get("/widget-demo")
    assert demo.status_code == 200 and 'src="/widget.js"' in demo.text
    r = client.get("/", follow_redirects=False)
    assert r.status_code in (302, 307) and r.headers["location"] == "/ui/"


def _broken_copy(built_store: Path, tmp_path: Path) -> Path:
    broken = tmp_path / "broken"
    shutil.copytree(built_store, broken)
    for db in broken.rglob("*.sqlite3"):
        db.write_bytes(b"this is not a database" * 100)
    return broken


@pytest.mark.parametrize("damage", ["corrupt", "missing"])
def test_healthz_is_503_when_the_index_is_broken(built_store: Path, tmp_path: Path, damage: str):
    from app import create_app, load_assistant

    store = _broken_copy(built_store, tmp_path) if damage == "corrupt" else tmp_path / "nothing-here"
    assistant = load_assistant(store, build=False)
    c = TestClient(create_app(assistant, settings()))
    r = c.get("/healthz")
    assert r.status_code == 503
    assert r.json()["ok"] is False and r.json()["error"]
    r = c.post("/api/ask", json={"question": WHO})
    assert r.status_code == 503 and "index" in r.json()["detail"]
    r = c.get("/ui/")
    assert r.status_code == 503 and "/healthz" in r.text  # the UI says so instead of crashing the server


def test_tasks_are_paged_with_offset_and_limit(client: TestClient):
    full = client.get("/api/tasks", params={"unit": "发展中心"}).json()
    assert full["count"] == len(full["tasks"]) >= 5 and full["next_offset"] is None
    page = client.get("/api/tasks", params={"unit": "发展中心", "offset": 2, "limit": 2}).json()
    assert page["count"] == full["count"] and page["offset"] == 2 and page["next_offset"] == 4
    assert [t["clause_id"] for t in page["tasks"]] == [t["clause_id"] for t in full["tasks"][2:4]]
    assert sum(page["per_notice"].values()) == full["count"]
    past = client.get("/api/tasks", params={"unit": "发展中心", "offset": 999}).json()
    assert past["tasks"] == [] and past["next_offset"] is None and past["count"] == full["count"]


def test_task_rows_carry_the_deadline_of_their_clause(deadline_assistant):
    from app import create_app

    client = TestClient(create_app(deadline_assistant, settings(), ui=False))
    body = client.get("/api/tasks", params={"unit": "安全股"}).json()
    deadlines = {t["text"].splitlines()[0]: t["deadline"] for t in body["tasks"]}
    assert deadlines == {
        "2.开展农村公路桥梁安全隐患排查，建立隐患台账并逐项整改。": "6月30日前",
        "7.报送交通运输领域安全生产专项整治三年行动总结。": "6月底",
    }
    body = client.get("/api/tasks", params={"unit": "执法大队"}).json()
    assert [t["deadline"] for t in body["tasks"]] == [None]  # null, not left out
    schema = client.get("/openapi.json").json()["components"]["schemas"]["CitationModel"]["properties"]
    assert "deadline" in schema


def test_a_deadline_question_is_answered_with_its_clause(deadline_assistant):
    from app import create_app

    client = TestClient(create_app(deadline_assistant, settings(), ui=False))
    body = client.post("/api/ask", json={"question": "公交一体化实施方案什么时候完成？"}).json()
    assert body["citations"][0]["deadline"] == "9月底前" and "9月底前 [1]" in body["answer"]
