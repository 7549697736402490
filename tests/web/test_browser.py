"""Real headless Chromium against the full app on loopback: Gradio UI and the embeddable widget.

Screenshots go to tests/artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM = "/usr/bin/chromium"
TIMEOUT_MS = 60_000
BOT_REPLIES = (
    "document.querySelector('#policy-qa-widget').shadowRoot.querySelectorAll('.msg.bot:not(.hint)').length"
)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is not installed: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    yield pg
    context.close()


def open_ui(page, live_server) -> None:
    page.goto(f"{live_server.url}/ui/")
    page.wait_for_selector("#question textarea")


def test_chat_answers_with_a_citation_card_naming_the_unit(page, live_server):
    open_ui(page, live_server)
    assert page.get_by_text("谁负责：充电设施建设").is_visible()  # example questions on the first screen
    page.fill("#question textarea", "公路沿线充电设施建设由谁负责？")
    page.keyboard.press("Enter")
    card = page.locator("#citations .cite-card").first
    card.wait_for()
    cards_text = page.locator("#citations").inner_text()
    assert "发展中心" in cards_text and "阳交字〔2024〕138号" in cards_text
    assert "发展中心" in page.locator("#chatbot").inner_text()
    page.screenshot(path=str(ARTIFACTS / "ui-chat.png"), full_page=True)


def test_refusal_looks_different(page, live_server):
    open_ui(page, live_server)
    page.fill("#question textarea", "阳城县2024年的地区生产总值是多少亿元？")
    page.keyboard.press("Enter")
    box = page.locator("#citations .refusal-box")
    box.wait_for()
    assert "根据现有文件，无法回答这个问题。" in box.inner_text()
    assert page.locator("#citations .cite-card:not(.refusal-box .cite-card)").count() == 0
    page.screenshot(path=str(ARTIFACTS / "ui-refusal.png"), full_page=True)


def test_lookup_tab_lists_the_units_tasks_and_exports_csv(page, live_server):
    open_ui(page, live_server)
    page.get_by_role("tab", name="责任查询").click()
    picker = page.locator("#unit-picker input")
    picker.click()
    picker.fill("综运股")
    page.get_by_role("option", name="综运股（", exact=False).first.click()
    table = page.locator("#task-table")
    page.wait_for_function(
        "() => document.querySelector('#task-table') && document.querySelector('#task-table').innerText.includes('公转铁')"
    )
    text = table.inner_text()
    assert "2024年交通运输生态环境保护工作要点" in text and ("牵头" in text or "负责" in text)
    assert "完成时限" in text and "未写明" in text  # the notice sets no deadline for 综运股's tasks
    assert page.get_by_text("综运股 共", exact=False).is_visible()
    download = page.locator("a[download]").first
    download.wait_for()
    page.screenshot(path=str(ARTIFACTS / "ui-lookup.png"), full_page=True)


def test_matrix_cell_shows_the_units_clauses(page, live_server, assistant):
    from web.ui import UIState

    frame, _ = UIState(assistant).matrix()
    unit, total = frame.iloc[0, 0], int(frame.iloc[0, -1])
    open_ui(page, live_server)
    page.get_by_role("tab", name="分工矩阵").click()
    page.locator("#matrix").get_by_text(unit, exact=True).filter(visible=True).first.click()
    page.wait_for_selector("#matrix-detail .cite-card")
    detail = page.locator("#matrix-detail")
    assert unit in detail.locator("h4").inner_text()
    assert detail.locator(".cite-card").count() == total
    page.screenshot(path=str(ARTIFACTS / "ui-matrix.png"))


def test_document_tree(page, live_server):
    open_ui(page, live_server)
    page.get_by_role("tab", name="文件结构").click()
    tree = page.locator("#clause-tree .tree")
    tree.wait_for()
    assert tree.locator("summary").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "ui-tree.png"), full_page=False)


@pytest.fixture
def phone(browser):
    """A 375 px wide phone page on the widget's demo host page, with the chat panel open."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN", is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    context.close()


def open_widget(page, live_server):
    page.goto(f"{live_server.url}/widget-demo")
    widget = page.locator("#policy-qa-widget")
    widget.locator(".fab").click()
    return widget


def test_widget_answers_with_citations_and_sends_history(phone, live_server):
    widget = open_widget(phone, live_server)
    box = widget.locator("textarea")
    box.fill("公路沿线充电设施建设由谁负责？")
    box.press("Enter")
    widget.locator(".card").first.wait_for()
    reply = widget.locator(".msg.bot").last.inner_text()
    assert "发展中心" in reply and "阳交字〔2024〕138号" in reply and "依据条款" in reply
    panel = widget.locator(".panel").bounding_box()
    assert panel and panel["x"] >= 0 and panel["x"] + panel["width"] <= 375  # fits a phone screen
    phone.screenshot(path=str(ARTIFACTS / "widget-answer.png"))

    with phone.expect_request(lambda r: r.url.endswith("/api/ask")) as sent:
        box.fill("这项工作的牵头单位是谁？")
        box.press("Enter")
    body = sent.value.post_data_json
    assert body["history"][0]["question"] == "公路沿线充电设施建设由谁负责？"
    assert "发展中心" in body["history"][0]["answer"]
    phone.wait_for_function(f"() => ({BOT_REPLIES}) >= 2")


def test_widget_shows_markup_in_a_question_as_text(phone, live_server):
    dialogs: list[str] = []
    phone.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    widget = open_widget(phone, live_server)
    evil = "<img src=x onerror=alert(1)>扬尘"
    widget.locator("textarea").fill(evil)
    widget.locator("textarea").press("Enter")
    phone.wait_for_function(f"() => ({BOT_REPLIES}) >= 1")
    assert widget.locator(".msg.user").last.inner_text() == evil
    reply = widget.locator(".msg.bot").last
    assert "扬尘" in reply.inner_text() or "refused" in (reply.get_attribute("class") or "")
    assert widget.locator("img").count() == 0 and phone.locator("img").count() == 0
    phone.wait_for_timeout(300)
    assert dialogs == []
    phone.screenshot(path=str(ARTIFACTS / "widget-markup.png"))
