"""What every page does first: this tab's session, the page's title and introduction, and the status line (the last
action's message)."""

from __future__ import annotations

import streamlit as st

from ..server.internals import leave_pages_folder_mode
from ..state.session import Session
from ..state.widgets import current, widget
from .links import HIDEABLE
from .status import status_line

PRESENTER_HIDES = frozenset({"speed", "run_until", "settings"})  # fewer controls on a shared screen


def current_session() -> Session:
    leave_pages_folder_mode()
    return current()


def start(title: str, intro: str, status: bool = True) -> tuple[Session, frozenset[str], bool]:
    """(the session, the controls hidden on this page, presenter mode) after drawing the title, the intro and the
    status line (``status`` False: the page draws its status line itself, further down)."""
    s = current_session()
    st.title(title)
    with st.container(key="intro"):
        st.caption(intro)
    if status:
        status_line(s)
    presenter = bool(widget("presenter"))
    hidden = frozenset(h for h in s.scenario.ui.get("hide", []) if h in HIDEABLE)
    return s, hidden | PRESENTER_HIDES if presenter else hidden, presenter
