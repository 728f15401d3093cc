"""Where a cold first load's time goes, as the page itself records it: when Streamlit's scripts have arrived, when
the websocket opens and the first elements arrive, when the first element waits for its script and when the first
component is drawn, when the first live.js element is mounted, when live.js and plotly.js are asked for and arrive,
and when the first chart is drawn.

    .venv/bin/python benchmarks/first_load_timeline.py [/ /predict ...] [--loads 5] [--against PATH] [--script serve.py]

Each page is opened --loads times in a new, empty browser context (nothing cached), after one load that warms the
server; with --against, a checkout of another tree is served too and the loads alternate between the two. Prints the
median of each moment (ms since the page was asked for). The page records them itself (Resource Timing, a wrapped
WebSocket, a MutationObserver), so that the measuring costs the page almost nothing. An element whose script has not
run yet shows a placeholder; Streamlit's React (18) shows the waiting elements together, the page's own component
among them: "an element's placeholder" and "a component drawn" bound that wait. Not a test: nothing asserts.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.side_by_side import add_tree_options, served_trees
from tests.e2e.harness import launch

# Before any of the page's own scripts: the websocket's opening and first messages, and when the first live.js
# element and the first drawn chart appear.
RECORD = """
window.__moments = {};
const mark = (name) => { window.__moments[name] ??= performance.now(); };
const Native = window.WebSocket;
window.WebSocket = class extends Native {
  constructor(...args) {
    super(...args);
    mark("websocket asked");
    this.addEventListener("open", () => mark("websocket open"));
    let messages = 0;
    this.addEventListener("message", () => { if (++messages === 2) mark("first elements"); });  // (1: the session)
  }
};
new MutationObserver(() => {
  if (document.querySelector("[data-testid=stSkeleton]")) mark("an element's placeholder");
  if (document.querySelector("[data-testid=stBidiComponentRegular]")) mark("a component drawn");
  if (document.querySelector(".live-plot, .pg-text, .pg-player")) mark("live.js element");
  if (document.querySelector(".js-plotly-plot .main-svg")) mark("chart drawn");
}).observe(document, { childList: true, subtree: true });
"""

# Resource Timing: when a file was asked for and when its last byte arrived.
FILES = """
() => performance.getEntriesByType("resource").map((e) => [e.name, e.startTime, e.responseEnd])
"""

# (label, what the file's URL contains) for the files whose moments are shown
NAMED = [("index.js", "/static/js/index."), ("BidiComponent.js", "/BidiComponent."), ("live.js", "/live.js"),
         ("plotly.js", "/plotly-")]


def moments(browser, url: str, path: str) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(RECORD)
    page = context.new_page()
    page.goto(url + path)
    page.wait_for_selector(".js-plotly-plot .main-svg", state="attached", timeout=60_000)
    page.wait_for_function("() => window.__moments['chart drawn']")
    found = dict(page.evaluate("() => window.__moments"))
    files = page.evaluate(FILES)
    context.close()
    boot = [end for name, start, end in files if "/static/js/" in name and start < found["websocket asked"]]
    lazy = [(start, end) for name, start, end in files if "/static/js/" in name and start >= found["websocket asked"]]
    found["Streamlit's start-up scripts arrived"] = max(boot)
    if lazy:
        found[f"the elements' {len(lazy)} scripts asked"] = min(lazy)[0]
        found[f"the elements' {len(lazy)} scripts arrived"] = max(end for _, end in lazy)
    for label, part in NAMED:
        asked = [(start, end) for name, start, end in files if part in name]
        if asked:
            found[f"{label} asked"], found[f"{label} arrived"] = min(asked)
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="*", default=["/"])
    parser.add_argument("--loads", type=int, default=5)
    add_tree_options(parser)
    args = parser.parse_args()
    with served_trees(args) as servers, sync_playwright() as p:
        browser = launch(p)
        for path in args.paths:
            found = {name: [] for name in servers}
            for server in servers.values():
                moments(browser, server.url, path)  # the server's first run of the page
            for _ in range(args.loads):
                for name, server in servers.items():
                    found[name].append(moments(browser, server.url, path))
            print(f"{path}: median of {args.loads} cold loads, ms since the page was asked for")
            keys = sorted({k for runs in found.values() for run in runs for k in run},
                          key=lambda k: statistics.median(run.get(k, 0) for run in found["this tree"]))
            print(f"  {'':48}" + "".join(f"{name[-14:]:>15}" for name in servers))
            for k in keys:
                cells = [statistics.median(r[k] for r in runs if k in r) if any(k in r for r in runs) else None
                         for runs in found.values()]
                print(f"  {k:48}" + "".join(f"{c:15,.0f}" if c is not None else f"{'-':>15}" for c in cells))
        browser.close()


if __name__ == "__main__":
    main()
