"""The files of static/ that the charts load (plotly.js's bundles, live.js) and where Streamlit serves them.

Free of side effects, so that serve.py can name them before any page runs."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

STATIC = Path(__file__).resolve().parents[2] / "static"
BUNDLES = {"basic": "plotly-basic.min.js", "cartesian": "plotly-cartesian.min.js", "gl3d": "plotly-gl3d.min.js"}
LIVE_JS = "live.js"


def static_url(file: str) -> str:
    """Where Streamlit serves a file of static/, under the app's base path if it has one."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/app/static/{file}" if base else f"/app/static/{file}"
