"""Why is it stuck? Every cause nn_core.analysis.diagnose finds in the network, right under the curve it explains
(inside the first screen at every size): one short line per cause with its one-click fix, which changes the settings
through the session's actions, and the whole explanation one click away. It is part of the training column, so it
follows the run as it trains.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from nn_core import NeuralNetwork
from nn_core.analysis import Cause, diagnose
from nn_core.settings import LEARNING_RATE_MIN

from ..server.internals import this_run
from ..state.actions import change_settings, restart_with
from ..state.session import Session
from ..strings import rows_named, t
from ..views.numbers import floor_text
from ..views.playground import format_row

FIXES = {"diverged": "rate", "weight_limit": "rate", "saturated": "rate", "zero_rows": "bias",
         "same_inputs": None, "not_separable": "hidden", "symmetric": "random"}  # None: only the table can change it
MAX_GROUPS_NAMED = 4
HIDDEN_FIX = dict(hidden=(4,), bias=True, init="random", seed=1, activation="sigmoid")  # learns XOR (tested)
# The order causes are shown in: what stops training first, then the fix that cures most (a hidden layer brings a bias
# and random starts too).
SHOWN_FIRST = {"rate": 0, "hidden": 1, "random": 2, "bias": 3, None: 4}  # None: the table's own


def causes_now(net: NeuralNetwork) -> list[Cause]:
    """Every cause that holds for the network as it is now, in the order they are shown; worked out once per run (the
    status line asks for the saturated rows before the panel asks for them all)."""
    run = this_run()
    kept = run.get("diagnosis")
    if kept is None or kept[0] is not net or kept[1] != net.epoch:
        kept = run["diagnosis"] = net, net.epoch, sorted(diagnose(net), key=lambda c: SHOWN_FIRST[FIXES[c.kind]])
    return kept[2]


def diagnosis_panel(s: Session) -> None:
    causes = causes_now(s.network)
    student = "settings" in s.scenario.ui.get("hide", [])  # a teacher hid the settings: name causes, offer no fix
    with st.container(key="diagnosis", border=True, gap="xsmall"):
        if not causes:  # (one line: the panel redraws with every Step, and each container costs the server)
            st.markdown(f"**{t('dx.title')}** {t('dx.none')}")
            return
        # The title is the button that opens the whole explanation: no row of its own around them.
        with st.popover(f"**{t('dx.title')}** · {t('dx.explain')}", key="dx_explain", type="tertiary"):
            for cause in causes:
                st.markdown(explain(cause, s.network))
        offered = set()
        for cause in causes:
            fix = FIXES[cause.kind]
            offer = not (student or fix is None or fix in offered or (fix == "rate" and smaller_rate(s) is None))
            with st.container(key=f"dx_{cause.kind}", horizontal=True, vertical_alignment="center", gap="small"):
                st.markdown(headline(cause))
                if offer:
                    offered.add(fix)
                    st.button(fix_label(s, fix), key=f"fix_{fix}", on_click=apply_fix, args=(s, fix))


def headline(cause: Cause) -> str:
    """The cause in one line (its explanation is one click away)."""
    if cause.kind in ("diverged", "weight_limit"):
        return t(f"dx.short.{cause.kind}", rate=f"{cause.value:g}")
    if cause.kind == "symmetric":
        return t("dx.short.symmetric", units=_units(cause))
    if cause.kind == "saturated" and cause.still:  # "barely move" would be untrue: they do not move at all
        return t("dx.short.saturated_still", rows=rows_named(cause.rows))
    if cause.kind == "zero_rows":
        return t("dx.short.zero_rows", rows=rows_named(cause.rows), floor=floor_text(cause.value))
    if cause.kind == "same_inputs":
        return t("dx.short.same_inputs", rows=rows_named(cause.rows), floor=floor_text(cause.value))
    return t(f"dx.short.{cause.kind}", rows=rows_named(cause.rows))


def _units(cause: Cause) -> str:
    return "; ".join(", ".join(f"h{u + 1}" for u in group) for group in cause.units)


def explain(cause: Cause, net: NeuralNetwork) -> str:
    if cause.kind in ("diverged", "weight_limit"):
        return t(f"dx.{cause.kind}", rate=f"{cause.value:g}")
    if cause.kind == "saturated":
        return t("dx.saturated", rows=rows_named(cause.rows))
    if cause.kind == "zero_rows":
        return t("dx.zero_rows", rows=rows_named(cause.rows), floor=floor_text(cause.value))
    if cause.kind == "same_inputs":
        return t("dx.same_inputs", groups=same_inputs_named(net, cause.groups), floor=floor_text(cause.value))
    if cause.kind == "not_separable":
        return t("dx.not_separable", rows=rows_named(cause.rows))
    return t("dx.symmetric", units=_units(cause))


def same_inputs_named(net: NeuralNetwork, groups) -> str:
    """Each group of rows with one input and different targets, as "rows 1, 4 ([1, 0, 0] → 0, 1)"."""
    named = [t("dx.same_inputs_group", rows=rows_named(group), x=format_row(net.inputs[group[0]]),
               targets=", ".join(f"{y:g}" for y in net.outputs[list(group), 0]))
             for group in groups[:MAX_GROUPS_NAMED]]
    return "; ".join(named) + (" …" if len(groups) > MAX_GROUPS_NAMED else "")


def smaller_rate(s: Session) -> float | None:
    """A tenth of the learning rate in force, or None if the rate is already the smallest allowed."""
    rate = s.network.learning_rate
    return None if rate <= LEARNING_RATE_MIN else max(LEARNING_RATE_MIN, rate / 10)


def fix_label(s: Session, fix: str) -> str:
    if fix == "rate":
        return t("dx.fix.rate", rate=f"{smaller_rate(s):g}")
    if fix == "random":
        return t("dx.fix.random", seed=_seed(s))
    return t(f"dx.fix.{fix}")


def _seed(s: Session) -> int:
    seed = s.scenario.settings.seed
    return 1 if seed is None else seed


def apply_fix(s: Session, fix: str) -> None:
    """One click: the settings the fix names, the learner's other choices (and current learning rate) kept. Every
    fix starts the run again from epoch 0: a rate that saturated or blew up the weights must not go on from there."""
    label = fix_label(s, fix)
    settings = replace(s.scenario.settings, learning_rate=s.network.learning_rate)
    if fix == "rate":
        rate = smaller_rate(s)
        if rate is None:
            return
        restart_with(s, replace(settings, learning_rate=rate))
    else:
        changes = {"bias": dict(bias=True), "hidden": HIDDEN_FIX, "random": dict(init="random", seed=_seed(s))}[fix]
        change_settings(s, replace(settings, **changes))
        s.widgets_stale = True
    s.notice = ("dx.applied", {"fix": label})
