"""You are the optimiser: set the weights by hand on the Playground's data, see the error and the update backprop would
make from there, walk the error surface, then race backprop from where you started."""

import math
from itertools import combinations

import numpy as np
import streamlit as st

from nn_core import InputError
from nn_core.settings import INIT_LIMIT
from nn_core.updates import update_from
from playground.learn.hand import RACE_EPOCHS, arrow_scale, race, surface
from playground.live.component import chart
from playground.panels import page
from playground.state.actions import new_attempt, set_hand
from playground.state.widgets import checked_widget, set_widget, widget
from playground.strings import t
from playground.strings.errors import explain
from playground.views.page_charts import optimiser_figure
from playground.views.playground import subscript_names
from playground.views.plot import for_screen

SLIDER_LIMIT = 10.0  # the sliders' reach; the number boxes take any weight the app allows

s, hidden, presenter = page.start(t("op.title"), t("op.intro"))
net = s.network
arch = net.architecture
names = arch.parameter_names()  # w1, w2, w3 (and b)
labels = subscript_names(names)
keys = [f"hand_{name}" for name in names]


def show_hand(values) -> None:
    """Put hand-set values into the number boxes and the sliders (from a callback, before they are drawn)."""
    for key, v in zip(keys, values):
        set_widget(key, float(v))
        set_widget(f"{key}_slider", float(np.clip(v, -SLIDER_LIMIT, SLIDER_LIMIT)))


def moved(i: int, from_slider: bool) -> None:
    value = widget(f"{keys[i]}_slider" if from_slider else keys[i])
    values = list(s.practice.hand)
    try:
        values[i] = float(value)  # None: an empty box, or a value past the limits (see the number boxes)
        set_hand(s, values)
    except InputError as e:
        s.notice = ("pg.invalid_setting", {"error": explain(e, starts_sentence=True)})
    except (TypeError, ValueError, OverflowError):
        s.notice = ("pg.value_refused", {})
    show_hand(s.practice.hand)


def from_network() -> None:
    set_hand(s, net.params)
    new_attempt(s)
    show_hand(s.practice.hand)


if arch.hidden:
    st.info(t("op.hidden", units=arch.hidden[0], count=f"{arch.n_params:,}"))
else:
    if s.practice.hand is None or len(s.practice.hand) != arch.n_params:
        set_hand(s, net.initial_params)  # start where training starts
        new_attempt(s)
        show_hand(s.practice.hand)

    def fine(v, limit=INIT_LIMIT) -> bool:
        return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and abs(v) <= limit

    for i, key in enumerate(keys):
        checked_widget(s, key, fine, float(s.practice.hand[i]))
        checked_widget(s, f"{key}_slider", lambda v: fine(v, SLIDER_LIMIT),
                       float(np.clip(s.practice.hand[i], -SLIDER_LIMIT, SLIDER_LIMIT)))

    hand = np.array(s.practice.hand)
    path = np.array(s.practice.path)
    here = update_from(net, hand)
    error, update = float(here.error[0]), here.downhill[0]

    left, right = st.columns([1, 1.45], gap="large")
    with left:
        c1, c2 = st.columns([1, 1.6], vertical_alignment="top")
        with c1, st.container(key="hand_error"):
            before = float(net.losses_for(path[-2])[0]) if len(path) > 1 else None
            st.metric(t("op.error"), f"{error:.6f}", delta=None if before is None else f"{error - before:+.6f}",
                      delta_color="inverse", help=t("op.error_help"))
        with c2, st.container(key="hand_gradient"):
            st.markdown(t("op.update"), help=t("op.update_help", rate=f"{net.learning_rate:g}"))
            st.markdown("  \n".join(f"{label} {'⬆' if u > 0 else '⬇' if u < 0 else '•'} `{u:+.6f}`"
                                    for label, u in zip(labels, update)))
        st.markdown(f"**{t('op.weights')}**")
        for i, key in enumerate(keys):
            c1, c2 = st.columns([1, 1.4], vertical_alignment="bottom")
            # value=None: a value past the limits (only a hostile client sends one) then arrives as None and is
            # refused, where Streamlit would otherwise put the widget's default in its place.
            c1.number_input(labels[i], min_value=-INIT_LIMIT, max_value=INIT_LIMIT, value=None, step=0.1, format="%g",
                            key=key, on_change=moved, args=(i, False))
            c2.slider(labels[i], -SLIDER_LIMIT, SLIDER_LIMIT, step=0.05, key=f"{key}_slider",
                      label_visibility="collapsed", on_change=moved, args=(i, True))
        st.caption(t("op.weights_help", limit=f"{SLIDER_LIMIT:g}"))
        with st.container(horizontal=True, gap="small"):
            racing = st.button(t("op.race"), key="race", type="primary", help=t("op.race_help"))
            st.button(t("op.new_attempt"), key="hand_new_attempt", on_click=new_attempt, args=(s,))
            st.button(t("op.from_network", epoch=f"{net.epoch:,}"), key="hand_from_network", on_click=from_network)
        if racing:  # in the page, not a callback: a large table takes a moment, and the page says so meanwhile
            with st.spinner(t("op.racing", epochs=f"{RACE_EPOCHS:,}")):
                s.practice.race = (s.run_id, race(net, s.practice.path[0]))
        raced = s.practice.race[1] if s.practice.race and s.practice.race[0] == s.run_id else None
        with st.container(key="race_result"):
            if raced is not None:
                moves = len(path) - 1
                caught = raced.caught_up(error)
                values = dict(error=f"{error:.6f}", moves=moves, epochs=f"{raced.epochs:,}",
                              final=f"{raced.errors[-1]:.6f}", rate=f"{raced.learning_rate:g}")
                if caught is None:
                    st.success(t("op.race_won", **values), icon="🏆")
                else:
                    st.info(t("op.race_lost", epoch=f"{caught:,}", **values), icon="🏁")

    with right:
        pairs = list(combinations(range(len(names)), 2))
        checked_widget(s, "hand_axes", lambda v: tuple(v) in pairs, pairs[0])
        a, b = st.selectbox(t("op.axes"), pairs, key="hand_axes",
                            format_func=lambda p: t("op.axes_pair", a=labels[p[0]], b=labels[p[1]]))
        step = net.learning_rate * update[[a, b]]
        shown = [hand[[a, b]], hand[[a, b]] + step, *path[:, [a, b]]] + ([] if raced is None else
                                                                             list(raced.path[:, [a, b]]))
        window = surface(net, hand, a, b, shown)
        span = max(np.ptp(window.grid_a), np.ptp(window.grid_b))
        times = arrow_scale(step, span)
        fig = optimiser_figure(
            window.grid_a, window.grid_b, window.error, point=hand[[a, b]], step_end=hand[[a, b]] + times * step,
            names=(labels[a], labels[b]), path=path[:, [a, b]], race=None if raced is None else raced.path[:, [a, b]],
            labels={"color": t("loss.mae"), "you": t("op.you"), "path": t("op.your_path"),
                    "race": t("op.backprop_path"),
                    "step": t("op.step", times=f"{times:g}") if times > 1 else t("op.step_plain")})
        chart(for_screen(fig, presenter), key="hand_surface_plot", height="max(340px, 52vh)",
              label=t("alt.surface", a=labels[a], b=labels[b], error=f"{error:.6f}"))
        others = [f"{labels[k]} = {hand[k]:g}" for k in range(len(names)) if k not in (a, b)]
        st.caption(t("op.surface_help", others=", ".join(others)))
