"""A Streamlit client that speaks the browser's websocket protocol, for load and isolation tests.

It connects to /_stcore/stream (subprotocol "streamlit"), sends BackMsg.rerun_script with widget states the way
the browser does (every widget value it has set, plus a one-shot trigger for a click), and reads ForwardMsgs
until script_finished, keeping the elements it was sent by their delta path. Widgets and containers are found
by their keys (a keyed widget's id ends with "-<key>"), as the UI contract promises.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState


@dataclass
class Widget:
    id: str
    kind: str
    fragment_id: str


@dataclass
class AppSession:
    url: str  # http://host:port
    source_address: str | None = None  # a loopback address to connect from (127.0.0.x), for load balancers
    query: str = ""  # the page's query string (e.g. "room=K7Q2XM"), as the browser sends it with every run
    widgets: dict[str, Widget] = field(default_factory=dict)  # by key
    blocks: dict[str, tuple] = field(default_factory=dict)  # keyed container -> its delta path
    elements: dict[tuple, object] = field(default_factory=dict)  # delta path -> Element proto
    components: dict[str, dict] = field(default_factory=dict)  # key -> the data a live.js component was last sent
    values: dict[str, WidgetState] = field(default_factory=dict)  # widget id -> the value we set
    replica: str | None = None  # the X-Replica header of the websocket handshake, behind nginx
    live_fragment: str | None = None  # the fragment the server asked the browser to rerun on a timer (play)
    ws: object = None

    async def open(self) -> float:
        ws_url = self.url.replace("http://", "ws://") + "/_stcore/stream"
        kwargs = {}
        if self.source_address:
            sock = socket.create_connection(_host_port(self.url), source_address=(self.source_address, 0))
            kwargs["sock"] = sock
        self.ws = await websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=60,
                                           ping_interval=None, **kwargs)
        response = getattr(self.ws, "response", None)
        if response is not None:
            self.replica = response.headers.get("X-Replica")
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
        w = self.widgets[key]
        self.values[w.id] = WidgetState(id=w.id, string_value=json.dumps(edits))
        return await self.rerun(fragment_id=w.fragment_id)

    async def auto_rerun(self, fragment_id: str) -> float:
        return await self.rerun(fragment_id=fragment_id, auto=True)

    async def rerun(self, trigger: str | None = None, fragment_id: str = "", auto: bool = False,
                    extra: list[WidgetState] = ()) -> float:
        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.query_string = self.query
        rerun.page_script_hash = ""
        rerun.fragment_id = fragment_id or ""
        rerun.is_auto_rerun = auto
        for state in self.values.values():
            rerun.widget_states.widgets.append(state)
        if trigger:
            rerun.widget_states.widgets.append(WidgetState(id=trigger, trigger_value=True))
        for state in extra:
            rerun.widget_states.widgets.append(state)
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        await self._read_run()
        return time.perf_counter() - start

    # -- reading -------------------------------------------------------------------------------------------------
    def text_in(self, key: str) -> str:
        """All text inside the keyed container ``key`` (text and markdown bodies, and live.js text components)."""
        path = self.blocks[key]
        parts = []
        for p, element in sorted(self.elements.items()):
            if p[: len(path)] == path:
                kind = element.WhichOneof("type")
                sub = getattr(element, kind)
                if kind == "bidi_component":
                    parts.append(json.loads(sub.json or "{}").get("text", ""))
                else:
                    parts.append(getattr(sub, "body", "") or "")
        return "\n".join(parts)

    async def _read_run(self) -> None:
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), timeout=120)
            fm = ForwardMsg()
            fm.ParseFromString(raw)
            kind = fm.WhichOneof("type")
            if kind == "delta":
                self._apply(fm)
            elif kind == "auto_rerun":
                self.live_fragment = fm.auto_rerun.fragment_id
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
            sub = getattr(element, element.WhichOneof("type"))
            wid = getattr(sub, "id", "")
            if isinstance(wid, str) and wid.startswith("$$ID-"):
                key = wid.rsplit("-", 1)[1]
                self.widgets[key] = Widget(wid, element.WhichOneof("type"), delta.fragment_id)
                if element.WhichOneof("type") == "bidi_component":
                    self.components[key] = json.loads(sub.json or "{}")
        elif which == "add_block":
            block_id = getattr(delta.add_block, "id", "")
            if block_id.startswith("$$ID-"):
                self.blocks[block_id.rsplit("-", 1)[1]] = path
            # A redrawn block replaces what was inside it.
            for p in [p for p in self.elements if p[: len(path)] == path]:
                del self.elements[p]


def _host_port(url: str) -> tuple[str, int]:
    host, port = url.split("://", 1)[1].split("/")[0].rsplit(":", 1)
    return host, int(port)
