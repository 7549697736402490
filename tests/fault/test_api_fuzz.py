"""The HTTP API fuzzed from its own OpenAPI schema (schemathesis) on loopback: never a 5xx.

A real uvicorn server in a thread serves the JSON API over a real Assistant and index
(conftest.live_api); the rate limit is lifted through RAG_RATE_LIMIT. Every operation of
the schema gets valid (positive) and invalid (negative) requests.

schemathesis' pytest integration for a schema that comes from a fixture
(`schemathesis.pytest.from_fixture`) fails on pytest 9.2 (it sets `Node._nodeid`, which
pytest 9.2 removed), so the test drives each operation's Hypothesis strategy itself
(`APIOperation.as_strategy`, schemathesis' documented API for use with `@given`).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

pytestmark = pytest.mark.slow
EXAMPLES = 50  # per operation and generation mode


def fuzz(operation, mode: GenerationMode, base_url: str) -> int:
    """Send EXAMPLES generated requests to one operation; fail on any 5xx. Returns how many were sent."""
    sent = 0

    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case) -> None:
        nonlocal sent
        sent += 1
        case.call_and_validate(base_url=base_url, checks=[not_a_server_error], timeout=120)

    try:
        run()
    except Unsatisfiable:
        if mode is GenerationMode.POSITIVE:
            raise  # (negative: an operation without parameters has no invalid request to send)
    return sent


def test_api_never_answers_with_a_server_error(live_api) -> None:
    schema = schemathesis.openapi.from_url(f"{live_api.url}/openapi.json", timeout=30)
    operations = [result.ok() for result in schema.get_all_operations()]
    labels = {f"{op.method.upper()} {op.path}" for op in operations}
    assert labels >= {"POST /api/ask", "GET /api/tasks", "GET /api/units", "GET /healthz"}
    sent = {
        f"{op.method.upper()} {op.path} {mode.value}": fuzz(op, mode, live_api.url)
        for op in operations
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    }
    print("\nrequests sent: " + ", ".join(f"{k}: {v}" for k, v in sorted(sent.items())))
    assert all(sent[f"{label} positive"] for label in labels)
