"""A first visit through serve.py: the page itself starts live.js and plotly.js's basic bundle (serve.py's EARLY),
and the charts' elements use those same ones: each file fetched once, plotly.js run once, every chart drawn."""

import pytest

from .harness import Server

PAGES = {"/": 1, "/predict": 2, "/sigmoid": 1}  # the 2-D charts on each page's first screen, drawn


@pytest.fixture(scope="module")
def served():
    server = Server(script="serve.py")
    yield server
    server.stop()


@pytest.mark.parametrize("path", PAGES)
def test_the_page_starts_plotly_and_its_charts_use_that_one(browser, served, path):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(served.url + path)
    drawn = ".scatterlayer path.js-line, .bars path"
    page.wait_for_function(f"n => document.querySelectorAll('.js-plotly-plot:has({drawn})').length >= n",
                           arg=PAGES[path], timeout=60_000)
    fetched = dict(page.evaluate("() => performance.getEntriesByType('resource').map(e => [e.name, e.startTime])"))
    names = [url.rsplit("/", 1)[-1] for url in fetched]
    assert names.count("plotly-basic.min.js") == 1 and names.count("live.js") == 1, names
    # asked for by the page itself, before the first element's own script (a live.js element's) was
    first_element = min(at for url, at in fetched.items() if "/static/js/BidiComponent." in url)
    assert max(at for url, at in fetched.items() if url.endswith(("/plotly-basic.min.js", "/live.js"))) < first_element
    assert page.locator("script[src$='/app/static/plotly-basic.min.js']").count() == 1  # run once
    assert problems == []
    context.close()
