"""The charts of the other pages: the optimiser's error surface, the sigmoid, the unit cube of Predict, and the
Experiments page's sweeps, spreads, landscape and comparisons. Pure: numbers in, Plotly JSON out."""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np

from nn_core import activate, activation_slope

from .plot import (
    LAYOUT,
    NEGATIVE,
    NEUTRAL,
    POSITIVE,
    TEMPLATE,
    Figure,
    axis,
    figure,
    floats,
    integers,
    row_color,
    thin,
    without_direction_controls,
)


def optimiser_figure(grid_a, grid_b, loss, *, point, step_end, names: Sequence[str], labels: dict,
                     path=None, race=None) -> Figure:
    """The error over two weights (the others held where the learner set them), the learner's point, backprop's
    step from it (an arrow to ``step_end``), the learner's path so far and backprop's path in a race.
    ``labels``: color (the colour bar's title), you, step, path, race."""
    traces = [dict(type="contour", x=floats(grid_a), y=floats(grid_b), z=np.asarray(loss, dtype=np.float64),
                   colorscale="Viridis", reversescale=True, ncontours=25,
                   colorbar=dict(title=dict(text=labels["color"])),
                   hovertemplate=f"{names[0]} %{{x:.2f}}<br>{names[1]} %{{y:.2f}}<br>%{{z:.4f}}<extra></extra>")]
    if race is not None and len(race):
        race = np.asarray(race, dtype=float)
        traces.append(dict(type="scatter", x=floats(race[:, 0]), y=floats(race[:, 1]), mode="lines",
                           name=labels["race"], line=dict(color="#db2777", width=3),
                           hovertemplate=f"{labels['race']}<br>{names[0]} %{{x:.4f}}<br>{names[1]} %{{y:.4f}}"
                                         "<extra></extra>"))
    if path is not None and len(path) > 1:
        path = np.asarray(path, dtype=float)
        traces.append(dict(type="scatter", x=floats(path[:, 0]), y=floats(path[:, 1]), mode="lines+markers",
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
    return figure(traces, dict(LAYOUT, hovermode="closest", annotations=[arrow, label], xaxis=axis(names[0]),
                                yaxis=axis(names[1]), legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0)))


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
    slope = activation_slope("sigmoid", s)
    traces = [dict(type="scatter", x=floats(z), y=floats(s), mode="lines", name=legend["sigmoid"],
                   line=dict(color=POSITIVE, width=3), hovertemplate="z %{x:.2f}<br>σ %{y:.4f}<extra></extra>"),
              dict(type="scatter", x=floats(z), y=floats(slope), mode="lines", name=legend["slope"],
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
            tangent = sp + activation_slope("sigmoid", sp) * (tz - x0)
            traces.append(dict(type="scatter", x=floats(tz), y=floats(tangent), mode="lines",
                               line=dict(color=NEUTRAL, width=1.5), showlegend=False, hoverinfo="skip"))
        traces.append(dict(type="scatter", x=[x0], y=[sp], customdata=[float(point)], mode="markers",
                           marker=dict(size=14, color="#0f172a"), showlegend=False,
                           hovertemplate="z %{customdata:.4f}<br>σ %{y:.6f}<extra></extra>"))
    for i, (zi, label) in enumerate(zip(zs, sample_labels)):
        xi, si = place(zi)
        traces.append(dict(type="scatter", x=[xi], y=[si], customdata=[zi], mode="markers", name=label,
                           marker=dict(size=12, color=row_color(i), line=dict(color="white", width=1.5)),
                           hovertemplate=f"{label}<br>z %{{customdata:.4f}}<br>ŷ %{{y:.6f}}<extra></extra>"))
    return figure(traces, dict(LAYOUT, hovermode="closest", shapes=shapes, annotations=annotations,
                                xaxis=axis("z", range=[-span, span]), yaxis=dict(range=[-0.05, 1.05])))


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
    return figure(traces, dict(margin=dict(l=0, r=0, t=10, b=60), scene=scene, template=TEMPLATE))


# Viridis, the colour scale of the sweep's lines and of its colour bar: dark (small rates) to light (large), evenly
# spaced for the eye and readable without telling red from green.
RATE_SCALE = ((0.0, (68, 1, 84)), (0.25, (59, 82, 139)), (0.5, (33, 145, 140)), (0.75, (94, 201, 98)),
              (1.0, (253, 231, 37)))


def _scale_color(f: float) -> str:
    """The colour at ``f`` (0 to 1) of RATE_SCALE."""
    f = min(max(f, 0.0), 1.0)
    for (a, ca), (b, cb) in zip(RATE_SCALE, RATE_SCALE[1:]):
        if f <= b:
            w = (f - a) / (b - a)
            return "rgb({},{},{})".format(*(round(x + w * (y - x)) for x, y in zip(ca, cb)))
    return "rgb({},{},{})".format(*RATE_SCALE[-1][1])


def sweep_figure(learning_rates, epochs, errors, *, best: int | None, x_title: str, y_title: str,
                 rate_label: str) -> Figure:
    """One loss curve per learning rate (log y), each coloured by its rate on a colour scale (log) that a colour bar
    explains, the best one thick and named in the legend. errors: epochs × networks (thinned)."""
    errors = np.asarray(errors, dtype=float)
    rates = np.asarray(learning_rates, dtype=float)
    logs = np.log10(rates)
    low, high = float(logs.min()), float(logs.max())
    span = high - low or 1.0
    traces = []
    for i, rate in enumerate(rates):
        e, v, _, _ = thin(epochs, errors[:, i], max_points=200)
        is_best = i == best
        color = "#0f172a" if is_best else _scale_color((logs[i] - low) / span)
        traces.append(dict(type="scatter", x=integers(e), y=floats(v), mode="lines", name=f"{rate_label} {rate:.3g}",
                           showlegend=is_best, line=dict(color=color, width=4 if is_best else 1.5),
                           hovertemplate=f"{rate_label} {rate:.3g}<br>{x_title} %{{x:,}}<br>%{{y:.5f}}<extra></extra>"))
    # The colour bar: one invisible point carrying the scale (plotly.js draws a colour bar for markers only).
    ticks = [p for p in range(int(np.floor(low)), int(np.ceil(high)) + 1)] if high - low >= 1 else [low, high]
    finite = errors[np.isfinite(errors) & (errors > 0)]
    traces.append(dict(type="scatter", x=[int(np.asarray(epochs)[0])], y=[float(finite.min()) if finite.size else 1.0],
                       mode="markers", showlegend=False, hoverinfo="skip",
                       marker=dict(size=0.1, opacity=0, color=[low], cmin=low, cmax=high if high > low else low + 1,
                                   colorscale=[[a, "rgb({},{},{})".format(*c)] for a, c in RATE_SCALE],
                                   showscale=True, colorbar=dict(title=dict(text=rate_label, side="right"),
                                                                 tickvals=ticks, thickness=14,
                                                                 ticktext=[f"{10 ** v:.3g}" for v in ticks]))))
    return figure(traces, dict(LAYOUT, hovermode="closest", xaxis=axis(x_title), yaxis=axis(y_title, type="log")))


def heatmap_figure(learning_rates, epochs, errors, *, x_title: str, y_title: str, color_title: str) -> Figure:
    """Error (log10) by learning rate × epoch. errors: epochs × networks (thinned)."""
    errors = np.asarray(errors, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.log10(np.maximum(errors.T, 1e-12))
    heat = dict(type="heatmap", x=integers(epochs), y=[f"{r:.3g}" for r in learning_rates],
                z=np.ascontiguousarray(z, dtype=np.float32), colorscale="Viridis", reversescale=True,
                colorbar=dict(title=dict(text=color_title)),
                hovertemplate=f"{y_title} %{{y}}<br>{x_title} %{{x:,}}<br>log10 %{{z:.2f}}<extra></extra>")
    return figure([heat], dict(LAYOUT, hovermode="closest", xaxis=axis(x_title),
                                yaxis=axis(y_title, type="category")))


def spread_figure(starts, ends, final_errors, *, names: Sequence[str], start_label: str, end_label: str,
                  color_title: str) -> Figure:
    """Each seeded run's two chosen weights: where it started (hollow) and ended (filled, coloured by error)."""
    starts, ends = np.asarray(starts, dtype=float), np.asarray(ends, dtype=float)
    shapes = [dict(type="line", x0=a[0], y0=a[1], x1=b[0], y1=b[1], line=dict(color="rgba(71,85,105,0.35)"))
              for a, b in zip(starts, ends)]
    traces = [
        dict(type="scatter", x=floats(starts[:, 0]), y=floats(starts[:, 1]), mode="markers", name=start_label,
             marker=dict(size=9, color="white", line=dict(color=NEUTRAL, width=1.5))),
        dict(type="scatter", x=floats(ends[:, 0]), y=floats(ends[:, 1]), mode="markers", name=end_label,
             marker=dict(size=11, color=floats(final_errors), colorscale="Viridis", reversescale=True,
                         # a horizontal colour bar below: the scene keeps the width, so the axis names fit a phone
                               colorbar=dict(title=dict(text=color_title, side="top"), orientation="h", thickness=10,
                                             len=0.5, x=0.5, y=0, yanchor="top"),
                               line=dict(color="#0f172a", width=1)),
             hovertemplate=f"{names[0]} %{{x:.4f}}<br>{names[1]} %{{y:.4f}}<br>%{{marker.color:.5f}}<extra></extra>"),
    ]
    return figure(traces, dict(LAYOUT, hovermode="closest", shapes=shapes, xaxis=axis(names[0]),
                                yaxis=axis(names[1])))


def landscape_figure(grid_a, grid_b, loss, path, *, names: Sequence[str], color_title: str, path_label: str,
                     now_label: str) -> Figure:
    """Contours of the loss over two weights (the others fixed), with the training path drawn on top."""
    path = np.asarray(path, dtype=float)
    traces = [dict(type="contour", x=floats(grid_a), y=floats(grid_b), z=np.asarray(loss, dtype=np.float64),
                   colorscale="Viridis", reversescale=True, ncontours=25, colorbar=dict(title=dict(text=color_title)),
                   hovertemplate=f"{names[0]} %{{x:.2f}}<br>{names[1]} %{{y:.2f}}<br>%{{z:.4f}}<extra></extra>"),
              dict(type="scatter", x=floats(path[:, 0]), y=floats(path[:, 1]), mode="lines+markers", name=path_label,
                   line=dict(color="white", width=2), marker=dict(size=3, color="white")),
              dict(type="scatter", x=[float(path[-1, 0])], y=[float(path[-1, 1])], mode="markers", name=now_label,
                   marker=dict(size=14, color=NEGATIVE, symbol="x"))]
    return figure(traces, dict(LAYOUT, hovermode="closest", xaxis=axis(names[0]), yaxis=axis(names[1])))


def compare_figure(runs: Sequence[tuple[str, np.ndarray, np.ndarray]], *, x_title: str, y_title: str,
                   log_y: bool = True) -> Figure:
    """Several runs' loss curves overlaid; hovering a line names its run. Run names are a learner's text: shown as
    text (Plotly would otherwise read tags such as <a href> in them), with no direction controls to turn it around."""
    traces = []
    for i, (name, epochs, values) in enumerate(runs):
        e, v, _, _ = thin(epochs, values, max_points=400)
        shown = html.escape(without_direction_controls(name))
        traces.append(dict(type="scatter", x=integers(e), y=floats(v), mode="lines", name=shown,
                           line=dict(color=row_color(i), width=2),
                           hovertemplate=f"%{{fullData.name}}<br>{x_title} %{{x:,}}<br>%{{y:.5f}}<extra></extra>"))
    return figure(traces, dict(LAYOUT, hovermode="closest", xaxis=axis(x_title),
                                yaxis=axis(y_title, type="log" if log_y else "linear")))
