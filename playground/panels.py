"""The Playground's panels. Each draws one part of the screen and turns the learner's input into actions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from nn_core import LOSS_NAMES, LOSSES, PRESETS, InputError
from nn_core.separability import linear_separability

from . import figures
from .chrome import hidden_controls, restart_editor
from .live_plot import live_plot
from .session import (
    MAX_TARGET_EPOCHS,
    PLAY_INTERVAL,
    PLAY_SPEEDS,
    STEP_SIZES,
    Session,
    apply_scenario,
    parse_weights,
    play_tick,
    reset,
    rows_from_table,
    step,
    toggle_play,
    train_to,
    view_params,
)
from .strings import t
from .workshop import PRESENTER_CHART_FONT

COLUMNS = ["x1", "x2", "x3", "y"]
ACTIVATION_NAMES = ["sigmoid", "tanh", "relu"]
INIT_MODES = ["article", "random", "custom"]


# -- the data -----------------------------------------------------------------------------------------------
def _preset_of(rows) -> str:
    rows = tuple(tuple(float(v) for v in r) for r in rows)
    return next((name for name, p in PRESETS.items() if p.rows() == rows), "custom")


def _choose_preset(s: Session) -> None:
    name = st.session_state["preset"]
    if name == "custom":
        return
    s.notice = apply_scenario(s, s.scenario.with_changes(rows=PRESETS[name].rows(), preset=name)) or s.notice
    restart_editor(s)


def _editor(base: pd.DataFrame) -> pd.DataFrame:
    feature = dict(min_value=-100.0, max_value=100.0, format="%g", required=True)
    return st.data_editor(
        base, key="training_data", num_rows="dynamic", width="stretch",
        column_config={
            "x1": st.column_config.NumberColumn("x1", **feature),
            "x2": st.column_config.NumberColumn("x2", **feature),
            "x3": st.column_config.NumberColumn("x3", **feature),
            "y": st.column_config.NumberColumn("y", min_value=0.0, max_value=1.0, format="%g", required=True),
        },
    )


def data_panel(s: Session) -> None:
    st.subheader(t("pg.data"))
    if s.editor_rows is None:
        s.editor_rows = s.scenario.rows
    hidden = hidden_controls(s)
    preset = _preset_of(s.scenario.rows)
    if st.session_state.get("preset") != preset:
        st.session_state["preset"] = preset
    if "preset" not in hidden:
        st.selectbox(t("pg.preset"), [*PRESETS, "custom"], format_func=lambda n: t(f"preset.{n}"), key="preset",
                     on_change=_choose_preset, args=(s,))
    if "data" in hidden:
        st.dataframe(pd.DataFrame(np.array(s.scenario.rows, dtype=float), columns=COLUMNS), hide_index=True)
        return
    base = pd.DataFrame(np.array(s.editor_rows, dtype=float), columns=COLUMNS)
    base.index = pd.RangeIndex(1, len(base) + 1)
    try:
        edited = _editor(base)
    except (IndexError, KeyError, ValueError, TypeError):
        # Streamlit applies the browser's list of edits itself; a malformed list (only a hostile client sends
        # one) raises there. Keep the page alive and the last valid table in use.
        st.error(t("pg.table_broken"), icon="⚠️")
        return
    st.caption(t("pg.editor_help"))
    try:
        data = rows_from_table(edited[COLUMNS].astype(object).where(edited[COLUMNS].notna(), None).values.tolist())
    except InputError as e:
        st.error(t("pg.invalid", error=str(e)), icon="⚠️")
        return
    except (KeyError, ValueError, TypeError):
        st.error(t("pg.invalid", error="the table could not be read"), icon="⚠️")
        return
    rows = tuple(tuple(r) for r in data.rows())
    if rows != s.scenario.rows:
        preset = _preset_of(rows)
        s.notice = apply_scenario(s, s.scenario.with_changes(rows=rows, preset=None if preset == "custom"
                                                             else preset))
        st.rerun()  # redraw everything for the new data (the preset box and the training views above all)


# -- the settings ---------------------------------------------------------------------------------------------
def _sync_settings_widgets(s: Session) -> None:
    sc = s.scenario
    st.session_state["learning_rate"] = float(sc.learning_rate)
    st.session_state["bias"] = sc.bias
    st.session_state["hidden_units"] = sc.hidden[0] if sc.hidden else 0
    st.session_state["activation"] = sc.activation
    mode = "random" if sc.init == "random" else ("custom" if isinstance(sc.init, tuple) or sc.init != 0.5
                                                 else "article")
    st.session_state["init_mode"] = mode
    if mode == "custom":
        values = sc.init if isinstance(sc.init, tuple) else (sc.init,) * s.network.architecture.n_weights
        st.session_state["init_values"] = ", ".join(f"{v:g}" for v in values)
    st.session_state["seed"] = int(sc.seed if sc.seed is not None else 1)
    st.session_state["loss"] = sc.loss


def _settings_changed(s: Session) -> None:
    """Build the scenario the settings widgets describe; put it in force, or leave an error for the page.

    A widget's value may be missing (a widget not drawn in the last run, or a client that sent only what it
    changed): the scenario's own value stands in for it.
    """
    g, sc = st.session_state, s.scenario
    hidden_units = g.get("hidden_units", sc.hidden[0] if sc.hidden else 0)
    hidden = (int(hidden_units),) if hidden_units else ()
    mode = g.get("init_mode", "random" if sc.init == "random" else "article")
    if hidden and not sc.hidden and mode == "article":
        mode = g["init_mode"] = "random"  # equal starts cannot break the hidden units' symmetry
        s.notice = ("pg.init_hidden_note", {})
    init: float | str | tuple = 0.5
    if mode == "random":
        init = "random"
    elif mode == "custom":
        try:
            init = tuple(parse_weights(g.get("init_values", ""), _n_weights(hidden)))
        except InputError as e:
            g["settings_error"] = str(e)
            return
    try:
        new = sc.with_changes(
            learning_rate=float(g.get("learning_rate", sc.learning_rate)), bias=bool(g.get("bias", sc.bias)),
            hidden=hidden, activation=g.get("activation", sc.activation), init=init,
            seed=int(g.get("seed", sc.seed if sc.seed is not None else 1)) if mode == "random" else None,
            loss=g.get("loss", sc.loss))
    except (InputError, TypeError, ValueError) as e:
        g["settings_error"] = str(e)
        return
    g.pop("settings_error", None)
    notice = apply_scenario(s, new)
    if notice:
        s.notice = notice


def _n_weights(hidden: tuple[int, ...]) -> int:
    sizes = (3, *hidden, 1)
    return sum(a * b for a, b in zip(sizes, sizes[1:]))


def settings_panel(s: Session) -> None:
    if s.widgets_stale:
        _sync_settings_widgets(s)
        s.widgets_stale = False
    on_change = dict(on_change=_settings_changed, args=(s,))
    hidden = hidden_controls(s)
    if "learning_rate" not in hidden:
        st.number_input(t("pg.learning_rate"), min_value=0.0001, max_value=10_000.0, step=0.1, format="%g",
                        key="learning_rate", help=t("pg.learning_rate_help"), **on_change)
    if "settings" in hidden:
        return
    with st.expander(t("pg.settings"), expanded=bool(s.scenario.hidden or s.scenario.bias)):
        st.toggle(t("pg.bias"), key="bias", help=t("pg.bias_help"), **on_change)
        c1, c2 = st.columns(2)
        c1.number_input(t("pg.hidden_units"), min_value=0, max_value=16, step=1, key="hidden_units", **on_change)
        c2.selectbox(t("pg.activation"), ACTIVATION_NAMES, key="activation", disabled=not s.scenario.hidden,
                     **on_change)
        c1.selectbox(t("pg.init"), INIT_MODES, format_func=lambda m: t(f"init.{m}"), key="init_mode", **on_change)
        if st.session_state.get("init_mode") == "random":
            c2.number_input(t("pg.seed"), min_value=0, max_value=2**32 - 1, step=1, key="seed", **on_change)
        if st.session_state.get("init_mode") == "custom":
            n = s.network.architecture.n_weights
            st.text_input(t("pg.init_values", count=n), key="init_values", **on_change)
        st.selectbox(t("pg.loss"), LOSS_NAMES, format_func=lambda m: t(f"loss.{m}"), key="loss", **on_change)
    if st.session_state.get("settings_error"):
        st.error(t("pg.invalid", error=st.session_state["settings_error"]), icon="⚠️")


def separability_warning(s: Session) -> None:
    net = s.network
    if net.architecture.hidden:
        return
    result = linear_separability(net.inputs, net.outputs, bias=net.architecture.bias)
    if not result.separable:
        st.warning(t("pg.not_separable", rows=", ".join(str(i + 1) for i in result.mixed_rows)), icon="✂️")


def loss_floor(s: Session) -> float | None:
    """Without a bias every all-zero row predicts exactly 0.5: the loss can never go below their share."""
    net = s.network
    if net.architecture.bias:
        return None
    zero = ~net.inputs.any(axis=1)
    if not zero.any():
        return None
    y_hat = np.full(net.outputs.shape, 0.5)
    per_row = LOSSES[s.scenario.loss](net.outputs[zero].ravel(), y_hat[zero].ravel())
    return float(per_row) * zero.sum() / len(net.inputs)


# -- training ---------------------------------------------------------------------------------------------------
def training_controls(s: Session) -> None:
    """Step, train, play, reset, run-until. Each acts at once; the views drawn after it show the result.
    A teacher may hide any of them (workshop mode); the others keep their places."""
    net = s.network
    hidden = hidden_controls(s)
    c1, c2, c3, c4 = st.columns([1.2, 1, 1.2, 1], vertical_alignment="bottom")
    if "step" not in hidden:
        size = c1.selectbox(t("pg.step_size"), STEP_SIZES, index=0, key="step_size", format_func=lambda n: f"{n:,}")
        if c2.button(t("pg.step"), key="step", width="stretch", type="primary"):
            step(s, size)
    if "train" not in hidden:
        target = c3.number_input(t("pg.target_epochs"), min_value=1, max_value=MAX_TARGET_EPOCHS, step=1000,
                                 value=int(s.scenario.target_epochs), key="target_epochs")
        if c4.button(t("pg.train_button"), key="train", width="stretch"):
            _train_with_progress(s, target)
    c5, c6, c7, c8 = st.columns([1.2, 1, 1.2, 1], vertical_alignment="bottom")
    if "speed" not in hidden:
        c5.selectbox(t("pg.speed"), PLAY_SPEEDS, index=PLAY_SPEEDS.index(s.play_speed), key="play_speed",
                     format_func=lambda n: f"{n:,}", on_change=_set_speed, args=(s,))
    if "play" not in hidden and c6.button(t("pg.stop") if s.playing else t("pg.play"), key="play", width="stretch"):
        toggle_play(s)
        st.rerun()  # the live timer is set when the whole page runs
    if "run_until" not in hidden:
        threshold = c7.number_input(t("pg.until"), min_value=0.0001, max_value=1.0, value=0.1, step=0.01,
                                    format="%g", key="until_error")
        if c8.button(t("pg.until_button"), key="run_until", width="stretch"):
            s.playing, s.rewind_follows = False, True
            loss = s.scenario.loss
            net.run_until(threshold, max(0, MAX_TARGET_EPOCHS - net.epoch), loss=loss)
            reached = net.current_loss(loss)
            key = "pg.until_done" if reached < threshold else "pg.until_not"
            st.info(t(key, epoch=f"{net.epoch:,}", loss=f"{reached:.4f}"))
    if "reset" not in hidden and st.button(t("pg.reset"), key="reset"):
        reset(s)


def _train_with_progress(s: Session, target: int) -> None:
    net = s.network
    if target <= net.epoch:
        st.info(t("pg.already_there", epoch=f"{net.epoch:,}"))
        return
    bar = st.progress(0.0, text=t("pg.training_progress", done=f"{net.epoch:,}", total=f"{target:,}"))

    def progress(done, total):
        bar.progress(done / max(total, 1), text=t("pg.training_progress", done=f"{net.epoch:,}", total=f"{target:,}"))

    train_to(s, target, progress)
    bar.empty()


def _set_speed(s: Session) -> None:
    s.play_speed = int(st.session_state["play_speed"])


VIEWS = ("loss", "weights", "network", "trajectories", "rows")


def training_panel(s: Session) -> None:
    """The controls, the view chooser and every view of the network, as two nested fragments.

    A click on a control reruns only this panel, not the page. While playing, a browser timer reruns the inner
    fragment (the numbers and the chosen view) PLAY_INTERVAL apart, each run advancing the network a little.
    Everything that does not change while playing stays outside it, so a tick redraws as little as possible
    and a click on Stop always lands on a button that is not being redrawn.
    """

    @st.fragment
    def panel():
        st.subheader(t("pg.train"))
        training_controls(s)
        view_chooser()

        @st.fragment(run_every=PLAY_INTERVAL if s.playing else None)
        def live_views():
            if s.playing:
                play_tick(s)
            status(s)
            views(s)

        live_views()

    panel()


def view_chooser() -> None:
    """Which view to show: like tabs, but only the chosen view is computed and sent, and the chooser stays
    outside the live fragment (tabs inside it cost more to redraw than the chart)."""
    st.segmented_control(t("pg.view"), VIEWS, default="loss", required=True, key="view_tab",
                         format_func=lambda v: t(f"tab.{v}"), label_visibility="collapsed")


def status(s: Session) -> None:
    net = s.network
    if net.diverged:
        d = net.divergence
        st.error(t("pg.diverged", epoch=f"{d.epoch:,}", reason=d.reason, rate=f"{d.learning_rate:g}"), icon="💥")


def weights_text(names, values) -> str:
    return " · ".join(f"{n} = {v:.4f}" for n, v in zip(names, values))


def subscript_names(names) -> list[str]:
    """w1 → w₁: keeps digits out of the labels, so the only numbers in the weights text are the weights."""
    table = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
    return [n.translate(table) for n in names]


def views(s: Session) -> None:
    net = s.network
    epoch_shown = None if s.rewind_follows else st.session_state.get("rewind")
    if s.playing or "rewind" in hidden_controls(s):  # while playing, the views follow the live network
        s.rewind_follows, epoch_shown = True, None
    elif net.epoch > 0:
        if s.rewind_follows:
            st.session_state["rewind"] = net.epoch
        st.slider(t("pg.rewind"), 0, net.epoch, key="rewind", help=t("pg.rewind_help"),
                  on_change=_rewound, args=(s,))
        epoch_shown = st.session_state["rewind"]
    epoch, params = view_params(s, epoch_shown)
    if epoch != net.epoch:
        st.caption(t("pg.rewound", epoch=f"{epoch:,}", live=f"{net.epoch:,}"))
    names = subscript_names(net.parameter_names())
    loss_name = s.scenario.loss
    y_hat = net.predictions_for(params)
    current = float(LOSSES[loss_name](net.outputs.ravel(), y_hat.ravel()))
    m1, m2 = st.columns([1.3, 2])  # wide enough for "1,000,000" in presenter type
    with m1.container(key="epoch"):
        st.metric(t("fig.epoch"), f"{epoch:,}", label_visibility="collapsed")
    m1.caption(t("pg.current_error", loss=t(f"loss.{loss_name}"), value=f"{current:.6f}"))
    with m2.container(key="weights"):
        st.markdown(f"**{t('pg.weights')}**")
        st.text(weights_text(names, params))

    floor = loss_floor(s)
    if floor is not None:
        st.caption(t("pg.floor", floor=f"{floor:.4f}"))
    marker = epoch if epoch != net.epoch else None
    draw = dict(zip(VIEWS, (loss_view, weights_view, network_view, trajectories_view, rows_view)))
    draw[st.session_state.get("view_tab") or "loss"](s, params, names, marker, floor)


CHART_CONFIG = {"displayModeBar": False}


def chart(fig) -> None:
    """Draw a figure from figures.py: full width, no toolbar, and theme=None (the figures carry their own style;
    Streamlit's theme would restyle them in the browser at every update)."""
    st.plotly_chart(for_screen(fig), width="stretch", theme=None, config=CHART_CONFIG)


def live_chart(fig, key: str) -> None:
    """Draw a Playground view's figure, updated in place at each tick (live_plot.py)."""
    live_plot(for_screen(fig), key=key)


def for_screen(fig):
    """In presenter mode, chart text as large as the page's, so that it reads on a projector."""
    if st.session_state.get("presenter"):
        fig = dict(fig, layout=dict(fig["layout"], font=dict(size=PRESENTER_CHART_FONT)))
    return fig


def loss_view(s: Session, params, names, marker, floor) -> None:
    net, loss_name = s.network, s.scenario.loss
    index = LOSS_NAMES.index(loss_name)
    # Kept in the session as well: a widget's own state is dropped while another view hides it.
    log_y = st.toggle(t("pg.log_scale"), value=s.log_scale, key="log_scale", on_change=_set_log_scale, args=(s,))
    losses = net.history.losses
    live = net.current_loss(loss_name)
    fig = figures.loss_figure(
        np.r_[losses.epochs, net.epoch], np.r_[losses.values[:, index], live], np.r_[losses.lows[:, index], live],
        np.r_[losses.highs[:, index], live], y_title=t(f"loss.{loss_name}"), x_title=t("fig.epoch"), log_y=log_y,
        floor=floor, floor_label=t("pg.floor_short", floor=f"{floor:.4f}") if floor else "",
        marker_epoch=marker, marker_label=f"{marker:,}" if marker is not None else "", band_label=t("fig.range"))
    with st.container(key="loss_chart"):
        live_chart(fig, key="loss_plot")


def _set_log_scale(s: Session) -> None:
    s.log_scale = bool(st.session_state["log_scale"])


def weights_view(s: Session, params, names, marker, floor) -> None:
    live_chart(figures.weights_figure(names, params, y_title=t("fig.weight")), key="weights_plot")


def network_view(s: Session, params, names, marker, floor) -> None:
    arch = s.network.architecture
    layers = arch.split(params)
    live_chart(figures.network_figure(arch.sizes, [w for w, _ in layers], [b for _, b in layers], ["x₁", "x₂", "x₃"]),
               key="network_plot")


def trajectories_view(s: Session, params, names, marker, floor) -> None:
    epochs, values = s.network.weight_samples()
    shown = min(len(names), 16)
    note = t("fig.showing_of", shown=shown, total=len(names)) if shown < len(names) else ""
    live_chart(figures.trajectories_figure(epochs, values, names, x_title=t("fig.epoch"), y_title=t("fig.weight"),
                                           note=note, marker_epoch=marker), key="trajectories_plot")


def rows_view(s: Session, params, names, marker, floor) -> None:
    net = s.network
    epochs, values = net.weight_samples()
    thinned, _, _, _ = figures.thin(epochs, np.zeros(len(epochs)), max_points=300)
    predictions = net.predictions_for(values[np.searchsorted(epochs, thinned)])[..., 0]  # samples × rows
    labels = [t("fig.row", row=i + 1, x=format_row(r), y=f"{y:g}")
              for i, (r, y) in enumerate(zip(net.inputs, net.outputs[:, 0]))]
    live_chart(figures.rows_figure(thinned, predictions, labels, net.outputs[:, 0], x_title=t("fig.epoch"),
                                   y_title=t("fig.prediction"), marker_epoch=marker), key="rows_plot")


def format_row(r) -> str:
    """[1, 0, 1]: a row of features as the learner reads it."""
    return "[" + ", ".join(f"{v:g}" for v in r) + "]"


def _rewound(s: Session) -> None:
    s.rewind_follows = st.session_state["rewind"] >= s.network.epoch
