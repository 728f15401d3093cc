"""The spread of a room's answers to a question (rooms/poll.py): a bar per bin, and once revealed, the network's own
value marked among them. Pure: numbers in, Plotly JSON out."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .plot import LAYOUT, NEGATIVE, NEUTRAL, POSITIVE, Figure, axis, figure, floats


def answers_figure(edges, counts, *, x_title: str, y_title: str, truth: float | None = None, truth_label: str = "",
                   categories: Sequence[str] | None = None, truth_bin: int | None = None) -> Figure:
    """Bars of ``counts`` over the bins ``edges``; with ``categories`` (a yes/no question) one bar per category
    instead, the true one (``truth_bin``) in another colour and striped (not colour alone). ``truth``: a number
    question's revealed value, a dashed line labelled ``truth_label``."""
    counts = np.asarray(counts, dtype=float)
    shapes, annotations = [], []
    if categories is not None:
        right = [i == truth_bin for i in range(len(categories))]
        bar = dict(type="bar", x=list(categories), y=floats(counts), text=[f"{int(c)}" for c in counts],
                   textposition="outside", cliponaxis=False, hovertemplate="%{x}: %{y}<extra></extra>",
                   marker=dict(color=[NEGATIVE if r else POSITIVE for r in right],
                               pattern=dict(shape=["/" if r else "" for r in right])))
        x = axis(x_title, type="category")
        if truth_bin is not None:
            annotations.append(dict(x=categories[truth_bin], y=1, yref="paper", text=truth_label, showarrow=False,
                                    yanchor="bottom", font=dict(color=NEGATIVE)))
    else:
        edges = np.asarray(edges, dtype=float)
        centres = (edges[:-1] + edges[1:]) / 2
        bar = dict(type="bar", x=floats(centres), y=floats(counts), width=floats(np.diff(edges) * 0.92),
                   text=[f"{int(c)}" if c else "" for c in counts], textposition="outside", cliponaxis=False,
                   marker=dict(color=POSITIVE), hovertemplate="%{x:.3g}: %{y}<extra></extra>")
        x = axis(x_title, range=[float(edges[0]), float(edges[-1])], zeroline=False)
        if truth is not None:
            shapes.append(dict(type="line", yref="paper", y0=0, y1=1, x0=truth, x1=truth,
                               line=dict(color=NEGATIVE, dash="dash", width=3)))
            annotations.append(dict(x=truth, y=1, yref="paper", text=truth_label, showarrow=False, yanchor="bottom",
                                    font=dict(color=NEGATIVE)))
    top = max(float(counts.max()) if counts.size else 0.0, 1.0)
    return figure([bar], dict(LAYOUT, hovermode="closest", shapes=shapes, annotations=annotations, bargap=0.05,
                              margin=dict(l=10, r=10, t=28, b=10), xaxis=x,
                              yaxis=axis(y_title, range=[0, top * 1.25], dtick=max(1, int(np.ceil(top / 5))),
                                         zerolinecolor=NEUTRAL)))
