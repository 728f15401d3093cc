"""The training column as one fragment, top to bottom: the controls, the epoch and weights, the loss, the status line,
the chosen view, why it is stuck (under the curve it explains) and rewind.

Live play and training to a target run in the browser's player (static/live.js): the server sends chunks of frames
and the epoch, the weights, the loss and the chart follow them frame by frame. Nothing here appears, disappears or
changes size when training starts or stops: controls that cannot be used are disabled, not removed, and every line
keeps its height. The chart takes the height the first screen leaves it (live.js "fit"), so the controls, the
numbers, the whole chart and the diagnosis under it are seen together at every window size.
"""

from __future__ import annotations

import streamlit as st

from ...rooms.panel import share
from ...server.internals import fragment_rerun
from ...state.session import Session
from ..diagnosis import diagnosis_panel
from ..links import keep_url
from ..status import finish
from .controls import controls
from .readouts import readouts
from .rewind import rewind_slider
from .views import draw_view, view_chooser


def training_panel(s: Session, hidden: frozenset[str], presenter: bool) -> None:
    @st.fragment
    def panel():
        with st.container(key="training"):
            sent = controls(s, hidden)
            readouts(s)
            view = view_chooser(s)
            draw_view(s, view, presenter)
            diagnosis_panel(s)
            rewind_slider(s, hidden)
        keep_url(s)  # a click here reruns only this panel: the address bar must follow the run from here too
        share(s)  # a presenter's room follows every step, play and rewind
        if s.widgets_stale and fragment_rerun():
            # A one-click fix changed the settings: the settings beside this column must show them. The frames just
            # sent go again (the player knows them by number and plays on).
            s.player.outbox = sent
            st.rerun()
        finish(s)  # what this run refused (a widget's value a client sent) goes in the status line

    panel()
