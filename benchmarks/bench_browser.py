"""The Playground's speed as a person feels it: headless Chromium against `streamlit run app.py` on loopback.

    .venv/bin/python benchmarks/bench_browser.py

Measures page load to interactive, click Step → updated chart, live play (chart updates per second and epochs
per second at the 5,000 epochs/s setting), and the loss chart's payload after 1,000,000 epochs. Prints
medians; nothing here is a test.
"""

import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright

from tests.e2e.harness import Server, choose, click, key, launch, numbers_in, open_app, text_of
from tests.load.client import AppSession

# Records each new epoch text the page shows (the container may be re-created, so watch the whole page).
WATCH = """
() => {
  window.__updates = [];
  let last = null;
  new MutationObserver(() => {
    const el = document.querySelector('.st-key-epoch');
    const text = el && el.innerText;
    if (text && text !== last) { last = text; window.__updates.push([performance.now(), text]); }
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}
"""


def epoch_of(page) -> int:
    return int(numbers_in(text_of(page, "epoch"))[0])


async def chart_payload(url: str) -> int:
    """Train one session to 1,000,000 epochs through the websocket and measure the loss chart it is sent."""
    app = AppSession(url)
    await app.open()
    await app.set_number("target_epochs", 1_000_000, as_int=True)
    await app.click("train")
    path = app.blocks["loss_chart"]
    charts = [e.plotly_chart.spec for p, e in app.elements.items()
              if p[: len(path)] == path and e.WhichOneof("type") == "plotly_chart"]
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
                key(page, "loss_chart").locator("path.js-line").last.wait_for(state="attached")
                loads.append(time.perf_counter() - t)
                context.close()
            print(f"page load to interactive: median {statistics.median(loads) * 1e3:.0f} ms "
                  f"(of {len(loads)}; includes the 0.5 s settle wait the harness adds)")

            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            open_app(page, server.url)
            line = key(page, "loss_chart").locator("path.js-line").last
            steps = []
            for _ in range(20):
                before_epoch, before_d = epoch_of(page), line.get_attribute("d")
                t = time.perf_counter()
                key(page, "step").locator("button").click()
                page.wait_for_function(
                    """([e, d]) => {
                         const el = document.querySelector('.st-key-epoch');
                         const path = [...document.querySelectorAll('.st-key-loss_chart path.js-line')].pop();
                         return el && !el.innerText.includes(e) && path && path.getAttribute('d') !== d;
                       }""", arg=[f"{before_epoch:,}", before_d])
                steps.append(time.perf_counter() - t)
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
            stamps = sorted({round(u[0]) for u in updates})
            span = (stamps[-1] - stamps[0]) / 1000 if len(stamps) > 1 else elapsed
            distinct = len({u[1] for u in updates})
            print(f"live play at 5,000 epochs/s: {distinct / span:.1f} screen updates/s, "
                  f"{(end_epoch - start_epoch) / elapsed:,.0f} epochs/s over {elapsed:.1f} s")

            browser.close()
        print(f"loss chart after 1,000,000 epochs: {asyncio.run(chart_payload(server.url)) / 1024:.1f} KB "
              "as sent over the websocket (the figure's JSON spec)")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
