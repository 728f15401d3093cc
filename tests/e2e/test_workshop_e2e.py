"""Share links across browsers, hostile links, Chinese, presenter mode, and the Experiments page."""

import urllib.parse

from playwright.sync_api import expect

from nn_core.scenario import Scenario
from playground.panels.page import PAGES

from .harness import (
    Server,
    choose,
    click,
    fill_number,
    grid_cells,
    key,
    navigate,
    numbers_in,
    open_app,
    open_section,
    reload_app,
    screenshot,
    share_link,
    text_of,
    train,
    wait_idle,
)


def test_share_link_reopens_the_same_run_at_the_same_epoch_in_a_fresh_browser(page, browser):
    open_app(page, page.base_url)
    choose(page, "preset", "XOR of x1 and x2")
    page.get_by_text("Network settings", exact=True).click()  # (opening them reruns the page, which draws them)
    wait_idle(page)
    key(page, "bias").locator("label").click()
    wait_idle(page)
    choose(page, "step_size", "100 ×")
    click(page, "step")
    fill_number(page, "learning_rate", 0.5)  # a change mid-run: the link replays it at its epoch
    click(page, "step")
    epoch, weights = text_of(page, "epoch"), text_of(page, "weights")
    assert numbers_in(epoch) == [200]
    link = share_link(page)
    assert link.startswith(page.base_url) and "?s=1." in link
    other = browser.new_context(viewport={"width": 1400, "height": 1000})
    fresh = other.new_page()
    open_app(fresh, link, "")
    assert "epoch 200" in text_of(fresh, "status")  # the status line says what the link reopened
    assert text_of(fresh, "epoch") == epoch and text_of(fresh, "weights") == weights
    assert key(fresh, "learning_rate").locator("input").input_value() == "0.5"
    assert key(fresh, "bias").locator("input").is_checked()
    assert len([r for r in grid_cells(fresh) if any(r)]) == 8  # the XOR table, all eight rows
    screenshot(fresh, "shared-link-opened")
    other.close()


def test_a_reload_keeps_the_run(page):
    open_app(page, page.base_url)
    choose(page, "step_size", "100 ×")
    click(page, "step")
    click(page, "step")
    epoch, weights = text_of(page, "epoch"), text_of(page, "weights")
    reload_app(page)
    assert text_of(page, "epoch") == epoch and text_of(page, "weights") == weights


def test_hostile_links_show_a_message_and_run_nothing(page):
    hostile = [
        "1." + "A" * 20000,
        Scenario().to_link()[:-10],
        "1.<img src=x onerror=window.__xss=1>",
        "<script>window.__xss=1</script>",
        "2.abc",
    ]
    for link in hostile:
        open_app(page, page.base_url, "/?s=" + urllib.parse.quote(link))
        expect(key(page, "status")).to_contain_text("could not be opened")  # said in the page's status line
        assert page.locator('[data-testid="stException"]').count() == 0  # no traceback
        assert page.evaluate("() => window.__xss") is None
        assert numbers_in(text_of(page, "epoch")) == [0]
    screenshot(page, "hostile-link")


def test_switching_to_chinese_translates_every_page(page):
    open_app(page, page.base_url)
    choose(page, "lang", "中文")
    assert page.locator("h1").first.inner_text() == "反向传播游乐场"
    assert "训练" in text_of(page, "train")
    preset_box = key(page, "preset").locator('[role="combobox"]').first
    assert "文章" in preset_box.evaluate("el => el.value || el.innerText")  # the chosen option's label too
    speed_box = key(page, "play_speed").locator('[role="combobox"]').first
    assert "/秒" in speed_box.evaluate("el => el.value || el.innerText")  # (it said "1,000/s" in 中文 once)
    screenshot(page, "chinese-playground")
    for title in ("反向传播一步", "预测", "Sigmoid 函数", "实验"):
        navigate(page, title)
        heading = page.locator("h1").first.inner_text()
        assert not any(w in heading for w in ("step", "Ask", "Experiments", "slope")), heading
    screenshot(page, "chinese-experiments")


def test_sections_left_open_stay_open_in_the_other_language(page):
    open_app(page, page.base_url)
    open_section(page, "export")
    open_section(page, "settings_open")
    choose(page, "lang", "中文")
    for name, inside in (("export", "download_scenario"), ("settings_open", "activation")):
        expect(key(page, name).locator("details").first).to_have_attribute("open", "")
        expect(key(page, inside)).to_be_visible()
    page.get_by_text("导出和导入", exact=True).click()  # and shut as the learner shuts it, in the new language
    wait_idle(page)
    expect(key(page, "download_scenario")).to_have_count(0)


def test_presenter_mode_is_large_and_has_fewer_controls(page):
    open_app(page, page.base_url, "/?presenter=1")
    size = page.evaluate("() => getComputedStyle(document.documentElement).fontSize")
    assert size == "20px"
    assert key(page, "until_error").count() == 0 and key(page, "play_speed").count() == 0
    assert key(page, "train").count() == 1
    train(page)
    screenshot(page, "presenter-mode")


def test_experiments_sweep_draws_curves_and_a_heat_map(page):
    open_app(page, page.base_url, "/experiments")
    click(page, "run_sweep")
    assert "Best: learning rate" in page.locator('[data-testid="stAlert"]').first.inner_text()
    plots = page.locator(".js-plotly-plot")
    expect(plots).to_have_count(2)  # the heat map's bundle (cartesian) loads when it is first needed
    expect(plots.first.locator(".scatterlayer path.js-line")).to_have_count(25)  # one curve per learning rate
    expect(plots.nth(1).locator(".hm, image").first).to_be_attached()  # the heat map is drawn
    screenshot(page, "experiments-sweep")


def test_a_fresh_server_opened_at_a_pages_address_runs_it_through_the_app(browser):
    """The first visit of a new server process (a restart, a new replica) may be a shared link to /backprop: the
    page comes with its sidebar, language and run, not as Streamlit's old folder-of-pages mode would run it."""
    scenario = Scenario().with_changes(learning_rate=0.37)
    fresh_server = Server()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        tab = context.new_page()
        tab.goto(f"{fresh_server.url}/backprop?lang=zh&s={scenario.to_link()}")
        tab.wait_for_selector("h1")
        wait_idle(tab, settle=1.0)
        declared = len(PAGES)
        assert tab.locator('[data-testid="stSidebarNav"] a').count() == declared  # app.py's pages, not the folder's
        assert key(tab, "lang").count() == 1
        assert tab.locator("h1").first.inner_text() == "反向传播的一步"
        assert "0.37" in tab.locator('[data-testid="stMain"]').inner_text()  # the link's learning rate
    finally:
        context.close()
        fresh_server.stop()
