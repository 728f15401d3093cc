"""The network's settings: the learning rate, and (in an expander) bias, hidden layer, activation, starting weights,
seed and batch; then the loss the charts show.

One table (``SETTINGS``) says, for each widget, the Settings field it stands for: how to draw it, what it shows for
the run in force, and what it makes of its value. It draws the widgets, sets them from the run (``sync_widgets``),
and builds the settings they describe when one changes (``_changed``). Nothing is checked here: whatever a client
sends goes into a ``Settings``, where the rules live (nn_core.settings), so a value past the limits is refused there
with a message and the widgets go back to the run in force.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from nn_core import LOSS_NAMES, InputError, Settings
from nn_core.settings import (
    ACTIVATION_NAMES,
    BATCH_MODES,
    DEFAULT_INIT,
    LEARNING_RATE_MAX,
    LEARNING_RATE_MIN,
    MAX_HIDDEN_UNITS,
    MOMENTUM_MAX,
)

from ..state.actions import change_settings, change_view
from ..state.session import Session
from ..state.widgets import forget_widget, section, set_widget, widget
from ..strings import t
from ..strings.errors import explain

INIT_MODES = ("article", "random", "custom")


@dataclass(frozen=True)
class SettingWidget:
    """A settings widget: its key, the Settings field it sets, whether it sits in the expander, how it is drawn
    (``draw(on_change)``), its value for a session (``shown``), and the field's value from every widget's value by
    key (``read``)."""

    key: str
    field: str
    advanced: bool
    draw: Callable[[Session, dict], None]
    shown: Callable[[Session], object]
    read: Callable[[dict], object]


def _init_mode(settings: Settings) -> str:
    if settings.init == "random":
        return "random"
    return "article" if settings.init == DEFAULT_INIT else "custom"


def _init_values_shown(s: Session) -> str:
    init = s.scenario.settings.init
    values = init if isinstance(init, tuple) else (DEFAULT_INIT if init == "random" else init,) * \
        s.network.architecture.n_weights
    return ", ".join(f"{v:g}" for v in values)


def _init(values: dict):
    """The starting weights the init widgets describe: the article's 0.5, random, or the typed list."""
    mode = values["init_mode"]
    if mode not in INIT_MODES:
        raise ValueError("not one of the choices")  # (only a hostile client sends that)
    if mode != "custom":
        return DEFAULT_INIT if mode == "article" else "random"
    return parse_weights(values["init_values"])


def _hidden(units) -> tuple:
    return () if units == 0 else (units,)


def _seeded(values: dict) -> bool:
    return values["init_mode"] == "random" or values["batch"] == "online"


def _draw_rate(s: Session, on_change: dict) -> None:
    # No min/max here: the browser would then refuse a value silently; Settings says what the limits are.
    st.number_input(t("pg.learning_rate", low=f"{LEARNING_RATE_MIN:g}", high=f"{LEARNING_RATE_MAX:,.0f}"), step=0.1,
                    format="%g", key="learning_rate", help=t("pg.learning_rate_help"), **on_change)


def _draw_seed(s: Session, on_change: dict) -> None:
    if _seeded({"init_mode": widget("init_mode"), "batch": widget("batch")}):
        st.number_input(t("pg.seed"), step=1, key="seed", **on_change)


def _draw_init_values(s: Session, on_change: dict) -> None:
    if widget("init_mode") == "custom":
        st.text_input(t("pg.init_values", count=s.network.architecture.n_weights), key="init_values", max_chars=2000,
                      **on_change)


# One widget a line: the column is narrow on a laptop, and no label or choice may be cut short.
SETTINGS = (
    SettingWidget("learning_rate", "learning_rate", False, _draw_rate, lambda s: float(s.network.learning_rate),
                  lambda v: v["learning_rate"]),
    SettingWidget("momentum", "momentum", True,
                  lambda s, on: st.number_input(t("pg.momentum", high=f"{MOMENTUM_MAX:g}"), step=0.1, format="%g",
                                                key="momentum", help=t("pg.momentum_help"), **on),
                  lambda s: s.scenario.settings.momentum, lambda v: v["momentum"]),
    SettingWidget("bias", "bias", True,
                  lambda s, on: st.toggle(t("pg.bias"), key="bias", help=t("pg.bias_help"), **on),
                  lambda s: s.scenario.settings.bias, lambda v: v["bias"]),
    SettingWidget("hidden_units", "hidden", True,
                  lambda s, on: st.number_input(t("pg.hidden_units", high=MAX_HIDDEN_UNITS), step=1,
                                                key="hidden_units", **on),
                  lambda s: (s.scenario.settings.hidden or (0,))[0], lambda v: _hidden(v["hidden_units"])),
    SettingWidget("activation", "activation", True,
                  lambda s, on: st.selectbox(t("pg.activation"), ACTIVATION_NAMES, key="activation",
                                             disabled=not s.scenario.settings.hidden, **on),
                  lambda s: s.scenario.settings.activation, lambda v: v["activation"]),
    SettingWidget("init_mode", "init", True,
                  lambda s, on: st.selectbox(t("pg.init"), INIT_MODES, format_func=lambda m: t(f"init.{m}"),
                                             key="init_mode", **on),
                  lambda s: _init_mode(s.scenario.settings), _init),
    SettingWidget("seed", "seed", True, _draw_seed, lambda s: int(s.scenario.settings.seed or 1),
                  lambda v: v["seed"] if _seeded(v) else None),
    SettingWidget("init_values", "init", True, _draw_init_values, _init_values_shown, _init),
    SettingWidget("batch", "batch", True,
                  lambda s, on: st.selectbox(t("pg.batch"), BATCH_MODES, format_func=lambda b: t(f"batch.{b}"),
                                             key="batch", help=t("pg.batch_help"), **on),
                  lambda s: s.scenario.settings.batch, lambda v: v["batch"]),
)


ADVANCED = tuple(w for w in SETTINGS if w.advanced)
SECTION = "settings_open"  # the expander of the advanced settings (and the loss): open or closed


def sync_widgets(s: Session) -> None:
    """Set every settings widget from the run in force (after a link, a file, a lesson or a refused value); the
    advanced settings open when the run uses them (a lesson or a fix that turns on a bias shows it on)."""
    for w in SETTINGS:
        set_widget(w.key, w.shown(s))
    set_widget("loss", s.scenario.loss)
    s.advanced_held = True
    if s.scenario.settings.hidden or s.scenario.settings.bias:
        set_widget(SECTION, True)


def settings_panel(s: Session, hidden: frozenset[str]) -> None:
    if s.widgets_stale:
        sync_widgets(s)
        s.widgets_stale = False
    on_change = dict(on_change=_changed, args=(s,))
    if "learning_rate" not in hidden:
        for w in SETTINGS:
            if not w.advanced:
                w.draw(s, on_change)
    if s.settings_problem:  # said once: the boxes already show the settings in force again
        (key, values), s.settings_problem = s.settings_problem, None
        st.error(t(key, **values), icon="⚠️")
    if "settings" in hidden:
        return
    # Drawn only while open (opening it reruns the page): eight widgets fewer in every other run of the page. Closed,
    # the widgets keep no value; opened, each starts from the run in force (all of them before any is drawn: whether
    # the seed shows depends on two others).
    with section(t("pg.settings"), SECTION) as box:
        if not box.open:
            if s.advanced_held:  # (once, at the first run with the section closed)
                for key in (*(w.key for w in ADVANCED), "loss"):
                    forget_widget(key)
                s.advanced_held = False
            return
        s.advanced_held = True
        for w in ADVANCED:
            if widget(w.key) is None:
                set_widget(w.key, w.shown(s))
        if widget("loss") is None:
            set_widget("loss", s.scenario.loss)
        for w in ADVANCED:
            w.draw(s, on_change)
        st.selectbox(t("pg.loss"), LOSS_NAMES, format_func=lambda m: t(f"loss.{m}"), key="loss", **on_change)


def _changed(s: Session) -> None:
    """Build the settings the widgets describe and put them in force; a refused value puts the widgets back."""
    values = {w.key: widget(w.key, w.shown(s)) for w in SETTINGS}
    try:
        loss = widget("loss", s.scenario.loss)
        if loss not in LOSS_NAMES:
            raise InputError("loss: not one of the losses shown here")
        change_settings(s, Settings(**{w.field: w.read(values) for w in SETTINGS}))
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


def parse_weights(text: str) -> tuple[float, ...]:
    """Typed starting weights, separated by commas (or semicolons), or InputError naming the one that is not a
    number. How many there must be, and their range, the settings check."""
    parts = [p.strip() for p in str(text)[:2000].replace(";", ",").split(",") if p.strip()]
    values = []
    for i, p in enumerate(parts, start=1):
        try:
            values.append(float(p))
        except ValueError:
            raise InputError(f"starting weight {i} is not a number", "init_text", number=i) from None
    return tuple(values)
