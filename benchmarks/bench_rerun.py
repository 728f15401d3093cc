"""What a rerun of the Playground costs the server, side by side with older commits, over the websocket protocol.

    .venv/bin/python benchmarks/bench_rerun.py [--against 082d50c b8db2b3] [--rounds 5] [--reruns 40]
                                               [--class-size 50] [--seconds 20] [--profile SECONDS]

Every tree (this one, and each --against commit unpacked with `git archive`) is served by its own
`streamlit run app.py`, all at once, and measured in turns, round after round, so that the machine's noise falls on
all alike:
- a whole-page rerun (what a page load or any widget outside a fragment makes): Step sent as the browser sends a
  click outside a fragment, so the whole script runs;
- a Step inside the training fragment (the fragment's own rerun, where the tree has one);
each as server CPU per rerun (user + system time of the server process, all its threads, from /proc/<pid>/stat,
over --reruns reruns one after the other). Then, one tree at a time, --class-size sessions each make a whole-page
Step once a second for --seconds: the latency p50 and p95 (click to the script's end, as the client sees it).
--profile N samples this tree's server with py-spy for N seconds while one session makes whole-page Steps, and prints
where the time goes (by function, own and with callees). Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.harness import ROOT, Server
from tests.load.client import AppSession

TICKS = os.sysconf("SC_CLK_TCK")


def unpacked(rev: str) -> Path:
    """Commit ``rev``'s files in a directory of their own (git archive), to be served beside this tree."""
    tree = Path(tempfile.mkdtemp(prefix=f"rerun-{rev}-"))
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


async def whole_page_step(app: AppSession) -> float:
    """Step as a click outside any fragment: the whole script runs."""
    return await app.rerun(trigger=app.widgets["step"].id)


async def fragment_step(app: AppSession) -> float:
    return await app.click("step")


async def cpu_per_rerun(url: str, pid: int, action, reruns: int) -> float:
    app = AppSession(url)
    await app.open()
    for _ in range(3):  # warm: the first runs import and cache
        await action(app)
    start = cpu_seconds(pid)
    for _ in range(reruns):
        await action(app)
    used = cpu_seconds(pid) - start
    await app.close()
    return used / reruns


async def a_class_stepping(url: str, size: int, seconds: float) -> list[float]:
    apps = [AppSession(url, timeout=300) for _ in range(size)]
    for app in apps:
        await app.open()
    latencies: list[float] = []

    async def step_every_second(app: AppSession, offset: float):
        await asyncio.sleep(offset)
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            took = await whole_page_step(app)
            latencies.append(took)
            await asyncio.sleep(max(0.0, 1.0 - took))

    await asyncio.gather(*(step_every_second(app, k / size) for k, app in enumerate(apps)))
    for app in apps:
        await app.close()
    return latencies


def profile(server: Server, seconds: float, action, what: str) -> None:
    """py-spy samples the server while one session keeps making ``action``s; where the time goes."""
    out = Path(tempfile.mkdtemp(prefix="rerun-profile-")) / "profile.txt"
    asyncio.run(cpu_per_rerun(server.url, server.proc.pid, action, 5))  # (imports and caches: not a rerun's cost)
    spy = subprocess.Popen([str(Path(sys.executable).with_name("py-spy")), "record", "--pid", str(server.proc.pid),
                            "--duration", str(int(seconds)), "--rate", "1000", "--format", "raw", "--output", str(out),
                            "--nonblocking"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    async def keep_stepping():
        app = AppSession(server.url)
        await app.open()
        count, end = 0, time.perf_counter() + seconds
        while time.perf_counter() < end:
            await action(app)
            count += 1
        await app.close()
        return count

    reruns = asyncio.run(keep_stepping())
    spy.wait()
    if not out.exists():
        print("py-spy could not sample the server:", spy.stderr.read().decode()[-300:])
        return
    own, inclusive, total = {}, {}, 0
    for line in out.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = [f for f in stack.split(";") if f]
        if not any("_run_script_thread" in f for f in frames):
            continue  # only the script threads (a rerun's own work), not the event loop or idle threads
        n = int(count)
        total += n
        own[frames[-1]] = own.get(frames[-1], 0) + n
        for frame in set(frames):
            inclusive[frame] = inclusive.get(frame, 0) + n
    print(f"\nprofile: {reruns} {what} in {seconds:g} s; {total} samples in script threads")
    print("  the app's own code, with callees (share of a rerun's samples):")
    ours = [(f, n) for f, n in inclusive.items() if any(part in f for part in ("playground/", "nn_core/", "(app.py",
                                                                              "(playground.py", "pages/"))]
    for frame, n in sorted(ours, key=lambda kv: -kv[1])[:40]:
        print(f"    {n / total * 100:5.1f} %  {frame}")
    print("  own time:")
    for frame, n in sorted(own.items(), key=lambda kv: -kv[1])[:25]:
        print(f"    {n / total * 100:5.1f} %  {frame}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", nargs="*", default=["082d50c", "b8db2b3"])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--reruns", type=int, default=40)
    parser.add_argument("--class-size", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--profile", type=float, default=0, metavar="SECONDS")
    args = parser.parse_args()
    trees = {"this tree": ROOT, **{rev: unpacked(rev) for rev in args.against}}
    servers = {name: Server(cwd=tree) for name, tree in trees.items()}
    try:
        if args.profile:
            profile(servers["this tree"], args.profile, whole_page_step, "whole-page Steps")
            profile(servers["this tree"], args.profile, fragment_step, "Steps in the fragment")
            return
        figures = {(name, kind): [] for name in servers for kind in ("page", "fragment")}
        for _ in range(args.rounds):
            for name, server in servers.items():
                for kind, action in (("page", whole_page_step), ("fragment", fragment_step)):
                    figures[name, kind].append(asyncio.run(cpu_per_rerun(server.url, server.proc.pid, action,
                                                                         args.reruns)))
        print(f"server CPU per rerun, ms (median of {args.rounds} rounds of {args.reruns} reruns; min–max)")
        print(f"{'tree':>12} {'whole page':>22} {'Step in the fragment':>24}")
        for name in servers:
            cells = []
            for kind in ("page", "fragment"):
                ms = np.array(figures[name, kind]) * 1e3
                cells.append(f"{statistics.median(ms):6.1f} ({ms.min():.1f}–{ms.max():.1f})")
            print(f"{name:>12} {cells[0]:>22} {cells[1]:>24}")
        if args.class_size:
            print(f"\n{args.class_size} sessions, a whole-page Step each once a second for {args.seconds:g} s "
                  "(one tree at a time, twice, in turns)")
            print(f"{'tree':>12} {'p50 ms':>8} {'p95 ms':>8} {'steps':>6}")
            order = list(servers) + list(reversed(servers))
            for name in order:
                latencies = asyncio.run(a_class_stepping(servers[name].url, args.class_size, args.seconds))
                ms = np.array(latencies) * 1e3
                print(f"{name:>12} {np.percentile(ms, 50):8.0f} {np.percentile(ms, 95):8.0f} {len(ms):>6}",
                      flush=True)
    finally:
        for server in servers.values():
            server.stop()


if __name__ == "__main__":
    main()
