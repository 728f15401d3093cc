"""The README's screenshots of the classroom screen, taken with headless Chromium against `streamlit run app.py`:
presenter mode with a room open (and a question asked of the class) at 1366×768, 1536×864 (a 1920×1080 screen at
125 %, taken at that zoom) and 1920×1080, and the Playground on a 390×844 phone after XOR stalled.

    .venv/bin/python scripts/screenshots.py            # into docs/screenshots/

Each is the window as it is seen (not the whole page), saved as a 256-colour PNG. Look at them before committing.
"""

import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nn_core import PRESETS, Scenario, TrainingSet
from tests.e2e.harness import Server, click, fill_number, launch, open_app, train

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
PROJECTORS = [(1366, 768, 1), (1536, 864, 1.25), (1920, 1080, 1)]
XOR = TrainingSet(PRESETS["xor"].inputs, PRESETS["xor"].outputs)


def save(page, name: str) -> Path:
    """The window as a 256-colour PNG (a tenth of the size of the full-colour one, the same to the eye)."""
    path = OUT / f"{name}.png"
    page.screenshot(path=str(path))
    Image.open(path).convert("RGB").quantize(256, dither=Image.Dither.NONE).save(path, optimize=True)
    return path


def sidebar(page, open_it: bool) -> None:
    button = '[data-testid="stExpandSidebarButton"]' if open_it else '[data-testid="stSidebarCollapseButton"] button'
    page.locator(button).first.click()
    page.wait_for_timeout(600)  # the sidebar's slide (the chart follows the column's width)


def presenter(browser, url: str, width: int, height: int, zoom: float) -> Path:
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=zoom)
    page = context.new_page()
    open_app(page, url, "/?presenter=1")
    sidebar(page, True)
    click(page, "room_create")
    sidebar(page, False)
    train(page)
    fill_number(page, "poll_row", 6)
    click(page, "poll_ask")
    page.wait_for_timeout(1500)  # the answers' chart, drawn by its fragment
    name = f"presenter-room-{round(width * zoom)}x{round(height * zoom)}" + ("-125pc" if zoom != 1 else "")
    path = save(page, name)
    context.close()
    return path


def phone(browser, url: str) -> Path:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    page = context.new_page()
    open_app(page, url, f"/?s={Scenario(data=XOR, preset='xor').to_link()}")
    train(page)  # XOR stalls at 0.5: the cause and its fix under the curve
    path = save(page, "phone-xor-stalls-390x844")
    context.close()
    return path


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    server = Server()
    try:
        with sync_playwright() as p:
            browser = launch(p)
            for width, height, zoom in PROJECTORS:
                print(presenter(browser, server.url, width, height, zoom))
            print(phone(browser, server.url))
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
