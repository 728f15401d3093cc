"""The attacks of issue 15 ("Hosted in public"), each made the way a stranger would make it: a crafted link, or raw
messages over Streamlit's websocket. Each returns what happened (``Outcome``): whether the defence held, and the
numbers that say so. tests/load/test_attacks.py checks that every defence holds; benchmarks/attacks.py runs the same
attacks against this tree and an older commit, with bystanders stepping meanwhile, for the attack table.

They use only the UI contract's keys, so they run against older commits too.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import re
import secrets
import time
import zlib
from dataclasses import dataclass

import websockets

from playground.rooms.registry import CODE_ALPHABET, CODE_LENGTH
from playground.strings import STRINGS

from .client import AppSession, http_get

EN = STRINGS["en"]
NO_ROOM = EN["room.not_found"].split("{")[0]
VIEW_LABELS = [EN[f"tab.{view}"] for view in ("weights", "network", "trajectories", "rows", "loss")]
PLAYER_PULL = 0.6  # seconds before the end of the frames on screen a browser asks for more


@dataclass
class Outcome:
    held: bool
    detail: str


def link(payload: dict | str) -> str:
    """A share link as the app writes them: "1." + base64url(zlib(JSON))."""
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return "1." + base64.urlsafe_b64encode(zlib.compress(text.encode())).decode().rstrip("=")


BIG_TABLE = [[i % 2, i // 2 % 2, i // 4 % 2, i % 3 / 2] for i in range(1000)]
LINKS = {  # finding 1 (memory), 6 (links that broke the page), 7 (markdown from links)
    "link: 4 hidden layers of 64": {"version": 1, "hidden": [64, 64, 64, 64], "bias": True, "init": "random",
                                    "seed": 1},
    "link: 2,000,000 target epochs": {"version": 1, "target_epochs": 2_000_000},
    "link: a 4,000-digit seed": '{"version":1,"init":"random","seed":' + "9" * 4000 + "}",
    "link: markdown field name": {"version": 1, "[click me](https://evil.example/)": 1},
    "link: markdown in a cell": {"version": 1, "rows": [["![](http://e.io/t)", 1, 0, 1]]},
}


def link_attack(payload) -> callable:
    async def attack(url: str) -> Outcome:
        app = AppSession(url)
        await app.open(query="s=" + link(payload))
        said = [m for m in app.messages if "could not be opened" in m]
        shown = " ".join(app.messages)
        plain = "](" not in shown.replace("\\]\\(", "") and "<http" not in shown
        held = not app.exceptions and bool(said) and app.drew("lang") and app.text_in("epoch").endswith(" 0") \
            and plain
        await app.close()
        return Outcome(held, f"exception box: {bool(app.exceptions)}, refused with a message: {bool(said)}, "
                             f"sidebar: {app.drew('lang')}, markdown escaped: {plain}")
    return attack


async def largest_link_trained(url: str) -> Outcome:
    """Finding 1 within the new format's limits: 1,000 rows and 16 hidden units (the most a link may carry), trained
    to 3,000 epochs, every view and the loss landscape drawn."""
    app = AppSession(url)
    await app.open(query="s=" + link({"version": 1, "rows": BIG_TABLE, "hidden": [16], "bias": True,
                                      "init": "random", "seed": 3, "target_epochs": 3000}))
    refused = any("could not be opened" in m for m in app.messages)
    if not refused:
        await train_to_target(app)
        for view in VIEW_LABELS:
            if "view_tab" in app.widgets:
                await app.send_value("view_tab", "string_array_value", [view])
        await app.goto("experiments")
        if "experiment_tab" in app.widgets:
            await app.send_value("experiment_tab", "string_value", EN["ex.tab.landscape"])
    held = not app.exceptions
    await app.close()
    return Outcome(held, f"opened: {not refused}, exception box: {bool(app.exceptions)}")


async def honest_sweep(url: str) -> Outcome:
    """Finding 2: Experiments → learning rates, 200 networks × 100,000 epochs, kept by the session."""
    app = AppSession(url)
    await app.open()
    await app.goto("experiments")
    await app.set_number("sweep_networks", 200, as_int=True)
    await app.set_number("sweep_epochs", 100_000, as_int=True)
    took = await app.click("run_sweep")
    held = not app.exceptions and any("Best" in m for m in app.messages)
    await app.close()
    return Outcome(held, f"sweep drawn in {took:.1f} s")


def edit_attack(edits: dict, messages: int = 1) -> callable:
    """Findings 3 and 4: a data-editor message no browser sends, ``messages`` times."""

    async def attack(url: str) -> Outcome:
        app = AppSession(url)
        await app.open()
        await app.click("step")
        answers = []
        for _ in range(messages):
            try:
                took = await app.edit_table("training_data", edits)
            except Exception as e:  # the server closed the connection: refused unread (or something broke)
                code = getattr(getattr(e, "rcvd", None), "code", None)
                answers.append(f"connection closed ({code or type(e).__name__})")
                app = AppSession(url)
                await app.open()
                await app.click("step")
                continue
            refused = bool(app.messages) and not app.exceptions and app.text_in("epoch").endswith(" 1")
            answers.append(f"{'refused with a message' if refused else 'not refused'} in {took * 1000:.0f} ms")
            app.values.clear()
        await app.close()
        held = all("not refused" not in a for a in answers)
        return Outcome(held, "; ".join(sorted(set(answers))))
    return attack


ROW = {"x1": 1, "x2": 0, "x3": 0, "y": 1}
EDITS = {
    "5 messages of 24 cells of 1 MB": ({"edited_rows": {str(i): {c: "9" * 1_000_000 for c in ("x1", "x2", "x3", "y")}
                                                        for i in range(6)}, "added_rows": [], "deleted_rows": []}, 5),
    "10,000 added rows": ({"edited_rows": {}, "added_rows": [ROW] * 10_000, "deleted_rows": []}, 1),
    "100,000 added rows": ({"edited_rows": {}, "added_rows": [ROW] * 100_000, "deleted_rows": []}, 1),
    "994 rows of text cells": ({"edited_rows": {}, "added_rows": [{c: "not a number" for c in ROW}] * 994,
                                "deleted_rows": []}, 5),
}


async def speed_40_million(url: str) -> Outcome:
    """Finding 5: the play-speed box sent "40000000" with presenter mode on, then Play for a second."""
    app = AppSession(url)
    await app.open()
    await app.set_bool("presenter", True)
    await app.send_value("play_speed", "string_value", "40000000")
    refused = bool(app.messages) and not app.exceptions
    start = time.perf_counter()
    await play_for(app, 1.0)
    epochs = int("".join(c for c in app.text_in("epoch") if c.isdigit()) or 0)
    await app.close()
    return Outcome(epochs <= 30_000, f"refused with a message: {refused}; {epochs:,} epochs trained in "
                                     f"{time.perf_counter() - start:.1f} s of play")


async def hostile_learning_rates(url: str) -> Outcome:
    """Finding 5: NaN, infinity, 1e300 and 0 as the learning rate."""
    app = AppSession(url)
    await app.open()
    before = app.text_in("share_link")
    answers = []
    for value in (float("nan"), float("inf"), 1e300, 0.0):
        await app.send_value("learning_rate", "double_value", value)
        answers.append(bool(app.messages) and not app.exceptions and app.text_in("share_link") == before)
    await app.close()
    return Outcome(all(answers), f"refused with a message and the rate kept: {sum(answers)} of {len(answers)}")


async def backprop_big_table(url: str) -> Outcome:
    """Finding 8: 1,000 rows and 16 hidden units opened on the Backprop page: what one rerun sends."""
    app = AppSession(url)
    await app.open(query="s=" + link({"version": 1, "rows": BIG_TABLE, "hidden": [16], "bias": True,
                                      "init": "random", "seed": 3}), page="backprop")
    before = app.received
    took = await app.rerun()
    sent = app.received - before
    await app.close()
    return Outcome(sent < 500_000 and not app.exceptions, f"one rerun sends {sent / 1e3:,.0f} KB in {took:.2f} s")


async def malformed_frames(url: str, frames: int = 200) -> Outcome:
    """Issue 25: websocket frames no browser sends, one per connection (the server ends a connection at its first bad
    frame), half of them text where Streamlit reads protobufs, half bytes that are no BackMsg. Each used to write a
    traceback to the server's log (3.4 KB for text). Held: a browser's session still opens and steps afterwards."""
    stream = url.replace("http://", "ws://") + "/_stcore/stream"
    start = time.perf_counter()
    for i in range(frames):
        async with websockets.connect(stream, subprotocols=["streamlit"], open_timeout=30) as ws:
            await ws.send("not a protobuf" if i % 2 else b"\xff\xfe not a BackMsg")
            with contextlib.suppress(websockets.ConnectionClosed, TimeoutError):
                await asyncio.wait_for(ws.recv(), 10)
    took = time.perf_counter() - start
    app = AppSession(url)
    await app.open()
    await app.click("step")
    held = not app.exceptions and app.text_in("epoch").endswith(" 1")
    await app.close()
    return Outcome(held, f"{frames} frames in {took:.1f} s ({frames / took:.0f}/s); a session afterwards steps: {held}")


def upload_attack(content: bytes, name: str) -> callable:
    """Issue 27: a hostile file in the table's uploader, sent as a browser sends one (the upload endpoint, then the
    widget naming the file). The page must refuse it with a message (never an exception box), keep the table and the
    run (at epoch 1), and show the file's name and nothing of its content as plain text."""

    async def attack(url: str) -> Outcome:
        app = AppSession(url)
        await app.open()
        await app.click("step")
        await app.set_bool("table_file", True)  # its section open, as a click on its heading does
        if "upload_data" not in app.widgets:
            await app.close()
            return Outcome(False, "no table uploader")
        status = await app.upload("upload_data", name, content)
        said = " ".join(app.messages)
        refused = any(words in said.replace("\\", "") for words in (" was not loaded: ", EN["pg.value_refused"]))
        plain = not re.search(r"(?<!\\)[<\[]", said) and "HYPERLINK" not in said  # every < and [ escaped
        kept = app.text_in("epoch").endswith(" 1")
        await app.close()
        return Outcome(not app.exceptions and refused and plain and kept,
                       f"upload answered HTTP {status}, exception box: {bool(app.exceptions)}, refused with a message: "
                       f"{refused}, table and run kept: {kept}, name and content shown as text: {plain}")
    return attack


UPLOADS = {  # the hostile files of issue 27, each with the name it is sent under
    "10 MB": (b"1,0,0,1\n" * (10 * 2**20 // 8), "data.csv"),
    "a CSV bomb of 1 MB of commas": (b"," * (2**20 - 1000), "bomb.csv"),
    "a CSV bomb of 1 MB of line breaks": (b"\r\n" * (2**19 - 1000), "bomb.csv"),
    "a CSV bomb of one 1 MB cell": (b'x1,x2,x3,y\n"' + b"9" * (2**20 - 1000) + b'",0,0,1\n', "bomb.csv"),
    "a formula, under a markdown name": (b'x1,x2,x3,y\n"=HYPERLINK(""https://evil.example"",""prize"")",0,0,1\n',
                                         "[prize](https://evil.example).csv"),
    "UTF-16 text": ("x1,x2,x3,y\n1,0,0,1\n".encode("utf-16"), "data.csv"),
    "Latin-1 bytes": ("x1,x2,x3,y\n1,0,0,1\ncafé,0,0,1\n".encode("latin-1"), "data.csv"),
    "a workbook, under an HTML name": (b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), "<img src=x onerror=alert(1)>.xlsx"),
}


ATTACKS = {**{name: link_attack(payload) for name, payload in LINKS.items()},
           "link: 1,000 rows × 16 hidden, trained, every view": largest_link_trained,
           "sweep: 200 networks × 100,000 epochs": honest_sweep,
           **{f"table: {name}": edit_attack(*spec) for name, spec in EDITS.items()},
           "play speed 40000000 in presenter mode": speed_40_million,
           "learning rate NaN, inf, 1e300, 0": hostile_learning_rates,
           "Backprop page: 1,000 rows × 16 hidden": backprop_big_table,
           "websocket: 200 malformed frames": malformed_frames,
           **{f"upload into the table: {name}": upload_attack(*spec) for name, spec in UPLOADS.items()}}


# -- issue 25: floods from one address, made through the edge (benchmarks/attacks.py --edge) -----------------------
# Each runs for ``seconds`` from the loopback address ``source`` and says how much of it the server answered. HAProxy's
# refusals arrive as a 429 (after its 5 s wait) on the page or on the websocket's handshake.
REFUSED = (ConnectionError, websockets.InvalidStatus, websockets.ConnectionClosed, OSError, TimeoutError)
PAGES = ("", "backprop", "predict", "sigmoid", "experiments", "optimiser", "code")


async def _visits(url: str, source: str, seconds: float, path_and_query) -> tuple[int, int]:
    """Open a page (its HTML, then its session over a websocket) again and again: (answered, refused)."""
    answered = refused = 0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        path, query = path_and_query()
        try:
            status = (await asyncio.to_thread(http_get, url, path, {}, source))[0]
            if status != 200:
                raise ConnectionError(status)
            app = AppSession(url, source=source, cookie="")  # (the balancer picks a replica for the websocket)
            await app.open(query=query)
            await app.close()
            answered += 1
        except REFUSED:
            refused += 1
    return answered, refused


def _code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


async def guess_join_codes(url: str, source: str, seconds: float) -> Outcome:
    """Join links with guessed codes, as a browser opens them (/?room=CODE, then the session with the code)."""

    def guess():
        code = _code()
        return f"/?room={code}", f"room={code}"

    answered, refused = await _visits(url, source, seconds, guess)
    return Outcome(answered <= 110, f"{answered / seconds:.1f} guesses/s answered, {refused} refused")


async def load_pages(url: str, source: str, seconds: float) -> Outcome:
    """The page loaded again and again, each load a new session and its first run (a reload flood)."""
    answered, refused = await _visits(url, source, seconds, lambda: ("/", ""))
    return Outcome(answered <= 160, f"{answered / seconds:.1f} loads/s answered, {refused} refused")


async def guess_codes_on_one_websocket(url: str, source: str, seconds: float) -> Outcome:
    """Guessed codes sent as the query string of one session's reruns: inside one websocket, which the edge does
    not see (the app's part: after a few codes that name no room, each next one waits longer, and is not looked up
    meanwhile)."""
    app = AppSession(url, source=source)
    await app.open()
    tried = looked_up = 0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.query = f"room={_code()}"
        await app.rerun()
        tried += 1
        looked_up += any(m.startswith(NO_ROOM) for m in app.messages)
    await app.close()
    # Held: after the first few, no more than one look-up every 4 s on average (the waits double, so a longer flood
    # gets far fewer; a guesser without the limit gets several a second).
    return Outcome(looked_up <= 4 + seconds / 4, f"{looked_up / seconds:.2f} guesses/s looked up ({looked_up} of "
                                                 f"{tried} sent)")


async def switch_pages(url: str, source: str, seconds: float) -> Outcome:
    """One session switching pages as fast as the server answers (the issue's page-switch flood): inside one
    websocket, which the edge does not see (the app's part: past a few, each switch waits)."""
    app = AppSession(url, source=source)
    await app.open()
    switches, end = 0, time.perf_counter() + seconds
    while time.perf_counter() < end:
        await app.goto(PAGES[switches % len(PAGES)])
        switches += 1
    await app.close()
    return Outcome(switches / seconds <= 2, f"{switches / seconds:.1f} switches/s answered")


async def malformed_component_events(url: str, source: str, seconds: float) -> Outcome:
    """The player's events as live.js never sends them (an epoch that is text), one a message, as fast as they are
    answered: inside one websocket (the app's part: past a few refused values, each next one waits)."""
    app = AppSession(url, source=source)
    await app.open()
    sent, end = 0, time.perf_counter() + seconds
    while time.perf_counter() < end:
        await app.trigger("play", "stop", {"shown": "soon"})
        sent += 1
    await app.close()
    return Outcome(sent / seconds <= 2 and not app.exceptions, f"{sent / seconds:.1f} events/s answered")


async def flood_malformed_frames(url: str, source: str, seconds: float) -> Outcome:
    """Malformed frames (text, bytes that are no BackMsg), one connection each, as fast as they are taken."""
    stream = url.replace("http://", "ws://") + "/_stcore/stream"
    sent = refused = 0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        try:
            async with websockets.connect(stream, subprotocols=["streamlit"], local_addr=(source, 0),
                                          open_timeout=30) as ws:
                await ws.send("not a protobuf" if sent % 2 else b"\xff\xfe not a BackMsg")
                with contextlib.suppress(websockets.ConnectionClosed, TimeoutError):
                    await asyncio.wait_for(ws.recv(), 10)
                sent += 1
        except REFUSED:
            refused += 1
    return Outcome(sent <= 160, f"{sent / seconds:.1f} frames/s taken, {refused} refused")


EDGE_ATTACKS = {"join codes guessed, one page each": guess_join_codes,
                "page loads, one session each": load_pages,
                "malformed websocket frames, one connection each": flood_malformed_frames,
                "join codes guessed on one websocket": guess_codes_on_one_websocket,
                "page switches on one websocket": switch_pages,
                "malformed component events on one websocket": malformed_component_events}


# -- helpers that work with this tree's player and with the older, timer-driven one ------------------------------------
async def train_to_target(app: AppSession) -> None:
    await app.click("train")
    while app.components.get("play", {}).get("mode"):  # the player asks for each slice of training
        await app.trigger("play", "need", {"shown": -1, "chunk": 0})


async def play_for(app: AppSession, seconds: float) -> int:
    """Press Play and keep the live training going for ``seconds`` as a browser would; returns the updates the
    screen got. This tree: the player pulls chunks of frames. Older commits: a fragment rerun on a timer."""
    updates, end = 0, time.perf_counter() + seconds
    if app.widgets["play"].kind == "bidi_component":
        await app.trigger("play", "play", True)
        while time.perf_counter() < end and app.components["play"].get("chunk"):
            chunk = app.components["play"]["chunk"]
            frames = len(base64.b64decode(chunk["epochs"]["bdata"])) // 4
            updates += frames
            wait = max(0.0, frames * chunk["seconds_per_frame"] - PLAYER_PULL)
            await asyncio.sleep(min(wait, max(0.0, end - time.perf_counter())))
            if time.perf_counter() >= end or not chunk["more"]:
                break
            digits = "".join(c for c in app.text_in("epoch") if c.isdigit())
            await app.trigger("play", "need", {"shown": int(digits or 0), "chunk": chunk["number"]})
        await app.trigger("play", "stop", {"shown": -1})
    else:
        await app.click("play")
        while time.perf_counter() < end and app.live_fragment:
            await app.auto_rerun(app.live_fragment)
            updates += 1
        await app.click("play")
    return updates

