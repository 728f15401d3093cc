"""The edge of the recipe (deploy/haproxy.cfg.template), through HAProxy in front of two replicas on loopback: limits
per client address that a class of 50 behind one school address never meets and a flood from one address does,
no framing by pages of other sites (serve.py says the same on `streamlit run` alone), gzip for Streamlit's JavaScript.

Each test speaks from a loopback address of its own (127.0.0.N; Linux gives all of 127/8 to this machine), so one
test's counts are not another's, as two schools' are not.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import http.client
import itertools
import os
import socket
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import streamlit
import websockets

from playground.live.assets import BUNDLES, LIVE_JS, STATIC
from tests.e2e.harness import Server
from tests.load.attacks import malformed_frames
from tests.load.client import AppSession, http_get
from tests.load.scenario import run_in_thread

from .balancer import Balancer, haproxy_path
from .other_site import framed

ADDRESSES = (f"127.0.0.{n}" for n in itertools.count(10))
FRAMING = {"content-security-policy": "frame-ancestors 'self'", "x-frame-options": "SAMEORIGIN"}
GZIP = {"Accept-Encoding": "gzip, deflate, br"}  # as a browser asks
# The limits of deploy/haproxy.cfg.template, per address
PAGE_LOADS, WEBSOCKETS, ROOM_JOINS, CONNECTIONS = 300, 150, 100, 1000


@pytest.fixture(scope="module")
def edge():
    if haproxy_path() is None:
        if os.environ.get("CI"):
            pytest.fail("HAProxy is missing: .ci/run installs it (apt-get install -y haproxy)")
        pytest.skip("HAProxy is not installed (apt-get install -y haproxy)")
    balancer = Balancer(replicas=2)
    yield balancer
    balancer.stop()


@pytest.fixture(scope="module")
def first_visit(edge, browser) -> list[str]:
    """What Chromium asks for on a first visit through the edge (the page, its scripts, styles, fonts, the app's
    files): the paths, in order, less the session's own media files (another session cannot fetch them)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    asked: list[str] = []
    page.on("requestfinished", lambda r: asked.append(r.url.removeprefix(edge.url)))
    page.goto(edge.url + "/")
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)
    page.wait_for_function("() => document.querySelector('.st-key-epoch .pg-text')", timeout=60_000)
    page.wait_for_timeout(2000)
    context.close()
    return [path for path in asked if path.startswith("/") and not path.startswith("/media/")]


def many_gets(url: str, paths: list[str], source: str, workers: int) -> list[int]:
    """Each GET on a connection of its own, ``workers`` at once: the statuses."""
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda path: http_get(url, path, GZIP, source)[0], paths))


def visit(url: str, paths: list[str], source: str, connections: int = 6) -> list[int]:
    """A browser's visit: the files shared over ``connections`` kept-alive connections (Chromium's 6 per site)."""

    def one_connection(share: list[str]) -> list[int]:
        connection = http.client.HTTPConnection("127.0.0.1", int(url.rsplit(":", 1)[1]), timeout=60,
                                                source_address=(source, 0))
        statuses = []
        for path in share:
            connection.request("GET", path, headers=GZIP)
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
        connection.close()
        return statuses

    with ThreadPoolExecutor(connections) as pool:
        return [s for statuses in pool.map(one_connection, [paths[i::connections] for i in range(connections)])
                for s in statuses]


# -- a class is never limited ---------------------------------------------------------------------------------------
def test_a_class_of_50_behind_one_address_is_never_limited(edge, first_visit):
    """50 students behind one school address open the page at the same moment: each browser's first visit (every
    file it asks for, 6 at a time as Chromium does), then its session over a websocket, which polls as a student's
    page does. Nothing is refused."""
    school = next(ADDRESSES)
    files = [path for path in first_visit if path != "/"]
    assert len(files) > 100, first_visit  # a real first visit: Streamlit's code-split scripts

    def student(_):
        return visit(edge.url, files, school)

    with ThreadPoolExecutor(50) as pool:
        statuses = [status for visit in pool.map(student, range(50)) for status in visit]

    async def sessions():
        async def one():
            app = AppSession(edge.url, source=school)
            await app.open()
            for _ in range(4):
                await app.rerun()  # a poll: inside the websocket, which HAProxy does not see
            await app.close()
            return app.exceptions

        return await asyncio.gather(*(one() for _ in range(50)))

    answers = run_in_thread(sessions())
    assert len(statuses) == 50 * len(files) and set(statuses) == {200}, sorted(set(statuses))
    assert answers == [[]] * 50


# -- a flood is slowed ----------------------------------------------------------------------------------------------
def test_a_flood_of_page_loads_from_one_address_is_held_to_its_limit(edge):
    flooder, bystander = next(ADDRESSES), next(ADDRESSES)
    statuses = many_gets(edge.url, ["/"] * (PAGE_LOADS + 40), flooder, workers=40)
    assert PAGE_LOADS <= statuses.count(200) < PAGE_LOADS + 40 and statuses.count(429) > 0, statuses
    status, headers, body = http_get(edge.url, "/", GZIP, flooder)
    assert status == 429 and headers["Retry-After"] == "60"
    text = body.decode()
    assert "Too many requests from your network address" in text and "请求太多" in text
    assert http_get(edge.url, "/", GZIP, bystander)[0] == 200  # another address is not held back


def test_a_flood_of_room_codes_from_one_address_is_held_to_its_limit(edge):
    guesser = next(ADDRESSES)
    codes = [f"/?room=AB{n:04d}" for n in range(ROOM_JOINS + 20)]
    statuses = many_gets(edge.url, codes, guesser, workers=20)
    assert ROOM_JOINS <= statuses.count(200) < ROOM_JOINS + 20 and statuses.count(429) > 0, statuses
    assert http_get(edge.url, "/", GZIP, guesser)[0] == 200  # its page loads are counted apart


def test_a_flood_of_websockets_from_one_address_is_held_to_its_limit(edge):
    flooder = next(ADDRESSES)
    stream = edge.url.replace("http://", "ws://") + "/_stcore/stream"

    async def flood():
        async def one():
            try:
                async with websockets.connect(stream, subprotocols=["streamlit"], local_addr=(flooder, 0),
                                              open_timeout=30):
                    return 101
            except websockets.InvalidStatus as e:
                return e.response.status_code

        answers = []
        for batch in range(0, WEBSOCKETS + 20, 20):
            answers += await asyncio.gather(*(one() for _ in range(batch, min(batch + 20, WEBSOCKETS + 20))))
        return answers

    answers = run_in_thread(flood())
    assert WEBSOCKETS <= answers.count(101) < WEBSOCKETS + 20 and answers.count(429) > 0, answers


def test_connections_past_the_limit_are_refused(edge):
    flooder = next(ADDRESSES)
    host, port = "127.0.0.1", edge.port
    sockets = []
    for _ in range(CONNECTIONS + 10):  # each opened and asked at once, all kept open, then each answer read
        with contextlib.suppress(OSError):  # refused: reset, as it connects or as it asks
            s = socket.create_connection((host, port), timeout=30, source_address=(flooder, 0))
            sockets.append(s)
            s.sendall(b"GET /_stcore/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    answered = 0
    for s in sockets:
        with contextlib.suppress(OSError):
            answered += s.recv(64).startswith(b"HTTP/1.1 200")
        s.close()
    assert answered == CONNECTIONS


# -- no framing by other sites, on every response ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def served_alone():
    """`streamlit run serve.py`: the app with no proxy in front."""
    server = Server(script="serve.py")
    yield server
    server.stop()


def test_every_response_says_that_only_this_site_may_frame_it(edge, served_alone):
    source = next(ADDRESSES)
    for url in (edge.url, served_alone.url):
        for path in ("/", "/_stcore/health", "/_stcore/host-config", "/app/static/live.js", "/nowhere"):
            status, headers, _ = http_get(url, path, GZIP, source)
            assert status == 200 and {k: headers[k] for k in FRAMING} == FRAMING, (url, path, dict(headers))
    # the edge's own answers too: a refused request
    for _ in range(ROOM_JOINS + 1):  # the last one past the limit
        status, headers, _ = http_get(edge.url, "/?room=ZZZZZZ", GZIP, source)
    assert status == 429 and {k: headers[k] for k in FRAMING} == FRAMING, dict(headers)


def test_serve_py_alone_serves_the_app_and_keeps_its_log_short_from_the_start(served_alone):
    """No page has run yet in this process when the flood comes: serve.py put the log limits in place at start."""
    before = os.path.getsize(served_alone.log.name)
    outcome = run_in_thread(malformed_frames(served_alone.url, 100))
    assert outcome.held, outcome.detail  # and afterwards a session opens and steps
    assert os.path.getsize(served_alone.log.name) - before < 40_000


def test_a_page_on_another_site_cannot_frame_the_app(edge, served_alone, browser):
    # A replica on its own (`streamlit run app.py`) sends no such header: another site frames it. (The control: the
    # test sees a frame that loads.)
    replica = next(iter(edge.replicas.values()))
    loaded, where, said = framed(browser, replica.url)
    assert loaded and where.startswith(replica.url + "/") and said == [], (where, said)
    for target in (edge.url, served_alone.url):  # through the recipe, and serve.py alone
        loaded, where, said = framed(browser, target)
        assert not loaded and where.startswith("chrome-error:"), (target, where)
        assert any("frame-ancestors 'self'" in line for line in said), said


# -- gzip -----------------------------------------------------------------------------------------------------------
def test_a_first_visit_is_gzipped_at_the_edge(edge, first_visit):
    replica = next(iter(edge.replicas.values()))
    source = next(ADDRESSES)
    sent = unpacked = 0
    for path in dict.fromkeys(first_visit):  # each file once
        status, headers, body = http_get(edge.url, path, GZIP, source)
        assert status == 200, path
        plain = http_get(replica.url, path, {}, source)[2]
        if headers.get("Content-Encoding") == "gzip":
            assert gzip.decompress(body) == plain, path  # the same bytes, unpacked
        sent += len(body)
        unpacked += len(plain)
    # Debian's HAProxy compresses with libslz (as fast as zlib's level 1, about as small): under half
    assert unpacked > 4_000_000 and sent < 0.5 * unpacked, (sent, unpacked)
    status, headers, body = http_get(edge.url, "/", {}, source)  # a client that asks for no gzip gets none
    assert status == 200 and "Content-Encoding" not in headers and b"<div id=\"root\">" in body


def test_serve_py_sends_streamlits_scripts_packed_once(served_alone, first_visit):
    """serve.py gzips Streamlit's scripts and styles once, at the highest level (libslz at the edge is about level
    1): the same bytes unpacked, far fewer sent, the same packed bytes the second time."""
    source = next(ADDRESSES)
    scripts = [path for path in dict.fromkeys(first_visit) if path.startswith("/static/") and path.endswith(".js")]
    sent = unpacked = 0
    for path in scripts:
        status, headers, body = http_get(served_alone.url, path, GZIP, source)
        plain = http_get(served_alone.url, path, {}, source)[2]  # a client that asks for no gzip gets none
        assert status == 200 and headers["Content-Encoding"] == "gzip" and gzip.decompress(body) == plain, path
        assert int(headers["Content-Length"]) == len(body) and "immutable" in headers["Cache-Control"]
        assert {k: headers[k] for k in FRAMING} == FRAMING
        assert http_get(served_alone.url, path, GZIP, source)[2] == body  # kept, not packed again
        sent += len(body)
        unpacked += len(plain)
    # (the first view's scripts: 2.7 MB since it no longer loads the data editor's bundle before an edit)
    assert unpacked > 2_000_000 and sent < 0.3 * unpacked, (sent, unpacked)
    # a name that is no file gets the page, as Streamlit answers it, unpacked and not kept
    status, headers, body = http_get(served_alone.url, "/static/js/no-such-file.js", GZIP, source)
    assert status == 200 and "Content-Encoding" not in headers and b'<div id="root">' in body


def test_serve_py_packs_the_apps_own_static_files_once(served_alone):
    """live.js and plotly.js's bundles, which Streamlit gzips anew for every request: packed once, the same bytes."""
    source = next(ADDRESSES)
    for name in (LIVE_JS, *BUNDLES.values()):
        path = f"/app/static/{name}"
        status, headers, body = http_get(served_alone.url, path, GZIP, source)
        assert status == 200 and headers["Content-Encoding"] == "gzip", path
        assert gzip.decompress(body) == (STATIC / name).read_bytes() and int(headers["Content-Length"]) == len(body)
        assert http_get(served_alone.url, path, GZIP, source)[2] == body  # kept, not packed again
        status, headers, plain = http_get(served_alone.url, path, {}, source)  # no gzip asked: none
        assert "Content-Encoding" not in headers and plain == (STATIC / name).read_bytes()


def test_serve_py_pages_start_live_js_and_plotly_from_their_head(served_alone):
    """Every page's address gets Streamlit's page with serve.py's EARLY at the end of its head (the links that fetch
    live.js and plotly.js's basic bundle at once) and nothing else changed, gzipped (Streamlit packs a page's address
    other than the root) or not."""
    source = next(ADDRESSES)
    head, end, rest = (Path(streamlit.__file__).parent / "static" / "index.html").read_bytes().partition(b"</head>")
    for path in ("/", "/predict", "/no-such-page"):
        for asked in (GZIP, {}):
            status, headers, body = http_get(served_alone.url, path, asked, source)
            assert status == 200 and int(headers["Content-Length"]) == len(body) and "ETag" not in headers
            page = gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body
            assert page.startswith(head) and page.endswith(end + rest), (path, asked)
            added = page[len(head):-len(end + rest)]
            assert f'<link rel="modulepreload" href="/app/static/{LIVE_JS}">'.encode() in added
            assert f'<link rel="preload" as="script" href="/app/static/{BUNDLES["basic"]}">'.encode() in added
