"""A Step's cost to the browser in CPU time, which the machine's other work disturbs much less than the wall-clock
times of step_timeline.py and bench_browser.py: each Step is recorded with Chrome's tracing, and the renderer's main
thread's own time is added up (each event's thread time, not its duration).

    .venv/bin/python benchmarks/step_cpu.py [--steps 12] [--against PATH] [--script serve.py]

Per Step, the median of: all the main thread's tasks from the click until the page is idle again; the task in which
live.js drew the loss chart (Plotly.react, and the read-outs before it) and Plotly.react's own wall time; the layouts
forced while Plotly.react ran (their number and time); and the Step's layout, style, paint and pre-paint in all.
Each tree is served and opened in one tab; the Steps alternate between the trees, each tree first in turn. Not a
test: nothing asserts.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.side_by_side import add_tree_options, served_trees
from tests.e2e.harness import key, launch, wait_idle
from tests.e2e.harness import open_any_app as open_app

CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "blink.user_timing"]

# Plotly.react's start and end, as user timing marks in the trace (live.js's plotly.js, once it has one).
MARK_REACT = """async () => {
  const Plotly = await window.__playground?.plotly?.basic;
  if (!Plotly || Plotly.react.marked) return;
  const react = Plotly.react;
  Plotly.react = function (...args) {
    performance.mark("react start");
    return Promise.resolve(react.apply(this, args)).then((graph) => { performance.mark("react end"); return graph; });
  };
  Plotly.react.marked = true;
}"""
FIGURES = ["main thread", "chart task", "Plotly.react (wall)", "layouts in Plotly.react", "their time",
           "layout", "style", "paint", "pre-paint"]


def ms(events, name: str) -> float:
    return sum(e.get("tdur", e.get("dur", 0)) for e in events if e["name"] == name) / 1000


def figures(trace: Path) -> dict[str, float]:
    """The figures of one traced Step (times in ms of the main thread's own time)."""
    data = json.loads(trace.read_text())
    events = data["traceEvents"] if isinstance(data, dict) else data
    names = {(e["pid"], e["tid"]): e["args"]["name"] for e in events if e.get("name") == "thread_name"}
    main = {thread for thread, name in names.items() if name == "CrRendererMain"}
    marks = {e["name"]: e["ts"] for e in events if "user_timing" in e.get("cat", "")}
    ours = [e for e in events if (e["pid"], e["tid"]) in main and e.get("ph") == "X" and e["ts"] >= marks["click"]]
    tasks = [e for e in ours if e["name"] == "RunTask"]
    found = {"main thread": sum(t.get("tdur", 0) for t in tasks) / 1000, "layout": ms(ours, "Layout"),
             "style": ms(ours, "UpdateLayoutTree"), "paint": ms(ours, "Paint"), "pre-paint": ms(ours, "PrePaint")}
    start, end = marks.get("react start"), marks.get("react end")
    if start is not None and end is not None:
        host = [t for t in tasks if t["ts"] <= start <= t["ts"] + t["dur"]]
        during = [e for e in ours if start <= e["ts"] <= end]
        found |= {"chart task": host[0].get("tdur", 0) / 1000 if host else 0.0,
                  "Plotly.react (wall)": (end - start) / 1000,
                  "layouts in Plotly.react": sum(e["name"] == "Layout" for e in during),
                  "their time": ms(during, "Layout")}
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=12)
    add_tree_options(parser)
    args = parser.parse_args()
    with served_trees(args) as servers:
        found = {name: [] for name in servers}
        with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
            browser = launch(p)
            pages = {}
            for name, server in servers.items():
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                open_app(page, server.url)
                for _ in range(2):  # not counted: the first Steps start what every later one finds ready
                    key(page, "step").locator("button").click()
                    wait_idle(page)
                page.evaluate(MARK_REACT)
                pages[name] = page
            names = list(pages)
            for turn in range(args.steps):
                for name in names[turn % len(names):] + names[:turn % len(names)]:
                    trace = Path(tmp) / "step.json"
                    browser.start_tracing(page=pages[name], path=trace, categories=CATEGORIES)
                    pages[name].evaluate("() => performance.mark('click')")
                    key(pages[name], "step").locator("button").click()
                    wait_idle(pages[name])
                    browser.stop_tracing()
                    found[name].append(figures(trace))
            browser.close()
        print(f"a Step, median of {args.steps}: the browser's main thread, ms of its own time")
        print(f"  {'':26}" + "".join(f"{name[-14:]:>15}" for name in servers))
        for figure in FIGURES:
            cells = [[s[figure] for s in steps if figure in s] for steps in found.values()]
            print(f"  {figure:26}" + "".join(f"{statistics.median(c):15,.1f}" if c else f"{'-':>15}" for c in cells))


if __name__ == "__main__":
    main()
