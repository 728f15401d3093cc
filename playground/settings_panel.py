"""The network's settings: the learning rate, and (in an expander) bias, hidden layer, starting weights, seed,
batch and the loss the charts show. Each widget's limits come from nn_core.settings; every value a client sends
is checked there again (Settings), so a value past the limits gets a message and the last valid one stays."""

from __future__ import annotations

import streamlit as st

from nn_core import LOSS_NAMES, InputError, Settings
from nn_core.settings import (
    ACTIVATION_NAMES,
    BATCH_MODES,
    DEFAULT_INIT,
    LEARNING_RATE_MAX,
    LEARNING_RATE_MIN,
    MAX_HIDDEN_UNITS,
)

from .errors import explain
from .session import Session, change_settings, change_view, parse_weights, set_widget, widget
from .strings import t

INIT_MODES = ("article", "random", "custom")


def _init_mode(settings: Settings) -> str:
    if settings.init == "random":
        return "random"
    return "article" if settings.init == DEFAULT_INIT else "custom"


def sync_widgets(s: Session) -> None:
    """Set every settings widget from the scenario (after a link, a file or a lesson put a new one in force)."""
    sc = s.scenario.settings
    set_widget("learning_rate", float(s.network.learning_rate))
    set_widget("bias", sc.bias)
    set_widget("hidden_units", sc.hidden[0] if sc.hidden else 0)
    set_widget("activation", sc.activation)
    set_widget("init_mode", _init_mode(sc))
    if _init_mode(sc) == "custom":
        values = sc.init if isinstance(sc.init, tuple) else (sc.init,) * s.network.architecture.n_weights
        set_widget("init_values", ", ".join(f"{v:g}" for v in values))
    set_widget("seed", int(sc.seed if sc.seed is not None else 1))
    set_widget("batch", sc.batch)
    set_widget("loss", s.scenario.loss)


def settings_panel(s: Session, hidden: frozenset[str]) -> None:
    if s.widgets_stale:
        sync_widgets(s)
        s.widgets_stale = False
    on_change = dict(on_change=_settings_changed, args=(s,))
    if "learning_rate" not in hidden:
        # No min/max here: the browser would then refuse a value silently; the callback says what the limits are.
        st.number_input(t("pg.learning_rate", low=f"{LEARNING_RATE_MIN:g}", high=f"{LEARNING_RATE_MAX:,.0f}"),
                        step=0.1, format="%g", key="learning_rate", help=t("pg.learning_rate_help"), **on_change)
    if s.settings_problem:  # said once: the boxes already show the settings in force again
        (key, values), s.settings_problem = s.settings_problem, None
        st.error(t(key, **values), icon="⚠️")
    if "settings" in hidden:
        return
    with st.expander(t("pg.settings"), expanded=bool(s.scenario.settings.hidden or s.scenario.settings.bias)):
        # One widget a line: the column is narrow on a laptop, and no label or choice may be cut short.
        st.toggle(t("pg.bias"), key="bias", help=t("pg.bias_help"), **on_change)
        st.number_input(t("pg.hidden_units", high=MAX_HIDDEN_UNITS), step=1, key="hidden_units", **on_change)
        st.selectbox(t("pg.activation"), ACTIVATION_NAMES, key="activation", disabled=not s.scenario.settings.hidden,
                     **on_change)
        st.selectbox(t("pg.init"), INIT_MODES, format_func=lambda m: t(f"init.{m}"), key="init_mode", **on_change)
        if widget("init_mode") == "random" or widget("batch") == "online":
            st.number_input(t("pg.seed"), step=1, key="seed", **on_change)
        if widget("init_mode") == "custom":
            st.text_input(t("pg.init_values", count=s.network.architecture.n_weights), key="init_values",
                          max_chars=2000, **on_change)
        st.selectbox(t("pg.batch"), BATCH_MODES, format_func=lambda b: t(f"batch.{b}"), key="batch",
                     help=t("pg.batch_help"), **on_change)
        st.selectbox(t("pg.loss"), LOSS_NAMES, format_func=lambda m: t(f"loss.{m}"), key="loss", **on_change)


def _settings_changed(s: Session) -> None:
    """Build the settings the widgets describe and put them in force; a refused value puts the widgets back."""
    sc = s.scenario.settings
    mode = widget("init_mode", _init_mode(sc))
    try:
        hidden_units = widget("hidden_units", sc.hidden[0] if sc.hidden else 0)
        hidden = () if hidden_units == 0 else (hidden_units,)
        arch = Settings(hidden=hidden).architecture(s.network.architecture.n_inputs)
        init = {"article": DEFAULT_INIT, "random": "random"}.get(mode) or parse_weights(widget("init_values", ""),
                                                                                       arch.n_weights)
        settings = Settings(learning_rate=widget("learning_rate", s.network.learning_rate),
                            bias=widget("bias", sc.bias), hidden=hidden, activation=widget("activation", sc.activation),
                            init=init, seed=widget("seed", 1) if mode == "random" or
                            widget("batch", sc.batch) == "online" else None, batch=widget("batch", sc.batch))
        settings.check_rows(len(s.scenario.data.inputs))
        loss = widget("loss", s.scenario.loss)
        if loss not in LOSS_NAMES:
            raise InputError("loss: not one of the losses shown here")
    except InputError as e:
        s.settings_problem = ("pg.invalid_setting", {"error": explain(e, starts_sentence=True)})
        s.widgets_stale = True  # the widgets go back to the settings in force
        return
    except (TypeError, ValueError, OverflowError):
        s.settings_problem = ("pg.value_refused", {})
        s.widgets_stale = True
        return
    s.settings_problem = None
    change_view(s, loss=loss)
    change_settings(s, settings)
