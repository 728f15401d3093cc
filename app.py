"""Backprop Playground: the entry point declares the pages and the chrome they share."""

import gc

import numpy  # noqa: F401  (the libraries' objects are loaded before the freeze below)
import pandas  # noqa: F401
import streamlit as st

# The libraries' own objects (some 100,000 of them) never become garbage: moving them out of the cyclic collector's
# reach makes every later collection cheaper. Once per server process (the first run of the first session).
if not gc.get_freeze_count():
    gc.freeze()

import playground.log_limits  # noqa: F401 (a few lines a minute of what a client can make the server log)
from playground import links, live, look, memory, room_panel, session, sidebar
from playground.strings import t

session.refuse_unreadable_widget_values()
memory.give_back_freed_memory()
presenter_link = st.query_params.get("presenter") in ("1", "true", "on")
st.set_page_config(page_title="Backprop Playground", page_icon="🧠", layout="wide",
                   initial_sidebar_state="collapsed" if presenter_link else "auto")
s = session.current()
links.read_url(s)
room_panel.read_url(s)
presenter = bool(session.widget("presenter"))
look.apply(presenter)
live.page(close_sidebar=s.presenter_count if presenter else None)
room_panel.top(s, presenter)

pages = st.navigation([
    st.Page("pages/playground.py", title=t("nav.playground"), icon=":material/tune:", default=True),
    st.Page("pages/backprop.py", title=t("nav.backprop"), icon=":material/replay:", url_path="backprop"),
    st.Page("pages/predict.py", title=t("nav.predict"), icon=":material/psychology:", url_path="predict"),
    st.Page("pages/sigmoid.py", title=t("nav.sigmoid"), icon=":material/show_chart:", url_path="sigmoid"),
    st.Page("pages/experiments.py", title=t("nav.experiments"), icon=":material/science:", url_path="experiments"),
    st.Page("pages/optimiser.py", title=t("nav.optimiser"), icon=":material/touch_app:", url_path="optimiser"),
    st.Page("pages/code.py", title=t("nav.code"), icon=":material/code:", url_path="code"),
])
pages.run()
sidebar.sidebar(s)
room_panel.share(s)  # last: a presenter's room gets what this run changed
