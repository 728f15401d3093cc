"""Every widget and the player, sent what only a hostile client sends (issue 15, finding 5).

Through the websocket protocol, past every limit a browser keeps: each widget of each page gets values of the wrong
kind (text for a number, a list for a choice, malformed JSON), numbers past its limits (NaN, infinity, 1e300,
negative, 2⁶²), huge text and unknown choices. After each one the page must have run without an exception box, kept
its sidebar, kept the run (the share link, which carries data, settings, view and epoch, is unchanged), said that
the value was refused, and the value must not stick: the next ordinary run is clean too.
"""

import json
import re

import pytest

from playground.server.internals import MAX_EVENTS_PER_MESSAGE
from playground.strings import STRINGS
from tests.e2e.harness import Server

from .client import AppSession
from .scenario import run_in_thread

NOT_A_NUMBER = float("nan")
HOSTILE = [
    ("double_value", NOT_A_NUMBER), ("double_value", float("inf")), ("double_value", 1e300), ("double_value", -1e9),
    ("int_value", -(10**9)), ("int_value", 2**62), ("string_value", "abc"), ("string_value", "40000000"),
    ("string_value", "x" * 100_000), ("string_value", "[click](https://evil.example/)"), ("bool_value", True),
    ("string_array_value", ["zz"]), ("double_array_value", [NOT_A_NUMBER, 1e300]), ("int_array_value", [5, -3]),
    ("json_value", "{not json"), ("json_trigger_value", "[[[[]]]]"),
]
# Each page, and each tab of the Experiments page (only the open tab is drawn).
PAGES = ["", "backprop", "predict", "sigmoid", *(f"experiments#{tab}" for tab in ("sweep", "spread", "landscape",
                                                                                   "xor", "compare"))]
NOT_CLIENT_INPUT = {"download_button", "file_uploader", "block"}  # downloads, uploads (HTTP) and tabs' own state


# (the room field takes any text and says when it is not a room's code)
REFUSALS = [re.compile(re.sub(r"\\\{\w+\\\}", ".*", re.escape(STRINGS["en"][key]))) for key in (
    "pg.value_refused", "pg.refusals_wait", "pg.invalid_setting", "pg.invalid", "pg.table_broken", "pg.too_many_rows",
    "pg.cell_too_long", "room.bad_code", "room.not_found")]
STICKY = {"training_data", "learning_rate", "bias", "hidden_units", "activation", "init_mode", "init_values", "seed",
          "batch", "loss"}  # the table's and the settings' problems stay on the page until a valid change


def refused(app: AppSession) -> bool:
    """Whether the last run said that a value was refused."""
    return any(p.fullmatch(re.sub(r"\\(.)", r"\1", m)) for m in app.messages for p in REFUSALS)


def expects_a_message(widget, kind: str) -> bool:
    """Streamlit itself drops two kinds of value before the app can see them, and keeps the widget's last value:
    any change to a disabled widget, and labels a segmented control or a multiselect does not have (it takes them
    for the old labels of a language switch). Everything else must be answered."""
    if widget.disabled:
        return False
    return not (kind == "string_array_value" and widget.kind in ("button_group", "multiselect"))


@pytest.fixture(scope="module")
def server():
    s = Server()
    yield s
    s.stop()


async def fresh(url: str, page: str) -> AppSession:
    app = AppSession(url)
    await app.open()
    await app.click("step")  # a run with an epoch and weights to keep
    page, _, tab = page.partition("#")
    if page:
        await app.goto(page)
    if tab:
        await app.send_value("experiment_tab", "string_value", STRINGS["en"][f"ex.tab.{tab}"])
    await app.rerun()
    return app


def drawn_inputs(app: AppSession) -> list[str]:
    """The widgets the page's last whole run drew (a browser sends values for those only); the sidebar's and the
    page set-up's on the Playground only, as every page shares them."""
    shared = {"lang", "presenter", "lesson", "start_lesson", "hide_controls", "page_setup"} if app.page else set()
    return [k for k, w in app.widgets.items() if w.kind not in NOT_CLIENT_INPUT and app.drew(k) and k not in shared]


@pytest.mark.parametrize("page", PAGES)
def test_every_widget_refuses_what_only_a_hostile_client_sends(server, page):
    async def attack():
        app = await fresh(server.url, page)
        failures, stale = [], False
        for n, key in enumerate(drawn_inputs(app)):
            if n:  # each widget in a session of its own: past 20 refused values, a session waits (state/pace.py)
                await app.close()
                app = await fresh(server.url, page)
            for kind, value in HOSTILE:
                if kind == "bool_value" and app.widgets[key].kind == "checkbox":
                    continue  # a toggle switched on: an ordinary click
                if stale:  # a message from the last value would still be on the page: start afresh
                    await app.close()
                    app = await fresh(server.url, page)
                widget, before = app.widgets[key], app.text_in("share_link")
                await app.send_value(key, kind, value)
                sidebar = bool(widget.fragment_id) or app.drew("lang")  # (a fragment's own run redraws only it)
                answer = (app.exceptions, sidebar, app.text_in("share_link") == before,
                          refused(app) or not expects_a_message(widget, kind))
                await app.rerun()  # an ordinary run after it: the refused value did not stick
                stale = key in STICKY and refused(app)
                if answer != ([], True, True, True) or app.exceptions:
                    failures.append((key, kind, str(value)[:20], answer, app.exceptions))
        await app.close()
        return failures

    assert run_in_thread(attack()) == []


PLAYER_EVENTS = [
    ("need", {"shown": "x"}), ("need", {"shown": 1e300}), ("need", {"shown": 10**30}), ("need", {"shown": 2.5}),
    ("need", "x" * 100_000), ("need", None), ("stop", {"shown": -7}), ("stop", {"shown": [1]}), ("stop", 5),
    ("key", "nuke"), ("key", {"shown": 1}), ("key", None),
]


@pytest.mark.parametrize("event,value", PLAYER_EVENTS)
def test_the_player_refuses_what_live_js_never_sends(server, event, value):
    async def attack():
        app = await fresh(server.url, "")
        if event != "key":
            await app.trigger("play", "play", True)  # playing: need and stop are what it expects
        epoch = app.text_in("epoch")
        await app.trigger("play", event, value)
        return app.exceptions, refused(app), app.text_in("epoch") == epoch or event == "need"

    exceptions, refused_, kept = run_in_thread(attack())
    assert exceptions == [] and kept and refused_


def test_a_flood_of_player_events_in_one_message_is_refused_unread(server):
    """Each event runs a callback; a browser sends one or two at a time. A thousand Plays in one message trained a
    million epochs in one run (6 s of the server); now the message is dropped before any callback runs."""

    async def attack():
        app = await fresh(server.url, "")
        w = app.widgets["play"]
        for count in (MAX_EVENTS_PER_MESSAGE + 1, 1000):
            await app.send_value("play", "json_trigger_value", json.dumps([{"event": "play", "value": True}] * count))
            assert w.id and app.exceptions == [] and app.text_in("epoch").endswith(" 1")
            assert app.components["play"]["mode"] is None and refused(app)
        await app.close()

    run_in_thread(attack())


def test_a_second_play_while_playing_trains_nothing_more(server):
    async def attack():
        app = await fresh(server.url, "")
        await app.trigger("play", "play", True)
        first = app.components["play"]["chunk"]["number"]
        await app.trigger("play", "play", True)
        return first, app.components["play"]["chunk"]

    first, chunk = run_in_thread(attack())
    assert chunk is None or chunk["number"] == first  # no new chunk: nothing was trained ahead again
