"""The app's UI helpers: session state, figure builders (pure functions), and the string catalog."""

import gc

import pandas  # noqa: F401  (imported here so that the freeze below covers it)
import plotly.graph_objects  # noqa: F401
import streamlit  # noqa: F401

# The libraries' own objects (some 100,000 of them) never become garbage: moving them out of the cyclic
# collector's reach makes every later collection cheaper. This runs once per server process, at first import.
gc.freeze()
