"""Predict: ask the trained network about a new sample, and see where its answer comes from."""

from itertools import product
from math import isfinite

import numpy as np
import pandas as pd
import streamlit as st

from nn_core import activation_slope
from nn_core.analysis import output_unit
from playground.live.component import chart
from playground.panels import page
from playground.state.widgets import checked_widget
from playground.strings import t
from playground.views.page_charts import cube_figure, sigmoid_figure
from playground.views.playground import format_row, subscript_names
from playground.views.plot import for_screen
from playground.views.training_charts import contributions_figure

s, hidden, presenter = page.start(t("pr.title"), t("pr.intro"))
net = s.network
if net.epoch == 0:
    st.info(t("pr.untrained"))

left, right = st.columns([1, 2], gap="large")
with left:
    st.subheader(t("pr.sample"))
    query = []
    for i, default in zip((1, 2, 3), (1.0, 1.0, 0.0)):
        key = f"query_x{i}"
        checked_widget(s, key, lambda v: isinstance(v, (int, float)) and isfinite(v) and abs(v) <= 100, default)
        query.append(st.number_input(f"x{i}", min_value=-100.0, max_value=100.0, step=1.0, format="%g", key=key))
    unit = output_unit(net, [query])
    with st.container(key="prediction"):
        st.metric(t("pr.prediction"), f"{unit.prediction:.8f}")  # the article prints 8 decimals
    y_hat = unit.prediction
    st.markdown(t("pr.class_half") if y_hat == 0.5 else t("pr.class", cls=int(y_hat > 0.5),
                                                             sure=f"{max(y_hat, 1 - y_hat):.1%}"))
    st.caption(t("pr.epoch_note", epoch=f"{net.epoch:,}"))

with right:
    single = not net.architecture.hidden
    names = subscript_names([f"w{i}·x{i}" for i in (1, 2, 3)]) if single else [
        f"h{j + 1}·w" for j in range(len(unit.terms))]
    parts = list(unit.terms) + ([unit.bias] if unit.bias is not None else [])
    st.subheader(t("pr.breakdown"))
    st.caption(t("pr.breakdown_text") if single else t("pr.breakdown_hidden"))
    chart(for_screen(contributions_figure(names + (["b"] if unit.bias is not None else []), parts,
                                                  total_label="z", y_title="z"), presenter),
          key="breakdown_plot", height="300px", label=t("alt.breakdown", z=f"{unit.z:.4f}"))
    st.subheader(t("pr.curve"))
    slope = float(activation_slope("sigmoid", y_hat))
    st.caption(t("pr.curve_text", z=f"{unit.z:.4f}", y=f"{y_hat:.4f}", slope=f"{slope:.4f}"))
    chart(for_screen(sigmoid_figure(point=unit.z, legend={
        "sigmoid": t("sg.legend_sigmoid"), "slope": t("sg.legend_slope"), "flat": t("sg.legend_flat")},
        off_axis=t("fig.off_axis")), presenter), key="curve_plot", height="300px",
        label=t("alt.curve", z=f"{unit.z:.4f}", y=f"{y_hat:.6f}"))

st.subheader(t("pr.all"))
corners = np.array(list(product((0, 1), repeat=3)), dtype=float)
predictions = net.predict(corners)[:, 0]
seen = {tuple(r) for r in net.inputs.tolist()}
table = pd.DataFrame({
    t("pr.col.input"): [format_row(c) for c in corners],
    t("pr.col.prediction"): [f"{p:.6f}" for p in predictions],  # as text: 0.999958 must not show as 1
    t("pr.col.class"): ["?" if p == 0.5 else str(int(p > 0.5)) for p in predictions],  # σ(0) = 0.5: undecided
    t("pr.in_training"): [t("pr.seen_yes") if tuple(c) in seen else t("pr.seen_no") for c in corners.tolist()],
})
c1, c2 = st.columns([1, 1], gap="large")
c1.dataframe(table, hide_index=True, width="stretch")
with c2:
    st.markdown(f"**{t('pr.cube')}**")
    layers = net.architecture.split(net.params)
    plane = None
    if len(layers) == 1:
        w, b = layers[0]
        plane = (w[:, 0], float(b[0]) if b is not None else 0.0)
        st.caption(t("pr.cube_text", bias=" + b" if b is not None else ""))
    else:
        st.caption(t("pr.cube_hidden"))
    chart(cube_figure(corners, predictions, plane), key="cube_plot", height="420px",
          label=t("alt.cube", count=int((predictions > 0.5).sum())))
