"""End to end in headless Chromium against the app served by uvicorn on a real database.

A delivery manager asks for staff in chat, an approver overrides with another candidate and a
reason, the chat shows the outcome, the metrics page counts the override, and a delivery
manager cannot open the inbox. The run saves the README's screenshots to docs/screenshots/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.agents.firm import DM_EMAIL
from tests.web.live import LiveApp, live_app
from tests.web.seed import HISTORY

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
LAPTOP = {"width": 1366, "height": 900}
TABLET = {"width": 768, "height": 1024}
ASK = "I need a senior data engineer with Spark and Azure for Contoso from March, 30h a week"

# Every form control must have a label a screen reader can announce.
UNLABELLED = """() => Array.from(document.querySelectorAll('input, select, textarea, button'))
  .filter(el => el.type !== 'hidden' && el.offsetParent !== null)
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby') && !(el.tagName === 'BUTTON'
                && el.textContent.trim()))
  .map(el => el.outerHTML.slice(0, 120))"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        if os.environ.get("OPSCOPILOT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is required (OPSCOPILOT_REQUIRE_BROWSER=1) but missing")
        pytest.skip(f"{CHROMIUM} is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def live(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    with live_app(tmp_path_factory.mktemp("live")) as app:
        yield app


class Person:
    """One signed-in browser context, collecting console errors as it goes."""

    def __init__(self, browser: Browser, live: LiveApp, role: str, viewport: dict[str, int]):
        self.live = live
        self.context: BrowserContext = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
        self.page: Page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(f"{live.base_url}/signin")
        self.page.get_by_label("API key").fill(live.keys[role])
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_url(re.compile(r"/(chat|inbox|metrics)"))

    def open(self, path: str) -> Page:
        self.page.goto(self.live.base_url + path)
        return self.page

    def check(self, *, status: int = 200) -> None:
        """No console errors, every control labelled, no sideways scrolling.

        Chrome logs a document served with an error status (the 403 page) as a console
        error; that one is the page working as intended.
        """
        expected = f"the server responded with a status of {status}"
        assert [e for e in self.errors if status == 200 or expected not in e] == []
        assert self.page.evaluate(UNLABELLED) == []
        assert self.page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth + 1"
        ), f"{self.page.url} scrolls sideways"

    def close(self) -> None:
        self.context.close()


def shot(page: Page, name: str, *, full: bool = False) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # else the sticky top bar lands mid-page
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full)


def test_staffing_request_override_and_outcome(browser: Browser, live: LiveApp) -> None:
    # A delivery manager asks for staff; the reply streams in with the proposal it made.
    dm = Person(browser, live, "delivery_manager", LAPTOP)
    streamed: list[str] = []
    dm.page.on(
        "request",
        lambda r: (
            streamed.append(r.headers.get("accept", ""))
            if r.method == "POST" and "/v1/chat/threads/" in r.url
            else None
        ),
    )
    dm.page.get_by_label("Your first message").fill(ASK)
    dm.page.get_by_role("button", name="Start").click()
    card = dm.page.locator(".msg-assistant:not(.is-temp) .pcard").first
    expect(card).to_be_visible(timeout=60_000)
    assert streamed == ["text/event-stream"]
    pid = card.get_attribute("data-proposal-id")
    expect(card.locator('[data-role="status"]')).to_have_text("Pending")
    expect(dm.page.locator(".msg-assistant").first).to_contain_text("I'd propose Ana Costa")
    dm.check()

    # An approver finds it in the inbox and overrides it with another candidate and a reason.
    approver = Person(browser, live, "approver", LAPTOP)
    inbox = approver.open("/inbox")
    expect(inbox.locator(".queue-item").first).to_have_class(re.compile("is-overdue"))
    shot(inbox, "inbox")
    approver.check()
    inbox.locator(f'a[href^="/inbox/proposals/{pid}?"]').click()
    page = approver.page
    expect(page.locator("h1")).to_contain_text("Staff a senior data engineer on Contoso")
    expect(page.locator("table.candidates")).to_contain_text("Ben Okafor")
    page.keyboard.press("o")
    expect(page.get_by_label("Staff instead")).to_be_focused()
    ben = page.locator("#choice option", has_text="Ben Okafor").get_attribute("value")
    page.get_by_label("Staff instead").select_option(ben)
    page.get_by_label("Reason code").select_option("continuity")
    page.get_by_label("Note").fill("Ben already knows the client's platform")
    shot(page, "proposal", full=True)
    approver.check()
    page.get_by_role("button", name=re.compile("Record decision")).click()
    expect(page.locator("#flash")).to_contain_text("Decision recorded: Override")
    expect(page.locator("#decision-record")).to_contain_text("Chosen instead: Ben Okafor")

    # The chat shows the outcome without a reload: the card's status and the copilot's note.
    expect(card.locator('[data-role="status"]')).to_have_text("Overridden", timeout=20_000)
    outcome = dm.page.locator(".msg-assistant", has_text="was overridden by")
    expect(outcome).to_contain_text("Reason: continuity — Ben already knows the client's platform")
    dm.page.evaluate("document.getElementById('messages').scrollTop = 0")
    shot(dm.page, "chat")
    dm.check()

    # The metrics page counts the override, its reason and the model version.
    scientist = Person(browser, live, "data_scientist", LAPTOP)
    metrics = scientist.page  # a data scientist starts on the metrics page
    overrides = sum(1 for h in HISTORY if h[3] == "override") + 1
    expect(metrics.locator(".kpi", has=metrics.locator("#kpi-override"))).to_contain_text(
        f"{overrides} decisions"
    )
    metrics.locator("#c-reasons + p + svg, section[aria-labelledby=c-reasons] details").last.click()
    expect(metrics.locator("section[aria-labelledby=c-reasons] table")).to_contain_text(
        "continuity"
    )
    expect(metrics.locator("#m-model")).to_contain_text("skill-match-1")

    # Champion vs challenger from the MLflow registry; promoting only proposes.
    models = metrics.locator("#models")
    expect(models).to_contain_text("overrun-risk")
    expect(models.locator("table").first).to_contain_text("roc_auc")
    models.get_by_role("button", name="Propose promoting v2").click()
    expect(metrics.locator("#promoted")).to_contain_text("is in the approval queue")
    promote_id = metrics.locator("#promoted strong").inner_text().lstrip("#")
    shot(metrics, "metrics", full=True)
    scientist.check()
    another = Person(browser, live, "approver", LAPTOP)
    response = another.page.goto(f"{live.base_url}/v1/proposals/{promote_id}")
    assert response is not None and response.status == 404  # model owners decide, not approvers
    another.close()
    for person in (dm, approver, scientist):
        person.close()


def test_a_delivery_manager_cannot_open_the_inbox(browser: Browser, live: LiveApp) -> None:
    dm = Person(browser, live, "delivery_manager", LAPTOP)
    response = dm.page.goto(f"{live.base_url}/inbox")
    assert response is not None and response.status == 403
    expect(dm.page.locator("h1")).to_have_text("You do not have access to this page")
    expect(dm.page.get_by_role("navigation", name="Main")).not_to_contain_text("Approvals")
    dm.check(status=403)
    dm.close()


def test_working_the_queue_from_the_keyboard(browser: Browser, live: LiveApp) -> None:
    approver = Person(browser, live, "approver", LAPTOP)
    page = approver.open("/inbox")
    first = page.locator(".queue-item").first.get_attribute("data-href")
    page.keyboard.press("j")
    expect(page.locator(".queue-item").first).to_have_class(re.compile("is-selected"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{first}")
    page.keyboard.press("?")
    expect(page.locator("#shortcuts")).to_have_attribute("open", "")
    page.keyboard.press("Escape")
    page.keyboard.press("r")
    expect(page.get_by_label("Reason code")).to_be_focused()
    expect(page.locator('input[name="action"][value="reject"]')).to_be_checked()
    page.get_by_label("Reason code").select_option("false_positive")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#flash")).to_contain_text("Decision recorded: Reject")
    decided = (first or "").split("?")[0]
    page.keyboard.press("j")  # on to the next proposal in the queue
    page.wait_for_url(lambda url: urlsplit(url).path not in ("/inbox", decided))
    approver.check()
    approver.close()


@pytest.mark.parametrize("role,path", [("approver", "/inbox"), ("data_scientist", "/metrics"),
                                       ("delivery_manager", "/portfolio?scope=all"),
                                       ("delivery_manager", "/chat")])  # fmt: skip
def test_pages_fit_a_tablet(browser: Browser, live: LiveApp, role: str, path: str) -> None:
    person = Person(browser, live, role, TABLET)
    person.open(path)
    if path == "/inbox":
        person.page.locator(".queue-link").first.click()
        expect(person.page.locator(".proposal-side")).to_be_visible()
    person.check()
    if path == "/chat":
        person.page.locator(".thread-list a").first.click()
        expect(person.page.locator(".pcard").first).to_be_visible()
        shot(person.page, "chat-tablet")
    person.check()
    if path.startswith("/portfolio"):
        shot(person.page, "portfolio-tablet", full=True)
    person.close()


def test_the_portfolio_shows_risk_signals_and_utilization(browser: Browser, live: LiveApp) -> None:
    dm = Person(browser, live, "delivery_manager", LAPTOP)
    page = dm.open("/portfolio")
    expect(page.locator("#projects")).to_contain_text("Fabrikam ERP Migration")
    expect(page.locator("#projects")).to_contain_text("Burn ahead")
    expect(page.locator("#people")).to_contain_text("Dora Ivanova")
    assert DM_EMAIL  # the seeded projects are this delivery manager's
    shot(page, "portfolio", full=True)
    dm.check()
    dm.close()
