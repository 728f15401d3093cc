"""Rewind: a slider over every epoch of the run; the views then show that epoch (re-simulated exactly), and training
goes on from it. What going on dropped is said under the slider, with one undo."""

from __future__ import annotations

import streamlit as st

from nn_core import InputError

from ...state.actions import undo_drop
from ...state.session import Session
from ...state.widgets import checked_widget, forget_widget, set_widget, widget
from ...strings import t


def rewind_slider(s: Session, hidden: frozenset[str]) -> None:
    if "rewind" not in hidden:
        _slider(s)
    dropped = s.dropped
    if dropped is not None:
        with st.container(key="rewind_dropped", horizontal=True, vertical_alignment="center", gap="small"):
            st.caption(t("pg.dropped", at=f"{dropped.at:,}", epoch=f"{dropped.epoch:,}"))
            st.button(t("pg.rewind_undo", epoch=f"{dropped.epoch:,}"), key="rewind_undo", disabled=s.player.busy,
                      on_click=undo_drop, args=(s,), type="tertiary", icon=":material/undo:")


def _slider(s: Session) -> None:
    net = s.network
    busy = s.player.busy or net.epoch == 0
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
