"""Figure builders: pure functions from plain numbers to Plotly figures (unit-testable; no Streamlit, no pandas).

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

import html
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nn_core import activate

from .strings import without_direction_controls

POSITIVE = "#1d4ed8"  # blue: a weight that pushes the output up
NEGATIVE = "#b91c1c"  # red: a weight that pushes it down (also dashed, so the sign never rests on colour alone)
NEUTRAL = "#475569"
ROW_COLORS = ("#1d4ed8", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0e7490", "#a16207", "#be185d")
MAX_POINTS = 800
# The figures carry their own light style and an empty template: Streamlit's theming would restyle every figure in
# the browser at each update. ticklabeloverflow="allow": Plotly's default measures every tick label again for each
# label it places, a quarter of a live update; our labels never run past the figure anyway.
_AXIS = dict(gridcolor="#e2e8f0", zerolinecolor="#94a3b8", linecolor="#cbd5e1", automargin=True,
             ticklabeloverflow="allow")
TEMPLATE = dict(layout=dict(
    font=dict(family="Source Sans, Source Sans Pro, sans-serif", size=13, color="#1e293b"), colorway=list(ROW_COLORS),
    paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)", xaxis=_AXIS, yaxis=_AXIS))
_LAYOUT = dict(margin=dict(l=10, r=10, t=30, b=10), hovermode="x unified",
               legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0), template=TEMPLATE,
               meta=dict(colors=dict(positive=POSITIVE, negative=NEGATIVE)))

Figure = dict  # {"data": [trace dicts], "layout": {...}}, Plotly's JSON schema


@dataclass(frozen=True)
class Frames:
    """A view's numbers at each frame live play shows (its traces with meta.live "frames" follow them, see
    live.js): ``values`` (and ``extra``, if the view needs two series) hold one entry per epoch of ``epochs``."""

    epochs: np.ndarray
    values: list
    extra: list | None = None


def _rounded(a) -> list:
    """Per-frame numbers travel in a trace's meta as plain JSON: 9 significant digits say all any hover shows."""
    return [float(f"{v:.9g}") + 0.0 for v in np.ravel(a)]  # + 0.0: never "-0"


def _figure(data: list, layout: dict) -> Figure:
    return {"data": data, "layout": layout}


def _axis(title: str, **settings) -> dict:
    return dict(title=dict(text=title), **settings)  # plotly.js reads a title only in this form


def row_color(i: int) -> str:
    return ROW_COLORS[i % len(ROW_COLORS)]


def thin(epochs, values, lows=None, highs=None, max_points: int = MAX_POINTS):
    """At most ``max_points`` points: groups of consecutive points become (first epoch, first value, min, max)."""
    epochs, values = np.asarray(epochs), np.asarray(values, dtype=float)
    lows = values if lows is None else np.asarray(lows, dtype=float)
    highs = values if highs is None else np.asarray(highs, dtype=float)
    n = len(values)
    if n <= max_points:
        return epochs, values, lows, highs
    starts = np.arange(0, n, -(-n // max_points))
    return (epochs[starts], values[starts], np.minimum.reduceat(lows, starts, axis=0),
            np.maximum.reduceat(highs, starts, axis=0))


def _values(a) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.float64).ravel()


def _epochs(a) -> np.ndarray:
    return np.asarray(a, dtype=np.int32).ravel()  # plotly.js reads 32-bit integers, not 64-bit


def _marker_line(epoch: int | None, label: str) -> tuple[list, list]:
    if epoch is None:
        return [], []
    return ([dict(type="line", yref="paper", y0=0, y1=1, x0=epoch, x1=epoch, line=dict(color=NEUTRAL, dash="dot",
                                                                                       width=1.5))],
            [dict(yref="paper", y=1, x=epoch, text=label, showarrow=False, yanchor="bottom")])


def loss_figure(epochs, values, lows=None, highs=None, *, y_title: str, x_title: str, log_y: bool = False,
                floor: float | None = None, floor_label: str = "", marker_epoch: int | None = None,
                marker_label: str = "", band_label: str = "", uirevision=None) -> Figure:
    """The loss curve: a line (hover shows epoch and loss), the min–max range where points were merged, the floor."""
    e, v, lo, hi = thin(epochs, values, lows, highs)
    traces = []
    if len(v) and np.any(hi - lo > 1e-12):  # merged points: draw the range they span, as a band
        band = dict(type="scatter", mode="lines", line=dict(width=0), hoverinfo="skip")
        traces.append(dict(band, x=_epochs(e), y=_values(lo), showlegend=False))
        traces.append(dict(band, x=_epochs(e), y=_values(hi), fill="tonexty", fillcolor="rgba(29,78,216,0.16)",
                           name=band_label, showlegend=bool(band_label)))
    traces.append(dict(type="scatter", x=_epochs(e), y=_values(v), mode="lines" if len(v) > 2 else "lines+markers",
                       name=y_title, line=dict(color=POSITIVE, width=2.5), showlegend=False, meta=dict(live="loss"),
                       hovertemplate=f"{x_title} %{{x:,}}<br>{y_title} %{{y:.6f}}<extra></extra>"))
    shapes, annotations = _marker_line(marker_epoch, marker_label)
    if floor is not None:
        shapes.append(dict(type="line", xref="paper", x0=0, x1=1, y0=floor, y1=floor,
                           line=dict(color=NEGATIVE, dash="dash", width=1.5)))
        annotations.append(dict(xref="paper", x=1, y=floor, text=floor_label, showarrow=False, xanchor="right",
                                yanchor="top" if log_y else "bottom", font=dict(color=NEGATIVE)))
    layout = dict(_LAYOUT, shapes=shapes, annotations=annotations, uirevision=uirevision,
                  legend=dict(x=1, xanchor="right", y=1, yanchor="top", bgcolor="rgba(255,255,255,0.8)"),
                  margin=dict(l=10, r=10, t=10, b=10),
                  xaxis=_axis(x_title, rangemode="tozero"), yaxis=_axis(y_title, type="log" if log_y else "linear"))
    return _figure(traces, layout)


def weights_figure(names: Sequence[str], values, *, y_title: str, uirevision=None) -> Figure:
    """One bar per parameter, blue when positive, red when negative, each labelled with its value."""
    values = np.asarray(values, dtype=float)
    bar = dict(type="bar", x=list(names), y=_values(values), meta=dict(live="weights", params=list(range(len(values)))),
               marker=dict(color=[POSITIVE if v >= 0 else NEGATIVE for v in values]),
               text=[f"{v:.4f}" for v in values], textposition="outside", cliponaxis=False,
               hovertemplate="%{x}: %{y:.6f}<extra></extra>")
    return _figure([bar], dict(_LAYOUT, hovermode="closest", uirevision=uirevision,
                               yaxis=_axis(y_title, zeroline=True)))


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
                    labels.append((x0 * 0.72 + x1 * 0.28, y0 * 0.72 + y1 * 0.28, f"{v:.3f}"))  # near the input
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
    meta = dict(_LAYOUT["meta"], edges=list(weight_params))
    return _figure(traces, dict(_LAYOUT, shapes=shapes, hovermode="closest", xaxis=axis, meta=meta,
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
        traces.append(dict(type="scatter", x=_epochs(e), y=_values(v), mode="lines", name=names[i],
                           meta=dict(live="weight", param=i), hovertemplate=f"{names[i]} %{{y:.4f}}<extra></extra>"))
    shapes, annotations = _marker_line(marker_epoch, marker_label)
    return _figure(traces, dict(_LAYOUT, shapes=shapes, annotations=annotations, uirevision=uirevision,
                                title=dict(text=note, font=dict(size=12)), xaxis=_axis(x_title), yaxis=_axis(y_title)))


def rows_figure(epochs, predictions, labels: Sequence[str], targets, *, x_title: str, y_title: str,
                marker_epoch: int | None = None, marker_label: str = "", uirevision=None) -> Figure:
    """Each training row's prediction ŷ over the epochs, with its target as a faint dashed line."""
    predictions = np.asarray(predictions, dtype=float)
    traces = []
    for i in range(min(predictions.shape[1], len(ROW_COLORS))):
        e, v, _, _ = thin(epochs, predictions[:, i], max_points=300)
        color = row_color(i)
        traces.append(dict(type="scatter", x=_epochs(e), y=_values(v), mode="lines", name=labels[i],
                           line=dict(color=color), meta=dict(live="row", row=i),
                           hovertemplate=f"{labels[i]}: %{{y:.4f}}<extra></extra>"))
        traces.append(dict(type="scatter", x=[int(e[0]), int(e[-1])], y=[float(targets[i])] * 2, mode="lines",
                           line=dict(color=color, dash="dash", width=1), opacity=0.5, showlegend=False,
                           hoverinfo="skip", meta=dict(live="to_now")))
    shapes, annotations = _marker_line(marker_epoch, marker_label)
    return _figure(traces, dict(_LAYOUT, shapes=shapes, annotations=annotations, uirevision=uirevision,
                                xaxis=_axis(x_title), yaxis=_axis(y_title, range=[-0.05, 1.05])))


def contributions_figure(names: Sequence[str], values, *, total_label: str, y_title: str) -> Figure:
    """Bars of each input × weight (and the bias), then their sum z."""
    values = np.asarray(values, dtype=float)
    total = float(values.sum())
    bars = dict(type="bar", x=[*names, total_label], y=_values(np.r_[values, total]),
                marker=dict(color=[POSITIVE if v >= 0 else NEGATIVE for v in values] + [NEUTRAL]),
                text=[f"{v:.4f}" for v in np.r_[values, total]], textposition="outside", cliponaxis=False,
                hovertemplate="%{x}: %{y:.6f}<extra></extra>")
    return _figure([bars], dict(_LAYOUT, hovermode="closest", yaxis=_axis(y_title, zeroline=True)))


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
        bar = dict(type="bar", x=list(names), y=_values(values), name=short,
                   marker=dict(color="#94a3b8" if r is None else row_color(r)),
                   hovertemplate=f"{name}: %{{y:+.6f}}<extra></extra>")
        if per_frame is not None:
            bar["meta"] = dict(live="frames", epochs=[int(e) for e in frames.epochs], frames={"y": [
                _rounded(u - v.sum(axis=0) if r is None else v[own.index(r)]) for v, u in per_frame]})
        traces.append(bar)
    total = dict(type="scatter", x=list(names), y=_values(totals), mode="markers+text", name=total_label,
                 text=[f"{v:+.4f}" for v in totals] if len(names) <= 8 else None, textposition="top center",
                 cliponaxis=False, marker=dict(symbol="diamond", size=11, color="#0f172a"),
                 hovertemplate="%{fullData.name}: %{y:+.6f}<extra></extra>")
    if per_frame is not None:
        total["meta"] = dict(live="frames", epochs=[int(e) for e in frames.epochs], frames={
            "y": [_rounded(u) for _, u in per_frame], **({"text": [[f"{x:+.4f}" for x in u] for _, u in per_frame]}
                                                         if len(names) <= 8 else {})})
    traces.append(total)
    return _figure(traces, dict(_LAYOUT, barmode="relative", hovermode="x unified", uirevision=uirevision,
                                yaxis=_axis(y_title, zeroline=True)))


def own_rows(n_rows: int) -> list[int]:
    """The rows ``shares_figure`` draws each in its own colour: all of them, or the first few and the rest as one."""
    return list(range(n_rows if n_rows <= MAX_ROW_BARS else MAX_ROW_BARS - 1))


def optimiser_figure(grid_a, grid_b, loss, *, point, step_end, names: Sequence[str], labels: dict,
                     path=None, race=None) -> Figure:
    """The error over two weights (the others held where the learner set them), the learner's point, backprop's
    step from it (an arrow to ``step_end``), the learner's path so far and backprop's path in a race.
    ``labels``: color (the colour bar's title), you, step, path, race."""
    traces = [dict(type="contour", x=_values(grid_a), y=_values(grid_b), z=np.asarray(loss, dtype=np.float64),
                   colorscale="Viridis", reversescale=True, ncontours=25,
                   colorbar=dict(title=dict(text=labels["color"])),
                   hovertemplate=f"{names[0]} %{{x:.2f}}<br>{names[1]} %{{y:.2f}}<br>%{{z:.4f}}<extra></extra>")]
    if race is not None and len(race):
        race = np.asarray(race, dtype=float)
        traces.append(dict(type="scatter", x=_values(race[:, 0]), y=_values(race[:, 1]), mode="lines",
                           name=labels["race"], line=dict(color="#db2777", width=3),
                           hovertemplate=f"{labels['race']}<br>{names[0]} %{{x:.4f}}<br>{names[1]} %{{y:.4f}}"
                                         "<extra></extra>"))
    if path is not None and len(path) > 1:
        path = np.asarray(path, dtype=float)
        traces.append(dict(type="scatter", x=_values(path[:, 0]), y=_values(path[:, 1]), mode="lines+markers",
                           name=labels["path"], line=dict(color="#c2410c", width=2, dash="dot"),
                           marker=dict(size=6, color="#c2410c"),
                           hovertemplate=f"{labels['path']}<br>{names[0]} %{{x:.4f}}<br>{names[1]} %{{y:.4f}}"
                                         "<extra></extra>"))
    traces.append(dict(type="scatter", x=[float(point[0])], y=[float(point[1])], mode="markers", name=labels["you"],
                       marker=dict(size=15, color="#c2410c", symbol="circle", line=dict(color="white", width=2)),
                       hovertemplate=f"{labels['you']}<br>{names[0]} %{{x:.4f}}<br>{names[1]} %{{y:.4f}}"
                                     "<extra></extra>"))
    head = dict(x=float(step_end[0]), y=float(step_end[1]), xref="x", yref="y")
    arrow = dict(head, ax=float(point[0]), ay=float(point[1]), axref="x", ayref="y", showarrow=True, arrowhead=3,
                 arrowsize=1.4, arrowwidth=2.5, arrowcolor="#0f172a", text="")
    label = dict(head, showarrow=False, text=labels["step"], font=dict(color="#0f172a"),
                 bgcolor="rgba(255,255,255,0.85)", xanchor="left" if step_end[0] >= point[0] else "right",
                 yanchor="bottom" if step_end[1] >= point[1] else "top")
    return _figure(traces, dict(_LAYOUT, hovermode="closest", annotations=[arrow, label], xaxis=_axis(names[0]),
                                yaxis=_axis(names[1]), legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0)))


SIGMOID_SPAN = 10.0  # the curve is drawn on [−10, 10] unless a point lies further out
MAX_SPAN = 50.0  # beyond this the curve is flat to the eye: a point further out is drawn at the edge, marked


def sigmoid_figure(*, point: float | None = None, samples=None, sample_labels: Sequence[str] = (),
                   legend: dict[str, str], off_axis: str = "{z}") -> Figure:
    """σ(z) and σ'(z), the flat regions |z| > 4 shaded, an optional point with its tangent, and sample points.

    The axis widens to show every point where it is; a point beyond ±MAX_SPAN is drawn at the edge with an arrow
    and its true z (``off_axis``, a format with {z})."""
    zs = [] if samples is None else list(np.asarray(samples, dtype=float))
    reach = max(([abs(point)] if point is not None else []) + [abs(z) for z in zs], default=0.0)
    span = float(min(MAX_SPAN, max(SIGMOID_SPAN, np.ceil(reach + 1))))
    z = np.linspace(-span, span, 241)
    s = activate("sigmoid", z)
    traces = [dict(type="scatter", x=_values(z), y=_values(s), mode="lines", name=legend["sigmoid"],
                   line=dict(color=POSITIVE, width=3), hovertemplate="z %{x:.2f}<br>σ %{y:.4f}<extra></extra>"),
              dict(type="scatter", x=_values(z), y=_values(s * (1 - s)), mode="lines", name=legend["slope"],
                   line=dict(color="#c2410c", width=2, dash="dash"),
                   hovertemplate="z %{x:.2f}<br>σ' %{y:.4f}<extra></extra>")]
    shapes = [dict(type="rect", xref="x", yref="paper", x0=a, x1=b, y0=0, y1=1, fillcolor="rgba(71,85,105,0.12)",
                   line=dict(width=0), layer="below") for a, b in ((-span, -4), (4, span))]
    annotations = [dict(x=-(span + 4) / 2, y=0.9, text=legend["flat"], showarrow=False, font=dict(color=NEUTRAL)),
                   dict(x=(span + 4) / 2, y=0.1, text=legend["flat"], showarrow=False, font=dict(color=NEUTRAL))]

    def place(value: float) -> tuple[float, float]:
        """Where a point at z = value is drawn (at the edge if off the axis), and σ there."""
        drawn = float(np.clip(value, -span, span))
        if drawn != value:
            annotations.append(dict(x=drawn, y=float(activate("sigmoid", value)), showarrow=True, arrowhead=2,
                                    text=off_axis.format(z=f"{value:.4g}"), ax=-40 if value > 0 else 40, ay=0))
        return drawn, float(activate("sigmoid", value))

    if point is not None:
        x0, sp = place(float(point))
        if x0 == point:  # the tangent, where the point is on the axis
            tz = np.array([x0 - 2, x0 + 2])
            traces.append(dict(type="scatter", x=_values(tz), y=_values(sp + sp * (1 - sp) * (tz - x0)), mode="lines",
                               line=dict(color=NEUTRAL, width=1.5), showlegend=False, hoverinfo="skip"))
        traces.append(dict(type="scatter", x=[x0], y=[sp], customdata=[float(point)], mode="markers",
                           marker=dict(size=14, color="#0f172a"), showlegend=False,
                           hovertemplate="z %{customdata:.4f}<br>σ %{y:.6f}<extra></extra>"))
    for i, (zi, label) in enumerate(zip(zs, sample_labels)):
        xi, si = place(zi)
        traces.append(dict(type="scatter", x=[xi], y=[si], customdata=[zi], mode="markers", name=label,
                           marker=dict(size=12, color=row_color(i), line=dict(color="white", width=1.5)),
                           hovertemplate=f"{label}<br>z %{{customdata:.4f}}<br>ŷ %{{y:.6f}}<extra></extra>"))
    return _figure(traces, dict(_LAYOUT, hovermode="closest", shapes=shapes, annotations=annotations,
                                xaxis=_axis("z", range=[-span, span]), yaxis=dict(range=[-0.05, 1.05])))


def cube_figure(corners, predictions, plane=None, *, color_title: str = "ŷ") -> Figure:
    """The 8 corners of the unit cube coloured by prediction, and the plane w·x + b = 0 if given (w, b)."""
    corners = np.asarray(corners, dtype=float)
    predictions = np.asarray(predictions, dtype=float)
    traces = [dict(type="scatter3d", x=corners[:, 0].tolist(), y=corners[:, 1].tolist(), z=corners[:, 2].tolist(),
                   mode="markers+text", text=[f"{p:.2f}" for p in predictions], textposition="top center",
                   customdata=predictions.tolist(),
                   marker=dict(size=9, color=predictions.tolist(), colorscale="RdBu", cmin=0, cmax=1,
                               # a horizontal colour bar below: the scene keeps the width, so the axis names fit a phone
                               colorbar=dict(title=dict(text=color_title, side="top"), orientation="h", thickness=10,
                                             len=0.5, x=0.5, y=0, yanchor="top"),
                               line=dict(color="#0f172a", width=1)),
                   hovertemplate="x %{x:.0f}, %{y:.0f}, %{z:.0f}<br>ŷ %{customdata:.6f}<extra></extra>")]
    if plane is not None:
        w, b = np.asarray(plane[0], dtype=float), float(plane[1])
        k = int(np.argmax(np.abs(w)))  # solve the plane for the coordinate with the largest weight
        if abs(w[k]) > 1e-12:
            u, v = np.meshgrid(np.linspace(-0.1, 1.1, 13), np.linspace(-0.1, 1.1, 13))
            others = [i for i in range(3) if i != k]
            solved = -(w[others[0]] * u + w[others[1]] * v + b) / w[k]
            solved = np.where((solved >= -0.1) & (solved <= 1.1), solved, np.nan)
            coords = {others[0]: u, others[1]: v, k: solved}
            traces.append(dict(type="surface", x=coords[0].tolist(), y=coords[1].tolist(), z=coords[2].tolist(),
                               showscale=False, opacity=0.45, colorscale=[[0, NEUTRAL], [1, NEUTRAL]],
                               hoverinfo="skip"))
    axis = dict(range=[-0.15, 1.15], tickvals=[0, 1])
    scene = dict(xaxis=dict(axis, title=dict(text="x1")), yaxis=dict(axis, title=dict(text="x2")),
                 zaxis=dict(axis, title=dict(text="")), camera=dict(eye=dict(x=1.55, y=-1.55, z=0.95)),
                 domain=dict(x=[0.04, 0.98], y=[0.02, 1]),
                 # plotly puts the x3 title outside a narrow scene: name the vertical edge where it stands instead
                 annotations=[dict(x=-0.15, y=-0.15, z=0.5, text="x3", showarrow=False, xanchor="right",
                                   xshift=-6, font=dict(size=14))])
    return _figure(traces, dict(margin=dict(l=0, r=0, t=10, b=60), scene=scene, template=TEMPLATE))


def _lr_color(i: int, n: int) -> str:
    """Blue (small rates) to orange (large), for sweeps."""
    f = i / max(n - 1, 1)
    r, g, b = int(29 + f * (194 - 29)), int(78 + f * (65 - 78)), int(216 + f * (12 - 216))
    return f"rgb({r},{g},{b})"


def sweep_figure(learning_rates, epochs, errors, *, best: int | None, x_title: str, y_title: str,
                 rate_label: str) -> Figure:
    """One loss curve per learning rate (log y), the best one thick. errors: epochs × networks (thinned)."""
    errors = np.asarray(errors, dtype=float)
    traces = []
    for i, rate in enumerate(learning_rates):
        e, v, _, _ = thin(epochs, errors[:, i], max_points=200)
        is_best = i == best
        color = "#0f172a" if is_best else _lr_color(i, len(learning_rates))
        traces.append(dict(type="scatter", x=_epochs(e), y=_values(v), mode="lines", name=f"{rate_label} {rate:.3g}",
                           showlegend=is_best, line=dict(color=color, width=4 if is_best else 1.5),
                           hovertemplate=f"{rate_label} {rate:.3g}<br>{x_title} %{{x:,}}<br>%{{y:.5f}}<extra></extra>"))
    return _figure(traces, dict(_LAYOUT, hovermode="closest", xaxis=_axis(x_title), yaxis=_axis(y_title, type="log")))


def heatmap_figure(learning_rates, epochs, errors, *, x_title: str, y_title: str, color_title: str) -> Figure:
    """Error (log10) by learning rate × epoch. errors: epochs × networks (thinned)."""
    errors = np.asarray(errors, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.log10(np.maximum(errors.T, 1e-12))
    heat = dict(type="heatmap", x=_epochs(epochs), y=[f"{r:.3g}" for r in learning_rates],
                z=np.ascontiguousarray(z, dtype=np.float32), colorscale="Viridis", reversescale=True,
                colorbar=dict(title=dict(text=color_title)),
                hovertemplate=f"{y_title} %{{y}}<br>{x_title} %{{x:,}}<br>log10 %{{z:.2f}}<extra></extra>")
    return _figure([heat], dict(_LAYOUT, hovermode="closest", xaxis=_axis(x_title),
                                yaxis=_axis(y_title, type="category")))


def spread_figure(starts, ends, final_errors, *, names: Sequence[str], start_label: str, end_label: str,
                  color_title: str) -> Figure:
    """Each seeded run's two chosen weights: where it started (hollow) and ended (filled, coloured by error)."""
    starts, ends = np.asarray(starts, dtype=float), np.asarray(ends, dtype=float)
    shapes = [dict(type="line", x0=a[0], y0=a[1], x1=b[0], y1=b[1], line=dict(color="rgba(71,85,105,0.35)"))
              for a, b in zip(starts, ends)]
    traces = [
        dict(type="scatter", x=_values(starts[:, 0]), y=_values(starts[:, 1]), mode="markers", name=start_label,
             marker=dict(size=9, color="white", line=dict(color=NEUTRAL, width=1.5))),
        dict(type="scatter", x=_values(ends[:, 0]), y=_values(ends[:, 1]), mode="markers", name=end_label,
             marker=dict(size=11, color=_values(final_errors), colorscale="Viridis", reversescale=True,
                         # a horizontal colour bar below: the scene keeps the width, so the axis names fit a phone
                               colorbar=dict(title=dict(text=color_title, side="top"), orientation="h", thickness=10,
                                             len=0.5, x=0.5, y=0, yanchor="top"),
                               line=dict(color="#0f172a", width=1)),
             hovertemplate=f"{names[0]} %{{x:.4f}}<br>{names[1]} %{{y:.4f}}<br>%{{marker.color:.5f}}<extra></extra>"),
    ]
    return _figure(traces, dict(_LAYOUT, hovermode="closest", shapes=shapes, xaxis=_axis(names[0]),
                                yaxis=_axis(names[1])))


def landscape_figure(grid_a, grid_b, loss, path, *, names: Sequence[str], color_title: str, path_label: str,
                     now_label: str) -> Figure:
    """Contours of the loss over two weights (the others fixed), with the training path drawn on top."""
    path = np.asarray(path, dtype=float)
    traces = [dict(type="contour", x=_values(grid_a), y=_values(grid_b), z=np.asarray(loss, dtype=np.float64),
                   colorscale="Viridis", reversescale=True, ncontours=25, colorbar=dict(title=dict(text=color_title)),
                   hovertemplate=f"{names[0]} %{{x:.2f}}<br>{names[1]} %{{y:.2f}}<br>%{{z:.4f}}<extra></extra>"),
              dict(type="scatter", x=_values(path[:, 0]), y=_values(path[:, 1]), mode="lines+markers", name=path_label,
                   line=dict(color="white", width=2), marker=dict(size=3, color="white")),
              dict(type="scatter", x=[float(path[-1, 0])], y=[float(path[-1, 1])], mode="markers", name=now_label,
                   marker=dict(size=14, color=NEGATIVE, symbol="x"))]
    return _figure(traces, dict(_LAYOUT, hovermode="closest", xaxis=_axis(names[0]), yaxis=_axis(names[1])))


def compare_figure(runs: Sequence[tuple[str, np.ndarray, np.ndarray]], *, x_title: str, y_title: str,
                   log_y: bool = True) -> Figure:
    """Several runs' loss curves overlaid; hovering a line names its run. Run names are a learner's text: shown as
    text (Plotly would otherwise read tags such as <a href> in them), with no direction controls to turn it around."""
    traces = []
    for i, (name, epochs, values) in enumerate(runs):
        e, v, _, _ = thin(epochs, values, max_points=400)
        shown = html.escape(without_direction_controls(name))
        traces.append(dict(type="scatter", x=_epochs(e), y=_values(v), mode="lines", name=shown,
                           line=dict(color=row_color(i), width=2),
                           hovertemplate=f"%{{fullData.name}}<br>{x_title} %{{x:,}}<br>%{{y:.5f}}<extra></extra>"))
    return _figure(traces, dict(_LAYOUT, hovermode="closest", xaxis=_axis(x_title),
                                yaxis=_axis(y_title, type="log" if log_y else "linear")))
