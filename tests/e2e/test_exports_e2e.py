"""Taking the run home, in the browser: the sidebar's downloads, and the replay opened offline with every request
blocked."""

import json

import nbformat
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from .harness import ARTIFACTS, open_app, train


def download(page, key: str, path):
    """Open the sidebar's exports and click ``key``'s button. A second click after 30 s: in 2 of 5 full runs on a
    machine loaded by others' work, a first click started no download within 60 s (never reproduced alone, nor under
    a CPU hog; the closing note of issues 21–27 says so). A button that never downloads still fails here."""
    page.locator('[data-testid="stSidebar"]').get_by_text("Export and import", exact=True).click()
    button = page.locator(f".st-key-{key} button").first
    try:
        with page.expect_download(timeout=30_000) as info:
            button.click()
        info.value.save_as(path)
    except PlaywrightTimeoutError:
        with page.expect_download(timeout=60_000) as info:
            button.click()
        info.value.save_as(path)
    return path


def test_the_replay_plays_offline_with_every_request_blocked(page, browser, tmp_path):
    open_app(page, page.base_url)
    train(page)
    replay = download(page, "export_replay", tmp_path / "replay.html")
    text = replay.read_text(encoding="utf-8")
    assert "<script src" not in text and "http" not in text.split("<script>")[0]  # nothing to fetch
    offline = browser.new_context(viewport={"width": 1366, "height": 768}, offline=True)
    viewer = offline.new_page()
    requests, errors = [], []
    viewer.on("request", lambda r: requests.append(r.url))
    viewer.on("pageerror", lambda e: errors.append(str(e)))
    viewer.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    viewer.route("**/*", lambda route: route.abort() if not route.request.url.startswith("file:") else
                 route.continue_())
    viewer.goto(replay.as_uri())
    viewer.wait_for_selector(".js-plotly-plot .scatterlayer path.js-line")
    assert requests == [replay.as_uri()] and not errors, (requests, errors)  # the file itself, nothing else
    title = viewer.locator(".gtitle").first
    expect(title).to_contain_text("Epoch 0")
    expect(viewer.locator(".bars path")).to_have_count(3)
    assert viewer.locator(".slider-container, .slider-group").count() >= 1
    viewer.get_by_text("▶ Play").first.click()
    expect(title).to_contain_text("Epoch 25,000", timeout=30_000)  # the last of the frames
    viewer.get_by_text("The data as a table", exact=False).click()
    assert viewer.locator("tbody tr").count() >= 10
    viewer.screenshot(path=str(ARTIFACTS / "replay-offline.png"), full_page=True)
    assert requests == [replay.as_uri()], requests
    offline.close()


def test_the_notebook_downloads_from_the_sidebar(page, tmp_path):
    open_app(page, page.base_url)
    train(page)
    path = download(page, "export_notebook", tmp_path / "run.ipynb")
    notebook = nbformat.read(path, as_version=4)
    last = notebook.cells[-1].source
    assert "app_weights = np.array([10.08826006" in last
    assert json.loads(path.read_text(encoding="utf-8"))["nbformat"] == 4
