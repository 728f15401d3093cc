"""A room in two browsers: a presenter and a student who joins by the link (and one by typing the code)."""

import re

import pytest
from playwright.sync_api import expect

from .harness import (
    choose,
    click,
    draws,
    key,
    numbers_in,
    open_app,
    record_draws,
    runs,
    screenshot,
    text_of,
    train,
    wait_idle,
    wait_stopped,
    wait_text,
    watch_console,
)

FOLLOW = 15_000  # ms a follower may take to show a change here (the benchmark measures the real lag)


def code_of(page) -> str:
    return re.search(r"\?room=([A-Z0-9]{6})", text_of(page, "room_code")).group(1)


@pytest.fixture
def student(browser, server):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(60_000)
    problems = watch_console(page)
    yield page
    context.close()
    assert not problems, problems


def start_room(page) -> str:
    open_app(page, page.base_url)
    click(page, "room_create")
    return code_of(page)


def show_weights_view(page) -> None:
    since = runs(page)
    key(page, "view_tab").locator("button").nth(1).click()  # Weights
    wait_idle(page, since=since)
    page.wait_for_selector(".st-key-view_chart .bars path")  # the presenter's screen has it


def play_and_stop(page, student) -> None:
    key(page, "play").locator("button").click()
    student.wait_for_function("() => +document.querySelector('.st-key-epoch').innerText.replace(/\\D/g, '') > 25000",
                              timeout=FOLLOW)
    chart = "loss_chart" if key(page, "loss_chart").count() else "view_chart"  # the presenter's view, followed
    expect(key(student, chart).locator(".scatterlayer path.js-line, .bars path").first).to_be_attached()
    screenshot(student, "room-student-playing")
    key(page, "play").locator("button").click()
    wait_stopped(page)
    stopped = text_of(page, "epoch")
    wait_text(student, "epoch", stopped, FOLLOW)
    wait_text(student, "weights", text_of(page, "weights"), FOLLOW)  # the same weights, bit for bit where shown


def test_a_student_follows_steps_edits_and_the_view(page, student):
    code = start_room(page)
    open_app(student, page.base_url, f"/?room={code}")
    wait_text(student, "room_bar", code, FOLLOW)
    click(page, "step")
    wait_text(student, "epoch", "Epoch 1", FOLLOW)
    show_weights_view(page)
    student.wait_for_selector(".st-key-view_chart .bars path", timeout=FOLLOW)  # the presenter's view
    screenshot(page, "room-presenter")
    screenshot(student, "room-student")
    choose(page, "preset", "XOR of x1 and x2")
    student.wait_for_function("() => document.querySelectorAll('.st-key-training_table tr').length >= 9",
                              timeout=FOLLOW)  # the XOR table's eight rows (and the header)
    wait_text(student, "epoch", "Epoch 0", FOLLOW)


def test_a_students_chart_shows_each_step_of_the_presenter(page, student):
    """A Step reaches a student as one frame, drawn on the chart the student had: its epoch axis (whole epochs, up to
    the last one) must widen to the new epoch (it kept the old end, and the newest point was drawn past the edge)."""
    code = start_room(page)
    open_app(student, page.base_url, f"/?room={code}")
    wait_text(student, "room_bar", code, FOLLOW)
    click(page, "step")
    wait_text(student, "epoch", "Epoch 1", FOLLOW)
    wait_idle(student, settle=3.0)  # the room's run itself on the student's screen: its chart is drawn anew no more
    record_draws(student, "loss_chart")
    for shown in (2, 3):
        click(page, "step")
        student.wait_for_function("epoch => window.__draws.some((d) => d.last >= epoch)", arg=shown, timeout=FOLLOW)
    drawn = draws(student)
    assert all(d["range"][1] >= d["last"] for d in drawn), drawn


def follow_a_trained_room(page, student) -> None:
    """A student joins the presenter's room, and the presenter trains the article's run live to 25,000."""
    code = start_room(page)
    open_app(student, page.base_url, f"/?room={code}")
    wait_text(student, "room_bar", code, FOLLOW)
    train(page)
    wait_text(student, "epoch", "25,000", FOLLOW)


def test_a_student_follows_play_and_stop(page, student):
    follow_a_trained_room(page, student)
    wait_text(student, "weights", "10.0883", FOLLOW)  # the run itself, once the presenter stands still
    wait_text(student, "rewind_box", "25,000 of 25,000", FOLLOW)
    play_and_stop(page, student)


def test_a_student_still_follows_a_change_of_view_after_live_training(page, student):
    follow_a_trained_room(page, student)
    play_and_stop(page, student)
    show_weights_view(page)
    student.wait_for_selector(".st-key-view_chart .bars path", timeout=FOLLOW)


def test_a_student_detaches_to_experiment_and_resyncs(page, student):
    code = start_room(page)
    open_app(student, page.base_url)
    student.locator(".st-key-room_join input").fill(code.lower())
    student.locator(".st-key-room_join input").press("Enter")
    wait_idle(student)
    wait_text(student, "room_bar", code, FOLLOW)
    click(student, "room_detach")
    click(student, "step")
    click(student, "step")
    click(page, "step")
    student.wait_for_timeout(2000)  # kept: the point is that the room's step does not reach it (nothing to wait on)
    assert numbers_in(text_of(student, "epoch")) == [2]  # its own run, not the room's
    click(student, "room_resync")
    wait_text(student, "epoch", "Epoch 1", FOLLOW)
    click(page, "room_end")
    wait_text(student, "intro", "", FOLLOW)  # the page is still there...
    student.wait_for_selector(".st-key-room_bar", state="detached", timeout=FOLLOW + 60_000)  # ...the room is not


def test_presenter_mode_shows_the_code_large_with_a_qr_that_a_click_enlarges(page):
    open_app(page, page.base_url, "/?presenter=1")
    page.locator('[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"] button').first \
        .click()
    click(page, "room_create")
    box = key(page, "room_code").first
    assert box.locator("img").first.bounding_box()["width"] <= 64  # small in the bar (the chart keeps its room)...
    box.locator(".room-qr summary").click()
    assert page.locator(".room-qr-large").bounding_box()["width"] >= 180  # ...large enough to scan on a click
    assert re.search(r"[A-Z0-9] [A-Z0-9] [A-Z0-9]", box.inner_text())  # the code, spaced to read from the back
    screenshot(page, "room-presenter-mode")
