"""Backprop Playground: the entry point declares the pages and the chrome they share."""

import streamlit as st

from playground.live.component import COMPONENT, page_setup
from playground.panels import links, look
from playground.panels.page import count_page_switch, current_session, navigation_pages
from playground.panels.sidebar import sidebar
from playground.panels.status import finish
from playground.rooms import panel as room_panel
from playground.rooms.poll_panel import student_panel
from playground.server import memory
from playground.server.internals import (
    components_given_json,
    count_requests_seen,
    flush_with_fewer_turns,
    forget_replaced_widget_ids,
    hand_over_in_batches,
    refuse_unreadable_widget_values,
    take_no_values_from_timers,
    theme_read_once,
    widgets_read_their_own_key,
)
from playground.server.log_limits import limit_log_lines
from playground.server.no_delay import send_at_once
from playground.state.widgets import forget_run_objects, widget

refuse_unreadable_widget_values()
take_no_values_from_timers()
hand_over_in_batches()
flush_with_fewer_turns()
forget_replaced_widget_ids()
widgets_read_their_own_key()
components_given_json(COMPONENT)
count_requests_seen()
theme_read_once()
limit_log_lines()
send_at_once()
memory.freeze_loaded_objects()
memory.give_back_freed_memory()
forget_run_objects()
presenter_link = st.query_params.get("presenter") in ("1", "true", "on")
st.set_page_config(page_title="Backprop Playground", page_icon="🧠", layout="wide",
                   initial_sidebar_state="collapsed" if presenter_link else "auto")
s = current_session()
# What the top of a page shows only now and then (a link's replay, a room's bar, the presenter's question) sits in one
# container drawn in every run, so the page under it keeps its place in Streamlit's element tree from run to run. (A
# link's progress bar came and went: the next run moved every element up one place, and the browser drew the whole
# page afresh, charts included, showing the old page beside the new one until that run ended.)
top = st.container(key="page_top")
with top:
    links.read_url(s)
    room_panel.read_url(s)
presenter = bool(widget("presenter"))
page_setup(style=look.css(presenter), close_sidebar=s.presenter_count if presenter else None)
with top:
    room_panel.top(s, presenter)
    student_panel(s)  # in a room: the presenter's question, if one is asked

pages = st.navigation(navigation_pages())
count_page_switch(s, pages.url_path)
pages.run()
sidebar(s)
room_panel.share(s)  # a presenter's room gets what this run changed
finish(s)  # what this run itself refused further down (a widget's value a client sent) goes in the status line
