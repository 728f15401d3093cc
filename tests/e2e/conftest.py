import pytest

from .harness import Server, watch_console


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def server():
    s = Server()
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
