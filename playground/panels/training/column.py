"""The training column as one fragment, top to bottom: the last action's message, the controls, the epoch, weights
and loss, the chosen view, and rewind.

Live play and training to a target run in the browser's player (static/live.js): the server sends chunks of frames
and the epoch, the weights, the loss and the chart follow them frame by frame. Nothing here appears, disappears or
changes size when training starts or stops: controls that cannot be used are disabled, not removed, and every line
keeps its height.
"""

from __future__ import annotations

import streamlit as st

from ...rooms.panel import share
from ...server.internals import fragment_rerun
from ...state.session import Session
from .. import diagnosis
from ..links import keep_url
from ..page import show_notice
from .controls import controls
from .readouts import readouts
from .rewind import rewind_slider
from .views import draw_view, view_chooser


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
        share(s)  # a presenter's room follows every step, play and rewind
        show_notice(s)  # what this run refused (a widget's value a client sent), said now
        if diagnosis.outdated(s) and fragment_rerun():
            # The diagnosis panel beside this column names a cause that changed: redraw the page. The frames just
            # sent go again (the player knows them by number and plays on), so a run that stopped by itself is
            # still shown to its end.
            s.player.outbox = sent
            st.rerun()

    panel()
