"""One learner's visit, through the websocket: edit the data, set a learning rate, step, train, play, stop.

Each session gets its own data edit and learning rate, so that its final weights are its own: comparing
them with nn_core's answer for the same inputs proves that no session saw another's network.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field

import numpy as np

from nn_core import PRESETS, NeuralNetwork
from playground.session import PLAY_INTERVAL

from .client import AppSession

STEPS = 5


@dataclass
class Visit:
    index: int
    learning_rate: float
    target: int
    step_latencies: list[float] = field(default_factory=list)
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
    net = NeuralNetwork(inputs, PRESETS["article"].outputs, learning_rate=rate)
    net.train(epoch)
    return [round(float(w), 4) for w in net.params]


async def visit(url: str, i: int, play_ticks: int = 5, source_address: str | None = None) -> Visit:
    rate, target, x1 = settings_for(i)
    v = Visit(i, rate, target)
    app = AppSession(url, source_address=source_address)
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
        await app.click("play")  # starts live training (and reruns the page to start the timer)
        if not app.live_fragment:
            raise AssertionError("Play did not start the live timer")
        for _ in range(play_ticks):
            await asyncio.sleep(PLAY_INTERVAL)
            await app.auto_rerun(app.live_fragment)
        await app.click("play")  # stop
        v.epoch = int(re.sub(r"\D", "", app.text_in("epoch")))
        v.weights_shown = [float(x) for x in re.findall(r"-?\d+\.\d+", app.text_in("weights"))]
        v.weights_expected = expected_weights(i, v.epoch)
    except Exception as e:  # a failure is a result here, reported per session
        v.error = f"{type(e).__name__}: {e}"
    finally:
        await app.close()
    return v


async def run_sessions(url: str, n: int, play_ticks: int = 5, source_addresses=None) -> tuple[list[Visit], float]:
    start = time.perf_counter()
    visits = await asyncio.gather(*(visit(url, i, play_ticks, source_addresses[i % len(source_addresses)]
                                          if source_addresses else None) for i in range(n)))
    return list(visits), time.perf_counter() - start


def summary(visits: list[Visit]) -> dict:
    latencies = np.array([x for v in visits for x in v.step_latencies]) if visits else np.array([])
    return {
        "sessions": len(visits),
        "errors": sum(v.error is not None for v in visits),
        "wrong_weights": sum(v.error is None and not v.correct for v in visits),
        "step_p50_ms": float(np.percentile(latencies, 50) * 1e3) if latencies.size else None,
        "step_p95_ms": float(np.percentile(latencies, 95) * 1e3) if latencies.size else None,
    }


def run_in_thread(coroutine):
    """asyncio.run in a thread of its own: the browser tests keep Playwright's event loop in the main thread."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
