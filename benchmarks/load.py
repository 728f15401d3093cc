"""Many learners at once, on this 2-core machine, through Streamlit's own websocket protocol (tests/load/client.py).

    .venv/bin/python benchmarks/load.py mixed [N ...] [--replicas 2] [--tree PATH]
    .venv/bin/python benchmarks/load.py class [--tabs 50] [--speed 5,000] [--browsers 2] [--bystanders 5]
                                              [--seconds 20] [--replicas 2] [--tree PATH]
    .venv/bin/python benchmarks/load.py heavy [--tabs 20] [--speed 5,000] [--bystanders 5] [--seconds 60]
                                              [--replicas 2] [--tree PATH]

mixed: N concurrent sessions (default 1 10 25 50 100), each editing the data, setting its own learning rate,
stepping 5 times, training to its own target, playing a little and stopping, then checking that the weights on its
screen are exactly what nn_core computes for its own inputs (no cross-talk). Reports the Step latency (click →
script finished) median and p95, errors and wrong weights.

class: "everyone press Play now". --tabs protocol tabs press Play at once at --speed epochs/s and keep playing for
--seconds as a browser does (tests/load/scenario.py play: the player's chunks, paced, or an older commit's timer);
meanwhile --bystanders sessions click Step once a second and --browsers real Chromium tabs play too, counting the
loss-chart updates that reach their screen. Reports per tab: updates/s (frames shown), stalls, bytes/s; the
bystanders' Step p50/p95; the replicas' CPU per playing tab.

heavy: the most expensive link the app accepts (1,000 rows, a hidden unit with bias, 500,000 epochs: the replay
limit) opened while --tabs tabs play and --bystanders sessions click Step once a second: how long the link takes
to open (page load to the run in force), and the bystanders' Step p50/p95 before it and while it opens.

Sessions speak from loopback addresses of their own (127.0.0.2 onwards): the balancer limits what one address may
open, and a class is many addresses. --replicas 2 (the default) puts HAProxy in front
(deploy/haproxy.cfg.template, tests/deploy/balancer.py); 1 serves one `streamlit run`. --tree serves another
checkout (e.g. a copy of an older commit) with this tree's harness, for before/after figures.
Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.expensive_link import expensive_link
from tests.deploy.balancer import Balancer
from tests.e2e.harness import ROOT, Server
from tests.load.client import AppSession
from tests.load.scenario import address, play, run_sessions, summary


def serve(replicas: int, tree: Path):
    return Balancer(replicas, cwd=tree) if replicas > 1 else Server(cwd=tree)


def processes(server) -> list:
    return [r.proc for r in server.replicas.values()] if isinstance(server, Balancer) else [server.proc]


def cpu_seconds(procs) -> float:
    """User + system CPU time of these processes (and their threads), from /proc."""
    total = 0.0
    for proc in procs:
        fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / 100  # utime, stime in clock ticks (100 a second here)
    return total


def percentile(values, q) -> float:
    return float(np.percentile(values, q)) if len(values) else float("nan")


# -- mixed --------------------------------------------------------------------------------------------------------
def mixed(levels: list[int], replicas: int, tree: Path) -> None:
    server = serve(replicas, tree)
    try:
        print(f"{'sessions':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7} {'wrong':>6} {'total s':>8}")
        for n in levels:
            visits, took = asyncio.run(run_sessions(server.url, n, spread=replicas > 1))
            r = summary(visits)
            print(f"{n:>8} {r['step_p50_ms']:>8.0f} {r['step_p95_ms']:>8.0f} {r['errors']:>7} "
                  f"{r['wrong_weights']:>6} {took:>8.1f}", flush=True)
            for v in visits:
                if v.error:
                    print("   ", v.index, v.error)
    finally:
        server.stop()


# -- a class pressing Play -----------------------------------------------------------------------------------------
async def open_class(url: str, tabs: int, speed: str, bystanders: int) -> tuple[list, list]:
    """(players, bystanders): sessions opened from addresses of their own, the players at ``speed``."""
    players = [AppSession(url, source=address(i)) for i in range(tabs)]
    watchers = [AppSession(url, source=address(tabs + i)) for i in range(bystanders)]
    for app in players + watchers:
        await app.open()
    for app in players:
        await app.choose("play_speed", speed)
    return players, watchers


async def classroom(url: str, tabs: int, speed: str, bystanders: int, seconds: float, ready: threading.Event,
                    go: threading.Event) -> dict:
    players, watchers = await open_class(url, tabs, speed, bystanders)
    ready.set()
    await asyncio.to_thread(go.wait)

    steps: list[float] = []

    async def bystander(app: AppSession):
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            steps.append(await app.click("step"))
            await asyncio.sleep(max(0.0, 1.0 - steps[-1]))

    played, _ = await asyncio.gather(asyncio.gather(*(play(app, seconds) for app in players)),
                                     asyncio.gather(*(bystander(app) for app in watchers)))
    for app in players + watchers:
        await app.close()
    return {"played": played, "steps": steps, "replicas": {a.replica for a in players}}


def browsers_play(url: str, count: int, speed: str, seconds: float, ready: threading.Event, go: threading.Event,
                  out: dict) -> None:
    """``count`` Chromium tabs play too, counting the loss-chart updates that reach their screen."""
    from playwright.sync_api import sync_playwright

    from benchmarks.bench_browser import WATCH, per_second
    from tests.e2e.harness import key, launch, wait_idle
    from tests.e2e.harness import open_any_app as open_app  # (also an older commit's page)

    with sync_playwright() as p:
        browser = launch(p)
        pages = []
        try:
            for _ in range(count):
                page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
                page.set_default_timeout(120_000)
                open_app(page, url)
                key(page, "play_speed").locator('[role="combobox"]').first.click()
                page.get_by_role("option", name=speed).first.click()  # "5,000/s" (older commits word it otherwise)
                wait_idle(page)
                pages.append(page)
        finally:
            ready.set()
        go.wait()
        for page in pages:
            page.evaluate(WATCH)
            key(page, "play").locator("button").first.click()
        time.sleep(seconds)
        out["chart_updates"] = [per_second(page.evaluate("() => window.__updates")["chart"]) for page in pages]
        browser.close()


def a_class(tabs: int, speed: str, browsers: int, bystanders: int, seconds: float, replicas: int, tree: Path) -> None:
    server = serve(replicas, tree)
    try:
        procs = processes(server)
        ready_protocol, ready_browsers, go = threading.Event(), threading.Event(), threading.Event()
        seen: dict = {}
        browser_thread = threading.Thread(target=browsers_play, args=(server.url, browsers, speed, seconds,
                                                                      ready_browsers, go, seen))
        if browsers:
            browser_thread.start()
        else:
            ready_browsers.set()
        result: dict = {}
        protocol_thread = threading.Thread(target=lambda: result.update(asyncio.run(
            classroom(server.url, tabs, speed, bystanders, seconds, ready_protocol, go))))
        protocol_thread.start()
        ready_protocol.wait()
        ready_browsers.wait()
        cpu, start = cpu_seconds(procs), time.perf_counter()
        go.set()  # everyone presses Play now
        protocol_thread.join()
        cpu_used, elapsed = cpu_seconds(procs) - cpu, time.perf_counter() - start
        if browsers:
            browser_thread.join()
    finally:
        server.stop()
    played, steps = result["played"], result["steps"]
    rates = [p.updates_per_second for p in played]
    kbs = [p.bytes / 1024 / p.seconds for p in played]
    print(f"{tabs} tabs playing at {speed} epochs/s for {seconds:g} s, {replicas} replica(s) "
          f"(tabs on {sorted(r for r in result['replicas'] if r) or ['one server']}); tree {tree}")
    print(f"  updates/s per protocol tab: min {min(rates):.1f}, median {statistics.median(rates):.1f}, "
          f"max {max(rates):.1f}; stalls per tab: median {statistics.median(p.stalls for p in played):.0f}")
    print(f"  bytes per playing tab: median {statistics.median(kbs):.1f} KB/s, max {max(kbs):.1f} KB/s")
    if seen.get("chart_updates"):
        shown = ", ".join(f"{u:.1f}" for u in seen["chart_updates"])
        print(f"  Chromium tabs, loss-chart updates/s on screen: {shown}")
    print(f"  bystanders' Step: p50 {percentile(steps, 50) * 1e3:.0f} ms, p95 {percentile(steps, 95) * 1e3:.0f} ms "
          f"({len(steps)} steps)")
    print(f"  server CPU: {cpu_used / elapsed:.2f} cores in all, {cpu_used / elapsed / tabs * 100:.1f} % of a core "
          f"per playing tab (incl. the bystanders and browsers)")


# -- the most expensive link, opened while a class plays ----------------------------------------------------------
async def heavy_while_playing(url: str, tabs: int, speed: str, bystanders: int, seconds: float) -> dict:
    players, watchers = await open_class(url, tabs, speed, bystanders)
    start = time.perf_counter()
    steps: list[tuple[float, float]] = []  # (when, latency)
    opened: dict = {}

    async def bystander(app: AppSession):
        while time.perf_counter() - start < seconds:
            at = time.perf_counter()
            took = await app.click("step")
            steps.append((at - start, took))
            await asyncio.sleep(max(0.0, 1.0 - took))

    async def open_link():
        await asyncio.sleep(seconds / 6)
        app = AppSession(url, source=address(tabs + bystanders), timeout=600)
        opened["at"] = time.perf_counter() - start
        opened["took"] = await app.open(query="s=" + expensive_link())
        opened["epoch"] = app.text_in("epoch")
        await app.close()

    await asyncio.gather(asyncio.gather(*(play(app, seconds) for app in players)),
                         asyncio.gather(*(bystander(app) for app in watchers)), open_link())
    for app in players + watchers:
        await app.close()
    return {"steps": steps, **opened}


def heavy(tabs: int, speed: str, bystanders: int, seconds: float, replicas: int, tree: Path) -> None:
    server = serve(replicas, tree)
    try:
        r = asyncio.run(heavy_while_playing(server.url, tabs, speed, bystanders, seconds))
    finally:
        server.stop()
    before = [took for at, took in r["steps"] if at < r["at"]]
    during = [took for at, took in r["steps"] if r["at"] <= at < r["at"] + r["took"]]
    print(f"the most expensive link, opened while {tabs} tabs play at {speed} epochs/s, {replicas} replica(s); "
          f"tree {tree}")
    print(f"  open time: {r['took']:.1f} s (page shows {r['epoch']})")
    for name, values in (("before it", before), ("while it opens", during)):
        print(f"  bystanders' Step {name}: p50 {percentile(values, 50) * 1e3:.0f} ms, "
              f"p95 {percentile(values, 95) * 1e3:.0f} ms ({len(values)} steps)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=("mixed", "class", "heavy"))
    parser.add_argument("levels", nargs="*", type=int, default=[1, 10, 25, 50, 100])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--tree", type=Path, default=ROOT)
    parser.add_argument("--tabs", type=int, default=50)
    parser.add_argument("--speed", default="5,000")
    parser.add_argument("--browsers", type=int, default=2)
    parser.add_argument("--bystanders", type=int, default=5)
    parser.add_argument("--seconds", type=float)
    args = parser.parse_args()
    if args.mode == "mixed":
        mixed(args.levels, args.replicas, args.tree)
    elif args.mode == "heavy":
        heavy(args.tabs if args.tabs != 50 else 20, args.speed, args.bystanders, args.seconds or 60, args.replicas,
              args.tree)
    else:
        a_class(args.tabs, args.speed, args.browsers, args.bystanders, args.seconds or 20, args.replicas, args.tree)


if __name__ == "__main__":
    main()
