"""What every page does first: this tab's session, the page's title and introduction, and the status line (the last
action's message); and the pace of page switches, which only a hostile client makes quickly (state/pace.py)."""

from __future__ import annotations

import copy
from functools import cache

import streamlit as st

from ..server.internals import leave_pages_folder_mode
from ..state.pace import keep_pace
from ..state.session import Session
from ..state.widgets import current, widget
from ..strings import language, t
from .links import HIDEABLE
from .status import status_line

PRESENTER_HIDES = frozenset({"speed", "run_until", "settings"})  # fewer controls on a shared screen
# The app's pages: script, title's key, icon, url path ("" for the default page).
PAGES = (("pages/playground.py", "nav.playground", ":material/tune:", ""),
         ("pages/backprop.py", "nav.backprop", ":material/replay:", "backprop"),
         ("pages/predict.py", "nav.predict", ":material/psychology:", "predict"),
         ("pages/sigmoid.py", "nav.sigmoid", ":material/show_chart:", "sigmoid"),
         ("pages/experiments.py", "nav.experiments", ":material/science:", "experiments"),
         ("pages/optimiser.py", "nav.optimiser", ":material/touch_app:", "optimiser"),
         ("pages/code.py", "nav.code", ":material/code:", "code"))


def current_session() -> Session:
    leave_pages_folder_mode()
    return current()


def navigation_pages() -> list[st.Page]:
    """The pages for st.navigation, in the page's language: copies of pages made once per language (making one looks
    its file up on disk: for all seven, a fortieth of a whole page's run). Copies, because st.navigation marks the
    page it picks as the one this run may run, and other sessions' runs pick theirs from the same pages."""
    return [copy.copy(p) for p in _pages(language())]


@cache
def _pages(lang: str) -> tuple[st.Page, ...]:  # (``lang``: the cache's key; t() reads the same language)
    return tuple(st.Page(script, title=t(title), icon=icon, url_path=path or None, default=not path)
                 for script, title, icon, path in PAGES)


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
