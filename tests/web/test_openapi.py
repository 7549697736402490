"""Property-based check that every API response matches the published OpenAPI schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.web.conftest import settings as web_settings

pytestmark = pytest.mark.slow


def test_generated_requests_never_fail_and_match_the_schema(assistant):
    """Schemathesis sends schema-derived requests to every operation: no 5xx, documented shapes only."""
    from app import create_app

    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(assistant, web_settings(), ui=False))
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case) -> None:
            case.call_and_validate()

        check()
        checked.append(operation.label)
    assert {"POST /api/ask", "GET /api/tasks", "GET /healthz"} <= set(checked)
