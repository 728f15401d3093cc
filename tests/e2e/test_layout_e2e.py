"""The Playground at the sizes people use: laptop, a 1920×1080 screen at 125 %, a projector, presenter mode and a
phone. What must be seen together is inside the first screen, the chart grows with the window, nothing moves when
training starts or stops, a zoom survives training, and a finger on a chart scrolls the page."""

import pytest
from playwright.sync_api import expect

from .harness import (
    click,
    key,
    numbers_in,
    open_editor,
    screenshot,
    text_of,
    train,
    wait_idle,
    wait_stopped,
)

DESKTOPS = [(1366, 768), (1536, 864), (1920, 1080)]
ESSENTIAL = ("step", "play", "train", "reset", "epoch", "weights", "loss_chart")


def boxes(page, names=ESSENTIAL) -> dict:
    return {name: key(page, name).first.bounding_box() for name in names}


def inside(box, width, height) -> bool:
    return box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= width and box["y"] + box["height"] <= height


def same_place(before: dict, after: dict, tolerance: float = 2.0) -> list[str]:
    return [name for name in before if any(abs(before[name][k] - after[name][k]) > tolerance
                                           for k in ("x", "y", "width", "height"))]




# The last epoch of the loss line the graph has drawn (its last trace).
LAST_EPOCH_DRAWN = "() => { const d = document.querySelector('.st-key-loss_chart .js-plotly-plot').data; " \
                   "const x = d[d.length - 1].x; return x[x.length - 1]; }"


def drawn(page) -> None:
    page.wait_for_selector(".st-key-loss_chart .js-plotly-plot .scatterlayer path.js-line", state="attached")


@pytest.mark.parametrize("width,height", DESKTOPS)
def test_controls_numbers_and_the_whole_chart_share_the_first_screen(sized, width, height):
    page = sized(width, height)
    train(page)
    placed = boxes(page)
    outside = [name for name, box in placed.items() if not inside(box, width, height)]
    assert not outside, (outside, placed)
    chart = placed["loss_chart"]
    assert chart["height"] >= 0.40 * height and chart["width"] >= 0.45 * width, chart
    screenshot(page, f"layout-{width}x{height}")


@pytest.mark.parametrize("width,height", [(1920, 1080), (1536, 864)])
def test_presenter_mode_is_made_for_a_projector(sized, width, height):
    page = sized(width, height, "/?presenter=1")
    train(page)
    assert page.locator('[data-testid="stSidebar"]').get_attribute("data-collapsed") == "true"
    placed = boxes(page, ("step", "play", "train", "reset", "epoch", "weights", "loss_chart"))
    assert all(inside(box, width, height) for box in placed.values()), placed
    assert placed["loss_chart"]["height"] >= 0.5 * height
    epoch_px = "() => parseFloat(getComputedStyle(document.querySelector('.st-key-epoch .pg-text')).fontSize)"
    # At least 48 px of a 1080-line picture: the same share of the projected image at any zoom (1536×864 is a 1920×1080
    # projector at 125 %, whose CSS pixels are 1.25 of the projector's)
    assert page.evaluate(epoch_px) >= 48 * height / 1080
    assert key(page, "play_speed").count() == 0 and key(page, "until_error").count() == 0  # only what a presenter needs
    screenshot(page, f"presenter-{width}x{height}")


def test_nothing_moves_when_training_starts_and_stops(sized):
    page = sized(1366, 768)
    drawn(page)
    page.evaluate("() => { window.__chartNode = document.querySelector('.st-key-loss_chart .js-plotly-plot'); }")
    start = boxes(page)
    for action in ("step", "train", "reset"):
        click(page, action)
        wait_stopped(page)
        assert not same_place(start, boxes(page)), action
    key(page, "play").locator("button").click()
    page.wait_for_function(f"() => ({LAST_EPOCH_DRAWN})() > 0")  # the chart has drawn frames of the play
    assert not same_place(start, boxes(page)), "while playing"
    assert key(page, "step").locator("button").is_disabled() and key(page, "train").locator("button").is_disabled()
    key(page, "play").locator("button").click()
    wait_stopped(page)
    assert not same_place(start, boxes(page)), "after stop"
    # Training from epoch 0 redrew the same chart in place: the graph was never thrown away and rebuilt.
    assert page.evaluate("() => window.__chartNode === document.querySelector('.st-key-loss_chart .js-plotly-plot')")


def test_long_training_counts_up_draws_as_it_goes_and_stops_keeping_its_work(sized):
    page = sized(1366, 768)
    box = key(page, "target_epochs").locator("input")
    box.fill("1000000")
    box.press("Enter")
    wait_idle(page)
    key(page, "train").locator("button").click()
    page.wait_for_function("() => /[1-9]/.test(document.querySelector('.st-key-epoch').innerText)")  # under way
    seen, lines = [], []
    for _ in range(12):  # twelve moments of the run, each once the chart has drawn further
        page.wait_for_function(f"last => ({LAST_EPOCH_DRAWN})() > last", arg=lines[-1] if lines else 0)
        seen.append(numbers_in(text_of(page, "epoch"))[0])
        lines.append(page.evaluate(LAST_EPOCH_DRAWN))
    assert seen[-1] > seen[0] > 0 and sorted(seen) == seen  # the epoch counts up while it runs
    assert lines[-1] > lines[0] and sorted(lines) == lines  # and the curve grows with it
    key(page, "play").locator("button").click()  # our own Stop, the same control
    wait_stopped(page)
    stopped = numbers_in(text_of(page, "epoch"))[0]
    assert seen[-1] <= stopped < 1_000_000  # what was trained is kept
    page.wait_for_timeout(800)  # kept: the point is that the epoch does not move on for a while after the stop
    assert numbers_in(text_of(page, "epoch"))[0] == stopped


X_RANGE = "() => document.querySelector('.st-key-loss_chart .js-plotly-plot')._fullLayout.xaxis.range"


def x_range(page) -> list[float]:
    return page.evaluate(X_RANGE)


def test_a_zoom_survives_training_and_resets_with_the_run(sized):
    page = sized(1366, 768)
    train(page)
    area = key(page, "loss_chart").locator(".nsewdrag").first.bounding_box()
    y = area["y"] + area["height"] / 2
    page.mouse.move(area["x"] + area["width"] * 0.2, y)
    page.mouse.down()
    whole = x_range(page)
    page.mouse.move(area["x"] + area["width"] * 0.4, y, steps=8)
    page.mouse.up()
    page.wait_for_function(f"whole => JSON.stringify(({X_RANGE})()) !== JSON.stringify(whole)", arg=whole)
    zoomed = x_range(page)
    assert zoomed[1] < 20_000  # zoomed in on the early epochs
    click(page, "step")
    assert x_range(page) == zoomed
    key(page, "play").locator("button").click()
    page.wait_for_function(f"() => ({LAST_EPOCH_DRAWN})() > 25001")  # the chart has drawn frames of the play
    assert x_range(page) == zoomed
    key(page, "play").locator("button").click()
    wait_stopped(page)
    assert x_range(page) == zoomed
    click(page, "reset")
    page.wait_for_function(f"() => ({LAST_EPOCH_DRAWN})() === 0")  # the chart shows the new run
    assert x_range(page) != zoomed  # a new run starts with the whole curve again


PHONE = dict(is_mobile=True, has_touch=True, device_scale_factor=2)


def swipe_up(page, x: float, y: float, distance: float = 300) -> None:
    """A real touch swipe (CDP touch events, 16 ms apart), finger moving up the screen."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for i in range(1, 11):
        page.wait_for_timeout(16)  # kept: a finger's pace (a move every 16 ms), not a wait for anything
        point = {"x": x, "y": y - distance * i / 10}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_on_a_phone_play_and_the_chart_share_one_screen_and_a_swipe_on_the_chart_scrolls(sized):
    page = sized(390, 844, **PHONE)
    placed = boxes(page, ("play", "loss_chart"))
    assert inside(placed["play"], 390, 844) and inside(placed["loss_chart"], 390, 844), placed
    screenshot(page, "phone-playground")
    chart = placed["loss_chart"]
    swipe_up(page, chart["x"] + chart["width"] / 2, chart["y"] + chart["height"] * 0.7)
    page.wait_for_function("top => document.querySelector('.st-key-loss_chart').getBoundingClientRect().y < top",
                           arg=chart["y"] - 100, timeout=10_000)
    assert key(page, "loss_chart").first.bounding_box()["y"] < chart["y"] - 100  # the page scrolled


def test_on_a_phone_choosing_a_page_closes_the_sidebar(sized):
    page = sized(390, 844, **PHONE)
    opener = '[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"] button'
    page.locator(opener).first.click()
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Predict").click()
    wait_idle(page, settle=0.5)
    expect(page.locator('[data-testid="stSidebar"]')).to_have_attribute("data-collapsed", "true")
    assert page.locator("h1").first.inner_text() == "Ask the network"


@pytest.mark.parametrize("width,height,options", [(1366, 768, {}), (390, 844, PHONE)])
def test_the_data_tables_toolbar_covers_nothing(sized, width, height, options):
    page = sized(width, height, **options)
    open_editor(page)
    editor = key(page, "training_data").first
    editor.scroll_into_view_if_needed()
    editor.hover() if not options else editor.tap()
    toolbar = editor.locator('[data-testid="stElementToolbar"]')
    toolbar.wait_for(state="visible")
    above = key(page, "preset").first.bounding_box()
    assert toolbar.bounding_box()["y"] >= above["y"] + above["height"] - 0.5, (toolbar.bounding_box(), above)
