"""Predict: ask the trained network about a new sample, and see where its answer comes from."""

from itertools import product

import numpy as np
import pandas as pd
import streamlit as st

from nn_core import InputError
from playground import chrome, figures
from playground.panels import chart, format_row, subscript_names
from playground.strings import t

session = chrome.session()
net = session.network
st.title(t("pr.title"))
st.caption(t("pr.intro"))
chrome.show_notice(session)
if net.epoch == 0:
    st.info(t("pr.untrained"))

left, right = st.columns([1, 2], gap="large")
with left:
    st.subheader(t("pr.sample"))
    query = [st.number_input(f"x{i}", min_value=-100.0, max_value=100.0, value=float(v), step=1.0, format="%g",
                             key=f"query_x{i}") for i, v in zip((1, 2, 3), (1, 1, 0))]
    try:
        y_hat = float(net.predict([query])[0, 0])
    except InputError as e:
        st.error(t("pr.bad_query", error=str(e)))
        st.stop()
    with st.container(key="prediction"):
        st.metric(t("pr.prediction"), f"{y_hat:.8f}")  # the article prints 8 decimals
    cls = "?" if y_hat == 0.5 else int(y_hat > 0.5)
    st.markdown(t("pr.class", cls=cls, sure=f"{max(y_hat, 1 - y_hat):.1%}"))
    st.caption(t("pr.epoch_note", epoch=f"{net.epoch:,}"))

with right:
    # What the output unit reads (x itself without a hidden layer), each times its weight, plus the bias.
    layers = net.architecture.split(net.params)
    unit_inputs = net.layer_outputs_for([query])[-2][0]
    w_out, b_out = layers[-1]
    parts = unit_inputs * w_out[:, 0]
    names = subscript_names([f"w{i}·x{i}" for i in (1, 2, 3)]) if len(layers) == 1 else [
        f"h{j + 1}·w" for j in range(len(parts))]
    if b_out is not None:
        parts = np.r_[parts, b_out[0]]
        names = [*names, "b"]
    z = float(parts.sum())
    st.subheader(t("pr.breakdown"))
    st.caption(t("pr.breakdown_text") if len(layers) == 1 else t("pr.breakdown_hidden"))
    chart(figures.contributions_figure(names, parts, total_label="z = Σ", y_title="z"))
    st.subheader(t("pr.curve"))
    slope = y_hat * (1 - y_hat)
    st.caption(t("pr.curve_text", z=f"{z:.4f}", y=f"{y_hat:.4f}", slope=f"{slope:.4f}"))
    chart(figures.sigmoid_figure(point=z, legend={"sigmoid": t("sg.legend_sigmoid"),
                                                            "slope": t("sg.legend_slope"),
                                                            "flat": t("sg.legend_flat")}))

st.subheader(t("pr.all"))
corners = np.array(list(product((0, 1), repeat=3)), dtype=float)
predictions = net.predict(corners)[:, 0]
seen = {tuple(r) for r in net.inputs.tolist()}
table = pd.DataFrame({
    t("pr.col.input"): [format_row(c) for c in corners],
    t("pr.col.prediction"): predictions.round(6),
    t("pr.col.class"): ["?" if p == 0.5 else str(int(p > 0.5)) for p in predictions],  # σ(0) = 0.5: undecided
    t("pr.in_training"): [t("pr.seen_yes") if tuple(c) in seen else t("pr.seen_no") for c in corners.tolist()],
})
c1, c2 = st.columns([1, 1], gap="large")
c1.dataframe(table, hide_index=True, width="stretch")
with c2:
    st.markdown(f"**{t('pr.cube')}**")
    plane = None
    if len(layers) == 1:
        w, b = layers[0]
        plane = (w[:, 0], float(b[0]) if b is not None else 0.0)
        st.caption(t("pr.cube_text", bias=" + b" if b is not None else ""))
    else:
        st.caption(t("pr.cube_hidden"))
    chart(figures.cube_figure(corners, predictions, plane))
