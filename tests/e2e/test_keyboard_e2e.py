"""The Playground with the keyboard alone: → steps, Space plays and stops, ← rewinds one step, R resets; never while
typing in a field; in presenter mode too; a presentation clicker's keys; the help popover."""

import pytest
from playwright.sync_api import expect

from .harness import click, fill_number, key, numbers_in, open_app, screenshot, text_of, wait_idle, wait_stopped


def epoch(page) -> int:
    (value,) = numbers_in(text_of(page, "epoch"))
    return int(value)


def press(page, name: str) -> None:
    page.keyboard.press(name)
    wait_idle(page, settle=0.4)


def no_refusals(page) -> None:
    said = key(page, "status").inner_text()
    assert "refused" not in said and not page.locator('[data-testid="stToast"]').count(), said


@pytest.mark.parametrize("path", ["/", "/?presenter=1"])
def test_the_keys_step_play_rewind_and_reset(page, path):
    open_app(page, page.base_url, path)
    page.locator("h1").first.click()  # the page has the focus, no field
    press(page, "ArrowRight")
    assert epoch(page) == 1
    press(page, "ArrowRight")
    assert epoch(page) == 2
    page.keyboard.press(" ")
    page.wait_for_function("() => document.querySelector('.pg-player')?.dataset.mode === 'play'")
    page.wait_for_function("() => +document.querySelector('.st-key-epoch .pg-text').textContent.replace(/\\D/g, '')"
                           " > 2")  # the play has shown epochs of its own
    page.keyboard.press(" ")
    on_screen = epoch(page)
    wait_stopped(page)
    assert epoch(page) == on_screen > 2  # Space stopped where the screen was
    if path == "/":
        press(page, "ArrowLeft")  # rewind one step: the views show the epoch before
        expect(key(page, "rewind_box")).to_contain_text(f"{on_screen - 1:,} of {on_screen:,}")
    press(page, "r")
    assert epoch(page) == 0 and numbers_in(text_of(page, "weights")) == [0.5, 0.5, 0.5]
    press(page, "PageDown")  # a presentation clicker's "next"
    assert epoch(page) == 1
    no_refusals(page)
    screenshot(page, f"keyboard{'-presenter' if 'presenter' in path else ''}")


def test_keys_typed_in_a_field_are_text_not_shortcuts(page):
    open_app(page, page.base_url)
    click(page, "step")
    field = key(page, "learning_rate").locator("input")
    field.click()
    for name in ("r", "ArrowRight", "ArrowLeft", " "):
        field.press(name)
    page.wait_for_timeout(800)  # kept: the point is that the keys typed in a field do nothing, for a while
    assert epoch(page) == 1 and key(page, "play").inner_text().strip().endswith("Play")
    fill_number(page, "learning_rate", 0.5)
    assert epoch(page) == 1


@pytest.mark.parametrize("path", ["/", "/?presenter=1"])
def test_the_help_popover_lists_the_keys(page, path):
    open_app(page, page.base_url, path)
    key(page, "keyboard_help").locator("button").first.click()
    popover = page.locator('[data-testid="stPopoverBody"]')
    expect(popover).to_contain_text("Space")
    expect(popover).to_contain_text("Reset")
    screenshot(page, f"keyboard-help{'-presenter' if 'presenter' in path else ''}")
    page.keyboard.press("Escape")
    expect(popover).to_have_count(0)


def test_a_step_and_play_pressed_at_once_plays_on(page):
    """→ shows its Step at once, before the server answers; Space right after starts live play, which plays on
    from its own frames rather than stalling on the Step's."""
    open_app(page, page.base_url)
    page.locator("h1").first.click()
    page.keyboard.press("ArrowRight")
    page.keyboard.press(" ")
    page.wait_for_function("() => +document.querySelector('.st-key-epoch').textContent.replace(/\\D/g, '') > 4000",
                           timeout=30_000)  # (1,000 epochs a second; a stalled play stops near 2,500)
    press(page, " ")
    wait_stopped(page)
    no_refusals(page)
