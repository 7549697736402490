"""With RAG_API_KEY set, the Gradio UI at /ui and its API need the key too (issue 11): a login page
whose password is the key. Served by a real uvicorn server on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.web.conftest import LiveServer, settings

pytestmark = pytest.mark.slow
KEY = "s3cret-key"


@pytest.fixture(scope="module")
def keyed_server(assistant: Any) -> Iterator[LiveServer]:
    from app import create_app

    server = LiveServer(create_app(assistant, settings(api_key=KEY))).start()
    yield server
    server.stop()


def _ui_api_status(client: httpx.Client) -> int:
    return client.get("/ui/gradio_api/info").status_code


def test_without_the_key_the_ui_shows_only_a_login_page(keyed_server: LiveServer) -> None:
    with httpx.Client(base_url=keyed_server.url, timeout=60) as client:
        config = client.get("/ui/config")
        assert config.status_code == 401 or config.json().get("auth_required") is True
        assert "政策文件问答" not in config.text  # none of the app's components are shown
        assert _ui_api_status(client) == 401
        assert client.post("/ui/login", data={"username": "x", "password": "wrong"}).status_code in (400, 401)
        assert _ui_api_status(client) == 401
        assert client.get("/api/units").status_code == 401  # the JSON API as before


def test_the_key_as_password_opens_the_ui(keyed_server: LiveServer) -> None:
    with httpx.Client(base_url=keyed_server.url, timeout=60) as client:
        r = client.post("/ui/login", data={"username": "staff", "password": KEY})
        assert r.status_code == 200, r.text
        assert _ui_api_status(client) == 200
        config = client.get("/ui/config")
        assert config.status_code == 200 and "components" in config.json()


def test_without_a_key_the_ui_is_open(live_server: LiveServer) -> None:
    with httpx.Client(base_url=live_server.url, timeout=60) as client:
        assert _ui_api_status(client) == 200
