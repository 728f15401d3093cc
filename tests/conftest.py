import os

import pytest


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (Playwright allows one sync instance per thread)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    from tests.e2e.harness import chromium_path, launch

    with playwright_api.sync_playwright() as p:
        try:
            b = launch(p)
        except Exception as e:  # no Chromium at all
            if os.environ.get("CI") or chromium_path():
                raise
            pytest.skip(f"no Chromium to drive: install Debian's chromium (apt-get install -y chromium) ({e})")
        yield b
        b.close()
