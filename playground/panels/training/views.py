"""The chosen view under the read-outs (loss, weights, network, trajectories, each row, each row's share), drawn
from views/playground.py's builders; the network diagram's edge editor (click a line, type its weight)."""

from __future__ import annotations

from functools import cache

import numpy as np
import streamlit as st

from nn_core import LOSS_NAMES, InputError
from nn_core.settings import INIT_LIMIT

from ...live import player as live
from ...live.component import chart, scroll_to
from ...state.actions import set_weight
from ...state.session import Session
from ...state.widgets import checked_widget, set_widget, widget
from ...strings import language, t, translate
from ...strings.errors import explain
from ...views.playground import PER_FRAME_VIEWS, VIEWS, Scene, edge_names, subscript_names, view_figure
from ...views.plot import for_screen

# The chart fills what the first screen leaves under the numbers, keeping why-is-it-stuck in view under it.
FIT = {presenter: {"min": 240 if presenter else 220, "min_narrow": 180, "max": 1000, "below": ".st-key-diagnosis",
                   "within": ".st-key-training"} for presenter in (False, True)}


def view_chooser(s: Session) -> str:
    checked_widget(s, "view_tab", lambda v: v in VIEWS, "loss")
    # One row that wraps where the column is narrow (a sidebar open, a phone): every tab's name stays whole.
    with st.container(key="view_row", horizontal=True, vertical_alignment="center", gap="medium"):
        view = st.segmented_control(t("pg.view"), VIEWS, required=True, key="view_tab", width="content",
                                    format_func=_view_labels(language()).get, label_visibility="collapsed") or "loss"
        st.toggle(t("pg.log_scale"), value=s.log_scale, key="log_scale", disabled=view != "loss",
                  on_change=_log_scale, args=(s,))
    return view


@cache
def _view_labels(lang: str) -> dict[str, str]:  # (made once per language: every run of the column formats them)
    return {v: translate(lang, f"tab.{v}") for v in VIEWS}


def _log_scale(s: Session) -> None:
    s.log_scale = bool(widget("log_scale"))


def scene_of(s: Session, until: int | None = None) -> Scene:
    """What the views draw for this session: the epoch shown, or the run as it was at epoch ``until`` (live play
    freezes a chart there and grows it from the frames)."""
    net = s.network
    epoch, params = s.shown() if until is None else (until, net.params_at(until))
    end, end_params = (net.epoch, net.params) if until is None else (until, params)
    return Scene(net, epoch, params, end, end_params, s.scenario.loss, s.log_scale, f"run-{s.run_id}",
                 live.frames_playing(s.player))


def draw_view(s: Session, view: str, presenter: bool) -> None:
    """The chosen view's chart. While live training plays, the chart keeps the figure it had at the epoch on screen
    when play began and the browser extends it frame by frame: the same figure at every chunk costs one reference
    (Streamlit sends a repeated large message as a reference to the copy the browser has), not its size again.
    Views whose numbers the server computes for each frame (the diagram's hover, each row's share) are drawn
    afresh with each chunk instead, carrying that chunk's frames."""
    if s.player.busy and view not in PER_FRAME_VIEWS:
        if view not in s.player.frozen:
            s.player.frozen[view] = view_figure(scene_of(s, until=s.player.shown), view, t), s.player.shown
        (fig, label), epoch = s.player.frozen[view]
    else:
        (fig, label), epoch = view_figure(scene_of(s), view, t), s.shown()[0]
    with st.container(key="loss_chart" if view == "loss" else "view_chart"):
        chart(for_screen(fig, presenter), key=f"{view}_plot", label=label, fit=FIT[presenter],
              live={"loss_index": LOSS_NAMES.index(s.scenario.loss), "epoch": epoch},
              on_select=(lambda: _edge_clicked(s)) if view == "network" else None)
        if view == "network":
            edge_editor(s, s.shown()[1])


# -- the network diagram's edge editor -----------------------------------------------------------------------------
def _edge_clicked(s: Session) -> None:
    """A line of the network diagram was clicked: the browser sends its parameter (checked: it is foreign input)."""
    value = (widget("network_plot") or {}).get("select")
    weights = np.flatnonzero(s.network.architecture.weight_mask())
    if not isinstance(value, int) or isinstance(value, bool) or value not in weights:
        s.notice = ("pg.value_refused", {})
        return
    s.practice.edge = value
    s.practice.scrolls += 1  # bring the box into view again, even for the same line
    set_widget("edge_weight", float(s.shown()[1][value]))


def edge_editor(s: Session, params: np.ndarray) -> None:
    """Below the diagram, once a line was clicked: type its new weight; the run goes on from it."""
    index = s.practice.edge
    if index is None or index >= len(params):
        return
    name = edge_names(s.network)[int(np.flatnonzero(s.network.architecture.weight_mask()).tolist().index(index))]
    checked_widget(s, "edge_weight", lambda v: isinstance(v, float) and abs(v) <= INIT_LIMIT, float(params[index]))
    with st.container(key="network_edit", horizontal=True, vertical_alignment="bottom", gap="small"):
        st.number_input(t("pg.edge_weight", name=name, value=f"{params[index]:.4f}"), min_value=-INIT_LIMIT,
                        max_value=INIT_LIMIT, value=None, step=0.1, format="%g", key="edge_weight", width=260)
        st.button(t("pg.edge_set"), key="edge_set", type="primary", on_click=_set_edge, args=(s,))
        st.button(t("pg.edge_cancel"), key="edge_cancel", on_click=_cancel_edge, args=(s,))
    scroll_to(".st-key-network_edit", request=f"edge-{s.practice.scrolls}", block="nearest")


def _set_edge(s: Session) -> None:
    index, value = s.practice.edge, widget("edge_weight")
    if index is None:
        return
    name = subscript_names(s.network.parameter_names())[index]
    try:
        set_weight(s, index, value, shown=live.screen_epoch(s.player, s.network))
    except InputError as e:
        s.notice = ("pg.invalid_setting", {"error": explain(e, starts_sentence=True)})
        return
    s.practice.edge = None
    s.notice = ("pg.weight_set", {"name": name, "value": f"{value:g}", "epoch": f"{s.network.epoch:,}"})


def _cancel_edge(s: Session) -> None:
    s.practice.edge = None
