"""Issue 15's attacks, each made as a stranger would make it (tests/load/attacks.py), against one server: every
defence holds. Also: a rejected message costs the server's log at most 10 KB, and the app's own largest message
fits under the message size limit that refuses the attacks' (server.maxMessageSize)."""

import asyncio
import os
import tomllib

import pytest

from playground.server.log_limits import LINES_PER_MINUTE
from playground.strings import STRINGS
from tests.e2e.harness import ROOT, Server

from .attacks import ATTACKS, EDITS, edit_attack, guess_codes_on_one_websocket, malformed_frames
from .client import AppSession
from .room_attacks import ROOM_CHANGERS, hijack, rooms_in_a_row
from .scenario import frames_of, run_in_thread


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


# -- issue 25: rooms (tests/load/room_attacks.py), and a limit inside one websocket -----------------------------------
# (How page switches and refused values are paced is tested with the page's own clock: tests/pages/test_pace.py. Here
# only what does not hang on how fast this machine answers: the looked-up guesses are counted, not timed.)
HIJACKS = [("room_end", wait) for wait in (None, 0.0, 0.03, 0.1, 0.25)] + [(key, wait) for key in ROOM_CHANGERS[1:]
                                                                            for wait in (None, 0.1)]


@pytest.mark.parametrize("key,wait", HIJACKS)
def test_only_the_presenter_changes_a_room(server, key, wait):
    """Issue 25's hijack (a click on End, sent after the page joined another room, or while that join still runs),
    and the same trick on every other control that changes a room."""
    place = (server.url, None)
    outcome = run_in_thread(hijack(key, wait)(place, place))
    assert outcome.held, outcome.detail


def test_a_tab_starts_rooms_at_a_pace_and_one_at_a_time(server):
    outcome = run_in_thread(rooms_in_a_row((server.url, None), 4.0))
    assert outcome.held and outcome.detail.startswith("3 rooms"), outcome.detail


def test_codes_guessed_on_one_websocket_are_looked_up_a_few_times_only(server):
    outcome = run_in_thread(guess_codes_on_one_websocket(server.url, "", 4.0))
    # The three free ones, and one after a wait of 2 s (the next waits 4 s): the rest were not looked up.
    assert outcome.held and ("(3 of" in outcome.detail or "(4 of" in outcome.detail), outcome.detail


def test_a_drawn_components_own_events_are_taken(server):
    """Clicks on widgets the page did not draw are refused; a component's events come on a widget of their own that
    Streamlit leaves out of a run's widget ids, and they must still count as drawn with their component (Play, and
    the player asking for more frames)."""
    refused = STRINGS["en"]["pg.value_refused"]

    async def play_and_pull():
        app = AppSession(server.url)
        await app.open()
        await app.trigger("play", "play", True)
        epochs, chunk = frames_of(app)
        assert chunk is not None and refused not in app.messages, app.messages
        await app.trigger("play", "need", {"shown": epochs[len(epochs) // 2], "chunk": chunk["number"]})
        more, after = frames_of(app)
        await app.trigger("play", "stop", {"shown": more[-1] if more else -1})
        await app.close()
        return after, more, app.messages

    after, more, messages = run_in_thread(play_and_pull())
    assert refused not in messages and after is not None and more[0] > 0, messages
