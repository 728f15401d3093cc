"""The app as a public page needs it from its own server: `streamlit run serve.py` (the same flags as app.py). The
Docker image runs it, so compose.yaml and the Kubernetes manifests do too.

Streamlit 1.67 has no setting for response headers or for compressing its own scripts, but it lets an app add ASGI
middleware through st.App, which `streamlit run` serves as it serves app.py. Three of them here:
- NoFramingByOthers: a page on another origin may put any site in a frame and have a visitor click in it without
  knowing (a Step, a room's End). Every response says that only this site's own pages may frame it:
  Content-Security-Policy frame-ancestors for today's browsers, X-Frame-Options for older ones. The edge recipe
  (deploy/haproxy.cfg.template) sets the same two; tests/deploy/test_edge.py checks that both say the same.
- PackedScripts: Streamlit sends its scripts and styles uncompressed (4.2 MB of a first visit's 5.2 MB), because
  compressing them anew for every request would cost its server more than the bytes are worth. They are named by
  their content and never change, so each is compressed once per process, at gzip's highest level, and kept: a first
  visit then transfers 2.0 MB (the fonts and the charts' plotly.js, already compressed, are 0.9 MB of it; HAProxy's
  own gzip, about level 1, makes it 2.5 MB). At most Streamlit's own files are kept: 6.9 MB, were every one asked for.
  The app's own static/ (live.js, plotly.js's bundles), which Streamlit does gzip anew for every request (45 ms of
  its event loop for the basic bundle, while other files wait), is packed once and kept too: 1.4 MB more at most.
- ChartsFromTheStart: the page (Streamlit's index.html) asks for live.js and plotly.js's basic bundle from its start,
  and starts them while it waits for the server's first run (see EARLY), instead of when the page's first element is
  drawn: then plotly.js took the page's time (about 0.1 s here) on the way to the first chart.
limit_log_lines() puts its filter in place at start, and send_at_once() (no_delay.py) turns Nagle's algorithm off on
the server's socket, before any client connects.
"""

import asyncio
import contextlib
import gzip

import streamlit as st
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware import Middleware

from playground.live.assets import BUNDLES, LIVE_JS, static_url
from playground.server.log_limits import limit_log_lines
from playground.server.no_delay import send_at_once

FRAMING_HEADERS = {"X-Frame-Options": "SAMEORIGIN", "Content-Security-Policy": "frame-ancestors 'self'"}
PACKED_TYPES = ("application/javascript", "text/javascript", "text/css", "application/json")  # (fonts come packed)

# What the page's head gets, before Streamlit's own scripts run. The page's first websocket message asks the server
# for the page's elements; until they arrive the page has nothing to do: then live.js and plotly.js's basic bundle
# (fetched meanwhile, from the links) are started, so that the first chart is drawn as soon as its element is.
# (Measured: waiting instead for a moment when the page is idle, after its placeholders, left plotly.js for the
# element on a busy machine, 1.3 s later; the server's first run is a wait the page always has.)
EARLY = """<link rel="modulepreload" href="{live}">
<link rel="preload" as="script" href="{plotly}">
<script>
  {{
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (...message) {{
      WebSocket.prototype.send = send;
      setTimeout(() => import("{live}").then((live) => live.preload({{ basic: "{plotly}" }})).catch(() => {{}}));
      return send.apply(this, message);
    }};
  }}
</script>
"""


class NoFramingByOthers:
    """ASGI middleware: FRAMING_HEADERS on every HTTP response (a websocket has no page to frame)."""

    headers = [(name.lower().encode(), value.encode()) for name, value in FRAMING_HEADERS.items()]
    names = {name for name, _ in headers}

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                kept = [(name, value) for name, value in message.get("headers", []) if name.lower() not in self.names]
                message = {**message, "headers": kept + self.headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class PackedScripts:
    """ASGI middleware: Streamlit's own scripts and styles (/static/…, cached by browsers for a year as "immutable")
    and the app's static/ files (/app/static/…, which change only with a new version, i.e. a new process), gzipped
    once and kept, for every client that accepts gzip and asks for the whole file."""

    def __init__(self, app):
        self.app = app
        self.packed: dict[str, tuple[list, bytes]] = {}  # path -> (response headers, gzipped body)

    async def __call__(self, scope, receive, send):
        asked = Headers(scope=scope) if scope["type"] == "http" else None
        ours = asked is not None and scope["path"].startswith(static_url(""))
        if (asked is None or scope["method"] != "GET" or not (scope["path"].startswith("/static/") or ours)
                or "gzip" not in asked.get("accept-encoding", "") or "range" in asked
                or "if-modified-since" in asked or "if-none-match" in asked):
            await self.app(scope, receive, send)
            return
        if scope["path"] not in self.packed:
            messages = []

            async def keep(message):
                messages.append(message)

            # (asked without gzip: Streamlit would gzip the app's static/ itself)
            plain = [(name, value) for name, value in scope["headers"] if name.lower() != b"accept-encoding"]
            await self.app({**scope, "headers": plain}, receive, keep)
            start, body = messages[0], b"".join(m.get("body", b"") for m in messages[1:])
            headers = MutableHeaders(raw=list(start["headers"]))
            if start["status"] != 200 or not (ours or "immutable" in headers.get("cache-control", "")) \
                    or "content-encoding" in headers or not headers.get("content-type", "").startswith(PACKED_TYPES):
                for message in messages:  # (index.html for a name that is no file, a font, …): as it was
                    await send(message)
                return
            packed = await asyncio.to_thread(gzip.compress, body, 9)
            headers["content-encoding"] = "gzip"
            headers["content-length"] = str(len(packed))
            headers["vary"] = "Accept-Encoding"
            del headers["etag"]  # the file's tag names the unpacked bytes
            self.packed[scope["path"]] = (headers.raw, packed)
        headers, packed = self.packed[scope["path"]]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": packed})


class ChartsFromTheStart:
    """ASGI middleware: EARLY at the end of the head of the page (Streamlit's index.html, which it serves for every
    page's address, gzipped or not)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        held = []

        async def send_with_early(message):
            if message["type"] == "http.response.start":
                headers = Headers(raw=message.get("headers", []))
                if message["status"] == 200 and headers.get("content-type", "").startswith("text/html"):
                    held.append(message)  # the page: its body is changed, so its length too
                    return
            elif held:
                held.append(message)
                if message.get("more_body"):
                    return
                start, body = held[0], b"".join(m.get("body", b"") for m in held[1:])
                message = {"type": "http.response.body", "body": with_early(start, body)}
                headers = MutableHeaders(raw=list(start["headers"]))
                headers["content-length"] = str(len(message["body"]))
                for name in ("etag", "last-modified"):  # they name Streamlit's page as it was
                    del headers[name]
                await send({**start, "headers": headers.raw})
            await send(message)

        await self.app(scope, receive, send_with_early)


def with_early(start: dict, body: bytes) -> bytes:
    """The page's body with EARLY before the end of its head (packed again if it came packed)."""
    packed = Headers(raw=start["headers"]).get("content-encoding") == "gzip"
    page = gzip.decompress(body) if packed else body
    early = EARLY.format(live=static_url(LIVE_JS), plotly=static_url(BUNDLES["basic"])).encode()
    page = page.replace(b"</head>", early + b"</head>", 1)
    return gzip.compress(page, 6) if packed else page


@contextlib.asynccontextmanager
async def at_start(_app):
    send_at_once()  # the server's socket is listening by now, and no browser has connected yet
    yield


limit_log_lines()
app = st.App("app.py", lifespan=at_start, middleware=[Middleware(NoFramingByOthers), Middleware(PackedScripts),
                                                   Middleware(ChartsFromTheStart)])
