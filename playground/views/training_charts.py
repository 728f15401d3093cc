"""The Playground's charts, and the Backprop page's: the loss curve, the weights, the network diagram, the weights'
trajectories, each row's prediction, each row's share of the update. Pure: numbers in, Plotly JSON out."""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np

from .numbers import weight_text
from .plot import (
    LAYOUT,
    NEGATIVE,
    NEUTRAL,
    POSITIVE,
    ROW_COLORS,
    Figure,
    Frames,
    axis,
    epoch_axis,
    figure,
    floats,
    integers,
    marker_line,
    rounded,
    row_color,
    thin,
)


def loss_figure(epochs, values, lows=None, highs=None, *, y_title: str, x_title: str, log_y: bool = False,
                floor: float | None = None, floor_label: str = "", marker_epoch: int | None = None,
                marker_label: str = "", band_label: str = "", uirevision=None) -> Figure:
    """The loss curve: a line (hover shows epoch and loss), the min–max range where points were merged, the floor."""
    e, v, lo, hi = thin(epochs, values, lows, highs)
    traces = []
    if len(v) and np.any(hi - lo > 1e-12):  # merged points: draw the range they span, as a band
        band = dict(type="scatter", mode="lines", line=dict(width=0), hoverinfo="skip")
        traces.append(dict(band, x=integers(e), y=floats(lo), showlegend=False))
        traces.append(dict(band, x=integers(e), y=floats(hi), fill="tonexty", fillcolor="rgba(29,78,216,0.16)",
                           name=band_label, showlegend=bool(band_label)))
    traces.append(dict(type="scatter", x=integers(e), y=floats(v), mode="lines" if len(v) > 2 else "lines+markers",
                       name=y_title, line=dict(color=POSITIVE, width=2.5), showlegend=False, meta=dict(live="loss"),
                       hovertemplate=f"{x_title} %{{x:,}}<br>{y_title} %{{y:.6f}}<extra></extra>"))
    shapes, annotations = marker_line(marker_epoch, marker_label)
    if floor is not None:
        shapes.append(dict(type="line", xref="paper", x0=0, x1=1, y0=floor, y1=floor,
                           line=dict(color=NEGATIVE, dash="dash", width=1.5)))
        annotations.append(dict(xref="paper", x=1, y=floor, text=floor_label, showarrow=False, xanchor="right",
                                yanchor="top" if log_y else "bottom", font=dict(color=NEGATIVE)))
    layout = dict(LAYOUT, shapes=shapes, annotations=annotations, uirevision=uirevision,
                  legend=dict(x=1, xanchor="right", y=1, yanchor="top", bgcolor="rgba(255,255,255,0.8)"),
                  margin=dict(l=10, r=10, t=10, b=10),
                  xaxis=epoch_axis(x_title, int(e[-1]) if len(e) else 0, rangemode="tozero"),
                  yaxis=axis(y_title, type="log" if log_y else "linear"))
    return figure(traces, layout)


def weights_figure(names: Sequence[str], values, *, y_title: str, uirevision=None) -> Figure:
    """One bar per parameter, blue when positive, red when negative, each labelled with its value."""
    values = np.asarray(values, dtype=float)
    bar = dict(type="bar", x=list(names), y=floats(values), meta=dict(live="weights", params=list(range(len(values)))),
               marker=dict(color=[POSITIVE if v >= 0 else NEGATIVE for v in values]),
               text=[f"{v:.4f}" for v in values], textposition="outside", cliponaxis=False,
               hovertemplate="%{x}: %{y:.6f}<extra></extra>")
    return figure([bar], dict(LAYOUT, hovermode="closest", uirevision=uirevision,
                               yaxis=axis(y_title, zeroline=True)))


def network_figure(sizes: Sequence[int], weights: Sequence[np.ndarray], biases: Sequence[np.ndarray | None],
                   input_names: Sequence[str], weight_params: Sequence[int], *, updates=None,
                   edge_names: Sequence[str] = (), hover: str = "", frames: Frames | None = None) -> Figure:
    """The network as circles and lines: each line's colour (and dash) is its weight's sign, its width its size.
    ``weight_params``: the parameter index of each weight, in the order the lines are drawn (layer by layer).

    With ``updates`` (each weight's next update, in the same order) every line answers questions: an invisible
    marker at its middle shows ``hover`` (a hover template reading the line's name as %{text} and customdata
    [parameter, weight, update]) and can be clicked (meta.select: live.js then sends the parameter). ``frames``
    (epochs, each frame's weights and updates, in the same order) keep the hover true while live play runs."""
    n_layers = len(sizes)
    xs = np.linspace(0, 1, n_layers)
    pos = [[(xs[k], (j + 0.5) / n - 0.5) for j in range(n)] for k, n in enumerate(sizes)]
    biggest = max((float(np.abs(w).max()) for w in weights if w.size), default=1.0) or 1.0
    shapes, labels = [], []
    for k, w in enumerate(weights):
        for i in range(w.shape[0]):
            for j in range(w.shape[1]):
                (x0, y0), (x1, y1) = pos[k][i], pos[k + 1][j]
                v = float(w[i, j])
                shapes.append(dict(type="line", x0=x0, y0=y0, x1=x1, y1=y1, layer="below",
                                   line=dict(color=POSITIVE if v >= 0 else NEGATIVE, dash="solid" if v >= 0 else "dash",
                                             width=0.5 + 9 * abs(v) / biggest)))
                if len(weights) == 1:  # few enough lines to label each one
                    labels.append((x0 * 0.72 + x1 * 0.28, y0 * 0.72 + y1 * 0.28, weight_text(v, 3)))  # near the input
    node_x, node_y, texts, colors = [], [], [], []
    for k, layer in enumerate(pos):
        for j, (x, y) in enumerate(layer):
            node_x.append(x)
            node_y.append(y)
            texts.append(input_names[j] if k == 0 else "ŷ" if k == n_layers - 1 else f"h{j + 1}")
            b = biases[k - 1] if k and biases and biases[k - 1] is not None else None
            colors.append("#f8fafc" if b is None else (POSITIVE if b[j] >= 0 else NEGATIVE))
    nodes = dict(type="scatter", x=node_x, y=node_y, mode="markers+text", text=texts, textposition="middle center",
                 marker=dict(size=38, color=colors, line=dict(color="#0f172a", width=2)), hoverinfo="text",
                 textfont=dict(size=14, color="#0f172a"), showlegend=False)
    edge_labels = dict(type="scatter", x=[p[0] for p in labels], y=[p[1] for p in labels], mode="text",
                       text=[p[2] for p in labels], textfont=dict(size=13), hoverinfo="skip", showlegend=False,
                       meta=dict(live="edge_labels", params=list(weight_params) if labels else []))
    traces = [nodes, edge_labels]
    if updates is not None:
        values = np.concatenate([np.asarray(w, dtype=float).ravel() for w in weights])
        middles = [((sh["x0"] + sh["x1"]) / 2, (sh["y0"] + sh["y1"]) / 2) for sh in shapes]
        answers = dict(type="scatter", x=[m[0] for m in middles], y=[m[1] for m in middles], mode="markers",
                       marker=dict(size=22, color="rgba(0,0,0,0)"), text=list(edge_names), hovertemplate=hover,
                       customdata=_edge_data(weight_params, values, updates), showlegend=False, meta=dict(select=True))
        if frames is not None:
            answers["meta"].update(live="frames", epochs=[int(e) for e in frames.epochs], frames={"customdata": [
                _edge_data(weight_params, w, u) for w, u in zip(frames.values, frames.extra)]})
        traces.append(answers)
    axis = dict(visible=False, range=[-0.12, 1.12], fixedrange=True)
    meta = dict(LAYOUT["meta"], edges=list(weight_params))
    return figure(traces, dict(LAYOUT, shapes=shapes, hovermode="closest", xaxis=axis, meta=meta,
                                yaxis=dict(visible=False, range=[-0.6, 0.6], fixedrange=True)))


def _edge_data(params: Sequence[int], weights, updates) -> list[list[float]]:
    """[parameter, weight, update] per line: what its hover shows and its click sends (plain numbers: JSON)."""
    return [[int(p), float(w), float(u)] for p, w, u in zip(params, np.ravel(weights), np.ravel(updates))]


def trajectories_figure(epochs, params, names: Sequence[str], *, x_title: str, y_title: str, max_lines: int = 16,
                        note: str = "", marker_epoch: int | None = None, marker_label: str = "",
                        uirevision=None) -> Figure:
    """Each weight's value over the epochs (the first ``max_lines`` weights)."""
    params = np.asarray(params, dtype=float)
    traces = []
    for i in range(min(params.shape[1], max_lines)):
        e, v, _, _ = thin(epochs, params[:, i], max_points=300)
        traces.append(dict(type="scatter", x=integers(e), y=floats(v), mode="lines", name=names[i],
                           meta=dict(live="weight", param=i), hovertemplate=f"{names[i]} %{{y:.4f}}<extra></extra>"))
    shapes, annotations = marker_line(marker_epoch, marker_label)
    return figure(traces, dict(LAYOUT, shapes=shapes, annotations=annotations, uirevision=uirevision,
                                title=dict(text=note, font=dict(size=12)), yaxis=axis(y_title),
                                xaxis=epoch_axis(x_title, int(np.max(epochs)) if len(epochs) else 0)))


def rows_figure(epochs, predictions, labels: Sequence[str], targets, *, x_title: str, y_title: str,
                marker_epoch: int | None = None, marker_label: str = "", uirevision=None) -> Figure:
    """Each training row's prediction ŷ over the epochs, with its target as a faint dashed line."""
    predictions = np.asarray(predictions, dtype=float)
    traces = []
    for i in range(min(predictions.shape[1], len(ROW_COLORS))):
        e, v, _, _ = thin(epochs, predictions[:, i], max_points=300)
        color = row_color(i)
        traces.append(dict(type="scatter", x=integers(e), y=floats(v), mode="lines", name=labels[i],
                           line=dict(color=color), meta=dict(live="row", row=i),
                           hovertemplate=f"{labels[i]}: %{{y:.4f}}<extra></extra>"))
        traces.append(dict(type="scatter", x=[int(e[0]), int(e[-1])], y=[float(targets[i])] * 2, mode="lines",
                           line=dict(color=color, dash="dash", width=1), opacity=0.5, showlegend=False,
                           hoverinfo="skip", meta=dict(live="to_now")))
    shapes, annotations = marker_line(marker_epoch, marker_label)
    return figure(traces, dict(LAYOUT, shapes=shapes, annotations=annotations, uirevision=uirevision,
                                xaxis=epoch_axis(x_title, int(np.max(epochs)) if len(epochs) else 0),
                                yaxis=axis(y_title, range=[-0.05, 1.05])))


def contributions_figure(names: Sequence[str], values, *, total_label: str, y_title: str) -> Figure:
    """Bars of each input × weight (and the bias), then their sum z."""
    values = np.asarray(values, dtype=float)
    total = float(values.sum())
    bars = dict(type="bar", x=[*names, total_label], y=floats(np.r_[values, total]),
                marker=dict(color=[POSITIVE if v >= 0 else NEGATIVE for v in values] + [NEUTRAL]),
                text=[f"{v:.4f}" for v in np.r_[values, total]], textposition="outside", cliponaxis=False,
                hovertemplate="%{x}: %{y:.6f}<extra></extra>")
    return figure([bars], dict(LAYOUT, hovermode="closest", yaxis=axis(y_title, zeroline=True)))


MAX_ROW_BARS = 12  # rows drawn each in its own colour; the others are summed into one grey bar


def shares_figure(names: Sequence[str], shares, row_labels: Sequence[str], *, y_title: str, total_label: str,
                  others_label: str = "", short_labels: Sequence[str] | None = None, frames: Frames | None = None,
                  uirevision=None) -> Figure:
    """Each training row's part of every parameter's update (shares: rows × parameters), stacked, in the rows'
    colours, with their sum (the update itself, Xᵀ·delta) as a marker. Rows past MAX_ROW_BARS are summed into one
    bar. The legend names rows by ``short_labels`` (so that it stays small on a phone), the hover by ``row_labels``.
    ``frames`` make the bars follow live play: per frame, the shares of the rows drawn on their own (``own_rows``)
    as ``values`` and the whole update as ``extra`` (the other rows' bar is what is left of it)."""
    shares = np.asarray(shares, dtype=float) + 0.0  # + 0.0: a row with input 0 adds 0, never "-0"
    own = own_rows(len(shares))
    totals = shares.sum(axis=0)
    per_frame = None
    if frames is not None:
        per_frame = [(np.asarray(v), np.asarray(u)) for v, u in zip(frames.values, frames.extra)]
    traces = []
    for r in [*own, None]:  # None: the other rows, together
        if r is None and len(own) == len(shares):
            break
        name = others_label if r is None else html.escape(row_labels[r])
        short = others_label if r is None else html.escape((short_labels or row_labels)[r])
        values = totals - shares[own].sum(axis=0) if r is None else shares[r]
        bar = dict(type="bar", x=list(names), y=floats(values), name=short,
                   marker=dict(color="#94a3b8" if r is None else row_color(r)),
                   hovertemplate=f"{name}: %{{y:+.6f}}<extra></extra>")
        if per_frame is not None:
            bar["meta"] = dict(live="frames", epochs=[int(e) for e in frames.epochs], frames={"y": [
                rounded(u - v.sum(axis=0) if r is None else v[own.index(r)]) for v, u in per_frame]})
        traces.append(bar)
    total = dict(type="scatter", x=list(names), y=floats(totals), mode="markers+text", name=total_label,
                 text=[f"{v:+.4f}" for v in totals] if len(names) <= 8 else None, textposition="top center",
                 cliponaxis=False, marker=dict(symbol="diamond", size=11, color="#0f172a"),
                 hovertemplate="%{fullData.name}: %{y:+.6f}<extra></extra>")
    if per_frame is not None:
        total["meta"] = dict(live="frames", epochs=[int(e) for e in frames.epochs], frames={
            "y": [rounded(u) for _, u in per_frame], **({"text": [[f"{x:+.4f}" for x in u] for _, u in per_frame]}
                                                         if len(names) <= 8 else {})})
    traces.append(total)
    return figure(traces, dict(LAYOUT, barmode="relative", hovermode="x unified", uirevision=uirevision,
                                yaxis=axis(y_title, zeroline=True)))


def own_rows(n_rows: int) -> list[int]:
    """The rows ``shares_figure`` draws each in its own colour: all of them, or the first few and the rest as one."""
    return list(range(n_rows if n_rows <= MAX_ROW_BARS else MAX_ROW_BARS - 1))
