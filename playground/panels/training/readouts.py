"""The numbers above the chart: the epoch, every weight, the loss (with its floor, where one is proven), and the
status line (stopped, rewound, crawling)."""

from __future__ import annotations

import streamlit as st

from nn_core import LOSS_NAMES
from nn_core.analysis import error_floor, saturated_rows
from nn_core.settings import MAX_EPOCHS

from ...live.component import live_text
from ...state.session import Session
from ...strings import rows_named, t
from ...views.numbers import floor_text
from ...views.playground import subscript_names


def readouts(s: Session) -> None:
    net, loss = s.network, s.scenario.loss
    epoch, params = s.shown()
    names = subscript_names(net.parameter_names())
    current = float(net.losses_for(params, loss)[0])
    floor = error_floor(net, loss)
    c1, c2 = st.columns([1, 2.6], vertical_alignment="center")
    with c1, st.container(key="epoch"):
        live_text("epoch", f"{t('fig.epoch')} {epoch:,}", key="epoch_text", prefix=f"{t('fig.epoch')} ")
    with c2, st.container(key="weights"):
        live_text("weights", " · ".join(f"{n}\u00a0=\u00a0{v:.4f}" for n, v in zip(names, params)), key="weights_text",
                  names=names)
    suffix = "  ·  " + t("pg.floor_short", floor=f"{floor_text(floor)}") if floor is not None else ""
    c1, c2 = st.columns([1.1, 1], vertical_alignment="top")
    with c1, st.container(key="loss_line"):
        name = t(f"lossname.{loss}")
        live_text("loss", t("pg.current_error", loss=name, value=f"{current:.6f}") + suffix, key="loss_text",
                  prefix=t("pg.current_error", loss=name, value=""), suffix=suffix, loss_index=LOSS_NAMES.index(loss))
    with c2, st.container(key="status"):  # two lines are always kept for it: nothing below moves when it speaks
        st.markdown(status_text(s, epoch) or "&nbsp;")


def status_text(s: Session, epoch: int) -> str:
    net = s.network
    if s.player.waiting is not None:
        return t("pg.waiting_turn", ahead=f"{s.player.waiting:,}")
    if epoch != net.epoch:
        return t("pg.rewound", epoch=f"{epoch:,}", live=f"{net.epoch:,}")
    if net.stop is not None and not s.player.busy:
        return t(f"pg.{net.stop.kind}", epoch=f"{net.stop.epoch:,}", rate=f"{net.stop.learning_rate:g}",
                 error=f"{net.current_loss():.6f}")
    if net.epoch >= MAX_EPOCHS:
        return t("pg.at_limit", limit=f"{MAX_EPOCHS:,}")
    stuck = saturated_rows(net) if net.epoch and not s.player.busy else None
    if stuck is not None:
        return t("pg.saturated", rows=rows_named(stuck.rows))
    return ""
