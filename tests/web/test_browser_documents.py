"""文件管理 in real headless Chromium: log in with the admin key, upload a text notice and a scanned
PDF (and a broken file), ask about each, delete one with confirmation and see it gone.

The app serves its own copy of the session's real index, so other tests never see these changes.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DATA, store_settings
from tests.web import test_browser
from tests.web.conftest import LiveServer, settings

pytestmark = pytest.mark.browser

ARTIFACTS = test_browser.ARTIFACTS
browser = test_browser.browser  # the same Chromium fixtures as the other browser tests
page = test_browser.page

KEY = "browser-admin-key"
NOTICE = DATA / "real_notices" / "b10-lingbi-weijian-lead-labels.txt"


@pytest.fixture(scope="module")
def admin_server(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from app import create_app
    from rag.answer import Assistant

    old = os.environ.pop("RAG_UPLOADS", None)
    store = tmp_path_factory.mktemp("admin-ui") / "store"
    shutil.copytree(built_store, store)
    assistant = Assistant.load(settings=store_settings(store))
    server = LiveServer(create_app(assistant, settings(admin_key=KEY))).start()
    yield server
    server.stop()
    if old is not None:
        os.environ["RAG_UPLOADS"] = old


def ask(pg, question: str) -> str:
    pg.get_by_role("tab", name="智能问答").click()
    before = pg.locator("#chatbot").inner_text()
    pg.fill("#question textarea", question)
    pg.keyboard.press("Enter")
    pg.wait_for_function(
        "(before) => { const c = document.querySelector('#citations');"
        " return c && !c.innerText.includes('正在检索') && document.querySelector('#chatbot').innerText !== before"
        " && (c.querySelector('.cite-card') || c.querySelector('.refusal-box')); }",
        arg=before,
    )
    pg.wait_for_timeout(500)
    return pg.locator("#citations").inner_text()


def test_staff_upload_ask_and_delete_notices_in_the_documents_tab(
    page, admin_server, scanned_notice, tmp_path
):
    page.goto(f"{admin_server.url}/ui/")
    page.wait_for_selector("#question textarea")
    page.get_by_role("tab", name="文件管理").click()

    # behind the key
    page.fill("#admin-key input", "wrong")
    page.click("#admin-login")
    page.get_by_text("管理密钥错误").wait_for()
    assert not page.locator("#doc-table").is_visible()
    page.fill("#admin-key input", KEY)
    page.click("#admin-login")
    page.locator("#doc-table").wait_for()
    page.wait_for_function(
        "() => { const t = document.querySelector('#doc-table'); return t && t.innerText.includes('yangcheng-2024'); }"
    )

    # several files at once, per-file results (one broken file)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(os.urandom(3000))
    page.locator("#doc-upload input[type=file]").set_input_files(
        [str(NOTICE), str(scanned_notice), str(broken)]
    )
    page.wait_for_timeout(1500)  # Gradio uploads the files first
    page.click("#doc-upload-btn")
    page.wait_for_function(
        "() => document.querySelectorAll('#upload-results .upload-ok, #upload-results .upload-err').length === 3",
        timeout=240_000,
    )
    results = page.locator("#upload-results")
    assert results.locator(".upload-ok").count() == 2
    ok_text = results.inner_text()
    assert "已收录为 b10-lingbi-weijian-lead-labels" in ok_text and "未使用 OCR" in ok_text
    assert "已收录为 lishan-scan" in ok_text and "OCR 识别了第 1、2 页" in ok_text
    assert "文件已损坏，或不是真正的 PDF" in results.locator(".upload-err").inner_text()
    page.wait_for_function("() => document.querySelector('#doc-table').innerText.includes('lishan-scan')")
    page.screenshot(path=str(ARTIFACTS / "ui-documents.png"), full_page=True)

    # the notice menu lists the new notices from the next page load
    page.reload()
    page.wait_for_selector("#question textarea")
    page.get_by_label("文件", exact=True).click()
    page.get_by_role("option").first.wait_for()
    assert page.get_by_role("option").count() == 1 + 7  # 全部文件 + 5 corpus notices + 2 uploads
    page.keyboard.press("Escape")

    # ask about each
    text_cards = ask(page, "创建国家卫生县城由谁牵头？")
    assert "县卫健委2021年政府工作报告任务分解" in text_cards and "县卫健委" in text_cards
    scan_cards = ask(page, "地区生产总值增长6.2%左右由谁牵头？")
    assert "立山区政府2023年重点工作任务分解和责任分工方案" in scan_cards and "p. 1" in scan_cards
    assert "区发改局" in scan_cards
    page.screenshot(path=str(ARTIFACTS / "ui-scanned-answer.png"), full_page=False)

    # delete with a confirmation (the reload above logged us out)
    page.get_by_role("tab", name="文件管理").click()
    page.fill("#admin-key input", KEY)
    page.click("#admin-login")
    page.wait_for_function(
        "() => { const t = document.querySelector('#doc-table'); return t && t.innerText.includes('lishan-scan'); }"
    )
    picker = page.locator("#doc-delete-pick input")
    picker.click()
    picker.fill("lishan-scan")
    page.get_by_role("option", name="lishan-scan", exact=False).first.click()
    page.click("#doc-delete")
    page.get_by_text("确定从索引中删除").wait_for()
    page.click("#doc-delete-confirm")
    page.get_by_text("已删除 lishan-scan").wait_for(timeout=120_000)
    page.wait_for_function("() => !document.querySelector('#doc-table').innerText.includes('lishan-scan')")

    gone = ask(page, "地区生产总值增长6.2%左右由谁牵头？")
    assert "立山区政府2023年重点工作任务分解和责任分工方案" not in gone
