"""The attack table of issue 15: each attack of tests/load/attacks.py against a fresh `streamlit run`, while four
bystanders click Step twice a second, on this tree and (with --against) an older checkout, side by side.

    .venv/bin/python benchmarks/attacks.py [--against PATH] [--only WORDS] [--attackers 2]
    .venv/bin/python benchmarks/attacks.py --edge [--against PATH] [--only WORDS] [--seconds 60]
    .venv/bin/python benchmarks/attacks.py --rooms [--against PATH] [--only WORDS] [--seconds 20]

--edge: issue 25's floods from one address (tests/load/attacks.py EDGE_ATTACKS: 2 attackers each, 5 for the page
switches as in the issue) through HAProxy in front of two replicas, each tree with its own deploy/haproxy.cfg.template
(an older commit's: `git archive 082d50c | tar -x -C /tmp/old`), the bystanders on another address; then whether a
page of another site can frame the app, and the bytes of a first visit (Chromium) through each edge, and where a tree
has serve.py, with replicas running it and from it alone.

--rooms: issue 25's attacks on rooms (tests/load/room_attacks.py) through HAProxy in front of two replicas that
share a Redis with a password, the presenter's page on replica r1 and the attacker's (or the student's) on r2: End
clicked after the attacker's page joined the room, and 30 to 250 ms into that join; the same trick on every other
control that changes a room; rooms started in a row for --seconds; a room lost with a Redis restart, and one that
expired; forged room states written into Redis.

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
import redis as redis_client
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.load import cpu_seconds
from tests.deploy.balancer import Balancer
from tests.deploy.other_site import framed
from tests.deploy.redis_server import RedisServer
from tests.e2e.harness import ROOT, Server, launch, open_any_app, rss_mb
from tests.load.attacks import ATTACKS, EDGE_ATTACKS, Outcome
from tests.load.client import AppSession
from tests.load.room_attacks import ROOM_CHANGERS, forged_state, hijack, lose_a_room, rooms_in_a_row

BYSTANDERS = 4
TIME_LIMIT = 150
ATTACKER, BYSTANDER = "127.0.0.3", "127.0.0.2"  # (--edge) two schools: the limits are per address




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


async def measure_edge(edge: Balancer, attack, attackers: int, seconds: float) -> dict:
    """One flood through ``edge`` from ATTACKER while BYSTANDERS step from BYSTANDER."""
    steps: list[tuple[float, float]] = []
    stop = asyncio.Event()

    async def bystander():
        app = AppSession(edge.url, source=BYSTANDER)
        await app.open()
        while not stop.is_set():
            took = await app.click("step")
            steps.append((time.perf_counter(), took))
            await asyncio.sleep(max(0.0, 0.5 - took))
        await app.close()

    replicas = [r.proc for r in edge.replicas.values()]
    watchers = [asyncio.create_task(bystander()) for _ in range(BYSTANDERS)]
    await asyncio.sleep(8)
    quiet = [took for _, took in steps]
    cpu, log = cpu_seconds(replicas), sum(log_size(r) for r in edge.replicas.values())
    start = time.perf_counter()
    outcomes = await asyncio.gather(*(attack(edge.url, ATTACKER, seconds) for _ in range(attackers)))
    end = time.perf_counter()
    during = [took for when, took in steps if start <= when <= end]
    cpu = cpu_seconds(replicas) - cpu
    log = sum(log_size(r) for r in edge.replicas.values()) - log
    stop.set()
    await asyncio.gather(*watchers, return_exceptions=True)
    return {"outcomes": outcomes, "seconds": end - start, "quiet": quiet, "during": during, "cpu": cpu, "log": log}


def first_visit_bytes(browser, url: str) -> int:
    """What a first visit to / transfers (every response's body as sent, and its headers), in Chromium."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    responses = []
    page.on("requestfinished", lambda r: responses.append(r))
    open_any_app(page, url)
    page.wait_for_timeout(2000)
    total = sum(max(0, r.sizes()["responseBodySize"]) + r.sizes()["responseHeadersSize"] for r in responses)
    context.close()
    return total


def edge_main(trees: dict, only: str, seconds: float) -> None:
    print("| attack (one address) | edge | held | what the attackers got | bystander Step p50 / p95 ms (quiet p95) "
          "| replicas' CPU s | replicas' log grew |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, attack in EDGE_ATTACKS.items():
        if only not in name:
            continue
        attackers = 5 if "switches" in name else 2
        for label, tree in trees.items():
            edge = Balancer(2, cwd=tree, template=tree / "deploy" / "haproxy.cfg.template")
            try:
                r = asyncio.run(measure_edge(edge, attack, attackers, seconds))
            finally:
                edge.stop()
            held = all(o.held for o in r["outcomes"])
            print(f"| {name} ×{attackers} | {label} | {'yes' if held else '**no**'} | "
                  f"{'; '.join(o.detail for o in r['outcomes'])} ({r['seconds']:.0f} s) | "
                  f"{ms(r['during'], 50)} / {ms(r['during'], 95)} ({ms(r['quiet'], 95)}) | {r['cpu']:.1f} | "
                  f"{r['log'] / 1024:,.0f} KB ({r['log'] / r['seconds'] / 1024:,.1f} KB/s) |", flush=True)
    with sync_playwright() as p:
        browser = launch(p)
        for label, tree in trees.items():
            edge = Balancer(1, cwd=tree, template=tree / "deploy" / "haproxy.cfg.template")
            try:
                loaded, where, _ = framed(browser, edge.url)
                size = first_visit_bytes(browser, edge.url)
            finally:
                edge.stop()
            print(f"{label}: a page of another site frames the app: {'yes' if loaded else 'no, refused'} "
                  f"({where.split('?')[0]}); a first visit to / transfers {size / 1e6:.2f} MB", flush=True)
            if (tree / "serve.py").is_file():  # the image's way: replicas running serve.py, and serve.py alone
                edge = Balancer(1, cwd=tree, template=tree / "deploy" / "haproxy.cfg.template", script="serve.py")
                alone = Server(cwd=tree, script="serve.py")
                try:
                    through, direct = first_visit_bytes(browser, edge.url), first_visit_bytes(browser, alone.url)
                    loaded = framed(browser, alone.url)[0]
                finally:
                    edge.stop()
                    alone.stop()
                print(f"{label}, replicas running serve.py: a first visit transfers {through / 1e6:.2f} MB through "
                      f"the edge, {direct / 1e6:.2f} MB from serve.py alone, which another site can frame: "
                      f"{'yes' if loaded else 'no'}", flush=True)
        browser.close()


INTERRUPTS = (0.0, 0.03, 0.06, 0.1, 0.15, 0.25)  # seconds into the attacker's join of the room when End is clicked


def room_attacks(seconds: float) -> dict:
    """name -> async (presenter place, attacker place, redis server) -> (held, what happened)."""

    async def interrupted(presenter, attacker, redis):
        outcomes = [await hijack("room_end", wait)(presenter, attacker) for wait in INTERRUPTS]
        ended = sum(not o.held for o in outcomes)
        return ended == 0, f"{ended} of {len(outcomes)} tries ended the room"

    async def every_other(presenter, attacker, redis):
        outcomes = {key: await hijack(key, None)(presenter, attacker) for key in ROOM_CHANGERS[1:]}
        changed = [key for key, o in outcomes.items() if not o.held]
        return not changed, f"room changed by: {', '.join(changed) or 'none'} (of {', '.join(outcomes)})"

    async def restarted(presenter, attacker, redis):
        return await lose_a_room(presenter, attacker, lambda: asyncio.to_thread(redis.restart))

    async def expired(presenter, attacker, redis):
        async def expire():
            client = redis_client.Redis.from_url(redis.url)
            for key in client.scan_iter("bp:room:*"):
                client.delete(key)  # what ROOM_TTL_SECONDS without a heartbeat does
            client.close()
        return await lose_a_room(presenter, attacker, expire)

    def outcome(attack):
        async def run(presenter, attacker, redis):
            o = await attack(presenter, attacker, redis)
            return (o.held, o.detail) if isinstance(o, Outcome) else o
        return run

    return {
        "End clicked after the attacker's page joined the room": outcome(
            lambda p, a, r: hijack("room_end", None)(p, a)),
        "End clicked 0-250 ms into the attacker's join of the room": interrupted,
        "the same trick on every other control that changes a room": every_other,
        f"rooms started in a row for {seconds:.0f} s": outcome(lambda p, a, r: rooms_in_a_row(a, seconds)),
        "a room lost with a Redis restart": outcome(restarted),
        "a room expired (no heartbeat for its TTL)": outcome(expired),
        "forged room states written into Redis": outcome(lambda p, a, r: forged_state(p, a, r.url)),
    }


def rooms_main(trees: dict, only: str, seconds: float) -> None:
    print("| attack on a room (2 replicas + Redis, behind HAProxy) | tree | held | what happened | seconds |")
    print("| --- | --- | --- | --- | ---: |")
    for name, attack in room_attacks(seconds).items():
        if only not in name:
            continue
        for label, tree in trees.items():
            redis = RedisServer()
            edge = Balancer(2, cwd=tree, template=tree / "deploy" / "haproxy.cfg.template",
                            env={"ROOMS_REDIS_URL": redis.url})
            presenter, attacker = (edge.url, "replica=r1"), (edge.url, "replica=r2")
            start = time.perf_counter()
            try:
                held, detail = asyncio.run(asyncio.wait_for(attack(presenter, attacker, redis), TIME_LIMIT))
            except Exception as e:  # an attack that breaks the server can break the client too
                held, detail = False, f"{type(e).__name__}: {str(e)[:100]}"
            finally:
                edge.stop()
                redis.stop()
            print(f"| {name} | {label} | {'yes' if held else '**no**'} | {detail} | "
                  f"{time.perf_counter() - start:.0f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", type=Path, help="also attack this checkout (e.g. an older commit's)")
    parser.add_argument("--only", default="", help="only the attacks whose name contains this text")
    parser.add_argument("--attackers", type=int, default=2, help="attackers making each attack at once")
    parser.add_argument("--edge", action="store_true", help="issue 25's floods through HAProxy (see above)")
    parser.add_argument("--rooms", action="store_true", help="issue 25's attacks on rooms (see above)")
    parser.add_argument("--seconds", type=float, help="(--edge) how long each flood lasts (60); (--rooms) how long "
                                                      "rooms are started in a row (20)")
    args = parser.parse_args()
    trees = {"after": ROOT} | ({"before": args.against} if args.against else {})
    if args.edge:
        edge_main(trees, args.only, args.seconds or 60)
        return
    if args.rooms:
        rooms_main(trees, args.only, args.seconds or 20)
        return
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
