"""What every page does first: this tab's session, the page's title and introduction, and the last action's message."""

from __future__ import annotations

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
    s = current_session()
    st.title(title)
    with st.container(key="intro"):
        st.caption(intro)
    show_notice(s)
    presenter = bool(widget("presenter"))
    hidden = frozenset(h for h in s.scenario.ui.get("hide", []) if h in HIDEABLE)
    return s, hidden | PRESENTER_HIDES if presenter else hidden, presenter
