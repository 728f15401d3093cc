"""A class presses Play at once: twenty sessions, each with its own data and learning rate, play live through the
websocket protocol while the server's one trainer trains them together; every frame each one is sent holds exactly
its own run's weights (bit for bit), and each stops with its own weights on screen. No timing assertions."""

import asyncio
import base64
import re

import numpy as np
import pytest

from nn_core import PRESETS, NeuralNetwork, Settings
from tests.e2e.harness import Server

from .client import AppSession
from .scenario import run_in_thread

SESSIONS = 20
PULLS = 3


@pytest.fixture(scope="module")
def server():
    s = Server()
    yield s
    s.stop()


def own_run(i: int) -> tuple[list[list[float]], float]:
    """Session i's table (the article's, with row 1 set to i's bits) and learning rate: all twenty differ."""
    inputs = [list(map(float, r)) for r in PRESETS["article"].inputs]
    inputs[0] = [float(i % 2), float(i // 2 % 2), float(i // 4 % 2)]
    return inputs, 0.5 + 0.05 * i


def decoded(spec: dict, dtype: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(spec["bdata"]), dtype=dtype)


async def play(url: str, i: int, everyone_ready: asyncio.Barrier) -> dict:
    app = AppSession(url)
    await app.open()
    inputs, rate = own_run(i)
    await app.edit_table("training_data", {"edited_rows": {"0": dict(zip(("x1", "x2", "x3"), inputs[0]))},
                                           "added_rows": [], "deleted_rows": []})
    await app.set_number("learning_rate", rate)
    await app.choose("play_speed", "5,000")
    await everyone_ready.wait()
    await app.trigger("play", "play", True)
    frames = {}
    for _ in range(PULLS):
        chunk = app.components["play"]["chunk"]
        epochs = decoded(chunk["epochs"], "<i4")
        params = decoded(chunk["params"], "<f8").reshape(len(epochs), -1)
        frames.update(zip(epochs.tolist(), params))
        await app.trigger("play", "need", {"shown": int(epochs[len(epochs) // 2]), "chunk": chunk["number"]})
    shown = max(frames)
    await app.trigger("play", "stop", {"shown": shown})
    result = {"frames": frames, "shown": shown, "epoch": int(re.sub(r"\D", "", app.text_in("epoch"))),
              "weights": [float(w) for w in re.findall(r"= (-?\d+\.\d+)", app.text_in("weights"))]}
    await app.close()
    return result


async def a_class(url: str) -> list[dict]:
    everyone_ready = asyncio.Barrier(SESSIONS)
    return await asyncio.gather(*(play(url, i, everyone_ready) for i in range(SESSIONS)))


def test_twenty_sessions_play_at_once_each_with_exactly_its_own_weights(server):
    played = run_in_thread(a_class(server.url))
    for i, result in enumerate(played):
        inputs, rate = own_run(i)
        net = NeuralNetwork(inputs, PRESETS["article"].outputs, Settings(learning_rate=rate))
        at = 0
        for epoch, params in sorted(result["frames"].items()):  # every frame it was sent, to the bit
            net.train(epoch - at)
            at = epoch
            assert np.array_equal(params, net.params), (i, epoch)
        assert result["epoch"] == result["shown"]  # it stopped at the frame on its screen
        net = NeuralNetwork(inputs, PRESETS["article"].outputs, Settings(learning_rate=rate))
        net.train(result["shown"])
        assert result["weights"] == [round(float(w), 4) for w in net.params], i
    # Twenty different runs: equal weights anywhere would mean one session was sent another's.
    assert len({tuple(r["frames"][max(r["frames"])]) for r in played}) == SESSIONS
