"""Server memory stays bounded: a session trained for 1,000,000 epochs, and sessions of closed tabs released."""

import asyncio
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.harness import Server

from .client import AppSession
from .scenario import run_in_thread


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def session_state_reported(url: str) -> bool:
    """Whether Streamlit's own metrics still account for any session's state."""
    with urllib.request.urlopen(url + "/_stcore/metrics", timeout=10) as r:
        text = r.read().decode()
    return any('cache_type="st_session_state"' in line for line in text.splitlines() if not line.startswith("#"))


@pytest.fixture(scope="module")
def server():
    # A disconnected session is kept server.disconnectedSessionTTL seconds for a reconnect (120 by default).
    s = Server(extra_args=("--server.disconnectedSessionTTL", "2"))
    yield s
    s.stop()


def test_a_million_epochs_keep_the_server_small(server):
    async def visit():
        app = AppSession(server.url)
        await app.open()
        await app.click("train")  # warm up: the first session pays for imports and caches
        before = rss_mb(server.proc.pid)
        await app.set_number("target_epochs", 1_000_000, as_int=True)
        await app.click("train")
        while app.components["play"].get("mode"):  # long work goes in slices, each asked for by the browser
            await app.trigger("play", "need", {"shown": -1, "chunk": 0})
        epoch = app.text_in("epoch")
        after = rss_mb(server.proc.pid)
        await app.close()
        return before, after, epoch

    before, after, epoch = run_in_thread(visit())
    assert "1,000,000" in epoch
    assert after - before < 30, (before, after)  # the history itself is about 2.3 MB


def test_sessions_of_closed_tabs_are_released(server):
    async def visits():
        apps = [AppSession(server.url) for _ in range(5)]
        for app in apps:
            await app.open()
            await app.click("train")
        open_ = session_state_reported(server.url)
        for app in apps:
            await app.close()
        for _ in range(40):  # the TTL, then the server's next clean-up pass
            await asyncio.sleep(0.5)
            if not session_state_reported(server.url):
                return open_, True
        return open_, False

    was_reported, released = run_in_thread(visits())
    assert was_reported and released
