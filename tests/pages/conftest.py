import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from nn_core import PRESETS, NeuralNetwork, Settings
from playground.state.actions import next_chunk
from playground.state.widgets import SESSION_KEY

# Runs an export must reproduce bit for bit: the article's, a chaotic hidden network, online updates with ReLU, and
# momentum (its velocity carried through the learner's changes).
EXPORTED_RUNS = [Settings(), Settings(hidden=(4,), bias=True, init="random", seed=1, learning_rate=30.0),
                 Settings(hidden=(3,), activation="relu", init="random", seed=2, batch="online"),
                 Settings(hidden=(3,), bias=True, init="random", seed=3, momentum=0.9, learning_rate=0.5)]


def a_run_with_changes(settings: Settings) -> NeuralNetwork:
    """1,020 epochs of ``settings`` with the learner's changes on the way: a new learning rate, a weight set by hand."""
    data = PRESETS["xor" if settings.hidden else "article"]
    net = NeuralNetwork(data.inputs, data.outputs, settings)
    net.train(700)
    net.learning_rate = 0.5 if settings.learning_rate != 30.0 else 25.0
    net.train(300)
    net.set_parameter(0, -0.75)
    net.train(20)
    return net

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def new_app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if query:
        at.query_params.update(query)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def app():
    """The whole app (entry point, navigation, sidebar) at its default page, run once."""
    return new_app()


def session(at):
    return at.session_state[SESSION_KEY]


def finish(at: AppTest) -> AppTest:
    """Live training plays out in the browser, which asks for each next chunk; here the test asks instead."""
    s = session(at)
    while s.player.mode is not None:
        next_chunk(s, shown=s.network.epoch)
    at.run()
    assert not at.exception, at.exception
    return at


def open_settings(at: AppTest) -> AppTest:
    """Open the Playground's network settings, as a click on their heading does: their widgets are drawn only while
    the section is open."""
    at.session_state["settings_open"] = True
    at.run()
    assert not at.exception, at.exception
    return at


def open_page(at: AppTest, path: str) -> AppTest:
    at.switch_page(path)
    at.run()
    assert not at.exception, at.exception
    return at


def shown(markdown: str) -> str:
    """Markdown as a person reads it: backslash escapes (strings.plain) removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def text(at: AppTest) -> str:
    """All the text a person would read: markdown, captions, alerts, metrics, and the live text components."""
    parts = [e.value for e in at.text] + [e.value for e in at.markdown] + [e.value for e in at.caption]
    parts += [str(m.value) for m in at.metric] + [e.value for e in at.info] + [e.value for e in at.error]
    parts += [e.value for e in at.warning] + [e.value for e in at.success] + [d["text"] for d in components(at, "text")]
    return shown("\n".join(parts))


def errors(at: AppTest) -> list[str]:
    return [shown(e.value) for e in at.error]


def components(at, role: str) -> list[dict]:
    """The data sent to the page's live.js components of one role, in page order (the read-outs' lines: texts)."""
    found, stack = [], [at._tree]
    while stack:
        node = stack.pop(0)
        stack[:0] = list(getattr(node, "children", {}).values())
        proto = getattr(node, "proto", None)
        if type(proto).__name__ == "BidiComponent" and proto.json:
            data = json.loads(proto.json)
            data["key"] = proto.id.rsplit("-", 1)[1]
            lines = [*data["column"], data["beside"]] if data.get("role") == "readouts" else []  # (texts, each keyed)
            found += [d for d in (data, *lines) if d.get("role") == role]
    return found


def live_figures(at) -> dict:
    """The figures the page's charts were sent, by the chart's key."""
    return {c["key"]: json.loads(c["figure"]) for c in components(at, "chart")}


def address(at) -> str:
    """The run's link in the page's address (?s=…): what a reload reopens and the share link shows."""
    value = at.query_params["s"]
    return value[0] if isinstance(value, list) else value


def live_text(at, kind: str) -> str:
    """The text a live read-out shows (its no-break spaces, which keep "w₁ = 0.5" on one line, read as spaces)."""
    return next(c["text"] for c in components(at, "text") if c["kind"] == kind).replace("\u00a0", " ")


def keyed(at, key: str):
    """The container drawn with ``key`` (st.container(key=...)), or None."""
    stack = [at._tree]
    while stack:
        node = stack.pop()
        proto = getattr(node, "proto", None)
        if type(proto).__name__ == "Block" and proto.id.endswith(f"-{key}"):
            return node
        stack.extend(getattr(node, "children", {}).values())
    return None


def place(at, key: str) -> tuple[int, ...] | None:
    """Where the keyed container ``key`` sits on the page: its place in the main area's tree of elements (the index
    of each element on the way down). The browser knows an element by its place; an element that moved is drawn
    afresh, charts and all."""
    stack = [((), at.main)]
    while stack:
        path, node = stack.pop()
        proto = getattr(node, "proto", None)
        if type(proto).__name__ == "Block" and proto.id.endswith(f"-{key}"):
            return path
        stack.extend((path + (i,), child) for i, child in getattr(node, "children", {}).items())
    return None


def status(at) -> str:
    """The status line as a person reads it: what the last action did or refused, else how the run stands."""
    node = keyed(at, "status")
    if node is None:
        return ""
    parts, stack = [], [node]
    while stack:
        n = stack.pop(0)
        stack[:0] = list(getattr(n, "children", {}).values())
        if type(n).__name__ == "Markdown":
            parts.append(n.value)
    return shown(re.sub(r":material/[a-z_]+: ", "", " ".join(parts)).replace("&nbsp;", "").strip())
