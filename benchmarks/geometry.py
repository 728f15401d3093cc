"""Issue 10's geometry table: after Train, where Step, Play and the loss chart sit, at the window sizes people have.

    .venv/bin/python benchmarks/geometry.py

Prints a markdown table (the same boxes tests/e2e/test_layout_e2e.py asserts) and saves a screenshot per size under
test-artifacts/. Not a test: nothing here asserts.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright

from tests.e2e.harness import ARTIFACTS, Server, key, launch, open_app, wait_idle

SIZES = [("1366×768 laptop", 1366, 768, ""), ("1536×864 (1920×1080 at 125 %)", 1536, 864, ""),
         ("1920×1080", 1920, 1080, ""), ("presenter, 1920×1080", 1920, 1080, "?presenter=1"),
         ("presenter, 1536×864", 1536, 864, "?presenter=1"), ("phone 390×844", 390, 844, "")]
s = Server()
try:
    with sync_playwright() as p:
        b = launch(p)
        print("| window | Step, Play (y of bottom) | loss chart: top – bottom (px) | chart size | chart on screen |")
        print("| --- | --- | --- | --- | --- |")
        for name, w, h, q in SIZES:
            ctx = b.new_context(viewport={"width": w, "height": h}, is_mobile=w < 500, has_touch=w < 500)
            pg = ctx.new_page()
            open_app(pg, s.url, "/" + q)
            key(pg, "train").click()
            pg.wait_for_timeout(3000)  # 25,000 epochs, drawn
            wait_idle(pg)
            step, play = key(pg, "step").bounding_box(), key(pg, "play").bounding_box()
            chart = pg.locator(".st-key-loss_chart, .st-key-loss_plot").first.bounding_box()
            top, bottom = chart["y"], chart["y"] + chart["height"]
            visible = max(0, min(bottom, h) - max(top, 0))
            print(f"| {name} | {step['y'] + step['height']:.0f}, {play['y'] + play['height']:.0f} "
                  f"| {top:.0f} – {bottom:.0f} | {chart['width']:.0f}×{chart['height']:.0f} "
                  f"| {visible / chart['height']:.0%} |")
            pg.screenshot(path=ARTIFACTS / f"geometry-{w}x{h}{'-presenter' if q else ''}.png")
            ctx.close()
        b.close()
finally:
    s.stop()
