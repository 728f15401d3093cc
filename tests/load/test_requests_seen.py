"""What each run says it has seen of its browser's requests (server/internals.count_requests_seen), over the
websocket protocol: live.js shows the next Step trained ahead at a click only if the run that trained it had seen
every request the page sent."""

import pytest

from tests.e2e.harness import Server

from .client import AppSession
from .scenario import run_in_thread


@pytest.fixture(scope="module")
def server():
    s = Server()
    yield s
    s.stop()


async def requests_seen(url: str) -> list[int]:
    warm = AppSession(url)  # (the server's first run puts the count in place: its own request goes uncounted)
    await warm.open()
    await warm.close()
    tab = AppSession(url)
    said = []
    seen = lambda: tab.components["play"]["ahead_for"]["seen"]
    await tab.open()
    said.append(seen())  # opening the page: one request
    await tab.click("step")
    said.append(seen())
    await tab.choose("step_size", "10 ×")
    said.append(seen())
    # Two requests at once, the second sent before the first one's run could end: the last run has seen both.
    step = tab.widgets["step"]
    for _ in range(2):
        await tab.ws.send(tab.rerun_message(step.id, step.fragment_id).SerializeToString())
    await tab._read_run()
    if seen() != 5:  # (the first run ended before the second request came: the second's run follows)
        await tab._read_run()
    said.append(seen())
    await tab.close()
    return said


def test_each_run_says_how_many_of_the_pages_requests_it_had_seen(server):
    assert run_in_thread(requests_seen(server.url)) == [1, 2, 3, 5]
