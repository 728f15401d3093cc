"""What every chart shares: colours, the template, thinning long series, frames for live play, presenter sizes.

Figure builders (training_charts.py, page_charts.py) are pure functions from plain numbers to Plotly figures
(unit-testable; no Streamlit, no pandas).

A figure is Plotly's own JSON form, a dict {"data": [traces], "layout": {...}}, with series as numpy arrays;
live.py sends it to the browser as it is. Every chart keeps its payload small whatever the history's length:
series are thinned to a few hundred points by keeping each stretch's first value plus its min and max.

Traces that follow live play carry ``meta.live`` (see live.js): lines whose x are epochs grow by the frames played
("loss": the frame's loss; "weight": parameter ``meta.param``; "row": row ``meta.row``'s prediction), "to_now"
lines reach the frame's epoch, "weights" bars and "edge_labels" show the frame's parameters (``meta.params``), and
the network diagram's layout.meta.edges names the parameter of each line.
Numbers that a hover shows travel as float64, so that every digit shown is true.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

POSITIVE = "#1d4ed8"  # blue: a weight that pushes the output up
NEGATIVE = "#b91c1c"  # red: a weight that pushes it down (also dashed, so the sign never rests on colour alone)
NEUTRAL = "#475569"
ROW_COLORS = ("#1d4ed8", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0e7490", "#a16207", "#be185d")
MAX_POINTS = 800
# The figures carry their own light style and an empty template: Streamlit's theming would restyle every figure in
# the browser at each update. ticklabeloverflow="allow": Plotly's default measures every tick label again for each
# label it places, a quarter of a live update; our labels never run past the figure anyway.
AXIS = dict(gridcolor="#e2e8f0", zerolinecolor="#94a3b8", linecolor="#cbd5e1", automargin=True,
             ticklabeloverflow="allow")
TEMPLATE = dict(layout=dict(
    font=dict(family="Source Sans, Source Sans Pro, sans-serif", size=13, color="#1e293b"), colorway=list(ROW_COLORS),
    paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)", xaxis=AXIS, yaxis=AXIS))
LAYOUT = dict(margin=dict(l=10, r=10, t=30, b=10), hovermode="x unified",
               legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0), template=TEMPLATE,
               meta=dict(colors=dict(positive=POSITIVE, negative=NEGATIVE)))

Figure = dict  # {"data": [trace dicts], "layout": {...}}, Plotly's JSON schema
# Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the direction marks (U+200E, U+200F, U+061C):
# one of them in a run's name would reverse the rest of the sentence or legend that quotes it.
_DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def without_direction_controls(text) -> str:
    """``text`` without its bidirectional-control characters: a learner's text shown in a chart or a sentence."""
    return _DIRECTION_CONTROLS.sub("", str(text))


@dataclass(frozen=True)
class Frames:
    """A view's numbers at each frame live play shows (its traces with meta.live "frames" follow them, see
    live.js): ``values`` (and ``extra``, if the view needs two series) hold one entry per epoch of ``epochs``."""

    epochs: np.ndarray
    values: list
    extra: list | None = None


def rounded(a) -> list:
    """Per-frame numbers travel in a trace's meta as plain JSON: 9 significant digits say all any hover shows."""
    return [float(f"{v:.9g}") + 0.0 for v in np.ravel(a)]  # + 0.0: never "-0"


def figure(data: list, layout: dict) -> Figure:
    return {"data": data, "layout": layout}


def axis(title: str, **settings) -> dict:
    return dict(title=dict(text=title), **settings)  # plotly.js reads a title only in this form


FEW_EPOCHS = 10  # below this many epochs, the epoch axis ticks every whole epoch


def epoch_axis(title: str, last_epoch: int, **settings) -> dict:
    """An axis of epochs, which are whole numbers: a short run (even one at epoch 0) ticks at 0, 1, 2, …, never at
    0.2 or 0.4. (Live play, which grows a chart past FEW_EPOCHS, lets plotly.js choose the ticks again: live.js.)"""
    if last_epoch < FEW_EPOCHS:
        settings = dict(settings, dtick=1, tick0=0, range=[0, max(last_epoch, 1)])
    return axis(title, tickformat=",d", **settings)


def row_color(i: int) -> str:
    return ROW_COLORS[i % len(ROW_COLORS)]


def thin(epochs, values, lows=None, highs=None, max_points: int = MAX_POINTS):
    """At most ``max_points`` points: groups of consecutive points become (first epoch, first value, min, max). The
    last point stays itself, so that a curve ends where the run is (merged into a group, it ended at the group's
    first epoch: at 24,992 after 25,000 epochs, short of the number above it)."""
    epochs, values = np.asarray(epochs), np.asarray(values, dtype=float)
    lows = values if lows is None else np.asarray(lows, dtype=float)
    highs = values if highs is None else np.asarray(highs, dtype=float)
    n = len(values)
    if n <= max_points:
        return epochs, values, lows, highs
    starts = np.r_[np.arange(0, n - 1, -(-(n - 1) // (max_points - 1))), n - 1]  # the last point: a group alone
    return (epochs[starts], values[starts], np.minimum.reduceat(lows, starts, axis=0),
            np.maximum.reduceat(highs, starts, axis=0))


def floats(a) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.float64).ravel()


def integers(a) -> np.ndarray:
    return np.asarray(a, dtype=np.int32).ravel()  # plotly.js reads 32-bit integers, not 64-bit


def marker_line(epoch: int | None, label: str) -> tuple[list, list]:
    if epoch is None:
        return [], []
    return ([dict(type="line", yref="paper", y0=0, y1=1, x0=epoch, x1=epoch, line=dict(color=NEUTRAL, dash="dot",
                                                                                       width=1.5))],
            [dict(yref="paper", y=1, x=epoch, text=label, showarrow=False, yanchor="bottom")])


PRESENTER_CHART_FONT = 17  # px: chart text to match the page's 20 px type on a projector (charts use 13)


def for_screen(fig: Figure, presenter: bool) -> Figure:
    """In presenter mode, chart text as large as the page's, so that it reads on a projector."""
    if presenter:
        fig = dict(fig, layout=dict(fig["layout"], font=dict(size=PRESENTER_CHART_FONT)))
    return fig
