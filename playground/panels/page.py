"""What every page does first: this tab's session, the page's title and introduction, and the status line (the last
action's message); and the pace of page switches, which only a hostile client makes quickly (state/pace.py)."""

from __future__ import annotations

import streamlit as st

from ..server.internals import leave_pages_folder_mode
from ..state.pace import keep_pace
from ..state.session import Session
from ..state.widgets import current, widget
from .links import HIDEABLE
from .status import status_line

PRESENTER_HIDES = frozenset({"speed", "run_until", "settings"})  # fewer controls on a shared screen


def current_session() -> Session:
    leave_pages_folder_mode()
    return current()


def count_page_switch(s: Session, page: str) -> None:
    """Before a page is drawn: a tab that switches pages faster than anyone reads them waits a moment first (each
    switch costs a whole page's run, about 50 ms of a core; a flood of them held other learners' steps back by
    seconds). A sleeping run costs the server nothing, and the tab's newer requests wait behind it."""
    if page != s.page_shown:
        s.page_shown = page
        waited = keep_pace(s.page_switches)
        if waited and s.notice is None:
            s.notice = ("pg.slow_down", {"seconds": waited})


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
