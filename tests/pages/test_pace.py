"""The limits inside a websocket that a person never meets (state/pace.py): page switches and refused values. The
page's clock and its sleep are the test's own here: nothing waits for real, and what the page waited is recorded."""

import types

import pytest

from playground.state import pace as pace_module
from playground.state.pace import Pace

from .conftest import new_app, session, status

PAGES = ["pages/backprop.py", "pages/playground.py"]


@pytest.fixture
def clock(monkeypatch):
    """The page's time stands still unless a test moves it; its sleeps are recorded, and move it."""
    now, slept = [1000.0], []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    monkeypatch.setattr(pace_module, "time", types.SimpleNamespace(monotonic=lambda: now[0], sleep=sleep))
    return now, slept


def test_a_pace_lets_a_few_through_then_waits_longer_each_time_and_forgets():
    pace = Pace(free=3, first=2.0, longest=10.0, every=60.0)
    for _ in range(3):
        assert pace.wait(0.0) == 0
        pace.count(0.0)
    assert pace.wait(0.0) == 2.0
    pace.count(2.0)
    assert pace.wait(2.0) == pytest.approx(4.0, rel=0.05)  # (less the little that two seconds forgot)
    pace.count(6.0)
    pace.count(14.0)
    pace.count(24.0)
    assert pace.wait(24.0) == 10.0  # never longer than ``longest``
    assert pace.wait(34.0) == 0.0
    pace.count(10 * 60.0)  # ten minutes on: all forgotten but this one
    assert pace.wait(10 * 60.0) == 0.0 and pace.level == 1.0


def test_switching_pages_faster_than_anyone_reads_them_waits(clock):
    now, slept = clock
    at = new_app()  # (its first page counts too)
    for i in range(9):  # ten in all: none waits
        at.switch_page(PAGES[i % 2]).run()
        assert not at.exception and slept == [] and "waited" not in status(at)
    at.switch_page(PAGES[1]).run()
    assert slept == [0.5] and "switches pages faster than anyone can read them, so this page waited 1 s" in status(at)
    at.switch_page(PAGES[0]).run()
    assert slept[1] > slept[0] and at.title[0].value  # a longer wait; the page is drawn after it
    at.run()  # the same page again is no switch
    assert len(slept) == 2
    now[0] += 60  # a minute of reading
    at.switch_page(PAGES[1]).run()
    assert len(slept) == 2


def test_a_tab_that_keeps_sending_refused_values_waits(clock):
    _, slept = clock
    at = new_app()
    for _ in range(20):
        at.number_input(key="target_epochs").set_value(10**9).run()  # past the box's limit: refused
        assert "was sent and refused" in status(at) and slept == []
    at.number_input(key="target_epochs").set_value(10**9).run()
    assert slept == [0.5] and "refused after a wait of 1 s" in status(at) and not at.exception
    assert session(at).refusals.level > 20
