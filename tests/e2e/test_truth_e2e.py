"""Issue 23 in a real browser: the chart draws only epochs training computed, frame by frame (finding 9); rewinding
and going on branches the run, with one undo, and the link and a reload keep the epoch on screen (finding 6); the
table says every cell it cannot use, in the page's language (finding 7)."""

import pytest
from playwright.sync_api import expect

from .harness import (
    choose,
    click,
    edit_cell,
    fill_number,
    grid_cells,
    key,
    numbers_in,
    open_app,
    screenshot,
    text_of,
    wait_idle,
    wait_stopped,
)

# Every animation frame: the loss line as drawn (its epochs), the epoch the read-out shows, and whether frames play.
SAMPLER = """() => {
  window.__drawn = [];
  const grab = () => {
    const graph = document.querySelector('.st-key-loss_chart .live-plot');
    const line = graph?.data?.find((trace) => trace.meta?.live === 'loss');
    const shown = +document.querySelector('.st-key-epoch .pg-text').innerText.replace(/\\D/g, '');
    if (line) window.__drawn.push({live: !!window.__playground.live, shown, x: Array.from(line.x)});
    if (!window.__stopSampling) requestAnimationFrame(grab);
  };
  requestAnimationFrame(grab);
}"""


def epoch(page) -> int:
    (value,) = numbers_in(text_of(page, "epoch"))
    return int(value)


def test_training_to_a_target_draws_only_the_epochs_it_computed(page):
    """Before: the first frames drew a straight line from epoch 0 to the first slice's end (10,000 here). Now each
    slice sends its curve at up to 64 evenly spaced epochs, and the browser draws every frame due, so no segment is
    longer than a thirty-second of the epochs trained, at any frame."""
    open_app(page, page.base_url)
    fill_number(page, "target_epochs", 200_000)
    page.evaluate(SAMPLER)
    key(page, "train").locator("button").click()
    page.wait_for_function("() => document.querySelector('.pg-player')?.dataset.mode === 'train'")
    wait_stopped(page, timeout=120_000)
    page.evaluate("() => { window.__stopSampling = true; }")
    drawn = [d for d in page.evaluate("() => window.__drawn") if d["live"] and len(d["x"]) > 1]
    assert len({d["x"][-1] for d in drawn}) >= 3, "too few frames sampled while training"
    for d in drawn:
        x = d["x"]
        assert all(b > a for a, b in zip(x, x[1:])), x[:10]
        assert x[-1] <= d["shown"]  # never ahead of the epoch the page says
        widest = max(b - a for a, b in zip(x, x[1:]))
        assert widest <= max(1, x[-1] // 32), (widest, x[-1])
    assert epoch(page) == 200_000


def test_going_on_from_a_rewound_epoch_branches_with_one_undo_and_the_link_keeps_it(page):
    """Finding 6: Step went on from the live epoch (3,000 → 3,010) whatever the views showed; a reload lost the epoch
    on screen. Now Step, Play and Train go on from the epoch on screen and say what they dropped; one Undo brings it
    back; the address bar (the share link) reopens the run at the epoch on screen."""
    open_app(page, page.base_url)
    choose(page, "step_size", "1,000 ×")
    for _ in range(3):
        click(page, "step")
    page.locator("h1").first.click()
    page.keyboard.press("ArrowLeft")  # rewind one step: 2,000 of 3,000
    wait_idle(page, settle=0.4)
    expect(key(page, "rewind_box")).to_contain_text("2,000 of 3,000")
    choose(page, "step_size", "10 ×")
    click(page, "step")
    assert epoch(page) == 2010
    expect(key(page, "rewind_dropped")).to_contain_text("went on from epoch 2,000: its epochs after it (to 3,000)")
    screenshot(page, "rewind-branched")
    click(page, "rewind_undo")
    assert epoch(page) == 2000
    expect(key(page, "rewind_box")).to_contain_text("2,000 of 3,000")
    expect(key(page, "rewind_dropped")).to_have_count(0)

    page.reload()  # the address bar carries the run and the epoch on screen
    page.wait_for_selector('[data-testid="stApp"]')
    expect(key(page, "epoch")).to_contain_text("2,000", timeout=60_000)  # (the rebuilt run drawn, however slow)
    wait_idle(page, settle=1.0)
    assert epoch(page) == 2000
    expect(key(page, "rewind_box")).to_contain_text("2,000 of 3,000")

    key(page, "play").locator("button").click()  # Play goes on from 2,000 too
    page.wait_for_function("() => +document.querySelector('.st-key-epoch').innerText.replace(/\\D/g, '') > 2000")
    key(page, "play").locator("button").click()
    wait_stopped(page)
    assert 2000 < epoch(page) < 20_000
    expect(key(page, "rewind_dropped")).to_contain_text("went on from epoch 2,000")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_table_says_every_cell_it_cannot_use(page, lang):
    """Finding 7: 500 was clamped to 100, "abc" read as 0 and a new row showed None in each cell, without a word."""
    open_app(page, page.base_url, "/?lang=zh" if lang == "zh" else "/")
    edit_cell(page, 0, 0, "500")
    edit_cell(page, 1, 1, "abc")
    grid = key(page, "training_data")
    grid.hover()
    grid.get_by_role("button").first.click()  # the editor's "add row"
    wait_idle(page, settle=1.0)
    cells = grid_cells(page)
    assert cells[0][0] == "500" and cells[1][1] == "abc" and cells[-1] == ["", "", "", ""]  # as typed, no "None"
    said = " ".join(alert.inner_text() for alert in page.locator('[data-testid="stAlert"]').all())
    if lang == "en":
        for part in ("(2 problems)", "Row 1, column x1: an input must be from -100 to 100",
                     "Row 2, column x2 is not a number", "Nothing is in row 7: training leaves such a row out"):
            assert part in said, said
    else:
        for part in ("2 处问题", "第 1 行 x1 列：输入必须在 -100 到 100 之间", "第 2 行 x2 列不是数字",
                     "第 7 行是空的"):
            assert part in said, said
    assert numbers_in(text_of(page, "intro"))[0] == 6  # training keeps the last valid table
    screenshot(page, f"table-refusals-{lang}")
