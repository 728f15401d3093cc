"""Charts that update in place, for the Playground's views, which change at every tick of live play.

``st.plotly_chart`` identifies a chart by its figure, so every new figure is a new element: the browser throws
the graph away and builds another, most of a live update's cost. ``live_plot`` is a small Streamlit component
(custom components v2) with a stable key: the browser builds the graph once and applies each new figure with
``Plotly.react``. It draws the same figure dicts as the other pages (figures.py), sent as JSON with their numpy
arrays as Plotly's base64 typed arrays.

Plotly.js comes from ``static/`` (Streamlit's static file serving): the basic bundle (scatter and bar, all the
Playground draws) of the very plotly.js version the plotly package writes figures for. See static/README.md.
"""

from __future__ import annotations

import base64
import json
import math
from pathlib import Path

import numpy as np
import streamlit as st

from .figures import Figure
from .strings import t

STATIC = Path(__file__).resolve().parents[1] / "static"
PLOTLY_FILE = "plotly-basic.min.js"
CONFIG = {"displayModeBar": False}  # the graph follows its column itself (live_plot.js)
PRELOAD_KEY = "plotly_preload"

_component = st.components.v2.component(
    "playground.live_plot", js=Path(__file__).with_name("live_plot.js").read_text(encoding="utf-8"),
    css=f".st-key-{PRELOAD_KEY} {{ display: none; }}",
    isolate_styles=False)  # Plotly styles its graphs through the page's own stylesheet: no shadow root

# numpy dtypes plotly.js reads as typed arrays (little-endian), by Plotly's names
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
    """NaN and ±inf as null, as plotly.js expects: JSON has no such numbers. (Inside a typed array they are
    plain IEEE bytes, which plotly.js reads as gaps: those stay.)"""
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


def plotly_url() -> str:
    """Where Streamlit serves the bundle, under the app's base path if it has one."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/app/static/{PLOTLY_FILE}" if base else f"/app/static/{PLOTLY_FILE}"


def live_plot(fig: Figure, *, key: str) -> None:
    """Draw ``fig`` full width; later calls with the same ``key`` update the same graph in place."""
    _component(key=key, width="stretch", data={
        "figure": figure_json(fig), "height": fig["layout"].get("height", 320), "config": CONFIG,
        "plotly_url": plotly_url(), "failed_text": t("pg.chart_failed")})


def preload() -> None:
    """Start loading Plotly.js in the browser now, before a chart needs it (an element that shows nothing)."""
    _component(key=PRELOAD_KEY, data={"preload_only": True, "plotly_url": plotly_url()})
