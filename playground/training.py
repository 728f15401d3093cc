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
from nn_core.analysis import error_floor, saturated_rows, update_from
from nn_core.settings import INIT_LIMIT, MAX_EPOCHS

from . import diagnosis, figures, room_panel
from .errors import explain
from .links import keep_url
from .live import chart, live_text, player, scroll_to
from .look import for_screen
from .page import show_notice
from .session import (
    PLAY_SPEEDS,
    ROWS_DRAWN,
    STEP_SIZES,
    Session,
    checked_widget,
    forget_widget,
    next_chunk,
    play,
    reset,
    run_until,
    set_weight,
    set_widget,
    step,
    stop,
    train_to,
    widget,
)
from .strings import t

VIEWS = ("loss", "weights", "network", "trajectories", "rows", "shares")
PER_FRAME_VIEWS = ("network", "shares")  # views with numbers computed for each frame sent (not frozen while live)
MAX_FRAMES_KEPT = 240  # frames whose per-frame views are kept while playing (two chunks are about 75)


def subscript_names(names) -> list[str]:
    """w1 → w₁: keeps digits out of the labels, so the only numbers in the weights text are the weights."""
    table = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
    return [n.translate(table) for n in names]


def format_row(r) -> str:
    """[1, 0, 1]: a row of features as the learner reads it."""
    return "[" + ", ".join(f"{v:g}" for v in r) + "]"


CHART_HEIGHT = {False: "max(300px, 42vh)", True: "max(360px, 52vh)"}  # presenter mode: a chart for a projector


def training_panel(s: Session, hidden: frozenset[str], presenter: bool) -> None:
    @st.fragment
    def panel():
        show_notice(s)
        sent = controls(s, hidden)
        readouts(s)
        view = view_chooser(s)
        draw_view(s, view, presenter)
        rewind_slider(s, hidden)
        keep_url(s)  # a click here reruns only this panel: the address bar must follow the run from here too
        room_panel.share(s)  # a presenter's room follows every step, play and rewind
        if diagnosis.outdated(s) and _fragment_rerun():
            # The diagnosis panel beside this column names a cause that changed: redraw the page. The frames just
            # sent go again (the player knows them by number and plays on), so a run that stopped by itself is
            # still shown to its end.
            s.outbox = sent
            st.rerun()

    panel()


def _fragment_rerun() -> bool:
    """This run redraws only the training column (a click inside it), not the whole page."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return bool(ctx and ctx.fragment_ids_this_run)


# -- controls -------------------------------------------------------------------------------------------------------
def controls(s: Session, hidden: frozenset[str]):
    """The training controls; returns the chunk of frames sent to the player in this run, if any."""
    busy = s.player.mode is not None
    sent = None
    checked_widget(s, "step_size", lambda v: v in STEP_SIZES, STEP_SIZES[0])
    checked_widget(s, "target_epochs", lambda v: isinstance(v, int) and 1 <= v <= MAX_EPOCHS,
                   s.scenario.target_epochs)
    checked_widget(s, "play_speed", lambda v: v in PLAY_SPEEDS, s.player.speed)
    with st.container(key="controls", horizontal=True, vertical_alignment="bottom", gap="xsmall"):
        if "step" not in hidden:
            st.selectbox(t("pg.step_size"), STEP_SIZES, key="step_size", disabled=busy, width=92,
                         format_func=lambda n: t("pg.epochs_n", n=f"{n:,}"), label_visibility="collapsed")
            st.button(t("pg.step"), key="step", type="primary", disabled=busy, on_click=_step, args=(s,))
        if "play" not in hidden:
            with st.container(key="play_box", width=104):
                sent = _take_outbox(s)
                player(key="play", mode=s.player.mode, chunk=sent, disabled=False,
                       on_play=lambda: _on_player(s, "play"), on_stop=lambda: _on_player(s, "stop"),
                       on_need=lambda: _on_player(s, "need"), on_key=lambda: _on_player(s, "key"))
        if "reset" not in hidden:  # the essentials first: on a phone they make one bar above the chart
            st.button(t("pg.reset"), key="reset", disabled=busy, on_click=_reset, args=(s,))
        if "speed" not in hidden:
            st.selectbox(t("pg.speed"), PLAY_SPEEDS, key="play_speed", width=104, label_visibility="collapsed",
                         format_func=lambda n: t("pg.per_second", n=f"{n:,}"), on_change=_speed, args=(s,))
        if "train" not in hidden:
            st.button(t("pg.train_button"), key="train", disabled=busy, on_click=_train, args=(s,))
            st.number_input(t("pg.target_epochs"), min_value=1, max_value=MAX_EPOCHS, step=1000, key="target_epochs",
                            disabled=busy, width=96, label_visibility="collapsed", format="%d")
    return sent


def keyboard_help() -> None:
    """The keyboard shortcuts (live.js), in a small popover."""
    with st.popover(t("kb.button"), icon=":material/keyboard:", help=t("kb.title"), key="keyboard_help",
                    type="tertiary"):
        st.markdown(t("kb.text"))


def _take_outbox(s: Session):
    chunk, s.outbox = s.outbox, None
    _keep_frames(s, chunk)
    if chunk is not None:
        s.last_chunk = chunk
    return chunk


def _keep_frames(s: Session, chunk) -> None:
    """Remember the frames the browser may still be playing, so that views computed per frame follow them: the
    frames it has not shown yet of the earlier chunks, and this chunk's."""
    if chunk is None:
        if s.player.mode is None:
            s.frames_sent = None
        return
    epochs, params = np.asarray(chunk.epochs), np.asarray(chunk.params)
    if s.frames_sent is not None and not chunk.replace:
        old_epochs, old_params = s.frames_sent
        keep = (old_epochs >= s.player.shown) & (old_epochs < (epochs[0] if len(epochs) else np.inf))
        epochs, params = np.r_[old_epochs[keep], epochs], np.vstack([old_params[keep], params])
    s.frames_sent = (epochs[-MAX_FRAMES_KEPT:], params[-MAX_FRAMES_KEPT:])


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


def _screen_epoch(s: Session) -> int | None:
    """About the epoch the browser shows while playing (from what it last said and the time since), else None."""
    if s.player.mode != "play":
        return None
    shown = s.player.shown + int(s.player.speed * max(0.0, time.monotonic() - s.player.shown_at))
    return min(shown, s.network.epoch)


def _restart_play(s: Session) -> None:
    stop(s, _screen_epoch(s))
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
    current = float(net.losses_for(params, loss)[0])
    floor = error_floor(net, loss)
    c1, c2 = st.columns([1, 2.6], vertical_alignment="center")
    with c1, st.container(key="epoch"):
        live_text("epoch", f"{t('fig.epoch')} {epoch:,}", key="epoch_text", prefix=f"{t('fig.epoch')} ")
    with c2, st.container(key="weights"):
        live_text("weights", " · ".join(f"{n}\u00a0=\u00a0{v:.4f}" for n, v in zip(names, params)), key="weights_text",
                  names=names)
    suffix = "  ·  " + t("pg.floor_short", floor=f"{_floor_shown(floor)}") if floor is not None else ""
    c1, c2 = st.columns([1.1, 1], vertical_alignment="top")
    with c1, st.container(key="loss_line"):
        name = t(f"lossname.{loss}")
        live_text("loss", t("pg.current_error", loss=name, value=f"{current:.6f}") + suffix, key="loss_text",
                  prefix=t("pg.current_error", loss=name, value=""), suffix=suffix, loss_index=LOSS_NAMES.index(loss))
    with c2, st.container(key="status"):  # two lines are always kept for it: nothing below moves when it speaks
        st.markdown(status_text(s, epoch) or "&nbsp;")


def _floor_shown(floor: float) -> str:
    """The floor rounded down to 4 decimals: "can never fall below" it stays true for the digits shown."""
    return f"{np.floor(floor * 1e4) / 1e4:.4f}"


def status_text(s: Session, epoch: int) -> str:
    net = s.network
    if epoch != net.epoch:
        return t("pg.rewound", epoch=f"{epoch:,}", live=f"{net.epoch:,}")
    if net.stop is not None and s.player.mode is None:
        return t(f"pg.{net.stop.kind}", epoch=f"{net.stop.epoch:,}", rate=f"{net.stop.learning_rate:g}",
                 error=f"{net.current_loss():.6f}")
    if net.epoch >= MAX_EPOCHS:
        return t("pg.at_limit", limit=f"{MAX_EPOCHS:,}")
    stuck = saturated_rows(net) if net.epoch and s.player.mode is None else None
    if stuck is not None:
        return t("pg.saturated", rows=diagnosis.rows_named(stuck.rows))
    return ""


# -- the views -------------------------------------------------------------------------------------------------------
def view_chooser(s: Session) -> str:
    checked_widget(s, "view_tab", lambda v: v in VIEWS, "loss")
    c1, c2 = st.columns([5, 1], vertical_alignment="center")
    view = c1.segmented_control(t("pg.view"), VIEWS, required=True, key="view_tab",
                                format_func=lambda v: t(f"tab.{v}"), label_visibility="collapsed") or "loss"
    c2.toggle(t("pg.log_scale"), value=s.log_scale, key="log_scale", disabled=view != "loss",
              on_change=_log_scale, args=(s,))
    return view


def _log_scale(s: Session) -> None:
    s.log_scale = bool(widget("log_scale"))


def draw_view(s: Session, view: str, presenter: bool) -> None:
    """The chosen view's chart. While live training plays, the chart keeps the figure it had at the epoch on screen
    when play began and the browser extends it frame by frame: the same figure at every chunk costs one reference
    (Streamlit sends a repeated large message as a reference to the copy the browser has), not its size again.
    Views whose numbers the server computes for each frame (the diagram's hover, each row's share) are drawn
    afresh with each chunk instead, carrying that chunk's frames."""
    live = s.player.mode is not None
    if live and view not in PER_FRAME_VIEWS:
        if view not in s.player.frozen:
            s.player.frozen[view] = view_figure(s, view, until=s.player.shown)
        fig, label = s.player.frozen[view]
    else:
        fig, label = view_figure(s, view)
    with st.container(key="loss_chart" if view == "loss" else "view_chart"):
        chart(for_screen(fig, presenter), key=f"{view}_plot", label=label, height=CHART_HEIGHT[presenter],
              live={"loss_index": LOSS_NAMES.index(s.scenario.loss)},
              on_select=(lambda: _edge_clicked(s)) if view == "network" else None)
        if view == "network":
            edge_editor(s, shown_state(s)[1])


def view_figure(s: Session, view: str, until: int | None = None) -> tuple[dict, str]:
    """(figure, text alternative) of a view, for the shown epoch, or as it was at epoch ``until`` (live play)."""
    net = s.network
    epoch, params = shown_state(s) if until is None else (until, net.params_at(until))
    end, end_params = (net.epoch, net.params) if until is None else (until, params)  # where the curves end
    names = subscript_names(net.parameter_names())
    marker = epoch if epoch != end else None
    marker_label = f"{marker:,}" if marker is not None else ""
    revision = f"run-{s.run_id}"
    if view == "loss":
        return _loss_figure(s, end, end_params, marker, marker_label)
    if view == "weights":
        fig = figures.weights_figure(names, params, y_title=t("fig.weight"), uirevision=revision)
        return fig, t("alt.weights", values=", ".join(f"{n} {v:.4f}" for n, v in zip(names, params)))
    if view == "network":
        return _network_figure(s, params), t("alt.network", sizes=" → ".join(map(str, net.architecture.sizes)))
    if view == "shares":
        return _shares_figure(s, params), t("alt.shares", count=len(net.inputs), params=len(names))
    epochs, values = _samples_until(net, end, end_params)
    if view == "trajectories":
        shown = min(len(names), 16)
        note = t("fig.showing_of", shown=shown, total=len(names)) if shown < len(names) else ""
        fig = figures.trajectories_figure(epochs, values, names, x_title=t("fig.epoch"), y_title=t("fig.weight"),
                                          note=note, marker_epoch=marker, marker_label=marker_label,
                                          uirevision=revision)
        return fig, t("alt.trajectories", count=shown, epoch=f"{end:,}")
    thinned, _, _, _ = figures.thin(epochs, np.zeros(len(epochs)), max_points=300)
    rows = min(len(net.inputs), ROWS_DRAWN)
    predictions = net.predictions_for(values[np.searchsorted(epochs, thinned)], net.inputs[:rows])[:, :, 0]
    labels = [t("fig.row", row=i + 1, x=format_row(r), y=f"{y:g}")
              for i, (r, y) in enumerate(zip(net.inputs[:rows], net.outputs[:rows, 0]))]
    fig = figures.rows_figure(thinned, predictions, labels, net.outputs[:rows, 0], x_title=t("fig.epoch"),
                              y_title=t("fig.prediction"), marker_epoch=marker, marker_label=marker_label,
                              uirevision=revision)
    return fig, t("alt.rows", count=rows)


def _samples_until(net, end: int, params_at_end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The stored weight samples up to epoch ``end``, ending with the weights at ``end``."""
    epochs, values = net.weight_samples()
    keep = epochs < end
    return np.r_[epochs[keep], end], np.vstack([values[keep], params_at_end])


def _loss_figure(s: Session, end: int, params_at_end: np.ndarray, marker, marker_label) -> tuple[dict, str]:
    net, loss = s.network, s.scenario.loss
    index = LOSS_NAMES.index(loss)
    h = net.history.losses
    keep = h.epochs < end
    last = float(net.losses_for(params_at_end, loss)[0])
    floor = error_floor(net, loss)
    fig = figures.loss_figure(
        np.r_[h.epochs[keep], end], np.r_[h.values[keep, index], last], np.r_[h.lows[keep, index], last],
        np.r_[h.highs[keep, index], last], y_title=t(f"loss.{loss}"), x_title=t("fig.epoch"), log_y=s.log_scale,
        floor=floor, floor_label=t("pg.floor_short", floor=_floor_shown(floor)) if floor is not None else "",
        marker_epoch=marker, marker_label=marker_label, band_label=t("fig.range"), uirevision=f"run-{s.run_id}")
    first = f"{h.values[0, index]:.6f}" if h.count else f"{last:.6f}"
    return fig, t("alt.loss", loss=t(f"loss.{loss}"), epochs=f"{end:,}", first=first, last=f"{last:.6f}")


def _frames(s: Session) -> tuple[np.ndarray, np.ndarray] | None:
    """The frames live play is showing (epochs, parameters per frame), or None when the views show one state."""
    return s.frames_sent if s.player.mode is not None else None


def _shares_figure(s: Session, params: np.ndarray) -> dict:
    net = s.network
    shown = update_from(net, params, shares=True)
    frames = None
    sent = _frames(s)
    if sent is not None:
        epochs, frame_params = sent
        own = figures.own_rows(len(net.inputs))
        per_frame = update_from(net, frame_params, shares=True, rows=own)  # shares: frames × own rows × parameters
        frames = figures.Frames(epochs, list(per_frame.shares), list(per_frame.downhill))
    return figures.shares_figure(subscript_names(net.parameter_names()), shown.shares[0], row_labels(net),
                                 y_title=t("fig.share"), total_label=t("fig.share_total"),
                                 others_label=t("fig.other_rows"), frames=frames, uirevision=f"run-{s.run_id}",
                                 short_labels=[t("fig.row_short", row=r + 1) for r in range(len(net.inputs))])


def row_labels(net) -> list[str]:
    return [t("fig.row", row=i + 1, x=format_row(r), y=f"{y:g}") for i, (r, y) in enumerate(zip(net.inputs,
                                                                                                 net.outputs[:, 0]))]


def edge_names(net) -> list[str]:
    """Each weight's line in the diagram, as "w₁: x₁ → ŷ" (in the order the lines are drawn)."""
    arch = net.architecture
    names = subscript_names(arch.parameter_names())
    weight_params = np.flatnonzero(arch.weight_mask())
    units = [[f"x{i + 1}" for i in range(arch.n_inputs)], *[[f"h{j + 1}" for j in range(n)] for n in arch.hidden],
             ["ŷ"]]
    ends = [(a, b) for k, (n_in, n_out) in enumerate(arch.layer_shapes) for a in units[k][:n_in]
            for b in units[k + 1][:n_out]]
    return [f"{names[p]}: {' → '.join(subscript_names(end))}" for p, end in zip(weight_params, ends)]


def _network_figure(s: Session, params: np.ndarray) -> dict:
    net = s.network
    arch = net.architecture
    layers = arch.split(params)
    weight_params = np.flatnonzero(arch.weight_mask()).tolist()
    rate = net.rate_at(shown_state(s)[0])
    updates = rate * update_from(net, params).downhill[0, weight_params]
    frames = None
    sent = _frames(s)
    if sent is not None:
        epochs, frame_params = sent
        per_frame = net.learning_rate * update_from(net, frame_params).downhill[:, weight_params]
        frames = figures.Frames(epochs, list(frame_params[:, weight_params]), list(per_frame))
    hover = (f"%{{text}}<br>{t('fig.edge_weight')} %{{customdata[1]:.4f}}<br>{t('fig.edge_update')} "
             f"%{{customdata[2]:+.6f}}<br><i>{t('fig.edge_click')}</i><extra></extra>")
    return figures.network_figure(arch.sizes, [w for w, _ in layers], [b for _, b in layers], ["x₁", "x₂", "x₃"],
                                  weight_params, updates=updates, edge_names=edge_names(net), hover=hover,
                                  frames=frames)


def _edge_clicked(s: Session) -> None:
    """A line of the network diagram was clicked: the browser sends its parameter (checked: it is foreign input)."""
    value = (widget("network_plot") or {}).get("select")
    weights = np.flatnonzero(s.network.architecture.weight_mask())
    if not isinstance(value, int) or isinstance(value, bool) or value not in weights:
        s.notice = ("pg.value_refused", {})
        return
    s.practice.edge = value
    s.practice.scrolls += 1  # bring the box into view again, even for the same line
    set_widget("edge_weight", float(shown_state(s)[1][value]))


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
        set_weight(s, index, value, shown=_screen_epoch(s))
    except InputError as e:
        s.notice = ("pg.invalid_setting", {"error": explain(e, starts_sentence=True)})
        return
    s.practice.edge = None
    s.notice = ("pg.weight_set", {"name": name, "value": f"{value:g}", "epoch": f"{s.network.epoch:,}"})


def _cancel_edge(s: Session) -> None:
    s.practice.edge = None


# -- run until -----------------------------------------------------------------------------------------------------
def run_until_panel(s: Session, hidden: frozenset[str]) -> None:
    if "run_until" in hidden:
        return
    checked_widget(s, "until_error", lambda v: isinstance(v, float) and 0 < v <= 1, 0.1)
    c1, c2 = st.columns([1.4, 1], vertical_alignment="bottom")
    c1.number_input(t("pg.until", loss=t(f"lossname.{s.scenario.loss}")), min_value=0.0001, max_value=1.0, step=0.01,
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
    sent = widget("rewind")
    if isinstance(sent, int) and not isinstance(sent, bool) and sent > net.epoch:
        # The slider's value from a longer run (before a Stop went back to the epoch on screen, or a Reset): the
        # browser sends it back once. Stale, not hostile: dropped without a message.
        forget_widget("rewind")
    checked_widget(s, "rewind", lambda v: isinstance(v, int) and 0 <= v <= max(net.epoch, 1), epoch)
    set_widget("rewind", epoch if not busy else net.epoch)
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
