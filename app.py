"""Backprop Playground: the entry point declares the pages and the chrome they share."""

import streamlit as st

from playground import chrome, live_plot
from playground.strings import t

st.set_page_config(page_title="Backprop Playground", page_icon="🧠", layout="wide")
live_plot.preload()

session = chrome.session()
page = st.navigation([
    st.Page("app_pages/playground.py", title=t("nav.playground"), icon=":material/tune:", default=True),
    st.Page("app_pages/backprop.py", title=t("nav.backprop"), icon=":material/replay:", url_path="backprop"),
    st.Page("app_pages/predict.py", title=t("nav.predict"), icon=":material/psychology:", url_path="predict"),
    st.Page("app_pages/sigmoid.py", title=t("nav.sigmoid"), icon=":material/show_chart:", url_path="sigmoid"),
    st.Page("app_pages/experiments.py", title=t("nav.experiments"), icon=":material/science:", url_path="experiments"),
])
page.run()
chrome.sidebar(session)
