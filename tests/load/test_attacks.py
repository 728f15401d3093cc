"""Issue 15's attacks, each made as a stranger would make it (tests/load/attacks.py), against one server: every
defence holds. Also: a rejected message costs the server's log at most 10 KB, and the app's own largest message
fits under the message size limit that refuses the attacks' (server.maxMessageSize)."""

import asyncio
import os
import tomllib

import pytest

from playground.server.log_limits import LINES_PER_MINUTE
from tests.e2e.harness import ROOT, Server

from .attacks import ATTACKS, EDITS, edit_attack, malformed_frames
from .client import AppSession
from .scenario import run_in_thread


@pytest.fixture(scope="module")
def server():
    s = Server()
    yield s
    s.stop()


@pytest.mark.parametrize("name", list(ATTACKS))
def test_the_defence_holds(server, name):
    outcome = run_in_thread(ATTACKS[name](server.url))
    assert outcome.held, outcome.detail


@pytest.mark.parametrize("name", list(EDITS))
def test_a_refused_table_edit_costs_the_log_at_most_10_kb(server, name):
    edits, messages = EDITS[name]
    log = server.log.name
    before = os.path.getsize(log)
    run_in_thread(edit_attack(edits, messages)(server.url))
    grew = os.path.getsize(log) - before
    assert grew <= 10_000 * messages, grew


def test_the_apps_largest_message_fits_under_the_limit(server):
    """A 200-network sweep's chart is the largest message the app sends (about 0.7 MB); the limit is what refuses a
    hostile client's 24 MB, and a message over it would replace the chart with an error."""
    limit = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]["maxMessageSize"] * 1e6

    async def sweep():
        app = AppSession(server.url)
        await app.open()
        await app.goto("experiments")
        await app.set_number("sweep_networks", 200, as_int=True)
        await app.set_number("sweep_epochs", 2000, as_int=True)  # thinned to 256 points per curve, as at 100,000
        await app.click("run_sweep")
        await app.close()
        return app.largest, app.exceptions

    largest, exceptions = run_in_thread(sweep())
    assert exceptions == [] and 0.4e6 < largest < limit / 2, largest


def test_a_refused_message_leaves_the_other_sessions_alone(server):
    async def visit():
        bystander = AppSession(server.url)
        await bystander.open()
        attack = asyncio.create_task(edit_attack(*EDITS["5 messages of 24 cells of 1 MB"])(server.url))
        for _ in range(5):
            await bystander.click("step")
        await attack
        await bystander.close()
        return bystander.exceptions, bystander.text_in("epoch")

    exceptions, epoch = run_in_thread(visit())
    assert exceptions == [] and epoch.endswith(" 5")


def test_a_flood_of_malformed_frames_costs_the_log_a_few_lines(server):
    """200 frames no browser sends, one connection each: they wrote 3.4 KB of traceback per text frame (about 375 KB
    in all); now a few lines of each kind a minute (playground/server/log_limits.py)."""

    async def a_page_then_the_flood():
        app = AppSession(server.url)  # a first page run puts the filter in place (serve.py does it at start)
        await app.open()
        await app.close()
        before = os.path.getsize(server.log.name)
        outcome = await malformed_frames(server.url, 200)
        return outcome, os.path.getsize(server.log.name) - before

    outcome, grew = run_in_thread(a_page_then_the_flood())
    assert outcome.held, outcome.detail
    assert grew <= 2 * LINES_PER_MINUTE * 3_500, grew
