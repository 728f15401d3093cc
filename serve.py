"""The app as a public page needs it without a proxy in front: `streamlit run serve.py` (the same flags as app.py).

A page on another origin may put any site in a frame and have a visitor click in it without knowing (a Step, a room's
End). Every response says that only this site's own pages may frame it: Content-Security-Policy frame-ancestors for
today's browsers, X-Frame-Options for older ones. Streamlit 1.67 has no setting for response headers, but it lets an
app add ASGI middleware through st.App, which `streamlit run` serves as it serves app.py. The edge recipe
(deploy/haproxy.cfg.template) sets the same two headers; tests/deploy/test_edge.py checks that both say the same.
Importing log_limits here puts its filter in place at start, before any client connects.
"""

import streamlit as st
from starlette.middleware import Middleware

import playground.log_limits  # noqa: F401 (a few lines a minute of what a client can make the server log)

FRAMING_HEADERS = {"X-Frame-Options": "SAMEORIGIN", "Content-Security-Policy": "frame-ancestors 'self'"}


class NoFramingByOthers:
    """ASGI middleware: FRAMING_HEADERS on every HTTP response (a websocket has no page to frame)."""

    headers = [(name.lower().encode(), value.encode()) for name, value in FRAMING_HEADERS.items()]

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {name for name, _ in self.headers}
                kept = [(name, value) for name, value in message.get("headers", []) if name.lower() not in names]
                message = {**message, "headers": kept + self.headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


app = st.App("app.py", middleware=[Middleware(NoFramingByOthers)])
