"""A server killed mid-lesson (kill -9) and started again: the tab reconnects by itself, the run comes back from the
link in the address bar at the same epoch with the same weights, and the page says what was lost (issue 15)."""

import os
import signal

from playwright.sync_api import expect

from .harness import Server, click, fill_number, key, numbers_in, open_app, screenshot, text_of, wait_idle, wait_stopped


def test_a_restarted_server_reopens_the_run_from_the_link(browser):
    server = Server()
    try:
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        page = context.new_page()
        page.set_default_timeout(60_000)
        open_app(page, server.url)
        fill_number(page, "target_epochs", 3000)
        click(page, "train")
        wait_stopped(page)
        click(page, "step")
        page.wait_for_function("() => location.search.includes('s=1.')")
        epoch, weights = numbers_in(text_of(page, "epoch")), text_of(page, "weights")
        assert epoch == [3001]

        os.killpg(server.proc.pid, signal.SIGKILL)  # no goodbye: everything in the server's memory is gone
        server.proc.wait()
        server.log.close()
        server = Server(port=server.port)

        said = key(page, "status")
        expect(said).to_contain_text("no longer had this tab's session", timeout=60_000)  # it reconnected by itself
        wait_idle(page, settle=0.5)
        assert numbers_in(text_of(page, "epoch")) == epoch and text_of(page, "weights") == weights
        assert "at epoch 3,001" in said.inner_text() and "saved runs and experiment results" in said.inner_text()
        screenshot(page, "restart-restored")
        context.close()
    finally:
        server.stop()
