"""Many learners at once: N concurrent sessions against `streamlit run app.py` on loopback.

    .venv/bin/python benchmarks/load.py [N ...]             (default: 1 10 25 50 100)
    .venv/bin/python benchmarks/load.py --replicas 2 [N ...]  (nginx in front of 2 replicas: both cores)

Each session speaks Streamlit's own websocket protocol (tests/load/client.py): it edits the data, sets its own
learning rate, steps 5 times, trains to its own target, plays for a few ticks and stops, then checks that the
weights on its screen are exactly what nn_core computes for its own inputs (no cross-talk). Reports, per N,
the step latency (click → script finished) median and p95, errors and wrong weights. Not a test.
"""

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.deploy.balancer import Balancer
from tests.e2e.harness import Server
from tests.load.scenario import run_sessions, summary


def main(levels: list[int], replicas: int = 1) -> None:
    server = Balancer(replicas) if replicas > 1 else Server()
    # Behind nginx, clients come from different loopback addresses so that the balancer spreads them.
    sources = [f"127.0.0.{i}" for i in range(2, 202)] if replicas > 1 else None
    try:
        print(f"{'sessions':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7} {'wrong':>6} {'total s':>8}")
        for n in levels:
            visits, took = asyncio.run(run_sessions(server.url, n, source_addresses=sources))
            r = summary(visits)
            print(f"{n:>8} {r['step_p50_ms']:>8.0f} {r['step_p95_ms']:>8.0f} {r['errors']:>7} "
                  f"{r['wrong_weights']:>6} {took:>8.1f}", flush=True)
            for v in visits:
                if v.error:
                    print("   ", v.index, v.error)
    finally:
        server.stop()


if __name__ == "__main__":
    args = sys.argv[1:]
    replicas = 1
    if args[:1] == ["--replicas"]:
        replicas, args = int(args[1]), args[2:]
    main([int(a) for a in args] or [1, 10, 25, 50, 100], replicas)
