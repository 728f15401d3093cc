"""Figure builders: pure functions from plain numbers to Plotly figures (unit-testable, no Streamlit).

A figure is Plotly's own JSON form, a dict {"data": [traces], "layout": {...}}, with large series as numpy
arrays. st.plotly_chart takes it as it is, and the live charts (live_plot.py) send it to the browser without
building a plotly.graph_objects.Figure first, whose checks cost more than the rest of a live update together.

Every chart keeps its payload small whatever the history's length: series are thinned to a few hundred
points by keeping each stretch's first value plus its min and max, so the curve's shape survives.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

POSITIVE = "#2563eb"  # blue: a weight that pushes the output up
NEGATIVE = "#dc2626"  # red: a weight that pushes it down
NEUTRAL = "#64748b"
ROW_COLORS = ("#2563eb", "#ea580c", "#16a34a", "#9333ea", "#dc2626", "#0891b2", "#ca8a04", "#db2777")
MAX_POINTS = 800
# The figures carry their own light style and an empty template, and are drawn with theme=None: Streamlit's
# theming restyles every figure in the browser at each update, which cost a third of a live update's time.
# ticklabeloverflow="allow": Plotly's default ("hide past div") measures every tick label again for each label it
# places, a quarter of a live loss-chart update; our labels never run past the figure anyway.
_AXIS = dict(gridcolor="#e2e8f0", zerolinecolor="#94a3b8", linecolor="#cbd5e1", automargin=True,
             ticklabeloverflow="allow")
TEMPLATE = dict(layout=dict(
    font=dict(family="Source Sans, Source Sans Pro, sans-serif", size=12, color="#31333f"), colorway=list(ROW_COLORS),
    paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)", xaxis=_AXIS, yaxis=_AXIS))
_LAYOUT = dict(margin=dict(l=10, r=10, t=30, b=10), height=320, hovermode="x unified",
               legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0), template=TEMPLATE)


Figure = dict  # {"data": [trace dicts], "layout": {...}}, Plotly's JSON schema


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
    group = -(-n // max_points)
    starts = np.arange(0, n, group)
    return (epochs[starts], values[starts], np.minimum.reduceat(lows, starts, axis=0),
            np.maximum.reduceat(highs, starts, axis=0))


def _rounded(a) -> np.ndarray:
    """As float32: about 7 significant digits, plenty on screen. Plotly sends numpy arrays as compact base64
    typed arrays, which is both smaller and much faster to build than lists of floats."""
    return np.asarray(a, dtype=np.float32).ravel()


def _epochs(a) -> np.ndarray:
    return np.asarray(a, dtype=np.int32).ravel()  # plotly.js reads 32-bit integers, not 64-bit


def loss_figure(epochs, values, lows=None, highs=None, *, y_title: str, x_title: str, log_y: bool = False,
                floor: float | None = None, floor_label: str = "", marker_epoch: int | None = None,
                marker_label: str = "", band_label: str = "") -> Figure:
    """The loss curve: a line (hover shows epoch and loss), the min–max band where thinned, and the floor."""
    e, v, lo, hi = thin(epochs, values, lows, highs)
    traces = []
    if len(v) and np.any(hi - lo > 1e-12):
        traces.append(dict(type="scatter", x=_epochs(np.r_[e, e[::-1]]), y=_rounded(np.r_[hi, lo[::-1]]),
                           fill="toself", mode="lines", line=dict(width=0), fillcolor="rgba(37,99,235,0.15)",
                           hoverinfo="skip", name=band_label, showlegend=bool(band_label)))
    traces.append(dict(type="scatter", x=_epochs(e), y=_rounded(v), mode="lines" if len(v) > 2 else "lines+markers",
                       name=y_title,
                       line=dict(color=POSITIVE, width=2), showlegend=False,
                       hovertemplate=f"{x_title} %{{x:,}}<br>{y_title} %{{y:.6f}}<extra></extra>"))
    shapes, annotations = [], []
    if floor is not None:
        shapes.append(dict(type="line", xref="paper", x0=0, x1=1, y0=floor, y1=floor,
                           line=dict(color=NEGATIVE, dash="dash", width=1.5)))
        annotations.append(dict(xref="paper", x=1, y=floor, text=floor_label, showarrow=False, xanchor="right",
                                yanchor="bottom", font=dict(color=NEGATIVE)))
    if marker_epoch is not None:
        shapes.append(dict(type="line", yref="paper", y0=0, y1=1, x0=marker_epoch, x1=marker_epoch,
                           line=dict(color=NEUTRAL, dash="dot", width=1.5)))
        annotations.append(dict(yref="paper", y=1, x=marker_epoch, text=marker_label, showarrow=False,
                                yanchor="bottom"))
    layout = dict(_LAYOUT, shapes=shapes, annotations=annotations,
                  xaxis=_axis(x_title, rangemode="tozero"),
                  yaxis=_axis(y_title, type="log" if log_y else "linear"))
    return _figure(traces, layout)


def weights_figure(names: Sequence[str], values, *, y_title: str) -> Figure:
    """One bar per weight, blue when positive, red when negative."""
    values = np.asarray(values, dtype=float)
    bar = dict(type="bar", x=list(names), y=_rounded(values), marker=dict(color=[POSITIVE if v >= 0 else NEGATIVE
                                                                             for v in values]),
               text=[f"{v:.4f}" for v in values], textposition="outside", cliponaxis=False,
               hovertemplate="%{x}: %{y:.6f}<extra></extra>")
    return _figure([bar], dict(_LAYOUT, hovermode="closest", yaxis=_axis(y_title, zeroline=True)))


def network_figure(sizes: Sequence[int], weights: Sequence[np.ndarray], biases: Sequence[np.ndarray | None],
                   input_names: Sequence[str]) -> Figure:
    """The network drawn as circles and lines: each line's colour is its weight's sign, its width its size."""
    n_layers = len(sizes)
    xs = np.linspace(0, 1, n_layers)
    pos = [[(xs[k], (j + 0.5) / n - 0.5) for j in range(n)] for k, n in enumerate(sizes)]
    biggest = max((float(np.abs(w).max()) for w in weights if w.size), default=1.0) or 1.0
    shapes, texts = [], []
    for k, w in enumerate(weights):
        for i in range(w.shape[0]):
            for j in range(w.shape[1]):
                (x0, y0), (x1, y1) = pos[k][i], pos[k + 1][j]
                v = float(w[i, j])
                shapes.append(dict(type="line", x0=x0, y0=y0, x1=x1, y1=y1, layer="below",
                                   line=dict(color=POSITIVE if v >= 0 else NEGATIVE,
                                             width=0.5 + 9 * abs(v) / biggest)))
                if len(weights) == 1:  # few enough lines to label each one
                    texts.append((x0 * 0.72 + x1 * 0.28, y0 * 0.72 + y1 * 0.28, f"{v:.3f}"))  # near the input: apart
    node_x, node_y, labels, colors = [], [], [], []
    for k, layer in enumerate(pos):
        for j, (x, y) in enumerate(layer):
            node_x.append(x)
            node_y.append(y)
            if k == 0:
                labels.append(input_names[j])
            elif k == n_layers - 1:
                labels.append("ŷ")
            else:
                labels.append(f"h{j + 1}")
            b = biases[k - 1] if k and biases and biases[k - 1] is not None else None
            colors.append("#f8fafc" if b is None else (POSITIVE if b[j] >= 0 else NEGATIVE))
    nodes = dict(type="scatter", x=node_x, y=node_y, mode="markers+text", text=labels, textposition="middle center",
                 marker=dict(size=38, color=colors, line=dict(color="#0f172a", width=2)), hoverinfo="text",
                 textfont=dict(size=14, color="#0f172a"), showlegend=False)
    edge_labels = dict(type="scatter", x=[p[0] for p in texts], y=[p[1] for p in texts], mode="text",
                       text=[p[2] for p in texts], textfont=dict(size=13), hoverinfo="skip", showlegend=False)
    axis = dict(visible=False, range=[-0.12, 1.12])
    return _figure([nodes, edge_labels], dict(_LAYOUT, shapes=shapes, hovermode="closest", xaxis=axis,
                                              yaxis=dict(visible=False, range=[-0.6, 0.6])))


def trajectories_figure(epochs, params, names: Sequence[str], *, x_title: str, y_title: str,
                        max_lines: int = 16, note: str = "", marker_epoch: int | None = None) -> Figure:
    """Each weight's value over the epochs (the first ``max_lines`` weights)."""
    params = np.asarray(params, dtype=float)
    traces = []
    for i in range(min(params.shape[1], max_lines)):
        e, v, _, _ = thin(epochs, params[:, i], max_points=300)
        traces.append(dict(type="scatter", x=_epochs(e), y=_rounded(v), mode="lines", name=names[i],
                           hovertemplate=f"{names[i]} %{{y:.4f}}<extra></extra>"))
    shapes = []
    if marker_epoch is not None:
        shapes.append(dict(type="line", yref="paper", y0=0, y1=1, x0=marker_epoch, x1=marker_epoch,
                           line=dict(color=NEUTRAL, dash="dot", width=1.5)))
    return _figure(traces, dict(_LAYOUT, shapes=shapes, title=dict(text=note, font=dict(size=12)),
                                xaxis=_axis(x_title), yaxis=_axis(y_title)))


def rows_figure(epochs, predictions, labels: Sequence[str], targets, *, x_title: str, y_title: str,
                marker_epoch: int | None = None) -> Figure:
    """Each training row's prediction ŷ over the epochs, with its target as a faint dashed line."""
    predictions = np.asarray(predictions, dtype=float)
    traces = []
    for i in range(min(predictions.shape[1], len(ROW_COLORS))):
        e, v, _, _ = thin(epochs, predictions[:, i], max_points=300)
        color = row_color(i)
        traces.append(dict(type="scatter", x=_epochs(e), y=_rounded(v), mode="lines", name=labels[i],
                           line=dict(color=color), hovertemplate=f"{labels[i]}: %{{y:.4f}}<extra></extra>"))
        traces.append(dict(type="scatter", x=[int(e[0]), int(e[-1])], y=[float(targets[i])] * 2, mode="lines",
                           line=dict(color=color, dash="dash", width=1), opacity=0.4, showlegend=False,
                           hoverinfo="skip"))
    shapes = []
    if marker_epoch is not None:
        shapes.append(dict(type="line", yref="paper", y0=0, y1=1, x0=marker_epoch, x1=marker_epoch,
                           line=dict(color=NEUTRAL, dash="dot", width=1.5)))
    return _figure(traces, dict(_LAYOUT, shapes=shapes, xaxis=_axis(x_title),
                                yaxis=_axis(y_title, range=[-0.05, 1.05])))


def contributions_figure(names: Sequence[str], values, *, total_label: str, y_title: str) -> Figure:
    """Bars of each input × weight (and the bias), then their sum z."""
    values = np.asarray(values, dtype=float)
    total = float(values.sum())
    bars = dict(type="bar", x=[*names, total_label], y=_rounded(np.r_[values, total]),
                marker=dict(color=[POSITIVE if v >= 0 else NEGATIVE for v in values] + [NEUTRAL]),
                text=[f"{v:.4f}" for v in np.r_[values, total]], textposition="outside", cliponaxis=False,
                hovertemplate="%{x}: %{y:.6f}<extra></extra>")
    return _figure([bars], dict(_LAYOUT, hovermode="closest", yaxis=_axis(y_title, zeroline=True)))


def sigmoid_figure(*, point: float | None = None, samples=None, sample_labels: Sequence[str] = (),
                   legend: dict[str, str] | None = None, span: float = 10.0, show_slope: bool = True) -> Figure:
    """σ(z) and σ'(z), the flat regions |z| > 4 shaded, an optional point with its tangent, and sample points."""
    legend = legend or {"sigmoid": "σ(z)", "slope": "σ'(z)", "flat": "|z| > 4"}
    z = np.linspace(-span, span, 241)
    s = 1 / (1 + np.exp(-z))
    traces = [dict(type="scatter", x=_rounded(z), y=_rounded(s), mode="lines", name=legend["sigmoid"],
                   line=dict(color=POSITIVE, width=3), hovertemplate="z %{x:.2f}<br>σ %{y:.4f}<extra></extra>")]
    if show_slope:
        traces.append(dict(type="scatter", x=_rounded(z), y=_rounded(s * (1 - s)), mode="lines",
                           name=legend["slope"], line=dict(color="#ea580c", width=2, dash="dash"),
                           hovertemplate="z %{x:.2f}<br>σ' %{y:.4f}<extra></extra>"))
    shapes = [dict(type="rect", xref="x", yref="paper", x0=-span, x1=-4, y0=0, y1=1, fillcolor="rgba(100,116,139,0.12)",
                   line=dict(width=0), layer="below"),
              dict(type="rect", xref="x", yref="paper", x0=4, x1=span, y0=0, y1=1, fillcolor="rgba(100,116,139,0.12)",
                   line=dict(width=0), layer="below")]
    annotations = [dict(x=-span * 0.7, y=0.9, text=legend["flat"], showarrow=False, font=dict(color=NEUTRAL)),
                   dict(x=span * 0.7, y=0.1, text=legend["flat"], showarrow=False, font=dict(color=NEUTRAL))]
    if point is not None:
        p = float(np.clip(point, -span, span))
        sp = 1 / (1 + np.exp(-p))
        slope = sp * (1 - sp)
        tz = np.array([p - 2, p + 2])
        traces.append(dict(type="scatter", x=_rounded(tz), y=_rounded(sp + slope * (tz - p)), mode="lines",
                           line=dict(color=NEUTRAL, width=1.5), showlegend=False, hoverinfo="skip"))
        traces.append(dict(type="scatter", x=[p], y=[float(f"{sp:.6g}")], mode="markers",
                           marker=dict(size=14, color="#0f172a"), showlegend=False,
                           hovertemplate="z %{x:.3f}<br>σ %{y:.4f}<extra></extra>"))
    if samples is not None:
        zs = np.clip(np.asarray(samples, dtype=float), -span, span)
        for i, (zi, label) in enumerate(zip(zs, sample_labels)):
            traces.append(dict(type="scatter", x=[float(zi)], y=[float(f"{1 / (1 + np.exp(-zi)):.6g}")],
                               mode="markers", name=label, marker=dict(size=12, color=row_color(i),
                                                                       line=dict(color="white", width=1.5)),
                               hovertemplate=f"{label}<br>z %{{x:.3f}}<br>ŷ %{{y:.4f}}<extra></extra>"))
    return _figure(traces, dict(_LAYOUT, hovermode="closest", shapes=shapes, annotations=annotations,
                                xaxis=_axis("z", range=[-span, span]),
                                yaxis=dict(range=[-0.05, 1.05])))


def cube_figure(corners, predictions, plane=None, *, color_title: str = "ŷ") -> Figure:
    """The 8 corners of the unit cube coloured by prediction, and the plane w·x + b = 0 if given (w, b)."""
    corners = np.asarray(corners, dtype=float)
    predictions = np.asarray(predictions, dtype=float)
    traces = [dict(type="scatter3d", x=corners[:, 0].tolist(), y=corners[:, 1].tolist(), z=corners[:, 2].tolist(),
                   mode="markers+text", text=[f"{p:.2f}" for p in predictions], textposition="top center",
                   marker=dict(size=9, color=predictions.tolist(), colorscale="RdBu", cmin=0, cmax=1,
                               colorbar=dict(title=dict(text=color_title)), line=dict(color="#0f172a", width=1)),
                   hovertemplate="x %{x:.0f}, %{y:.0f}, %{z:.0f}<br>ŷ %{text}<extra></extra>")]
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
                 zaxis=dict(axis, title=dict(text="x3")), camera=dict(eye=dict(x=1.6, y=-1.6, z=1.0)))
    return _figure(traces, dict(margin=dict(l=0, r=0, t=10, b=0), height=420, scene=scene))


def _lr_color(i: int, n: int) -> str:
    """Blue (small rates) to orange (large), for sweeps."""
    f = i / max(n - 1, 1)
    r, g, b = int(37 + f * (234 - 37)), int(99 + f * (88 - 99)), int(235 + f * (12 - 235))
    return f"rgb({r},{g},{b})"


def sweep_figure(learning_rates, error_history, *, best: int | None, x_title: str, y_title: str,
                 rate_label: str) -> Figure:
    """One loss curve per learning rate (log y), the best one thick."""
    error_history = np.asarray(error_history, dtype=float)
    epochs = np.arange(error_history.shape[1])
    traces = []
    for i, rate in enumerate(learning_rates):
        e, v, _, _ = thin(epochs, error_history[i], max_points=200)
        is_best = i == best
        traces.append(dict(type="scatter", x=_epochs(e), y=_rounded(v), mode="lines",
                           name=f"{rate_label} {rate:.3g}", showlegend=is_best,
                           line=dict(color="#0f172a" if is_best else _lr_color(i, len(learning_rates)),
                                     width=4 if is_best else 1.5),
                           hovertemplate=f"{rate_label} {rate:.3g}<br>{x_title} %{{x:,}}<br>%{{y:.5f}}<extra></extra>"))
    return _figure(traces, dict(_LAYOUT, hovermode="closest", xaxis=_axis(x_title),
                                yaxis=_axis(y_title, type="log")))


def heatmap_figure(learning_rates, error_history, *, x_title: str, y_title: str, color_title: str) -> Figure:
    """Error (log10) by learning rate × epoch."""
    error_history = np.asarray(error_history, dtype=float)
    n_epochs = error_history.shape[1]
    columns = np.unique(np.linspace(0, n_epochs - 1, min(n_epochs, 300)).astype(int))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.log10(np.maximum(error_history[:, columns], 1e-12))
    heat = dict(type="heatmap", x=_epochs(columns), y=[f"{r:.3g}" for r in learning_rates],
                z=_rounded(z).reshape(z.shape),
                colorscale="Viridis", reversescale=True, colorbar=dict(title=dict(text=color_title)),
                hovertemplate=f"{y_title} %{{y}}<br>{x_title} %{{x:,}}<br>log10 %{{z:.2f}}<extra></extra>")
    return _figure([heat], dict(_LAYOUT, hovermode="closest", xaxis=_axis(x_title),
                                yaxis=_axis(y_title, type="category")))


def spread_figure(starts, ends, final_errors, *, names: Sequence[str], start_label: str, end_label: str,
                  color_title: str) -> Figure:
    """Each seeded run's first two chosen weights: where it started (hollow) and ended (filled, coloured by error)."""
    starts, ends = np.asarray(starts, dtype=float), np.asarray(ends, dtype=float)
    shapes = [dict(type="line", x0=a[0], y0=a[1], x1=b[0], y1=b[1], line=dict(color="rgba(100,116,139,0.35)"))
              for a, b in zip(starts, ends)]
    traces = [
        dict(type="scatter", x=_rounded(starts[:, 0]), y=_rounded(starts[:, 1]), mode="markers", name=start_label,
             marker=dict(size=9, color="white", line=dict(color=NEUTRAL, width=1.5))),
        dict(type="scatter", x=_rounded(ends[:, 0]), y=_rounded(ends[:, 1]), mode="markers", name=end_label,
             marker=dict(size=11, color=_rounded(final_errors), colorscale="Viridis", reversescale=True,
                         colorbar=dict(title=dict(text=color_title)), line=dict(color="#0f172a", width=1)),
             hovertemplate=f"{names[0]} %{{x:.3f}}<br>{names[1]} %{{y:.3f}}<br>%{{marker.color:.4f}}<extra></extra>"),
    ]
    return _figure(traces, dict(_LAYOUT, hovermode="closest", shapes=shapes,
                                xaxis=_axis(names[0]), yaxis=_axis(names[1])))


def landscape_figure(grid_a, grid_b, loss, path, *, names: Sequence[str], color_title: str,
                     path_label: str, now_label: str) -> Figure:
    """Contours of the loss over two weights (the others fixed), with the training path drawn on top."""
    path = np.asarray(path, dtype=float)
    traces = [dict(type="contour", x=_rounded(grid_a), y=_rounded(grid_b), z=_rounded(loss).reshape(np.shape(loss)),
                   colorscale="Viridis", reversescale=True, ncontours=25, colorbar=dict(title=dict(text=color_title)),
                   hovertemplate=f"{names[0]} %{{x:.2f}}<br>{names[1]} %{{y:.2f}}<br>%{{z:.4f}}<extra></extra>"),
              dict(type="scatter", x=_rounded(path[:, 0]), y=_rounded(path[:, 1]), mode="lines+markers",
                   name=path_label, line=dict(color="white", width=2), marker=dict(size=3, color="white")),
              dict(type="scatter", x=[float(path[-1, 0])], y=[float(path[-1, 1])], mode="markers", name=now_label,
                   marker=dict(size=14, color=NEGATIVE, symbol="x"))]
    return _figure(traces, dict(_LAYOUT, height=460, hovermode="closest",
                                xaxis=_axis(names[0]), yaxis=_axis(names[1])))


def compare_figure(runs: Sequence[tuple[str, np.ndarray, np.ndarray]], *, x_title: str, y_title: str,
                   log_y: bool = True) -> Figure:
    """Several runs' loss curves overlaid; hovering a line names its run."""
    traces = []
    for i, (name, epochs, values) in enumerate(runs):
        e, v, _, _ = thin(epochs, values, max_points=400)
        traces.append(dict(type="scatter", x=_epochs(e), y=_rounded(v), mode="lines", name=name,
                           line=dict(color=row_color(i), width=2),
                           hovertemplate=f"{name}<br>{x_title} %{{x:,}}<br>%{{y:.5f}}<extra></extra>"))
    return _figure(traces, dict(_LAYOUT, hovermode="closest", xaxis=_axis(x_title),
                                yaxis=_axis(y_title, type="log" if log_y else "linear")))
