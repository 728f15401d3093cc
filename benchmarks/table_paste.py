"""What a big paste into the training table costs the server afterwards: a session steps once, sends the editor 994
added rows (what a browser sends after a paste of a 1,000-row table), then reruns the page a few times (as any
control outside the training column does, its edits still sent along as a browser sends them), on this tree and
(with --against) an older checkout, side by side. For each tree and paste (numbers, which the table takes, and text
cells, which it refuses and keeps on screen): the server's CPU time for the paste's own run and, per rerun after it,
the median and largest.

    .venv/bin/python benchmarks/table_paste.py [--against PATH] [--reruns 8]

--against serves another checkout with this tree's client (a copy of an older commit: `git worktree add /tmp/old
<rev>`). Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.load import cpu_seconds
from tests.e2e.harness import ROOT, Server
from tests.load.client import AppSession

PASTES = {
    "994 rows of numbers": [{"x1": str(i % 2), "x2": str(i // 2 % 2), "x3": str(i // 4 % 2), "y": str(i % 3 / 2)}
                            for i in range(994)],
    "994 rows of text cells": [{c: "not a number" for c in ("x1", "x2", "x3", "y")}] * 994,
}


async def paste_then_rerun(server: Server, rows: list[dict], reruns: int) -> tuple[float, list[float]]:
    app = AppSession(server.url)
    await app.open()
    await app.click("step")
    before = cpu_seconds([server.proc])
    await app.edit_table("training_data", {"edited_rows": {}, "added_rows": rows, "deleted_rows": []})
    after = cpu_seconds([server.proc])
    paste, per_rerun = after - before, []
    for _ in range(reruns):
        before = cpu_seconds([server.proc])
        await app.rerun()
        per_rerun.append(cpu_seconds([server.proc]) - before)
    assert not app.exceptions, app.exceptions
    await app.close()
    return paste, per_rerun


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", type=Path, help="another checkout to measure side by side")
    parser.add_argument("--reruns", type=int, default=8)
    args = parser.parse_args()
    trees = {"this tree": ROOT, **({str(args.against): args.against} if args.against else {})}
    print(f"{'tree':<28} {'paste':<24} {'paste run':>10} {'rerun p50':>9} {'rerun max':>9}   (server CPU seconds)")
    for name, tree in trees.items():
        server = Server(cwd=tree)
        try:
            for paste, rows in PASTES.items():
                took, per_rerun = asyncio.run(paste_then_rerun(server, rows, args.reruns))
                print(f"{name:<28} {paste:<24} {took:>10.2f} {np.median(per_rerun):>9.2f} {max(per_rerun):>9.2f}",
                      flush=True)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
