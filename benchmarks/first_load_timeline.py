"""Where a cold first load's time goes: when each large file arrives, when the websocket opens, when the live
component's scripts (live.js, plotly.js) are asked for, and when the first chart is drawn.

    .venv/bin/python benchmarks/first_load_timeline.py [/ /predict ...] [--loads 2]

Each page is opened --loads times in a new, empty browser context (nothing cached) on one server; the first load also
warms the server. Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.harness import Server, launch

CHART = ".js-plotly-plot .main-svg"
LARGE = 100_000  # bytes: a file this large is named when it arrives
NAMED = ("live.js", "plotly")  # requests named when they are made


def timeline(browser, url: str, path: str) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    start = time.perf_counter()
    events = []

    def note(kind: str, name: str, size: int | None = None) -> None:
        events.append((time.perf_counter() - start, kind, name, size))

    page.on("request", lambda r: note("asked", r.url) if any(n in r.url for n in NAMED) else None)
    page.on("requestfinished", lambda r: note("arrived", r.url, r.sizes()["responseBodySize"]))
    page.on("websocket", lambda ws: note("websocket", ws.url))
    page.goto(url + path)
    page.wait_for_selector(CHART, state="attached", timeout=60_000)
    drawn = time.perf_counter() - start
    requests = sum(1 for e in events if e[1] == "arrived")
    print(f"{path}: first chart drawn at {drawn * 1e3:,.0f} ms ({requests} files)")
    for at, kind, name, size in sorted(events):
        if kind != "arrived" or size >= LARGE:
            print(f"  {at * 1e3:7,.0f} ms  {kind:9} {name.rsplit('/', 1)[-1][:60]}"
                  + (f"  {size / 1e3:,.0f} KB" if size else ""))
    context.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="*", default=["/"])
    parser.add_argument("--loads", type=int, default=2)
    args = parser.parse_args()
    server = Server()
    try:
        with sync_playwright() as p:
            browser = launch(p)
            for path in args.paths:
                for _ in range(args.loads):
                    timeline(browser, server.url, path)
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
