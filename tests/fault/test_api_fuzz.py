"""The HTTP API fuzzed from its own OpenAPI schema (schemathesis) on loopback: never a 5xx.

A real uvicorn server in a thread serves the JSON API over a real Assistant and index
(conftest.live_api); the rate limit is lifted through RAG_RATE_LIMIT.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

pytestmark = pytest.mark.slow


@pytest.fixture
def api_schema(live_api):
    return schemathesis.openapi.from_url(f"{live_api.url}/openapi.json", timeout=30)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_answers_with_a_server_error(case) -> None:
    case.call_and_validate(checks=[not_a_server_error], timeout=120)
