import pytest

from .harness import Server, open_app, watch_console


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def server(browser):
    """The app, served once for all the browser tests, its first page already opened: a server's first run puts the
    app's hooks into Streamlit in place (server/internals.py), so its own page goes without some (the Step shown at
    the click), as only the very first page after a start does."""
    s = Server()
    context = browser.new_context()
    open_app(context.new_page(), s.url)
    context.close()
    yield s
    s.stop()


@pytest.fixture
def page(browser, server):
    """A fresh browser tab on the app (1400×1000). The test fails on any console error or uncaught page error."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.base_url = server.url
    problems = watch_console(page)
    yield page
    context.close()
    assert not problems, problems


# Every toast a tab shows, recorded as it appears (window.__toasts): a test can then say none covered a control.
COUNT_TOASTS = """
window.__toasts = [];
new MutationObserver(() => {
  for (const t of document.querySelectorAll('[data-testid="stToast"]')) window.__toasts.push(t.innerText);
}).observe(document, {childList: true, subtree: true});
"""


@pytest.fixture
def sized(browser, server):
    """Tabs of a given size, open at ``path``, counting their toasts; the test fails on any console error or
    uncaught page error."""
    contexts, problems = [], []

    def open_at(width, height, path="/", **options):
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.add_init_script(COUNT_TOASTS)
        problems.extend(watch_console(page))
        open_app(page, server.url, path)
        return page

    yield open_at
    for context in contexts:
        context.close()
    assert not problems, problems
