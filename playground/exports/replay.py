"""A replay of a run as one self-contained HTML file: the loss curve and the weights animated over the run (Plotly
frames, a slider and a Play button), for slides, a course site or offline use.

Everything is inside the file: plotly.js's basic bundle (static/), the figure and its frames, and the data as a
table for readers who cannot see the chart. Opening it makes no network request at all. Its size is bounded
whatever the run's length: the curve is thinned to a few hundred points and the animation has FRAMES frames, each
with the exact weights of its epoch (``params_at``).
"""

from __future__ import annotations

import html
import json

import numpy as np

from nn_core import LOSS_NAMES, NeuralNetwork

from ..live.assets import BUNDLES, STATIC
from ..strings import translate
from ..views.plot import NEGATIVE, NEUTRAL, POSITIVE, TEMPLATE, thin

FRAMES = 60
CURVE_POINTS = 600  # the whole loss curve
TRAIL_POINTS = 200  # the curve drawn so far, in each frame


def _num(v: float) -> float | None:
    v = float(v)
    return float(f"{v:.7g}") if np.isfinite(v) else None  # 7 digits: every digit the page shows, and small


def replay_figure(net: NeuralNetwork, lang: str, loss: str = "mae") -> tuple[dict, list[dict]]:
    """The figure (loss curve above, weights below) and its frames: (figure, rows of the data table)."""
    tr = lambda key, **values: translate(lang, key, **values)
    index = LOSS_NAMES.index(loss)
    h = net.history.losses
    epochs = np.r_[h.epochs, net.epoch].astype(np.int64)
    losses = np.r_[h.values[:, index], net.current_loss(loss)]
    curve_x, curve_y, _, _ = thin(epochs, losses, max_points=CURVE_POINTS)
    names = net.parameter_names()
    frame_epochs = sorted({int(round(e)) for e in np.linspace(0, net.epoch, FRAMES)}) if net.epoch else [0]
    loss_title, epoch_title = tr(f"loss.{loss}"), tr("fig.epoch")

    def loss_at(epoch: int) -> float:
        return float(net.losses_for(net.params_at(epoch), loss)[0])

    frames, rows = [], []
    for e in frame_epochs:
        params = net.params_at(e)
        now = loss_at(e)
        keep = curve_x <= e
        tx, ty, _, _ = thin(curve_x[keep], curve_y[keep], max_points=TRAIL_POINTS)
        bar_text = [f"{p:+.4f}" for p in params]  # the sign as a character, not only as a colour
        frames.append({"name": str(e), "data": [
            {"x": [int(x) for x in tx] + [e], "y": [_num(y) for y in ty] + [_num(now)]},
            {"x": [e], "y": [_num(now)]},
            {"y": [_num(p) for p in params], "text": bar_text,
             "marker": {"color": [POSITIVE if p >= 0 else NEGATIVE for p in params],
                        "pattern": {"shape": ["" if p >= 0 else "/" for p in params]}}},
        ], "layout": {"title": {"text": tr("replay.frame_title", epoch=f"{e:,}", loss=loss_title,
                                              value=f"{now:.6f}")}}})
        rows.append({"epoch": e, "loss": now, "params": params.tolist()})
    first = frames[0]["data"]
    data = [
        dict(type="scatter", mode="lines", x=[int(x) for x in curve_x], y=[_num(y) for y in curve_y],
             line=dict(color="#cbd5e1", width=2), name=tr("replay.whole_run"), hoverinfo="skip"),
        dict(type="scatter", mode="lines", **first[0], line=dict(color=POSITIVE, width=3), name=loss_title,
             hovertemplate=f"{epoch_title} %{{x:,}}<br>{loss_title} %{{y:.6f}}<extra></extra>"),
        dict(type="scatter", mode="markers", **first[1], marker=dict(size=11, color=POSITIVE), showlegend=False,
             hoverinfo="skip"),
        dict(type="bar", x=names, xaxis="x2", yaxis="y2", textposition="outside", cliponaxis=False,
             showlegend=False, hovertemplate="%{x}: %{y:.6f}<extra></extra>", **first[2]),
    ]
    for frame in frames:  # frames name the traces they change: the curve so far, the point, the bars
        frame["traces"] = [1, 2, 3]
    steps = [{"method": "animate", "label": f"{e:,}", "args": [[str(e)], {"mode": "immediate", "frame": {
        "duration": 0, "redraw": True}, "transition": {"duration": 0}}]} for e in frame_epochs]
    biggest = max(1e-9, max(abs(v) for r in rows for v in r["params"]))
    layout = dict(
        template=TEMPLATE, height=640, margin=dict(l=60, r=20, t=60, b=40), hovermode="closest",
        title=frames[0]["layout"]["title"], legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom"),
        xaxis=dict(domain=[0, 1], anchor="y", title=dict(text=epoch_title), rangemode="tozero"),
        yaxis=dict(domain=[0.5, 1], title=dict(text=loss_title)),
        xaxis2=dict(domain=[0, 1], anchor="y2"),
        yaxis2=dict(domain=[0, 0.36], title=dict(text=tr("fig.weight")), range=[-1.25 * biggest, 1.25 * biggest],
                    zeroline=True, zerolinecolor=NEUTRAL),
        sliders=[dict(active=0, steps=steps, x=0.12, len=0.88, y=-0.02, yanchor="top",
                      currentvalue=dict(prefix=f"{epoch_title} "), pad=dict(t=30))],
        updatemenus=[dict(type="buttons", showactive=False, x=0, y=-0.02, yanchor="top", xanchor="left",
                          pad=dict(t=30), buttons=[
                              dict(label=tr("replay.play"), method="animate", args=[None, {
                                  "frame": {"duration": 120, "redraw": True}, "fromcurrent": True,
                                  "transition": {"duration": 0}}]),
                              dict(label=tr("replay.pause"), method="animate", args=[[None], {
                                  "mode": "immediate", "frame": {"duration": 0}}])])])
    return {"data": data, "layout": layout, "frames": frames}, rows


def replay_html(net: NeuralNetwork, lang: str, loss: str = "mae") -> str:
    """The whole file."""
    tr = lambda key, **values: translate(lang, key, **values)
    figure, rows = replay_figure(net, lang, loss)
    names = net.parameter_names()
    arch = net.architecture
    summary = tr("replay.summary", epochs=f"{net.epoch:,}", sizes=" → ".join(map(str, arch.sizes)),
                 first=f"{rows[0]['loss']:.6f}", last=f"{rows[-1]['loss']:.6f}", frames=len(rows),
                 loss=tr(f"loss.{loss}"))
    head = "".join(f"<th scope=\"col\">{html.escape(h)}</th>" for h in [tr("fig.epoch"), tr(f"loss.{loss}"), *names])
    body = "\n".join("<tr>" + f"<th scope=\"row\">{r['epoch']:,}</th><td>{r['loss']:.6f}</td>"
                     + "".join(f"<td>{p:+.6f}</td>" for p in r["params"]) + "</tr>" for r in rows)
    plotly = (STATIC / BUNDLES["basic"]).read_text(encoding="utf-8")
    spec = json.dumps(figure, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")
    title = html.escape(tr("replay.title", epochs=f"{net.epoch:,}"))
    return f"""<!DOCTYPE html>
<html lang="{'zh-CN' if lang == 'zh' else 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: "Source Sans Pro", system-ui, sans-serif; color: #0f172a; margin: 1.5rem auto; max-width: 72rem;
  padding: 0 1rem; }}
h1 {{ font-size: 1.6rem; margin: 0 0 0.3rem; }}
p {{ color: #334155; margin: 0 0 1rem; }}
table {{ border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 0.9rem; }}
th, td {{ border: 1px solid #cbd5e1; padding: 0.2rem 0.5rem; text-align: right; }}
:focus-visible {{ outline: 3px solid #1d4ed8; outline-offset: 2px; }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p>{html.escape(summary)}</p>
<div id="replay" role="img" aria-label="{html.escape(summary)}"></div>
<details>
<summary>{html.escape(tr("replay.table"))}</summary>
<table>
<thead><tr>{head}</tr></thead>
<tbody>
{body}
</tbody>
</table>
</details>
<p>{html.escape(tr("replay.made_with"))}</p>
</main>
<script>{plotly}</script>
<script>
const figure = {spec};
Plotly.newPlot("replay", figure.data, figure.layout, {{displaylogo: false, responsive: true}})
  .then((graph) => Plotly.addFrames(graph, figure.frames));
</script>
</body>
</html>
"""
