"""Follow lag: one presenter and N followers of its room (default 50), through Streamlit's websocket protocol.

    .venv/bin/python benchmarks/follow.py [N]                  one `streamlit run` (rooms in the process)
    .venv/bin/python benchmarks/follow.py --replicas 2 [N]     two replicas sharing a redis-server (ROOMS_REDIS_URL):
                                                               the presenter on the first, followers on both

Each follower is a protocol client (tests/load/client.py) that does what a student's browser does: it opens
/?room=CODE and reruns its poll fragment every rooms.POLL_SECONDS (the browser's timer). The presenter steps 20
times (3 s apart: each step's run is put in force on every follower in between, a full page each), then plays
for 10 s at 1,000 epochs/s (a client pulling chunks like the browser's player) and stops.

Lag: every broadcast says when its first frame is on the presenter's screen (first_at, this machine's clock); a
follower can show it at max(first_at, the moment its poll brought it). Reported: the lag's median and p95 over every
(follower, broadcast) pair, per phase, plus broadcasts a follower never saw, and whether every follower ended with the
presenter's exact weights on screen. Not a test: tests/pages/test_rooms.py and the browser tests check behaviour.
"""

import asyncio
import base64
import re
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playground.live.player import PULL_SECONDS
from playground.rooms.registry import POLL_SECONDS, QUIET_SECONDS
from tests.e2e.harness import Server
from tests.load.client import AppSession

STEPS = 20
STEP_GAP = 3.0
PLAY_SECONDS = 10.0


class Follower:
    def __init__(self, url: str, code: str):
        self.app = AppSession(url)
        self.code = code
        self.seen: dict[int, float] = {}  # room version -> when this follower could show it (time.time())
        self.first_at: dict[int, float] = {}
        self.phase_of: dict[int, str] = {}

    async def run(self, done: asyncio.Event) -> None:
        await self.app.open(query=f"room={self.code}")
        self.note()
        fragment = self.app.live_fragment
        while not done.is_set():
            await asyncio.sleep(POLL_SECONDS)
            await self.app.auto_rerun(fragment)
            fragment = self.app.live_fragment or fragment
            self.note()

    def note(self) -> None:
        relay = self.app.components.get("room_follow", {}).get("relay")
        if relay and relay["version"] not in self.seen:
            first_at = relay["chunk"].get("newest_at", relay["chunk"]["first_at"])  # its newest frames
            self.seen[relay["version"]] = max(time.time(), first_at)
            self.first_at[relay["version"]] = first_at

    def weights(self) -> str:
        return self.app.text_in("weights")


async def presenter_run(url: str, followers_ready: asyncio.Event, code_box: list, versions: dict) -> AppSession:
    p = AppSession(url)
    await p.open()
    await p.click("room_create")
    code_box.append(re.search(r"\*\*([A-Z0-9 ]+)\*\*", p.text_in("room_code")).group(1).replace(" ", ""))
    await followers_ready.wait()
    await asyncio.sleep(2.0)
    for _ in range(STEPS):
        await p.click("step")
        versions.setdefault("step", []).append(time.time())
        await asyncio.sleep(STEP_GAP)
    versions["play_start"] = time.time()
    await p.trigger("play", "play", True)
    start = time.perf_counter()
    while time.perf_counter() - start < PLAY_SECONDS:
        chunk = p.components["play"]["chunk"]
        epochs = np.frombuffer(base64.b64decode(chunk["epochs"]["bdata"]), dtype="<i4")
        await asyncio.sleep(max(0.0, len(epochs) * chunk["seconds_per_frame"] - PULL_SECONDS))
        await p.trigger("play", "need", {"shown": int(epochs[len(epochs) // 2]), "chunk": chunk["number"]})
    versions["play_end"] = time.time()
    chunk = p.components["play"]["chunk"]
    epochs = np.frombuffer(base64.b64decode(chunk["epochs"]["bdata"]), dtype="<i4")
    await p.trigger("play", "stop", {"shown": int(epochs[0])})
    await asyncio.sleep(QUIET_SECONDS + 3 * POLL_SECONDS + 3.0)  # every follower puts the final run in force
    return p


async def main(n: int, replicas: int) -> None:
    redis = None
    if replicas > 1:
        from tests.deploy.redis_server import RedisServer

        redis = RedisServer()
        servers = [Server(env={"ROOMS_REDIS_URL": redis.url}) for _ in range(replicas)]
    else:
        servers = [Server()]
    try:
        code_box, versions, ready, done = [], {}, asyncio.Event(), asyncio.Event()
        presenter_task = asyncio.create_task(presenter_run(servers[0].url, ready, code_box, versions))
        while not code_box:
            await asyncio.sleep(0.05)
        followers = [Follower(servers[i % len(servers)].url, code_box[0]) for i in range(n)]
        tasks = [asyncio.create_task(f.run(done)) for f in followers]
        await asyncio.sleep(1.0)
        while any(not f.app.live_fragment for f in followers):
            await asyncio.sleep(0.2)
        ready.set()
        presenter = await presenter_task
        done.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        final = presenter.text_in("weights")
        report(followers, versions, final, n, replicas)
        for app in [presenter, *(f.app for f in followers)]:
            await app.close()
    finally:
        for s in servers:
            s.stop()
        if redis:
            redis.stop()


def report(followers, versions, final: str, n: int, replicas: int) -> None:
    all_versions = sorted({v for f in followers for v in f.first_at})
    first_at = {v: f.first_at[v] for f in followers for v in f.first_at}
    phases = {"steps": [], "play": []}
    missed = {"steps": 0, "play": 0}
    for v in all_versions:
        phase = "play" if versions["play_start"] <= first_at[v] <= versions["play_end"] + 1 else "steps"
        for f in followers:
            if v in f.seen:
                phases[phase].append(f.seen[v] - first_at[v])
            else:
                missed[phase] += 1
    print(f"{n} followers, {replicas} process(es){' + redis' if replicas > 1 else ''}; "
          f"{len(all_versions)} broadcasts")
    for phase, lags in phases.items():
        lags = np.array(lags) * 1e3
        if lags.size:
            print(f"  {phase:>5}: lag p50 {np.percentile(lags, 50):6.0f} ms   p95 {np.percentile(lags, 95):6.0f} ms   "
                  f"max {lags.max():6.0f} ms   (pairs {lags.size}, missed {missed[phase]})")
    exact = sum(f.weights() == final for f in followers)
    print(f"  exact weights on screen after the stop: {exact} of {n} ({final})")


if __name__ == "__main__":
    args = sys.argv[1:]
    replicas = 1
    if args[:1] == ["--replicas"]:
        replicas, args = int(args[1]), args[2:]
    asyncio.run(main(int(args[0]) if args else 50, replicas))
