"""A Streamlit client that speaks the browser's websocket protocol, for load and isolation tests.

It connects to /_stcore/stream (subprotocol "streamlit"), sends BackMsg.rerun_script with widget states the way
the browser does (every widget value it has set, plus a one-shot trigger for a click), and reads ForwardMsgs
until script_finished, keeping the elements it was sent by their delta path. Widgets and containers are found
by their keys (a keyed widget's id ends with "-<key>"), as the UI contract promises.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

BALANCER_COOKIE = "replica"  # the cookie the balancer pins a browser to a replica with (deploy/haproxy.cfg.template)
XSRF_COOKIE = "_streamlit_xsrf"  # what an upload must carry, as a cookie and again as a header (server.enableXsrf…)


@dataclass
class Widget:
    id: str
    kind: str
    fragment_id: str
    disabled: bool = False
    options: tuple[str, ...] = ()  # a choice's options, as the browser shows (and sends) them


@dataclass
class AppSession:
    url: str  # http://host:port
    widgets: dict[str, Widget] = field(default_factory=dict)  # by key
    blocks: dict[str, tuple] = field(default_factory=dict)  # keyed container -> its delta path
    elements: dict[tuple, object] = field(default_factory=dict)  # delta path -> Element proto
    components: dict[str, dict] = field(default_factory=dict)  # key -> the data a live.js component was last sent
    values: dict[str, WidgetState] = field(default_factory=dict)  # widget id -> the value we set
    query: str = ""  # the address bar's query string (a share link: "s=1.…"), as the app last set it
    page: str = ""  # the page's url path ("backprop"); "" is the default page
    headers: dict = field(default_factory=dict)  # the websocket handshake's response headers
    cookie: str | None = None  # the balancer's cookie, sent with every request ("" when there is no balancer)
    run_elements: list = field(default_factory=list)  # the elements the last run sent, in order
    received: int = 0  # bytes received over the websocket, in all
    largest: int = 0  # the largest message received
    live_fragment: str | None = None  # the fragment the server asked the browser to rerun on a timer (play)
    timers: dict[float, str] = field(default_factory=dict)  # every fragment on a timer: interval (s) -> its id
    session_id: str = ""  # the server's id of this tab's session
    timeout: float = 120.0  # seconds to wait for a run to finish
    source: str = ""  # the loopback address this client speaks from (127.0.0.N: another school), "" for any
    ws: object = None

    async def open(self, query: str = "", page: str = "") -> float:
        """Load the page as a browser does (the balancer's cookie comes with it), then open the websocket."""
        self.query, self.page = query, page
        if self.cookie is None:
            self.cookie = await asyncio.to_thread(balancer_cookie, self.url, "", self.source)
        ws_url = self.url.replace("http://", "ws://") + "/_stcore/stream"
        kwargs = {"additional_headers": {"Cookie": self.cookie}} if self.cookie else {}
        if self.source:
            kwargs["local_addr"] = (self.source, 0)
        # A reconnecting browser names its session (the third entry), to resume it if the server still has it.
        subprotocols = ["streamlit", "xsrf", self.session_id] if self.session_id else ["streamlit"]
        self.ws = await websockets.connect(ws_url, subprotocols=subprotocols, max_size=None, open_timeout=60,
                                           ping_interval=None, **kwargs)
        response = getattr(self.ws, "response", None)
        if response is not None:
            self.headers = dict(response.headers.raw_items())
        return await self.rerun()

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    # -- actions -------------------------------------------------------------------------------------------------
    async def click(self, key: str) -> float:
        w = self.widgets[key]
        return await self.rerun(trigger=w.id, fragment_id=w.fragment_id)

    async def set_number(self, key: str, value: float, as_int: bool = False) -> float:
        w = self.widgets[key]
        state = WidgetState(id=w.id)
        if as_int:
            state.int_value = int(value)
        else:
            state.double_value = float(value)
        self.values[w.id] = state
        return await self.rerun(fragment_id=w.fragment_id)

    async def choose(self, key: str, option: str) -> float:
        """Pick the option of a selectbox whose label contains ``option``."""
        w = self.widgets[key]
        label = next(o for o in w.options if option in o)
        self.values[w.id] = WidgetState(id=w.id, string_value=label)
        return await self.rerun(fragment_id=w.fragment_id)

    async def set_bool(self, key: str, value: bool) -> float:
        w = self.widgets[key]
        self.values[w.id] = WidgetState(id=w.id, bool_value=bool(value))
        return await self.rerun(fragment_id=w.fragment_id)

    async def trigger(self, key: str, event: str, value) -> float:
        """What a custom component's setTriggerValue sends: one event on the component's trigger widget."""
        w = self.widgets[key]
        state = WidgetState(id=f"$$STREAMLIT_INTERNAL_KEY_{w.id}__events",
                            json_trigger_value=json.dumps([{"event": event, "value": value}]))
        return await self.rerun(fragment_id=w.fragment_id, extra=[state])

    async def send_raw(self, states: list[WidgetState], fragment_id: str = "") -> float:
        """Anything at all, as a hostile client would send it (values past the browser's limits, wrong types)."""
        return await self.rerun(fragment_id=fragment_id, extra=states)

    async def edit_table(self, key: str, edits: dict) -> float:
        if key not in self.widgets and "edit_table" in self.widgets:  # the table shows as text until a learner
            await self.click("edit_table")  # asks to edit it, as a person clicks "Edit the table" first
        w = self.widgets[key]
        self.values[w.id] = WidgetState(id=w.id, string_value=json.dumps(edits))
        return await self.rerun(fragment_id=w.fragment_id)

    async def upload(self, key: str, name: str, content: bytes) -> int:
        """What a browser does to upload a file into the uploader ``key``: ask the server for an upload address
        (BackMsg.file_urls_request), PUT the file there (HTTP), then set the widget to name it. Returns the HTTP
        status of the PUT (the widget names the file whatever it was, as a hostile client can)."""
        w = self.widgets[key]
        request = BackMsg()
        request.file_urls_request.request_id = str(uuid.uuid4())
        request.file_urls_request.file_names.append(name)
        request.file_urls_request.session_id = self.session_id
        await self.ws.send(request.SerializeToString())
        while True:
            fm = ForwardMsg()
            fm.ParseFromString(await asyncio.wait_for(self.ws.recv(), timeout=self.timeout))
            if fm.WhichOneof("type") == "file_urls_response":
                urls = fm.file_urls_response.file_urls[0]
                break
        status = await asyncio.to_thread(put_file, self.url + urls.upload_url, name, content, self.cookie or "")
        state = WidgetState(id=w.id)
        info = state.file_uploader_state_value.uploaded_file_info.add()
        info.file_id, info.name, info.size = urls.file_id, name, len(content)
        info.file_urls.CopyFrom(urls)
        self.values[w.id] = state
        await self.rerun(fragment_id=w.fragment_id)
        return status

    async def auto_rerun(self, fragment_id: str) -> float:
        return await self.rerun(fragment_id=fragment_id, auto=True)

    async def send_value(self, key: str, kind: str, value) -> float:
        """Set the widget ``key`` to ``value`` in any field of the protocol ("double_value", "string_value", …), as
        a hostile client can; a component's events field for a live.js component."""
        w = self.widgets[key]
        wid = f"$$STREAMLIT_INTERNAL_KEY_{w.id}__events" if w.kind == "bidi_component" else w.id
        state = WidgetState(id=wid)
        if kind.endswith("array_value"):
            getattr(state, kind).data.extend(value)
        else:
            setattr(state, kind, value)
        return await self.rerun(fragment_id=w.fragment_id, extra=[state])

    async def goto(self, page: str) -> float:
        """Another page of the app, in the same session (as the sidebar's links do)."""
        self.page = page
        return await self.rerun()

    @property
    def replica(self) -> str | None:
        """The replica the balancer pinned this client to (the value of its cookie), if there is a balancer."""
        return self.cookie.partition("=")[2] if self.cookie else None

    @property
    def exceptions(self) -> list[str]:
        return [e.exception.message for e in self.run_elements if e.WhichOneof("type") == "exception"]

    @property
    def messages(self) -> list[str]:
        """The alerts (st.error, st.warning, …) and toasts of the last run, and what its status line said (the last
        action's message: what was done or refused)."""
        said = [getattr(e, e.WhichOneof("type")).body for e in self.run_elements
                if e.WhichOneof("type") in ("alert", "toast")]
        in_run = {id(e) for e in self.run_elements}
        lines = {self.blocks[k] for k in ("status_done", "status_refused") if k in self.blocks}
        for path, e in sorted(self.elements.items()):
            if id(e) in in_run and e.WhichOneof("type") == "markdown" and any(path[: len(p)] == p for p in lines):
                said.append(re.sub(r"^:material/[a-z_]+: ", "", e.markdown.body))
        return said

    def drew(self, key: str) -> bool:
        """Whether the last run drew the keyed widget ``key``."""
        return any(str(getattr(getattr(e, e.WhichOneof("type")), "id", "")).endswith(f"-{key}")
                   for e in self.run_elements)

    async def rerun(self, trigger: str | None = None, fragment_id: str = "", auto: bool = False,
                    extra: list[WidgetState] = ()) -> float:
        msg = self.rerun_message(trigger, fragment_id, auto, extra)
        self.run_elements = []
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        await self._read_run()
        return time.perf_counter() - start

    def rerun_message(self, trigger: str | None = None, fragment_id: str = "", auto: bool = False,
                      extra: list[WidgetState] = ()) -> BackMsg:
        """The request a browser sends for a rerun: every value it holds, and a click's trigger."""
        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.query_string = self.query
        rerun.page_script_hash = ""
        rerun.page_name = self.page
        rerun.fragment_id = fragment_id or ""
        rerun.is_auto_rerun = auto
        for state in self.values.values():
            rerun.widget_states.widgets.append(state)
        if trigger:
            rerun.widget_states.widgets.append(WidgetState(id=trigger, trigger_value=True))
        for state in extra:
            rerun.widget_states.widgets.append(state)
        return msg

    # -- reading -------------------------------------------------------------------------------------------------
    def text_in(self, key: str) -> str:
        """All text inside the keyed container ``key`` (text and markdown bodies, and live.js text components), or of
        the line keyed ``key`` inside a live.js component (the read-outs: epoch, loss_line, weights)."""
        if key not in self.blocks:
            return next(text for data in self.components.values() for k, text in live_lines(data) if k == key) \
                .replace("\u00a0", " ")
        path = self.blocks[key]
        parts = []
        for p, element in sorted(self.elements.items()):
            if p[: len(path)] == path:
                kind = element.WhichOneof("type")
                sub = getattr(element, kind)
                if kind == "bidi_component":
                    parts += [text for _, text in live_lines(json.loads(sub.json or "{}"))]
                else:
                    parts.append(getattr(sub, "body", "") or "")
        return "\n".join(parts).replace("\u00a0", " ")  # (no-break spaces read as the spaces they show)

    async def _read_run(self) -> None:
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), timeout=self.timeout)
            self.received += len(raw)
            self.largest = max(self.largest, len(raw))
            fm = ForwardMsg()
            fm.ParseFromString(raw)
            kind = fm.WhichOneof("type")
            if kind == "delta":
                self._apply(fm)
            elif kind == "new_session":
                self.session_id = fm.new_session.initialize.session_id
            elif kind == "page_info_changed":  # the app set the address bar (st.query_params)
                self.query = fm.page_info_changed.query_string
            elif kind == "auto_rerun":
                self.live_fragment = fm.auto_rerun.fragment_id
                self.timers[fm.auto_rerun.interval] = fm.auto_rerun.fragment_id
            # A run cut short for a rerun (st.rerun, or a newer request) is followed by that rerun: wait on.
            elif kind == "script_finished" and fm.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return

    def _apply(self, fm: ForwardMsg) -> None:
        path = tuple(fm.metadata.delta_path)
        delta = fm.delta
        which = delta.WhichOneof("type")
        if which == "new_element":
            element = delta.new_element
            self.elements[path] = element
            self.run_elements.append(element)
            sub = getattr(element, element.WhichOneof("type"))
            wid = getattr(sub, "id", "")
            if isinstance(wid, str) and wid.startswith("$$ID-"):
                key = wid.rsplit("-", 1)[1]
                self.widgets[key] = Widget(wid, element.WhichOneof("type"), delta.fragment_id,
                                           bool(getattr(sub, "disabled", False)), tuple(getattr(sub, "options", ())))
                if element.WhichOneof("type") == "bidi_component":
                    self.components[key] = json.loads(sub.json or "{}")
        elif which == "add_block":
            block_id = getattr(delta.add_block, "id", "")
            if block_id.startswith("$$ID-"):
                key = block_id.rsplit("-", 1)[1]
                self.blocks[key] = path
                self.widgets.setdefault(key, Widget(block_id, "block", delta.fragment_id))  # tabs hold a value
            # A redrawn block replaces what was inside it.
            for p in [p for p in self.elements if p[: len(path)] == path]:
                del self.elements[p]


def live_lines(data: dict) -> list[tuple[str | None, str]]:
    """(key, text) of each line of text a live.js component shows: its own text, or its read-outs' lines."""
    if data.get("role") == "readouts":
        return [(line["key"], line["text"]) for line in (*data["column"], data["beside"])]
    return [(None, data["text"])] if "text" in data else []


def balancer_cookie(url: str, cookie: str = "", source: str = "") -> str:
    """The balancer's cookie ("replica=r1") that loading the page at ``url`` (from the address ``source``) sets, or
    "" (no balancer)."""
    status, headers, _ = http_get(url, "/", {"Cookie": cookie} if cookie else {}, source)
    if status != 200:
        raise ConnectionError(f"the page answered {status}")
    for value in headers.get_all("Set-Cookie") or []:
        pair = value.split(";", 1)[0].strip()
        if pair.partition("=")[0] == BALANCER_COOKIE:
            return pair
    return cookie


def http_get(url: str, path: str, headers: dict | None = None, source: str = "", timeout: float = 60):
    """(status, headers, body) of GET ``path``, from the loopback address ``source`` if given."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout,
                                            source_address=(source, 0) if source else None)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def cookie_set(address: str, name: str, cookie: str = "") -> str:
    """The cookie ``name`` ("name=value") that loading ``address`` sets, or ""."""
    request = urllib.request.Request(address, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=60) as response:
        for value in response.headers.get_all("Set-Cookie") or []:
            pair = value.split(";", 1)[0].strip()
            if pair.partition("=")[0] == name:
                return pair
    return ""


def put_file(url: str, name: str, content: bytes, cookie: str = "") -> int:
    """PUT a file to Streamlit's upload endpoint as its browser code does (multipart, with the XSRF cookie and
    header); the HTTP status, or 0 when the server closed the connection before the file was sent."""
    base = url.split("/_stcore/", 1)[0]
    xsrf = cookie_set(base + "/_stcore/health", XSRF_COOKIE, cookie)
    token = xsrf.partition("=")[2]
    boundary = uuid.uuid4().hex
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: text/csv\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "X-Xsrftoken": token,
               "Cookie": "; ".join(c for c in (cookie, xsrf) if c)}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, body, headers, method="PUT"), timeout=60) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except (ConnectionError, urllib.error.URLError):
        return 0
