"""The Playground's training column: the controls, the epoch, the weights, the loss, and the live views.

It is one fragment, so a click reruns only this column. Live play and training to a target run in the browser's
player (live.js): the server sends chunks of frames and the epoch, the weights, the loss and the chart follow them
frame by frame. Nothing here appears, disappears or changes size when training starts or stops: controls that
cannot be used are disabled, not removed, and every line keeps its height.
"""

from __future__ import annotations

import time

import numpy as np
import streamlit as st

from nn_core import LOSS_NAMES, InputError
from nn_core.analysis import error_floor, saturated_rows
from nn_core.settings import MAX_EPOCHS

from . import figures
from .links import keep_url, share_url
from .live import chart, live_text, player
from .look import for_screen
from .page import show_notice
from .session import (
    PLAY_SPEEDS,
    STEP_SIZES,
    Session,
    checked_widget,
    forget_widget,
    next_chunk,
    play,
    reset,
    run_until,
    set_widget,
    step,
    stop,
    train_to,
    widget,
)
from .strings import t

VIEWS = ("loss", "weights", "network", "trajectories", "rows")


def subscript_names(names) -> list[str]:
    """w1 → w₁: keeps digits out of the labels, so the only numbers in the weights text are the weights."""
    table = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
    return [n.translate(table) for n in names]


def format_row(r) -> str:
    """[1, 0, 1]: a row of features as the learner reads it."""
    return "[" + ", ".join(f"{v:g}" for v in r) + "]"


def training_panel(s: Session, hidden: frozenset[str], presenter: bool) -> None:
    @st.fragment
    def panel():
        show_notice(s)
        controls(s, hidden)
        readouts(s)
        view = view_chooser(s)
        draw_view(s, view, presenter)
        rewind_slider(s, hidden)
        if s.player.mode is None:  # the address bar follows the run, so that a reload or a restart reopens it
            keep_url(s, share_url(s)[0])

    panel()


# -- controls -------------------------------------------------------------------------------------------------------
def controls(s: Session, hidden: frozenset[str]) -> None:
    busy = s.player.mode is not None
    checked_widget(s, "step_size", lambda v: v in STEP_SIZES, STEP_SIZES[0])
    checked_widget(s, "target_epochs", lambda v: isinstance(v, int) and 1 <= v <= MAX_EPOCHS,
                   s.scenario.target_epochs)
    checked_widget(s, "play_speed", lambda v: v in PLAY_SPEEDS, s.player.speed)
    with st.container(key="controls", horizontal=True, vertical_alignment="bottom", gap="small"):
        if "step" not in hidden:
            st.selectbox(t("pg.step_size"), STEP_SIZES, key="step_size", disabled=busy, width=92,
                         format_func=lambda n: t("pg.epochs_n", n=f"{n:,}"), label_visibility="collapsed")
            st.button(t("pg.step"), key="step", type="primary", disabled=busy, on_click=_step, args=(s,))
        if "play" not in hidden:
            with st.container(key="play_box", width=104):
                player(key="play", mode=s.player.mode, chunk=_take_outbox(s), disabled=False,
                       on_play=lambda: _on_player(s, "play"), on_stop=lambda: _on_player(s, "stop"),
                       on_need=lambda: _on_player(s, "need"), on_key=lambda: _on_player(s, "key"))
        if "speed" not in hidden:
            st.selectbox(t("pg.speed"), PLAY_SPEEDS, key="play_speed", width=104, label_visibility="collapsed",
                         format_func=lambda n: t("pg.per_second", n=f"{n:,}"), on_change=_speed, args=(s,))
        if "train" not in hidden:
            st.button(t("pg.train_button"), key="train", disabled=busy, on_click=_train, args=(s,))
            st.number_input(t("pg.target_epochs"), min_value=1, max_value=MAX_EPOCHS, step=1000, key="target_epochs",
                            disabled=busy, width=96, label_visibility="collapsed", format="%d")
        if "reset" not in hidden:
            st.button(t("pg.reset"), key="reset", disabled=busy, on_click=_reset, args=(s,))


def _take_outbox(s: Session):
    chunk, s.outbox = s.outbox, None
    return chunk


def _step(s: Session) -> None:
    step(s, widget("step_size", STEP_SIZES[0]))


def _train(s: Session) -> None:
    target = widget("target_epochs", s.scenario.target_epochs)
    s.scenario = s.scenario.with_changes(target_epochs=target)
    if target <= s.network.epoch:
        s.notice = ("pg.already_there", {"epoch": f"{s.network.epoch:,}"})
        return
    train_to(s, target)
    s.outbox = next_chunk(s)


def _reset(s: Session) -> None:
    reset(s)


def _speed(s: Session) -> None:
    speed = widget("play_speed")
    if speed in PLAY_SPEEDS:
        s.player.speed = speed
        if s.player.mode == "play":  # go on at the new speed from (about) the epoch on screen
            _restart_play(s)


def _restart_play(s: Session) -> None:
    shown = s.player.shown + int(s.player.speed * max(0.0, time.monotonic() - s.player.shown_at))
    stop(s, min(shown, s.network.epoch))
    play(s)
    s.outbox = next_chunk(s)
    if s.outbox is not None:
        s.outbox.replace = True


def _on_player(s: Session, event: str) -> None:
    """The player's messages: play, stop (with the epoch on screen), need (more frames), key (a shortcut)."""
    events = widget("play")
    value = events.get(event) if isinstance(events, dict) else None
    if event == "play":
        if s.player.mode is None:  # the browser sends Play only when idle; a second one would train ahead again
            play(s)
            s.outbox = next_chunk(s)
    elif event == "stop":
        stop(s, _epoch_on_screen(s, value))
    elif event == "need" and s.player.mode is not None:
        s.outbox = next_chunk(s, _epoch_on_screen(s, value))
    elif event == "key" and s.player.mode is None:
        if value == "step":
            _step(s)
        elif value == "back":
            size = widget("step_size", STEP_SIZES[0])
            s.rewind = max(0, (s.network.epoch if s.rewind is None else s.rewind) - size)
            forget_widget("rewind")
        elif value == "reset":
            reset(s)
        else:
            s.notice = ("pg.value_refused", {})


def _epoch_on_screen(s: Session, value) -> int | None:
    """The epoch the browser says it shows, if it is one this run has had (-1: none yet)."""
    shown = value.get("shown") if isinstance(value, dict) else None
    if isinstance(shown, int) and not isinstance(shown, bool) and -1 <= shown <= s.network.epoch:
        return shown if shown >= 0 else None
    s.notice = ("pg.value_refused", {})  # not what the player sends: the run goes on from where it is
    return None


# -- the numbers -----------------------------------------------------------------------------------------------------
def shown_state(s: Session) -> tuple[int, np.ndarray]:
    """The epoch the views show and the parameters there (the live ones unless the learner rewound)."""
    net = s.network
    if s.rewind is None or s.player.mode is not None or s.rewind >= net.epoch:
        return net.epoch, net.params.copy()
    return s.rewind, net.params_at(s.rewind)


def readouts(s: Session) -> None:
    net, loss = s.network, s.scenario.loss
    epoch, params = shown_state(s)
    names = subscript_names(net.parameter_names())
    current = float(net.losses_for(params[:, None], loss)[0])
    floor = error_floor(net, loss)
    c1, c2 = st.columns([1, 2.6], vertical_alignment="center")
    with c1, st.container(key="epoch"):
        live_text("epoch", f"{t('fig.epoch')} {epoch:,}", key="epoch_text", prefix=f"{t('fig.epoch')} ")
    with c2, st.container(key="weights"):
        live_text("weights", " · ".join(f"{n} = {v:.4f}" for n, v in zip(names, params)), key="weights_text",
                  names=names)
    suffix = "  ·  " + t("pg.floor_short", floor=f"{_floor_shown(floor)}") if floor is not None else ""
    with st.container(key="loss_line"):
        live_text("loss", t("pg.current_error", loss=t(f"loss.{loss}"), value=f"{current:.6f}") + suffix,
                  key="loss_text", prefix=t("pg.current_error", loss=t(f"loss.{loss}"), value=""), suffix=suffix,
                  loss_index=LOSS_NAMES.index(loss))
    with st.container(key="status"):
        st.markdown(status_text(s, epoch) or "&nbsp;")


def _floor_shown(floor: float) -> str:
    """The floor rounded down to 4 decimals: "can never fall below" it stays true for the digits shown."""
    return f"{np.floor(floor * 1e4) / 1e4:.4f}"


def status_text(s: Session, epoch: int) -> str:
    net = s.network
    if epoch != net.epoch:
        return t("pg.rewound", epoch=f"{epoch:,}", live=f"{net.epoch:,}")
    if net.stop is not None and s.player.mode is None:
        key = "pg.diverged" if net.stop.kind == "diverged" else "pg.fixed_point"
        return t(key, epoch=f"{net.stop.epoch:,}", rate=f"{net.stop.learning_rate:g}")
    if net.epoch >= MAX_EPOCHS:
        return t("pg.at_limit", limit=f"{MAX_EPOCHS:,}")
    stuck = saturated_rows(net) if net.epoch and s.player.mode is None else None
    if stuck is not None:
        return t("pg.saturated", rows=", ".join(str(r + 1) for r in stuck.rows))
    return ""


# -- the views -------------------------------------------------------------------------------------------------------
def view_chooser(s: Session) -> str:
    checked_widget(s, "view_tab", lambda v: v in VIEWS, "loss")
    c1, c2 = st.columns([4, 1], vertical_alignment="center")
    view = c1.segmented_control(t("pg.view"), VIEWS, required=True, key="view_tab",
                                format_func=lambda v: t(f"tab.{v}"), label_visibility="collapsed") or "loss"
    c2.toggle(t("pg.log_scale"), value=s.log_scale, key="log_scale", disabled=view != "loss",
              on_change=_log_scale, args=(s,))
    return view


def _log_scale(s: Session) -> None:
    s.log_scale = bool(widget("log_scale"))


def draw_view(s: Session, view: str, presenter: bool) -> None:
    net = s.network
    epoch, params = shown_state(s)
    names = subscript_names(net.parameter_names())
    marker = epoch if epoch != net.epoch else None
    marker_label = f"{marker:,}" if marker is not None else ""
    live = {"loss_index": LOSS_NAMES.index(s.scenario.loss)}
    if view == "loss":
        fig, label = _loss_figure(s, marker, marker_label)
        with st.container(key="loss_chart"):
            chart(for_screen(fig, presenter), key="loss_plot", live=live, label=label)
        return
    if view == "weights":
        fig = figures.weights_figure(names, params, y_title=t("fig.weight"), uirevision=s.run_id)
        label = t("alt.weights", values=", ".join(f"{n} {v:.4f}" for n, v in zip(names, params)))
    elif view == "network":
        arch = net.architecture
        layers = arch.split(params)
        weight_params = np.flatnonzero(arch.weight_mask()).tolist()
        fig = figures.network_figure(arch.sizes, [w for w, _ in layers], [b for _, b in layers], ["x₁", "x₂", "x₃"],
                                     weight_params)
        label = t("alt.network", sizes=" → ".join(map(str, arch.sizes)))
    elif view == "trajectories":
        epochs, values = net.weight_samples()
        shown = min(len(names), 16)
        note = t("fig.showing_of", shown=shown, total=len(names)) if shown < len(names) else ""
        fig = figures.trajectories_figure(epochs, values, names, x_title=t("fig.epoch"), y_title=t("fig.weight"),
                                          note=note, marker_epoch=marker, marker_label=marker_label,
                                          uirevision=s.run_id)
        label = t("alt.trajectories", count=shown, epoch=f"{net.epoch:,}")
    else:
        epochs, values = net.weight_samples()
        thinned, _, _, _ = figures.thin(epochs, np.zeros(len(epochs)), max_points=300)
        predictions = net.predictions_for(values[np.searchsorted(epochs, thinned)].T)[:, 0, :].T  # samples × rows
        labels = [t("fig.row", row=i + 1, x=format_row(r), y=f"{y:g}")
                  for i, (r, y) in enumerate(zip(net.inputs, net.outputs[:, 0]))]
        fig = figures.rows_figure(thinned, predictions, labels, net.outputs[:, 0], x_title=t("fig.epoch"),
                                  y_title=t("fig.prediction"), marker_epoch=marker, marker_label=marker_label,
                                  uirevision=s.run_id)
        label = t("alt.rows", count=min(len(labels), len(figures.ROW_COLORS)))
    with st.container(key="view_chart"):
        chart(for_screen(fig, presenter), key=f"{view}_plot", live=live, label=label)


def _loss_figure(s: Session, marker, marker_label) -> tuple[dict, str]:
    net, loss = s.network, s.scenario.loss
    index = LOSS_NAMES.index(loss)
    h = net.history.losses
    live = net.current_loss(loss)
    floor = error_floor(net, loss)
    fig = figures.loss_figure(
        np.r_[h.epochs, net.epoch], np.r_[h.values[:, index], live], np.r_[h.lows[:, index], live],
        np.r_[h.highs[:, index], live], y_title=t(f"loss.{loss}"), x_title=t("fig.epoch"), log_y=s.log_scale,
        floor=floor, floor_label=t("pg.floor_short", floor=_floor_shown(floor)) if floor is not None else "",
        marker_epoch=marker, marker_label=marker_label, band_label=t("fig.range"), uirevision=s.run_id)
    label = t("alt.loss", loss=t(f"loss.{loss}"), epochs=f"{net.epoch:,}", first=f"{h.values[0, index]:.6f}"
              if h.count else f"{live:.6f}", last=f"{live:.6f}")
    return fig, label


# -- run until -----------------------------------------------------------------------------------------------------
def run_until_panel(s: Session, hidden: frozenset[str]) -> None:
    if "run_until" in hidden:
        return
    checked_widget(s, "until_error", lambda v: isinstance(v, float) and 0 < v <= 1, 0.1)
    c1, c2 = st.columns([1.4, 1], vertical_alignment="bottom")
    c1.number_input(t("pg.until", loss=t(f"loss.{s.scenario.loss}")), min_value=0.0001, max_value=1.0, step=0.01,
                    format="%g", key="until_error", disabled=s.player.mode is not None)
    c2.button(t("pg.until_button"), key="run_until", disabled=s.player.mode is not None, on_click=_run_until,
              args=(s,), width="stretch")


def _run_until(s: Session) -> None:
    loss, threshold = s.scenario.loss, widget("until_error", 0.1)
    floor = error_floor(s.network, loss)
    if floor is not None and threshold <= floor:  # it can never get there: say so rather than train in vain
        s.notice = ("pg.until_below_floor", {"threshold": f"{threshold:g}", "floor": _floor_shown(floor)})
        return
    if s.network.current_loss(loss) < threshold:
        s.notice = ("pg.until_done", {"epoch": f"{s.network.epoch:,}", "loss": f"{s.network.current_loss(loss):.6f}"})
        return
    run_until(s, loss, threshold)
    s.outbox = next_chunk(s)


# -- rewind ------------------------------------------------------------------------------------------------------------
def rewind_slider(s: Session, hidden: frozenset[str]) -> None:
    if "rewind" in hidden:
        return
    net = s.network
    busy = s.player.mode is not None or net.epoch == 0
    epoch = net.epoch if s.rewind is None else s.rewind
    set_widget("rewind", epoch if not busy else net.epoch)  # (a value the slider cannot hold never gets here)
    with st.container(key="rewind_box"):
        st.slider(t("pg.rewind"), 0, max(net.epoch, 1), key="rewind", disabled=busy, help=t("pg.rewind_help"),
                  on_change=_rewound, args=(s,), label_visibility="collapsed")
        st.caption(t("pg.rewind_caption", epoch=f"{epoch:,}", live=f"{net.epoch:,}"))


def _rewound(s: Session) -> None:
    value = widget("rewind")
    try:
        s.rewind = None if value >= s.network.epoch else int(value)
    except (TypeError, InputError):
        s.rewind = None
