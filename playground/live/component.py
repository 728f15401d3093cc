"""The Python side of static/live.js: charts drawn and updated in place, text that follows live play, and the player.

``st.plotly_chart`` identifies a chart by its figure, so every new figure is a new element and the browser rebuilds
the graph; it also loads the full 4.7 MB plotly.js. Here a small component (custom components v2) with a stable
key builds each graph once and applies every new figure with ``Plotly.react``, loading only the bundle the figure
needs from ``static/`` (see static/README.md): "basic" (scatter and bar: the Playground and most charts),
"cartesian" (heat maps and contours: Experiments) or "gl3d" (the cube on Predict).
Figures are figures.py's dicts, sent as JSON with numpy arrays as plotly.js's base64 typed arrays.
"""

from __future__ import annotations

import base64
import json
import math
import time

import numpy as np
import streamlit as st

from ..strings import t
from ..views.plot import Figure
from .assets import BUNDLES, LIVE_JS, static_url
from .player import PULL_SECONDS, Chunk

GL3D_TRACES = {"scatter3d", "surface", "mesh3d"}
CARTESIAN_TRACES = {"heatmap", "contour", "histogram", "box", "violin"}
CONFIG = {"displayModeBar": False}
CHART_HEIGHT = "max(300px, 42vh)"  # charts grow with the window

# The component's own JavaScript is this loader, and the real code is static/live.js, imported once per page: an
# element carries its JavaScript in every message that draws it, and the read-outs are redrawn at every step (so the
# loader's comments are here, not in it).
# - The page's element asks the browser for plotly.js at once, while live.js itself is on its way (live.js then loads
#   it from the browser's preload: one round trip and one wait for the page's busy main thread fewer).
# - live.js by an absolute URL: the loader itself runs from a blob: URL, against which a path does not resolve.
LOADER = """
export default function (args) {
  for (const url of Object.values(args.data.preload || {})) {
    const href = new URL(url, window.location.href).href;
    if (document.querySelector(`link[rel="preload"][href="${href}"]`)) continue;
    const link = Object.assign(document.createElement("link"), { rel: "preload", as: "script", href });
    link.fetchPriority = "high";
    document.head.appendChild(link);
  }
  window.__playgroundModule ??= import(new URL(args.data.module_url, window.location.href).href);
  const cleanup = {};
  window.__playgroundModule.then((module) => { cleanup.run = module.default(args); });
  return () => cleanup.run?.();
}
"""
COMPONENT = "playground.live"  # (given JSON-ready data only: server.internals.components_given_json)
_live = st.components.v2.component(
    COMPONENT, js=LOADER,
    isolate_styles=False)  # Plotly styles its graphs through the page's own stylesheet: no shadow root


def _component(*, key: str, data: dict, **options):
    """One element of live.js (data["role"] says which), told where to load live.js from."""
    return _live(key=key, data={**data, "module_url": static_url(LIVE_JS)}, **options)

# numpy dtypes plotly.js reads as typed arrays (little-endian), by plotly.js's names
_TYPED = {np.dtype(f"<{code}"): code for code in ("f4", "f8", "i1", "u1", "i2", "u2", "i4", "u4")}


def _typed_array(value):
    """json.dumps' fallback: numpy arrays as {"dtype", "bdata"[, "shape"]} (what plotly.js decodes), scalars
    as numbers."""
    if isinstance(value, np.ndarray):
        code = _TYPED.get(value.dtype)
        if code is None:  # e.g. int64, which plotly.js has no typed array for
            return value.tolist()
        spec = {"dtype": code, "bdata": base64.b64encode(np.ascontiguousarray(value).tobytes()).decode()}
        if value.ndim > 1:
            spec["shape"] = ",".join(map(str, value.shape))
        return spec
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _finite(value):
    """NaN and ±inf as null, as plotly.js expects: JSON has no such numbers. (Inside a typed array they are plain
    IEEE bytes, which plotly.js draws as gaps: those stay.)"""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def figure_json(fig: Figure) -> str:
    """The figure as compact JSON for plotly.js."""
    try:
        return json.dumps(fig, default=_typed_array, separators=(",", ":"), allow_nan=False)
    except ValueError:  # a NaN or an infinity somewhere: rare, so only then walk the whole figure
        return json.dumps(_finite(fig), default=_typed_array, separators=(",", ":"), allow_nan=False)


def bundle_of(fig: Figure) -> str:
    """The smallest plotly.js bundle that draws every trace of ``fig``."""
    types = {trace.get("type", "scatter") for trace in fig["data"]}
    return "gl3d" if types & GL3D_TRACES else "cartesian" if types & CARTESIAN_TRACES else "basic"


def chart(fig: Figure, *, key: str, height: str = CHART_HEIGHT, label: str = "", live: dict | None = None,
          on_select=None, fit: dict | None = None) -> None:
    """Draw ``fig`` full width; later calls with the same ``key`` update the same graph in place. ``label`` is the
    chart's text alternative (read by screen readers); a line above the chart opens its data as a table.
    ``live``: the chart follows the player's frames (live.js): {"loss_index", "epoch" (the epoch the figure shows)}.
    ``on_select``: called when a point of a trace with meta.select is clicked; the widget ``key`` then holds
    {"select": the point's first customdata}, as the browser sent it (to be checked).
    ``fit``: the chart takes the height the first screen leaves it instead (live.js fitToScreen): {"min", "max" (px),
    "below" (a selector of what must be seen under it), "within" (the selector of the column it lives in)}."""
    bundle = bundle_of(fig)
    callbacks = {} if on_select is None else {"on_select_change": on_select}
    _component(key=key, width="stretch", data={
        "role": "chart", "figure": figure_json(fig), "height": height,
        "config": CONFIG, "label": label,
        "bundle": bundle, "plotly_url": static_url(BUNDLES[bundle]), "failed_text": t("pg.chart_failed"),
        "live": live, "select": on_select is not None, "table_label": t("alt.table"), "fit": fit}, **callbacks)


def scroll_to(selector: str, request: str, block: str = "start") -> None:
    """Bring the element ``selector`` finds into view, once per ``request`` (a new request scrolls again)."""
    _component(key="scroll", data={"role": "scroll", "target": selector, "request": request, "block": block})


def readouts(*, key: str, column: list[dict], beside: dict) -> None:
    """Lines of text that show the server's ``text`` and, while live training plays, the frame's own numbers, in one
    element: ``column`` one under the other, ``beside`` next to them. Each line: its ``key`` (its box is classed
    st-key-<key>), its ``kind`` and details: "epoch" (prefix), "weights" (names; tables, values, label with a hidden
    layer), "loss" (prefix, suffix, loss_index)."""
    _component(key=key, width="stretch", data={"role": "readouts", "beside": {"role": "text", **beside},
                                               "column": [{"role": "text", **text} for text in column]})


def player(*, key: str, mode: str | None, chunk: Chunk | None, ahead: Chunk | None, ahead_for: dict,
           disabled: bool, on_play, on_stop, on_need, on_key, width: int | str = "stretch") -> None:
    """The Play/Stop control, which also plays live training out in the browser (see live.js). ``ahead``: the next
    Step's frames, shown at the click of Step (or its key) while the server makes it; ``ahead_for``: the step size's
    label and the learning rate they were trained with, as the page shows them, and how many of the browser's
    requests this run has seen ("seen"). ``drawn`` makes every run's player a new one, for the browser to judge."""
    _component(key=key, width=width, data={
        "role": "player", "mode": mode, "chunk": chunk_json(chunk), "ahead": chunk_json(ahead),
        "ahead_for": ahead_for, "drawn": time.monotonic_ns(),
        "disabled": disabled,
        "play_label": t("pg.play"), "stop_label": t("pg.stop"), "pull_seconds": PULL_SECONDS},
        on_play_change=on_play, on_stop_change=on_stop, on_need_change=on_need, on_key_change=on_key)


def follow(*, key: str, relay: dict | None) -> None:
    """A room's frames for this page's player to play (live.js "follow"): {"version", "chunk", "delay" (seconds
    until the presenter's screen shows the first frame)}; None once the page shows the room's run itself."""
    _component(key=key, data={"role": "follow", "relay": relay})


def chunk_json(chunk: Chunk | None) -> dict | None:
    if chunk is None:
        return None
    encode = lambda a, dtype: _typed_array(np.ascontiguousarray(a, dtype=dtype).ravel())
    return {"number": chunk.number, "epochs": encode(chunk.epochs, "<i4"), "params": encode(chunk.params, "<f8"),
            "losses": encode(chunk.losses, "<f8"), "predictions": encode(chunk.predictions, "<f8"),
            "seconds_per_frame": chunk.seconds_per_frame,
            "more": chunk.more, "replace": chunk.replace}


def share_link(*, key: str, label: str, copy_label: str, copied_label: str) -> None:
    """The page's own address, on one line that scrolls sideways, with a copy button: it always holds the run."""
    _component(key=key, width="stretch", data={"role": "link", "link_label": label, "copy_label": copy_label,
                                               "copied_label": copied_label})


def page_setup(*, style: str, close_sidebar: int | None = None) -> None:
    """Once at the top of every page, its first element: the page's style sheet, start loading plotly.js's basic
    bundle (so that it loads while the rest of the page does), keyboard shortcuts, sidebar manners.
    ``close_sidebar``: a number that changes each time the sidebar should close (presenter mode turned on)."""
    _component(key="page_setup", data={"role": "page", "style": style,
                                       "preload": {"basic": static_url(BUNDLES["basic"])},
                                       "close_sidebar": close_sidebar})
