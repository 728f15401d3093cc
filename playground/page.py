"""What every page does first: this tab's session, the page's title and introduction, and the last action's message."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from .links import HIDEABLE
from .session import Session, current, widget
from .strings import t

PRESENTER_HIDES = frozenset({"speed", "run_until", "settings"})  # fewer controls on a shared screen
_ERRORS = {"link.bad", "ws.upload_bad"}


def current_session() -> Session:
    _through_app()
    return current()


def _through_app() -> None:
    """Until app.py has declared the pages once in this process (st.navigation), Streamlit takes the pages/ folder
    for its old multipage mode: the first visit of a fresh server to a page's own address (/backprop?s=…) runs
    that page's file alone, with no sidebar, layout or link. Leave that mode and run again, through app.py."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def show_notice(s: Session) -> None:
    """The last action's message, once (also from a fragment's own rerun: the page's top does not run then)."""
    if s.notice:
        key, values = s.notice
        s.notice = None
        if key in _ERRORS:
            st.error(t(key, **values), icon="⚠️")
        else:
            st.toast(t(key, **values), icon="ℹ️", duration="long")


def start(title: str, intro: str) -> tuple[Session, frozenset[str], bool]:
    """(the session, the controls hidden on this page, presenter mode) after drawing the title and the intro."""
    _through_app()
    s = current()
    st.title(title)
    with st.container(key="intro"):
        st.caption(intro)
    show_notice(s)
    presenter = bool(widget("presenter"))
    hidden = frozenset(h for h in s.scenario.ui.get("hide", []) if h in HIDEABLE)
    return s, hidden | PRESENTER_HIDES if presenter else hidden, presenter
