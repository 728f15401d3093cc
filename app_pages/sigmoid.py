"""Sigmoid: the article's activation and its slope, derived step by step, with the learner's samples on it."""

import numpy as np
import streamlit as st

from playground import chrome, figures
from playground.panels import chart, format_row
from playground.strings import t

session = chrome.session()
net = session.network
st.title(t("sg.title"))
st.caption(t("sg.intro"))
chrome.show_notice(session)

z = st.slider(t("sg.z"), min_value=-10.0, max_value=10.0, value=0.0, step=0.1, key="sigmoid_z")
s = 1 / (1 + np.exp(-z))
c1, c2 = st.columns(2)
c1.metric(t("sg.value"), f"{s:.6f}")
c2.metric(t("sg.slope"), f"{s * (1 - s):.6f}")

# Where the training rows sit on the curve: the output unit's weighted sums at the current weights.
outputs = net.layer_outputs_for(net.inputs)
w_out, b_out = net.architecture.split(net.params)[-1]
sums = (outputs[-2] @ w_out + (b_out if b_out is not None else 0.0))[:, 0]
labels = [f"{format_row(row)} → {y:g}" for row, y in zip(net.inputs, net.outputs[:, 0])]
chart(figures.sigmoid_figure(point=z, samples=sums[:8], sample_labels=labels[:8],
                                       legend={"sigmoid": t("sg.legend_sigmoid"), "slope": t("sg.legend_slope"),
                                               "flat": t("sg.legend_flat")}))
st.caption(t("sg.samples", epoch=f"{net.epoch:,}") + (" " + t("sg.hidden_samples") if net.architecture.hidden
                                                        else ""))
st.info(t("sg.vanishing"))

st.subheader(t("sg.derivation"))
steps = [
    ("sg.step1", r"\sigma(x) = \frac{1}{1 + e^{-x}}"),
    ("sg.step2", r"\sigma'(x) = \frac{d}{dx}\left(1 + e^{-x}\right)^{-1} = \frac{e^{-x}}{\left(1 + e^{-x}\right)^2}"),
    ("sg.step3", r"\sigma'(x) = \frac{1 + e^{-x} - 1}{\left(1 + e^{-x}\right)^2}"),
    ("sg.step4", r"\sigma'(x) = \frac{1 + e^{-x}}{\left(1 + e^{-x}\right)^2} - \frac{1}{\left(1 + e^{-x}\right)^2}"
                 r" = \frac{1}{1 + e^{-x}} - \left(\frac{1}{1 + e^{-x}}\right)^2"),
    ("sg.step5", r"\sigma'(x) = \sigma(x) - \sigma(x)^2 = \sigma(x)\,\bigl(1 - \sigma(x)\bigr)"),
]
for key, formula in steps:
    st.markdown(t(key))
    st.latex(formula)
