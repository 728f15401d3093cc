import os

import pytest

from .harness import Server, chromium_path, launch


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def server():
    s = Server()
    yield s
    s.stop()


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        try:
            b = launch(p)
        except Exception as e:  # no Chromium at all
            if os.environ.get("CI") or chromium_path():
                raise
            pytest.skip(f"no Chromium to drive: install Debian's chromium (apt-get install -y chromium) ({e})")
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 1800})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.base_url = server.url
    yield page
    context.close()
