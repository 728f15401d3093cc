"""The only code that touches ``st.session_state``: this tab's session, and the widgets' values by their keys."""

from __future__ import annotations

import streamlit as st

from ..live.trainer import ON_SERVER
from .session import Session

SESSION_KEY = "playground_session"
RUN_KEY = "_this_run"  # what a run keeps for its own later part (keep_for_run)


def current() -> Session:
    """This browser tab's session, created on first use."""
    if SESSION_KEY not in st.session_state:
        st.session_state[SESSION_KEY] = Session.start(trainer=ON_SERVER)
    return st.session_state[SESSION_KEY]


def widget(key: str, default=None):
    """A widget's value by its key (what the browser last sent), or ``default`` if it has none."""
    return st.session_state.get(key, default)


def set_widget(key: str, value) -> None:
    """Set a widget's value from the code (before the widget is drawn in this run, or from a callback)."""
    st.session_state[key] = value


def forget_widget(key: str) -> None:
    st.session_state.pop(key, None)


def section(label: str, key: str):
    """A section the learner opens, whose contents are drawn only while it is open (opening it reruns the page):
    ``with section(...) as box: if box.open: ...``. Streamlit knows an expander by its label too, so a new label (the
    page's language switched) would be a new section, shut: it is told how the learner left it."""
    return st.expander(label, key=key, on_change="rerun", expanded=bool(widget(key)))


def checked_widget(s: Session, key: str, ok, fallback) -> None:
    """Before a widget is drawn: give it ``fallback`` (the session's own value) if it has none yet; and if the value
    a client sent is not one the app allows (a hostile client can send anything, past the browser's limits), put
    ``fallback`` back and say so (the page says the session's notice at the end of this run)."""
    try:
        value = widget(key)
        valid = value is None or bool(ok(value))
    except Exception:  # a value Streamlit itself cannot read back: as invalid as any
        value, valid = None, False
    if not valid:
        forget_widget(key)
        s.notice = ("pg.value_refused", {})
    if value is None or not valid:
        set_widget(key, fallback)


def keep_for_run(name: str, value) -> None:
    """Keep an object for the rest of this run (a placeholder that the end of the run may write to)."""
    kept = st.session_state.get(RUN_KEY)
    if kept is None:
        kept = st.session_state[RUN_KEY] = {}
    kept[name] = value


def kept_for_run(name: str):
    return (st.session_state.get(RUN_KEY) or {}).get(name)


def forget_run_objects() -> None:
    """At the start of every run of the page: what the last run kept is no longer on the page. (All of it under one
    key: looking through every key of the session state would cost a run as much as drawing a few widgets.)"""
    st.session_state[RUN_KEY] = {}
