"""The attack table of issue 15: each attack of tests/load/attacks.py against a fresh `streamlit run`, while four
bystanders click Step twice a second, on this tree and (with --against) an older checkout, side by side.

    .venv/bin/python benchmarks/attacks.py [--against PATH] [--only WORDS] [--attackers 2]

For each attack and tree: whether the defence held (and what happened), the bystanders' Step latency p50/p95 during
the attack (and without one, for reference), the server's resident memory before / at its peak / after the
attackers left, the server's CPU time spent, and how much its log grew. --against serves another checkout with this
tree's harness and attacks (a copy of an older commit: `git worktree add /tmp/old <rev>`, or a copy of one).
Not a test: nothing here asserts; each attack is cut off after 150 s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.load import cpu_seconds
from tests.e2e.harness import ROOT, Server, rss_mb
from tests.load.attacks import ATTACKS, Outcome
from tests.load.client import AppSession

BYSTANDERS = 4
TIME_LIMIT = 150




async def measure(server: Server, attack, attackers: int) -> dict:
    steps: list[tuple[float, float]] = []  # (when, latency)
    stop = asyncio.Event()

    async def bystander():
        app = AppSession(server.url)
        await app.open()
        while not stop.is_set():
            took = await app.click("step")
            steps.append((time.perf_counter(), took))
            await asyncio.sleep(max(0.0, 0.5 - took))
        await app.close()

    peak = rss_mb(server.proc.pid)

    async def watch_memory():
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, rss_mb(server.proc.pid))
            await asyncio.sleep(0.2)

    warm = AppSession(server.url)  # imports and caches: the first session pays for them
    await warm.open()
    await warm.click("train")
    await warm.close()
    watchers = [asyncio.create_task(bystander()) for _ in range(BYSTANDERS)] + [asyncio.create_task(watch_memory())]
    await asyncio.sleep(5)
    quiet = [took for _, took in steps]
    rss_before, cpu_before, log_before = rss_mb(server.proc.pid), cpu_seconds([server.proc]), log_size(server)
    start = time.perf_counter()
    try:
        outcomes = await asyncio.wait_for(asyncio.gather(*(attack(server.url) for _ in range(attackers))),
                                          TIME_LIMIT)
    except TimeoutError:
        outcomes = [Outcome(False, f"still running after {TIME_LIMIT} s")]
    except Exception as e:  # an attack that breaks the server breaks the client too
        outcomes = [Outcome(False, f"{type(e).__name__}: {str(e)[:80]}")]
    end = time.perf_counter()
    during = [took for when, took in steps if start <= when <= end + 0.5]
    cpu = cpu_seconds([server.proc]) - cpu_before
    await asyncio.sleep(3)
    stop.set()
    await asyncio.gather(*watchers, return_exceptions=True)
    return {"outcome": outcomes[0], "seconds": end - start, "quiet": quiet, "during": during,
            "rss": (rss_before, peak, rss_mb(server.proc.pid)), "cpu": cpu, "log": log_size(server) - log_before}


def log_size(server: Server) -> int:
    server.log.flush()
    return os.path.getsize(server.log.name)


def ms(values, q) -> str:
    return f"{np.percentile(values, q) * 1e3:,.0f}" if values else "–"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", type=Path, help="also attack this checkout (e.g. an older commit's)")
    parser.add_argument("--only", default="", help="only the attacks whose name contains this text")
    parser.add_argument("--attackers", type=int, default=2, help="attackers making each attack at once")
    args = parser.parse_args()
    trees = {"after": ROOT} | ({"before": args.against} if args.against else {})
    print("| attack | tree | held | what happened | bystander Step p50 / p95 ms (quiet p95) | server RSS MB "
          "before → peak → after | server CPU s | log grew |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, attack in ATTACKS.items():
        if args.only not in name:
            continue
        for label, tree in trees.items():
            server = Server(cwd=tree)
            try:
                r = asyncio.run(measure(server, attack, args.attackers))
            finally:
                server.stop()
            before, peak, after = r["rss"]
            print(f"| {name} | {label} | {'yes' if r['outcome'].held else '**no**'} | {r['outcome'].detail} "
                  f"({r['seconds']:.1f} s) | {ms(r['during'], 50)} / {ms(r['during'], 95)} ({ms(r['quiet'], 95)}) | "
                  f"{before:.0f} → {peak:.0f} → {after:.0f} | {r['cpu']:.1f} | {r['log'] / 1024:,.0f} KB |",
                  flush=True)


if __name__ == "__main__":
    main()
