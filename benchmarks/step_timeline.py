"""Where a Step's time goes, as the page records it: from the click to the server's first and last websocket
message of the rerun, the epoch's new text, plotly.js's Plotly.react of the loss chart (start and end) and the next
painted frame.

    .venv/bin/python benchmarks/step_timeline.py [--steps 12] [--against PATH] [--script serve.py]

Each tree is served (`streamlit run app.py`, or --script) and opened in one tab; the Steps alternate between the
trees. Prints the median of each moment, in ms after the click. Not a test: nothing asserts.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.side_by_side import add_tree_options, served_trees
from tests.e2e.harness import key, launch, wait_idle
from tests.e2e.harness import open_any_app as open_app

# Before the page's own scripts: the click and every websocket message, in the page's own clock.
RECORD = """
window.__step = {};
const Native = window.WebSocket;
window.WebSocket = class extends Native {
  constructor(...args) {
    super(...args);
    this.addEventListener("message", () => {
      if (!window.__step.click) return;
      window.__step["first message"] ??= performance.now();
      window.__step["last message"] = performance.now();
    });
  }
};
document.addEventListener("click", () => { window.__step = { click: performance.now() }; }, { capture: true });
"""

# Once the page is up: the epoch's text and the loss chart's Plotly.react (live.js's plotly.js, when it has one).
WATCH = """async () => {
  const mark = (name) => { if (window.__step.click) window.__step[name] ??= performance.now(); };
  new MutationObserver(() => mark("epoch text")).observe(document.querySelector(".st-key-epoch"),
    { subtree: true, childList: true, characterData: true });
  const Plotly = await window.__playground?.plotly?.basic;
  if (!Plotly) return;
  const react = Plotly.react;
  Plotly.react = function (...args) {
    mark("Plotly.react start");
    return Promise.resolve(react.apply(this, args)).then((graph) => {
      mark("Plotly.react end");
      requestAnimationFrame(() => setTimeout(() => mark("painted")));
      return graph;
    });
  };
}"""
MOMENTS = ["first message", "last message", "epoch text", "Plotly.react start", "Plotly.react end", "painted"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=12)
    add_tree_options(parser)
    args = parser.parse_args()
    with served_trees(args) as servers:
        with sync_playwright() as p:
            browser = launch(p)
            pages = {}
            for name, server in servers.items():
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                context.add_init_script(RECORD)
                page = context.new_page()
                open_app(page, server.url)
                page.evaluate(WATCH)
                pages[name] = page
            found = {name: [] for name in servers}
            for _ in range(args.steps):
                for name, page in pages.items():
                    key(page, "step").locator("button").click()
                    page.wait_for_function("() => window.__step['epoch text'] && (window.__step.painted"
                                           " || !window.__playground?.plotly?.basic)", timeout=30_000)
                    wait_idle(page)
                    step = page.evaluate("() => window.__step")
                    found[name].append({k: v - step["click"] for k, v in step.items() if k != "click"})
            browser.close()
        print(f"a Step, median of {args.steps}: ms after the click")
        print(f"  {'':22}" + "".join(f"{name[-14:]:>15}" for name in servers))
        for moment in MOMENTS:
            cells = [[s[moment] for s in steps if moment in s] for steps in found.values()]
            print(f"  {moment:22}" + "".join(f"{statistics.median(c):15,.1f}" if c else f"{'-':>15}"
                                             for c in cells))


if __name__ == "__main__":
    main()
