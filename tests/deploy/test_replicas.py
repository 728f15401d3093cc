"""The scale-out recipe, tested: HAProxy (Debian's package) in front of two `streamlit run` replicas on loopback.

Every client here comes from the same address (127.0.0.1), as a classroom behind one school NAT does: the balancer
must still spread them, keep each browser on its replica (page, websocket, reconnects, uploads), and tell no client
anything about the machines behind it.
"""

import asyncio
import json
import os
import urllib.request
from collections import Counter

import pytest
from playwright.sync_api import expect

from nn_core import Scenario, Settings
from tests.e2e.harness import click, key, numbers_in, open_app, text_of, wait_idle, watch_console
from tests.load.client import BALANCER_COOKIE, AppSession, balancer_cookie
from tests.load.scenario import run_in_thread, run_sessions

from .balancer import Balancer, haproxy_path


@pytest.fixture(scope="module")
def balanced():
    if haproxy_path() is None:
        if os.environ.get("CI"):
            pytest.fail("HAProxy is missing: .ci/run installs it (apt-get install -y haproxy)")
        pytest.skip("HAProxy is not installed (apt-get install -y haproxy)")
    balancer = Balancer(replicas=2)
    yield balancer
    balancer.stop()


def test_a_classroom_behind_one_address_is_spread_over_both_replicas(balanced):
    visits, _ = run_in_thread(run_sessions(balanced.url, 12, play_pulls=1))
    assert [v.error for v in visits] == [None] * 12
    assert all(v.correct for v in visits)
    spread = Counter(v.replica for v in visits)
    assert set(spread) == {"r1", "r2"} and min(spread.values()) >= 4, spread


def test_a_browser_keeps_its_replica_and_a_reconnect_resumes_its_session(balanced):
    async def visit():
        app = AppSession(balanced.url)
        await app.open()
        await app.click("step")
        await app.click("step")
        replica, session = app.replica, app.session_id
        for _ in range(4):  # the websocket drops and comes back (a laptop's wifi): same replica, same session
            await app.close()
            await app.open()
            assert (app.replica, app.session_id) == (replica, session)
            assert app.text_in("epoch").endswith(" 2")
        await app.close()
        # and every other request of that browser goes there too
        return {await asyncio.to_thread(balancer_cookie, balanced.url, app.cookie) for _ in range(5)}, app.cookie

    cookies, cookie = run_in_thread(visit())
    assert cookies == {cookie}


def test_no_client_learns_anything_about_the_machines_behind(balanced):
    ports = {str(r.port) for r in balanced.replicas.values()}
    seen = []
    for path in ("/", "/_stcore/health", "/_stcore/host-config", "/app/static/plotly-basic.min.js", "/nowhere"):
        with urllib.request.urlopen(balanced.url + path, timeout=30) as r:
            seen.append(("http", path, list(r.headers.items())))

    async def handshake():
        app = AppSession(balanced.url)
        await app.open()
        await app.close()
        return app.headers, app.cookie

    headers, cookie = run_in_thread(handshake())
    seen.append(("websocket", "/_stcore/stream", list(headers.items())))
    assert cookie.split("=")[0] == BALANCER_COOKIE and cookie.split("=")[1] in balanced.replicas
    for kind, path, items in seen:
        text = json.dumps(items).lower()
        assert "x-replica" not in text and "uvicorn" not in text and '"server"' not in text, (kind, path, items)
        assert not any(port in text for port in ports), (kind, path, items)


def test_a_browser_works_through_the_balancer_and_its_upload_reaches_its_session(balanced, browser, tmp_path):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    problems = watch_console(page)
    open_app(page, balanced.url)
    click(page, "train")
    page.wait_for_function("() => document.querySelector('.pg-player')?.dataset.mode === 'idle'")
    wait_idle(page, settle=0.3)
    assert numbers_in(text_of(page, "epoch")) == [25000]
    assert numbers_in(text_of(page, "weights")) == [10.0883, -5.3980, 0.3544]
    # the live chart drew, with the plotly.js that Streamlit serves from static/ through the balancer
    expect(key(page, "loss_chart").locator(".scatterlayer path.js-line").last).to_be_attached()
    # A file upload is an HTTP request of its own: it must reach the replica that holds this tab's session.
    scenario = tmp_path / "scenario.json"
    scenario.write_text(Scenario(settings=Settings(learning_rate=0.25)).to_json())
    page.locator('[data-testid="stSidebar"]').get_by_text("Export and import").click()
    key(page, "upload_scenario").locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(scenario))
    wait_idle(page, settle=1.0)
    expect(key(page, "learning_rate").locator("input")).to_have_value("0.25")
    assert numbers_in(text_of(page, "epoch")) == [0]
    context.close()
    assert not problems, problems
