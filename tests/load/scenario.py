"""One learner's visit, through the websocket: edit the data, set a learning rate, step, train, play, stop.

Each session gets its own data edit and learning rate, so that its final weights are its own: comparing them with
nn_core's answer for the same inputs proves that no session saw another's network. The client stands in for the
browser's player: it asks for the next chunk of frames when the last one would have played out, and stops at the
epoch of a frame it "showed".
"""

from __future__ import annotations

import asyncio
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from nn_core import PRESETS, NeuralNetwork, Settings
from playground.live.player import PULL_SECONDS

from .client import AppSession

STEPS = 5


@dataclass
class Visit:
    index: int
    learning_rate: float
    target: int
    step_latencies: list[float] = field(default_factory=list)
    chunk_bytes: int = 0
    frames: int = 0
    play_seconds: float = 0.0
    error: str | None = None
    epoch: int | None = None
    weights_shown: list[float] | None = None
    weights_expected: list[float] | None = None
    replica: str | None = None

    @property
    def correct(self) -> bool:
        return self.error is None and self.weights_shown == self.weights_expected


def settings_for(i: int) -> tuple[float, int, int]:
    """(learning rate, target epoch, the x1 of row 1) for session i: all different between neighbours."""
    return 0.5 + 0.01 * i, 2000 + 37 * i, i % 2


def expected_weights(i: int, epoch: int) -> list[float]:
    rate, _, x1 = settings_for(i)
    inputs = [list(r) for r in PRESETS["article"].inputs]
    inputs[0][0] = x1
    net = NeuralNetwork(inputs, PRESETS["article"].outputs, Settings(learning_rate=rate))
    net.train(epoch)
    return [round(float(w), 4) for w in net.params]


def frames_of(app: AppSession) -> tuple[list[int], dict | None]:
    chunk = app.components.get("play", {}).get("chunk")
    if not chunk:
        return [], None
    epochs = np.frombuffer(__import__("base64").b64decode(chunk["epochs"]["bdata"]), dtype="<i4").tolist()
    return epochs, chunk


async def play_for(app: AppSession, v: Visit, pulls: int) -> int:
    """Play: take ``pulls`` chunks, pacing as the browser would; returns the epoch of the last frame 'shown'."""
    await app.trigger("play", "play", True)
    start, shown = time.perf_counter(), 0
    for _ in range(pulls + 1):
        epochs, chunk = frames_of(app)
        if chunk is None:
            raise AssertionError("Play sent no frames")
        v.frames += len(epochs)
        v.chunk_bytes += len(str(chunk))
        shown = epochs[-1]
        if _ == pulls:
            break
        await asyncio.sleep(max(0.0, len(epochs) * chunk["seconds_per_frame"] - PULL_SECONDS))
        await app.trigger("play", "need", {"shown": epochs[len(epochs) // 2], "chunk": chunk["number"]})
    v.play_seconds = time.perf_counter() - start
    return shown


@dataclass
class Played:
    """What one tab's live play put on its screen, as a browser shows it (see ``play``)."""

    seconds: float = 0.0
    frames: int = 0  # frames whose time to be shown came before play ended (each: epoch, weights, loss, chart)
    stalls: int = 0  # times the frames ran out before the next chunk came
    bytes: int = 0  # received over the websocket meanwhile
    last_epoch: int = 0

    @property
    def updates_per_second(self) -> float:
        return self.frames / self.seconds if self.seconds else 0.0


async def play(app: AppSession, seconds: float) -> Played:
    """Press Play and keep live training going for ``seconds`` as a browser does, then Stop.

    This tree: the player (live.js) shows each chunk's frames at their own pace, one after the other, and asks for
    the next chunk when less than PULL_SECONDS of frames are left; a chunk that comes late leaves the screen still
    (a stall). Older commits: a fragment rerun on the browser's timer every PLAY_INTERVAL, each one an update."""
    p, start = Played(), time.perf_counter()
    received = app.received
    if app.widgets["play"].kind == "bidi_component":
        await app.trigger("play", "play", True)
        shown_until = time.perf_counter()  # when the last queued frame will have been shown
        queue: list[tuple[float, int]] = []  # (time to show, epoch)
        while True:
            epochs, chunk = frames_of(app)
            if chunk is None:
                break
            now = time.perf_counter()
            if now > shown_until and queue:
                p.stalls += 1
            at = max(now, shown_until)
            queue += [(at + (k + 1) * chunk["seconds_per_frame"], e) for k, e in enumerate(epochs)]
            shown_until = queue[-1][0]
            end = start + seconds
            if not chunk["more"] or shown_until >= end:
                break
            pull = app.components["play"].get("pull_seconds", PULL_SECONDS)  # what the server told its player
            await asyncio.sleep(max(0.0, min(shown_until - pull, end) - time.perf_counter()))
            if time.perf_counter() >= end:
                break
            on_screen = [e for t, e in queue if t <= time.perf_counter()]
            await app.trigger("play", "need", {"shown": on_screen[-1] if on_screen else -1, "chunk": chunk["number"]})
        end = min(start + seconds, time.perf_counter()) if not queue else start + seconds
        await asyncio.sleep(max(0.0, end - time.perf_counter()))
        on_screen = [e for t, e in queue if t <= end]
        p.frames, p.last_epoch, p.seconds = len(on_screen), on_screen[-1] if on_screen else 0, end - start
        p.bytes = app.received - received
        await app.trigger("play", "stop", {"shown": p.last_epoch})
    else:
        from_timer = 0.05  # the older commits' PLAY_INTERVAL
        await app.click("play")
        while time.perf_counter() - start < seconds and app.live_fragment:
            took = await app.auto_rerun(app.live_fragment)
            p.frames += 1
            await asyncio.sleep(max(0.0, from_timer - took))
        p.seconds, p.bytes = time.perf_counter() - start, app.received - received
        await app.click("play")
    return p


def address(i: int) -> str:
    """A loopback address of its own for client i (127.0.0.2 onwards): a class behind a balancer that limits what
    one address may open is many addresses, not one."""
    return f"127.0.0.{2 + i % 250}"


async def visit(url: str, i: int, play_pulls: int = 2, spread: bool = False) -> Visit:
    rate, target, x1 = settings_for(i)
    v = Visit(i, rate, target)
    app = AppSession(url, source=address(i) if spread else "")
    try:
        await app.open()
        v.replica = app.replica
        if x1:
            await app.edit_table("training_data", {"edited_rows": {"0": {"x1": 1}}, "added_rows": [],
                                                   "deleted_rows": []})
        await app.set_number("learning_rate", rate)
        for _ in range(STEPS):
            v.step_latencies.append(await app.click("step"))
        await app.set_number("target_epochs", target, as_int=True)
        await app.click("train")
        while app.components["play"].get("mode"):  # training to the target: the browser asks for each slice
            await app.trigger("play", "need", {"shown": -1, "chunk": 0})
        shown = await play_for(app, v, play_pulls)
        await app.trigger("play", "stop", {"shown": shown})
        v.epoch = int(re.sub(r"\D", "", app.text_in("epoch")))
        if v.epoch != shown:
            raise AssertionError(f"stopped at {v.epoch:,}, not at the epoch on screen ({shown:,})")
        v.weights_shown = [float(x) for x in re.findall(r"= (-?\d+\.\d+)", app.text_in("weights"))]
        v.weights_expected = expected_weights(i, v.epoch)
    except Exception as e:  # a failure is a result here, reported per session
        v.error = f"{type(e).__name__}: {e}"
    finally:
        await app.close()
    return v


async def run_sessions(url: str, n: int, play_pulls: int = 2, spread: bool = False) -> tuple[list[Visit], float]:
    """``n`` visits at once (``spread``: each from a loopback address of its own, see ``address``)."""
    start = time.perf_counter()
    visits = await asyncio.gather(*(visit(url, i, play_pulls, spread) for i in range(n)))
    return list(visits), time.perf_counter() - start


def summary(visits: list[Visit]) -> dict:
    latencies = np.array([x for v in visits for x in v.step_latencies]) if visits else np.array([])
    played = [v for v in visits if v.play_seconds]
    return {
        "sessions": len(visits),
        "errors": sum(v.error is not None for v in visits),
        "wrong_weights": sum(v.error is None and not v.correct for v in visits),
        "step_p50_ms": float(np.percentile(latencies, 50) * 1e3) if latencies.size else None,
        "step_p95_ms": float(np.percentile(latencies, 95) * 1e3) if latencies.size else None,
        "play_kb_per_s": float(np.mean([v.chunk_bytes / 1024 / v.play_seconds for v in played])) if played else None,
    }


def run_in_thread(coroutine):
    """asyncio.run in a thread of its own: the browser tests keep Playwright's event loop in the main thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
