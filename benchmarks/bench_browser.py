"""The Playground's speed as a person feels it: headless Chromium against `streamlit run app.py` on loopback.

    .venv/bin/python benchmarks/bench_browser.py

Measures page load to interactive, click Step → updated chart, live play (chart updates per second and epochs
per second at the 5,000 epochs/s setting), and the loss chart's payload after 1,000,000 epochs. Prints
medians; nothing here is a test.
"""

import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright

from tests.e2e.harness import Server, choose, click, key, launch, numbers_in, open_app, text_of, wait_idle
from tests.load.client import AppSession

# Counts what reached the screen: at every animation frame, the epoch shown and the loss line's path, each kept
# when it changed. (textContent and getAttribute read without forcing a layout, so watching costs little.)
WATCH = """
() => {
  window.__updates = {epoch: [], chart: []};
  if (window.__watching) return;  // one watcher per page; a new call starts a new count
  window.__watching = true;
  let lastEpoch = null, lastLine = null;
  const frame = () => {
    const now = performance.now();
    const epoch = document.querySelector('.st-key-epoch');
    const line = [...document.querySelectorAll('.st-key-loss_chart .scatterlayer path.js-line')].pop();
    const e = epoch ? epoch.textContent : null, d = line ? line.getAttribute('d') : null;
    if (e !== lastEpoch) { lastEpoch = e; window.__updates.epoch.push(now); }
    if (d !== lastLine) { lastLine = d; window.__updates.chart.push(now); }
    requestAnimationFrame(frame);
  };
  frame();
}
"""


def per_second(stamps) -> float:
    """Changes per second between the first change seen and the last (the first one is the start of play)."""
    return (len(stamps) - 1) / ((stamps[-1] - stamps[0]) / 1000) if len(stamps) > 1 else 0.0


def epoch_of(page) -> int:
    return int(numbers_in(text_of(page, "epoch"))[0])


async def chart_payload(url: str) -> int:
    """Train one session to 1,000,000 epochs through the websocket and measure the loss chart it is sent."""
    app = AppSession(url)
    await app.open()
    await app.set_number("target_epochs", 1_000_000, as_int=True)
    await app.click("train")
    path = app.blocks["loss_chart"]
    charts = [json.loads(e.bidi_component.json)["figure"] for p, e in app.elements.items()
              if p[: len(path)] == path and e.WhichOneof("type") == "bidi_component"]
    await app.close()
    return len(charts[0].encode())


def main() -> None:
    server = Server()
    try:
        with sync_playwright() as p:
            browser = launch(p)
            loads = []
            for _ in range(5):
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = context.new_page()
                t = time.perf_counter()
                open_app(page, server.url)
                key(page, "loss_chart").locator(".scatterlayer path.js-line").last.wait_for(state="attached")
                loads.append(time.perf_counter() - t)
                context.close()
            print(f"page load to interactive: median {statistics.median(loads) * 1e3:.0f} ms "
                  f"(of {len(loads)}; includes the 0.5 s settle wait the harness adds)")

            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            open_app(page, server.url)
            line = key(page, "loss_chart").locator(".scatterlayer path.js-line").last
            # Timed inside the page, from the click event to the first frame showing both the new epoch and the
            # new loss line (Playwright's own checks before it clicks are not part of what a person waits for).
            page.evaluate("() => document.addEventListener('click', () => { window.__clickAt = performance.now(); },"
                          " {capture: true})")
            steps = []
            for _ in range(20):
                before_epoch, before_d = epoch_of(page), line.get_attribute("d")
                key(page, "step").locator("button").click()
                handle = page.wait_for_function(
                    """([e, d]) => {
                         const el = document.querySelector('.st-key-epoch');
                         const lines = document.querySelectorAll('.st-key-loss_chart .scatterlayer path.js-line');
                         const path = lines[lines.length - 1];
                         const done = el && !el.textContent.includes(e) && path && path.getAttribute('d') !== d;
                         return done && performance.now() - window.__clickAt;
                       }""", arg=[f"{before_epoch:,}", before_d])
                steps.append(handle.json_value() / 1000)
                wait_idle(page)
            print(f"click Step -> epoch and loss chart updated: median {statistics.median(steps) * 1e3:.0f} ms, "
                  f"max {max(steps) * 1e3:.0f} ms (of {len(steps)})")

            choose(page, "play_speed", "5,000")
            page.evaluate(WATCH)
            start_epoch = epoch_of(page)
            t = time.perf_counter()
            click(page, "play")
            page.wait_for_timeout(6000)
            updates = page.evaluate("() => window.__updates")
            key(page, "play").locator("button").click()
            elapsed = time.perf_counter() - t
            page.wait_for_timeout(500)
            end_epoch = epoch_of(page)
            print(f"live play at the 5,000 epochs/s setting: {per_second(updates['chart']):.1f} loss-chart updates/s, "
                  f"{per_second(updates['epoch']):.1f} epoch updates/s, "
                  f"{(end_epoch - start_epoch) / elapsed:,.0f} epochs/s over {elapsed:.1f} s")

            browser.close()
        print(f"loss chart after 1,000,000 epochs: {asyncio.run(chart_payload(server.url)) / 1024:.1f} KB "
              "as sent over the websocket (the figure's JSON)")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
