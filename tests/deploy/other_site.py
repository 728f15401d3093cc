"""A page of another site (another origin: another port) that puts the app in a frame, opened in Chromium: for the
framing test (tests/deploy/test_edge.py) and the framing row of benchmarks/attacks.py --edge."""

from __future__ import annotations

import http.server
import threading

from tests.e2e.harness import free_port


class OtherSite(http.server.ThreadingHTTPServer):
    """A page on another origin (another port) that puts ``target`` in a frame."""

    def __init__(self, target: str):
        page = f'<!doctype html><title>another site</title><iframe src="{target}/" width="900" height="700">'.encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        threading.Thread(target=self.serve_forever, daemon=True).start()


def framed(browser, target: str) -> tuple[bool, str, list[str]]:
    """Open a page of another site that frames ``target``: whether the app came up in the frame, where the frame
    ended (Chromium puts a refused frame on its error page), what the console said about framing."""
    site = OtherSite(target)
    context = browser.new_context()
    page = context.new_page()
    said: list[str] = []
    page.on("console", lambda m: said.append(m.text) if "frame-ancestors" in m.text or "X-Frame" in m.text else None)
    try:
        page.goto(site.url)
        app = page.frame_locator("iframe").locator('[data-testid="stApp"]')
        for _ in range(300):  # until the app comes up in the frame or the frame is refused (60 s at most)
            if app.count() or page.frames[-1].url.startswith("chrome-error:"):
                break
            page.wait_for_timeout(200)
        return bool(app.count()), page.frames[-1].url, said
    finally:
        context.close()
        site.shutdown()
