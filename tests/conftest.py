import os

import pytest
import streamlit.testing.v1.app_test as app_test
from streamlit.runtime.pages_manager import PagesManager


class NavigationPagesManager(PagesManager):
    """Streamlit 1.67's AppTest treats a pages/ folder as the old multipage mode and then runs a page file without
    app.py on reruns. The app declares its pages with st.navigation, as the real server sees it: say so."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False


@pytest.fixture(autouse=True)
def navigation_pages(monkeypatch):
    monkeypatch.setattr(app_test, "PagesManager", NavigationPagesManager)


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
