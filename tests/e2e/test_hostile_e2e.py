"""Hostile links and files in a real browser (issue 15, findings 6 to 8): the page keeps its sidebar and the default
run, says what was wrong as plain text, renders no link or image of anyone else's, and the browser fetches nothing
from any host but the app's own."""

import base64
import json
import zlib
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from .harness import key, numbers_in, open_app, screenshot, text_of, upload

FOREIGN = "evil.example"


def link(payload: dict | str) -> str:
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return "1." + base64.urlsafe_b64encode(zlib.compress(text.encode())).decode().rstrip("=")


HOSTILE_LINKS = {
    "unknown field": {"version": 1, f"[click me](https://{FOREIGN}/)": 1},
    "preset": {"version": 1, "preset": f"![](https://{FOREIGN}/t.png) <https://{FOREIGN}/login>"},
    "cell link": {"version": 1, "rows": [[f"[x](https://{FOREIGN})", 1, 0, 1]]},
    "cell image": {"version": 1, "rows": [[f"![](http://{FOREIGN}/t)", 1, 0, 1]]},
    "cell autolink": {"version": 1, "rows": [[f"<https://{FOREIGN}>", 1, 0, 1]]},
    "deep network": {"version": 1, "hidden": [64, 64, 64, 64], "bias": True, "init": "random", "seed": 1},
    "too many epochs": {"version": 1, "target_epochs": 2_000_000},
    "huge seed": '{"version":1,"init":"random","seed":' + "9" * 4000 + "}",
}


@pytest.fixture
def watched(page):
    """The page, with every request it makes recorded (each one's host)."""
    hosts = []
    page.on("request", lambda request: hosts.append(urlparse(request.url).hostname)
            if urlparse(request.url).scheme in ("http", "https", "ws", "wss") else None)
    page.on("websocket", lambda socket: hosts.append(urlparse(socket.url).hostname))
    page.hosts = hosts
    return page


def check_page_survived(page, path: str = "/") -> None:
    expect(key(page, "status")).to_contain_text("could not be opened")  # said in the page's status line
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stSidebar"]').count() == 1 and key(page, "lang").count() == 1
    if path == "/":
        assert numbers_in(text_of(page, "epoch")) == [0]
    else:  # the Backprop page shows epoch 0 of the article's network
        assert key(page, "trace_epoch").locator("input").input_value() == "0"
    # Nothing of the stranger's is rendered as a link or an image, anywhere on the page.
    assert page.locator(f'a[href*="{FOREIGN}"], img[src*="{FOREIGN}"], [style*="{FOREIGN}"]').count() == 0


@pytest.mark.parametrize("name", list(HOSTILE_LINKS))
@pytest.mark.parametrize("path", ["/", "/backprop"])
def test_a_hostile_link_keeps_the_page_and_fetches_nothing_foreign(watched, name, path):
    open_app(watched, watched.base_url, f"{path}?s={link(HOSTILE_LINKS[name])}")
    check_page_survived(watched, path)
    assert set(watched.hosts) == {"127.0.0.1"}, watched.hosts
    if name == "cell image" and path == "/":
        screenshot(watched, "hostile-link-cell-image")


def test_a_hostile_file_keeps_the_page_and_fetches_nothing_foreign(watched, tmp_path):
    open_app(watched, watched.base_url)
    file = tmp_path / f"![x](https:{FOREIGN}) [y](http:{FOREIGN}) <img src=x onerror=alert(1)>.json"
    file.write_text(json.dumps(HOSTILE_LINKS["cell image"]))
    watched.locator('[data-testid="stSidebar"]').get_by_text("Export and import").click()
    upload(watched, "upload_scenario", file)
    check_page_survived(watched)
    assert set(watched.hosts) == {"127.0.0.1"}, watched.hosts


def test_a_large_table_on_the_backprop_page_arrives_a_page_at_a_time(watched):
    """1,000 rows and 16 hidden units (the most the link format allows) once sent 24 MB of tables per rerun."""
    rows = [[i % 2, i // 2 % 2, i // 4 % 2, i % 2] for i in range(1000)]
    big = {"version": 1, "rows": rows, "hidden": [16], "bias": True, "init": "random", "seed": 3}
    open_app(watched, watched.base_url, f"/backprop?s={link(big)}")
    trace = key(watched, "trace")
    expect(trace.locator("table.bp-matrix").first).to_be_visible()
    cells = trace.locator("td").count()
    assert 0 < cells < 5000, cells  # a page of 20 rows of every matrix, not 1,000
    assert "1–20 / 1,000" in trace.inner_text()
    screenshot(watched, "backprop-large-table")
