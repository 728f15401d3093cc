"""What every page does first: this tab's session, the page's title and introduction, and the last action's message;
and the pace of what only a hostile client does quickly (page switches, values refused: state/pace.py)."""

from __future__ import annotations

import math
import time

import streamlit as st

from ..server.internals import leave_pages_folder_mode
from ..state.session import Session
from ..state.widgets import current, widget
from ..strings import t
from .links import HIDEABLE

PRESENTER_HIDES = frozenset({"speed", "run_until", "settings"})  # fewer controls on a shared screen
_ERRORS = {"link.bad", "ws.upload_bad"}


def current_session() -> Session:
    leave_pages_folder_mode()
    return current()


def show_notice(s: Session) -> None:
    """The last action's message, once (also from a fragment's own rerun: the page's top does not run then). Every
    value refused passes here: past a few, each one waits (a browser sends none, so this slows only a flood)."""
    if s.notice:
        key, values = s.notice
        s.notice = None
        if key == "pg.value_refused":
            waited = _keep_pace(s.refusals)
            key, values = ("pg.refusals_wait", {"seconds": waited}) if waited else (key, values)
        if key in _ERRORS:
            st.error(t(key, **values), icon="⚠️")
        else:
            st.toast(t(key, **values), icon="ℹ️", duration="long")


def count_page_switch(s: Session, page: str) -> None:
    """Before a page is drawn: a tab that switches pages faster than anyone reads them waits a moment first (each
    switch costs a whole page's run, about 50 ms of a core; a flood of them held other learners' steps back by
    seconds). A sleeping run costs the server nothing, and the tab's newer requests wait behind it."""
    if page != s.page_shown:
        s.page_shown = page
        waited = _keep_pace(s.page_switches)
        if waited and s.notice is None:
            s.notice = ("pg.slow_down", {"seconds": waited})


def _keep_pace(pace) -> int:
    """Count one more of what ``pace`` limits, after waiting if it says so: the seconds waited, rounded up."""
    now = time.monotonic()
    wait = pace.wait(now)
    if wait:
        time.sleep(wait)
    pace.count(now + wait)
    return math.ceil(wait)


def start(title: str, intro: str) -> tuple[Session, frozenset[str], bool]:
    """(the session, the controls hidden on this page, presenter mode) after drawing the title and the intro."""
    s = current_session()
    st.title(title)
    with st.container(key="intro"):
        st.caption(intro)
    show_notice(s)
    presenter = bool(widget("presenter"))
    hidden = frozenset(h for h in s.scenario.ui.get("hide", []) if h in HIDEABLE)
    return s, hidden | PRESENTER_HIDES if presenter else hidden, presenter
