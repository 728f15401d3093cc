"""The browser tests' own instruments, checked on a page of our making: a harness that miscounts makes tests wait
for what already happened, or not wait at all."""

import pytest

from .harness import COUNT_RUNS


@pytest.fixture
def bare(browser):
    context = browser.new_context()
    page = context.new_page()
    page.evaluate(COUNT_RUNS)
    yield page
    context.close()


def states(page, *values: str, element: str = "app") -> None:
    """Give the element ``element`` the script states ``values`` one after the other, within one task (so that the
    counter sees them in one batch of changes, as a busy page delivers them); the first inserts it."""
    page.evaluate("""([id, values]) => {
      let box = document.getElementById(id);
      for (const value of values) {
        if (!box) {
          box = document.createElement('div');
          box.id = id;
          box.setAttribute('data-test-script-state', value);
          document.body.append(box);
        } else box.setAttribute('data-test-script-state', value);
      }
    }""", [element, list(values)])


def runs(page) -> int:
    return page.evaluate("() => window.__scriptRuns")


def test_a_run_counts_when_the_page_sees_it_start(bare):
    states(bare, "initial")
    assert runs(bare) == 0
    states(bare, "running")
    assert runs(bare) == 1
    states(bare, "notRunning")
    assert runs(bare) == 1


def test_runs_that_began_and_ended_between_two_looks_all_count(bare):
    states(bare, "initial")
    states(bare, "running", "notRunning", "rerunRequested", "running", "notRunning")
    assert runs(bare) == 2


def test_an_app_drawn_already_running_counts_its_run(bare):
    """On a busy machine the first run can begin before React first draws the app: the element enters the page in
    the running state, and the only change the page sees is the run's end."""
    states(bare, "running")
    states(bare, "notRunning")
    assert runs(bare) == 1
    states(bare, "running", "notRunning", element="redrawn")  # an app drawn again, its first change seen in one batch
    assert runs(bare) == 2


def test_an_app_drawn_after_its_run_counts_none(bare):
    states(bare, "notRunning")
    states(bare, "rerunRequested")
    assert runs(bare) == 0
