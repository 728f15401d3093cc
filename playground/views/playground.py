"""The Playground's views as pure functions: each view's figure and its one-line text alternative, from the network,
the epoch shown and its parameters (a ``Scene``). The Playground draws them, a room's followers see them, and the
tests call them directly. ``tr`` is the translation function (strings.t, or strings.translate for one language).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nn_core import LOSS_NAMES, NeuralNetwork
from nn_core.analysis import error_floor
from nn_core.updates import epoch_update

from .numbers import floor_text
from .plot import Frames, thin
from .training_charts import (
    loss_figure,
    network_figure,
    own_rows,
    rows_figure,
    shares_figure,
    trajectories_figure,
    weights_figure,
)

VIEWS = ("loss", "weights", "network", "trajectories", "rows", "shares")
PER_FRAME_VIEWS = ("network", "shares")  # views with numbers computed for each frame sent (not frozen while live)
MAX_TRAJECTORIES = 16
ROWS_DRAWN = 8  # the "each row" view draws the first 8 rows (live play's frames carry their predictions)


@dataclass(frozen=True)
class Scene:
    """What the views draw: the run, the epoch shown (``epoch``, ``params``: a rewound one, or the live one), the
    last epoch the curves reach (``end``, ``end_params``), the loss and scale, and the frames live play is showing
    (epochs, the state at each frame), which per-frame views carry."""

    network: NeuralNetwork
    epoch: int
    params: np.ndarray
    end: int
    end_params: np.ndarray
    loss: str = "mae"
    log_scale: bool = False
    revision: str = ""  # plotly's uirevision: a new one forgets the learner's zoom
    frames: tuple[np.ndarray, np.ndarray] | None = None

    @property
    def marker(self) -> int | None:
        """The epoch marked on the curves: the one shown, when it is not where they end."""
        return self.epoch if self.epoch != self.end else None


def view_figure(scene: Scene, view: str, tr) -> tuple[dict, str]:
    """(figure, text alternative) of ``view``."""
    net, params = scene.network, scene.params
    names = subscript_names(net.parameter_names())
    marker = scene.marker
    marker_label = f"{marker:,}" if marker is not None else ""
    if view == "loss":
        return _loss_figure(scene, tr)
    if view == "weights":
        fig = weights_figure(names, params, y_title=tr("fig.weight"), uirevision=scene.revision)
        return fig, tr("alt.weights", values=", ".join(f"{n} {v:.4f}" for n, v in zip(names, params)))
    if view == "network":
        return _network_figure(scene, tr), tr("alt.network", sizes=" → ".join(map(str, net.architecture.sizes)))
    if view == "shares":
        return _shares_figure(scene, tr), tr("alt.shares", count=len(net.inputs), params=len(names))
    epochs, values = _samples_until(net, scene.end, scene.end_params)
    if view == "trajectories":
        shown = min(len(names), MAX_TRAJECTORIES)
        note = tr("fig.showing_of", shown=shown, total=len(names)) if shown < len(names) else ""
        fig = trajectories_figure(epochs, values, names, x_title=tr("fig.epoch"), y_title=tr("fig.weight"),
                                  note=note, marker_epoch=marker, marker_label=marker_label, uirevision=scene.revision)
        return fig, tr("alt.trajectories", count=shown, epoch=f"{scene.end:,}")
    thinned, _, _, _ = thin(epochs, np.zeros(len(epochs)), max_points=300)
    rows = min(len(net.inputs), ROWS_DRAWN)
    predictions = net.predictions_for(values[np.searchsorted(epochs, thinned)], net.inputs[:rows])[:, :, 0]
    labels = row_labels(net, tr)[:rows]
    fig = rows_figure(thinned, predictions, labels, net.outputs[:rows, 0], x_title=tr("fig.epoch"),
                      y_title=tr("fig.prediction"), marker_epoch=marker, marker_label=marker_label,
                      uirevision=scene.revision)
    return fig, tr("alt.rows", count=rows)


def _samples_until(net: NeuralNetwork, end: int, params_at_end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The stored weight samples up to epoch ``end``, ending with the weights at ``end``."""
    epochs, values = net.weight_samples()
    keep = epochs < end
    return np.r_[epochs[keep], end], np.vstack([values[keep], params_at_end])


def _loss_figure(scene: Scene, tr) -> tuple[dict, str]:
    net, loss, end = scene.network, scene.loss, scene.end
    index = LOSS_NAMES.index(loss)
    h = net.history.losses
    keep = slice(0, -(-end // h.width))  # the buckets that start before ``end``
    last = float(net.losses_for(scene.end_params, loss)[0])
    floor = error_floor(net, loss)
    marker = scene.marker
    fig = loss_figure(
        np.r_[h.epochs[keep], end], np.r_[h.values[keep, index], last], np.r_[h.lows[keep, index], last],
        np.r_[h.highs[keep, index], last], y_title=tr(f"fig.axis.{loss}"), x_title=tr("fig.epoch"),
        log_y=scene.log_scale, floor=floor,
        floor_label=tr("pg.floor_short", floor=floor_text(floor)) if floor is not None else "",
        marker_epoch=marker, marker_label=f"{marker:,}" if marker is not None else "", band_label=tr("fig.range"),
        uirevision=scene.revision)
    first = f"{h.values[0, index]:.6f}" if h.count else f"{last:.6f}"
    return fig, tr("alt.loss", loss=tr(f"loss.{loss}"), epochs=f"{end:,}", first=first, last=f"{last:.6f}")


def _shares_figure(scene: Scene, tr) -> dict:
    """Each row's share of the next update: of Xᵀ·delta with the whole batch; online, each row's own downhill from
    the weights its turn finds in the epoch (their sum is the epoch's, see nn_core.updates.epoch_update)."""
    net = scene.network
    shown = epoch_update(net, net.state_at(scene.epoch), shares=True, epochs=[scene.epoch])
    frames = None
    if scene.frames is not None:
        epochs, states = scene.frames
        own = own_rows(len(net.inputs))
        per_frame = epoch_update(net, states, shares=True, rows=own, epochs=epochs)  # frames × own rows × params
        frames = Frames(epochs, list(per_frame.shares), list(per_frame.downhill))
    online = "_online" if net.settings.batch == "online" else ""
    return shares_figure(subscript_names(net.parameter_names()), shown.shares[0], row_labels(net, tr),
                         y_title=tr(f"fig.share{online}"), total_label=tr(f"fig.share_total{online}"),
                         others_label=tr("fig.other_rows"), frames=frames, uirevision=scene.revision,
                         short_labels=[tr("fig.row_short", row=r + 1) for r in range(len(net.inputs))])


def _network_figure(scene: Scene, tr) -> dict:
    """The diagram: each line's weight and what the next epoch of training will change it by (at the epoch shown,
    or at each frame's epoch while live play shows frames): the optimiser's update with the whole batch, the sum of
    every row's update online."""
    net = scene.network
    arch = net.architecture
    layers = arch.split(scene.params)
    weight_params = np.flatnonzero(arch.weight_mask()).tolist()
    updates = epoch_update(net, net.state_at(scene.epoch), epochs=[scene.epoch]).update[0, weight_params]
    frames = None
    if scene.frames is not None:
        epochs, states = scene.frames
        per_frame = epoch_update(net, states, epochs=epochs).update[:, weight_params]
        frames = Frames(epochs, list(states[:, weight_params]), list(per_frame))
    update_label = tr("fig.edge_update_online" if net.settings.batch == "online" else "fig.edge_update")
    hover = (f"%{{text}}<br>{tr('fig.edge_weight')} %{{customdata[1]:.4f}}<br>{update_label} "
             f"%{{customdata[2]:+.6f}}<br><i>{tr('fig.edge_click')}</i><extra></extra>")
    return network_figure(arch.sizes, [w for w, _ in layers], [b for _, b in layers], ["x₁", "x₂", "x₃"],
                          weight_params, updates=updates, edge_names=edge_names(net), hover=hover, frames=frames)


# -- names a learner reads -------------------------------------------------------------------------------------------
def subscript_names(names) -> list[str]:
    """w1 → w₁: keeps digits out of the labels, so the only numbers in the weights text are the weights."""
    table = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
    return [n.translate(table) for n in names]


def format_row(r) -> str:
    """[1, 0, 1]: a row of features as the learner reads it."""
    return "[" + ", ".join(f"{v:g}" for v in r) + "]"


def row_labels(net: NeuralNetwork, tr) -> list[str]:
    return [tr("fig.row", row=i + 1, x=format_row(r), y=f"{y:g}")
            for i, (r, y) in enumerate(zip(net.inputs, net.outputs[:, 0]))]


def edge_names(net: NeuralNetwork) -> list[str]:
    """Each weight's line in the diagram, as "w₁: x₁ → ŷ" (in the order the lines are drawn)."""
    arch = net.architecture
    names = subscript_names(arch.parameter_names())
    weight_params = np.flatnonzero(arch.weight_mask())
    units = [[f"x{i + 1}" for i in range(arch.n_inputs)], *[[f"h{j + 1}" for j in range(n)] for n in arch.hidden],
             ["ŷ"]]
    ends = [(a, b) for k, (n_in, n_out) in enumerate(arch.layer_shapes) for a in units[k][:n_in]
            for b in units[k + 1][:n_out]]
    return [f"{names[p]}: {' → '.join(subscript_names(end))}" for p, end in zip(weight_params, ends)]


def weight_tables(arch) -> list[dict]:
    """Every parameter as one small matrix per layer, for the weights read-out: {"title", "rows", "cols", "index"}
    with index[r][c] the parameter shown in row r, column c (the layout of ``Architecture.split``). A layer's inputs
    run down and its units across, its bias as a last row; a layer of one unit (the output) is one row instead, so
    that the matrices stay wide and low."""
    units = [[f"x{i + 1}" for i in range(arch.n_inputs)], *[[f"h{j + 1}" for j in range(n)] for n in arch.hidden],
             ["ŷ"] if arch.n_outputs == 1 else [f"ŷ{j + 1}" for j in range(arch.n_outputs)]]
    units = [subscript_names(layer) for layer in units]
    tables = []
    for k, (w, b) in enumerate(arch.split(np.arange(arch.n_params))):
        inputs = units[k] + (["b"] if b is not None else [])
        index = np.vstack([w, b[None, :]]) if b is not None else w  # inputs (and the bias) × units
        if index.shape[1] == 1:
            rows, cols, index = units[k + 1], inputs, index.T
        else:
            rows, cols = inputs, units[k + 1]
        tables.append({"title": f"{units[k][0][0]} → {units[k + 1][0][0]}", "rows": rows, "cols": cols,
                       "index": index.tolist()})
    return tables

