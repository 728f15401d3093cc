"""Backprop Playground: the entry point declares the pages and the chrome they share."""

import streamlit as st

from playground import chrome
from playground.strings import t

st.set_page_config(page_title="Backprop Playground", page_icon="🧠", layout="wide")

session = chrome.session()
page = st.navigation([
    st.Page("app_pages/playground.py", title=t("nav.playground"), icon="🎛️", default=True),
])
page.run()
chrome.sidebar(session)
