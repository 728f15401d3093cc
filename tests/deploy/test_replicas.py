"""The scale-out recipe, tested: nginx (Debian's package) in front of two `streamlit run` replicas on loopback.

Sessions through nginx work end to end, each stays on one replica, and both replicas serve someone.
"""

import os

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import click, key, numbers_in, open_app, text_of
from tests.load.client import AppSession
from tests.load.scenario import run_in_thread, run_sessions

from .balancer import Balancer, nginx_path


@pytest.fixture(scope="module")
def balanced():
    if nginx_path() is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is missing: .ci/run installs it (apt-get install -y nginx)")
        pytest.skip("nginx is not installed (apt-get install -y nginx)")
    balancer = Balancer(replicas=2)
    yield balancer.url, balancer.replicas
    balancer.stop()


def test_sessions_through_nginx_are_correct_and_spread_over_both_replicas(balanced):
    url, replicas = balanced
    sources = [f"127.0.0.{i}" for i in range(2, 10)]  # eight different client addresses
    visits, _ = run_in_thread(run_sessions(url, 8, play_pulls=1, source_addresses=sources))
    assert [v.error for v in visits] == [None] * 8
    assert all(v.correct for v in visits)
    used = {v.replica for v in visits}
    assert used == {f"127.0.0.1:{r.port}" for r in replicas}, used


def test_a_client_keeps_reaching_the_same_replica(balanced):
    url, _ = balanced

    async def replica_of(source):
        app = AppSession(url, source_address=source)
        await app.open()
        await app.close()
        return app.replica

    for source in ("127.0.0.2", "127.0.0.7"):
        seen = {run_in_thread(replica_of(source)) for _ in range(3)}
        assert len(seen) == 1, (source, seen)


def test_a_browser_works_through_nginx(balanced, browser):
    url, _ = balanced
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    open_app(page, url)
    click(page, "train")
    assert numbers_in(text_of(page, "epoch")) == [25000]
    assert numbers_in(text_of(page, "weights")) == [10.0883, -5.3980, 0.3544]
    # the live chart drew, with the plotly.js that Streamlit serves from static/ through the proxy
    expect(key(page, "loss_chart").locator(".scatterlayer path.js-line").last).to_be_attached()
    context.close()
