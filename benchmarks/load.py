"""Many learners at once: N concurrent sessions against `streamlit run app.py` on loopback.

    .venv/bin/python benchmarks/load.py [N ...]        (default: 1 10 25 50 100)

Each session speaks Streamlit's own websocket protocol (tests/load/client.py): it edits the data, sets its own
learning rate, steps 5 times, trains to its own target, plays for a few ticks and stops, then checks that the
weights on its screen are exactly what nn_core computes for its own inputs (no cross-talk). Reports, per N,
the step latency (click → script finished) median and p95, errors and wrong weights. Not a test.
"""

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.harness import Server
from tests.load.scenario import run_sessions, summary


def main(levels: list[int]) -> None:
    server = Server()
    try:
        print(f"{'sessions':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7} {'wrong':>6} {'total s':>8}")
        for n in levels:
            visits, took = asyncio.run(run_sessions(server.url, n))
            r = summary(visits)
            print(f"{n:>8} {r['step_p50_ms']:>8.0f} {r['step_p95_ms']:>8.0f} {r['errors']:>7} "
                  f"{r['wrong_weights']:>6} {took:>8.1f}", flush=True)
            for v in visits:
                if v.error:
                    print("   ", v.index, v.error)
    finally:
        server.stop()


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1, 10, 25, 50, 100])
