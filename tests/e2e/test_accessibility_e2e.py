"""axe-core on every page, in English, 中文 and presenter mode (and a room, a chart's data table, the keyboard help):
no serious or critical violation. Every chart has a text alternative and its data as a table on request."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .harness import click, key, open_app, screenshot, train, wait_idle

PAGES = ["/", "/backprop", "/predict", "/sigmoid", "/experiments"]
MODES = {"en": "", "zh": "lang=zh", "presenter": "presenter=1"}


# The page at rest: no run, no widget still a skeleton, and no fade or slide under way (axe reads colours as they are
# painted; a spinner's endless animation aside).
AT_REST = """() => document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState === 'notRunning'
  && !document.querySelector('[data-testid="stSkeleton"]')
  && document.getAnimations().every((a) => a.playState !== 'running'
                                           || a.effect?.getTiming().iterations === Infinity)"""


def serious(page) -> list[str]:
    page.wait_for_function(AT_REST)
    violations = Axe().run(page).response["violations"]
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in violations
            if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_violations(page, path, mode):
    query = MODES[mode]
    open_app(page, page.base_url, path + (f"?{query}" if query else ""))
    assert serious(page) == []
    if path == "/":
        train(page)  # the trained page too: the status line, the whole curve
        assert serious(page) == []


def test_every_chart_has_a_text_alternative_and_its_data_as_a_table(page):
    open_app(page, page.base_url)
    train(page)
    table = key(page, "loss_chart").locator("details.pg-table")
    table.locator("summary").click()
    rows = table.locator("tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 10
    last = int(rows.last.locator("td").first.inner_text().replace(",", ""))
    assert 24_000 < last <= 25_000  # the curve, sampled, to (about) its last epoch
    assert serious(page) == []
    screenshot(page, "chart-data-table")
    for path in PAGES:
        if path != "/":
            open_app(page, page.base_url, path)
        for graph in page.locator(".live-plot").all():
            assert (graph.get_attribute("aria-label") or "").strip(), path
            assert graph.locator("xpath=preceding-sibling::details[contains(@class, 'pg-table')]").count() == 1


def test_a_room_and_the_keyboard_help_are_accessible(page, browser):
    open_app(page, page.base_url, "/?presenter=1")
    page.locator('[data-testid="stExpandSidebarButton"]').click()
    click(page, "room_create")
    expect(key(page, "room_code").locator("img").first).to_have_attribute("alt", re.compile(r"\S"))  # the QR
    assert serious(page) == []
    code = re.search(r"\?room=([A-Z0-9]{6})", key(page, "room_code").first.inner_text()).group(1)
    student = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    open_app(student, page.base_url, f"/?room={code}&lang=zh")
    expect(key(student, "room_bar")).to_contain_text(code)
    assert serious(student) == []
    screenshot(student, "room-student-phone")
    student.context.close()
    key(page, "keyboard_help").locator("button").first.click()
    wait_idle(page)
    expect(page.locator('[data-testid="stPopoverBody"]')).to_contain_text("Space")
    assert serious(page) == []
