"""Sigmoid: the article's activation and its slope, derived step by step, with the learner's samples on it."""

import streamlit as st

from nn_core import activate, activation_slope
from nn_core.analysis import output_sums
from playground.live.component import chart
from playground.panels import page
from playground.state.widgets import checked_widget
from playground.strings import t
from playground.views.page_charts import sigmoid_figure
from playground.views.playground import format_row
from playground.views.plot import ROW_COLORS, for_screen

s, hidden, presenter = page.start(t("sg.title"), t("sg.intro"))
net = s.network

checked_widget(s, "sigmoid_z", lambda v: isinstance(v, (int, float)) and -10 <= v <= 10, 0.0)
z = st.slider(t("sg.z"), min_value=-10.0, max_value=10.0, step=0.1, key="sigmoid_z")
value = float(activate("sigmoid", z))
c1, c2 = st.columns(2)
c1.metric(t("sg.value"), f"{value:.6f}")
c2.metric(t("sg.slope"), f"{float(activation_slope('sigmoid', value)):.6f}")

# Where the training rows sit on the curve: the output unit's weighted sums at the current weights.
shown = min(len(net.inputs), len(ROW_COLORS))
sums = output_sums(net, net.inputs[:shown])
labels = [f"{format_row(row)} → {y:g}" for row, y in zip(net.inputs, net.outputs[:, 0])]
legend = {"sigmoid": t("sg.legend_sigmoid"), "slope": t("sg.legend_slope"), "flat": t("sg.legend_flat")}
chart(for_screen(sigmoid_figure(point=z, samples=sums, sample_labels=labels[:shown], legend=legend,
                                        off_axis=t("fig.off_axis")), presenter),
      key="sigmoid_plot", label=t("alt.sigmoid", count=shown))
st.caption(t("sg.samples", epoch=f"{net.epoch:,}", shown=shown, total=len(net.inputs))
           + (" " + t("sg.hidden_samples") if net.architecture.hidden else ""))
st.info(t("sg.vanishing"))

st.subheader(t("sg.derivation"))
steps = [
    ("sg.step1", r"\sigma(x) = \frac{1}{1 + e^{-x}} = \left(1 + e^{-x}\right)^{-1}"),
    ("sg.step2", r"\sigma'(x) = -\left(1 + e^{-x}\right)^{-2}\cdot\left(-e^{-x}\right) = "
                 r"\frac{e^{-x}}{\left(1 + e^{-x}\right)^2}"),
    ("sg.step3", r"\sigma'(x) = \frac{1 + e^{-x} - 1}{\left(1 + e^{-x}\right)^2}"),
    ("sg.step4", r"\sigma'(x) = \frac{1 + e^{-x}}{\left(1 + e^{-x}\right)^2} - \frac{1}{\left(1 + e^{-x}\right)^2}"
                 r" = \frac{1}{1 + e^{-x}} - \left(\frac{1}{1 + e^{-x}}\right)^2"),
    ("sg.step5", r"\sigma'(x) = \sigma(x) - \sigma(x)^2 = \sigma(x)\,\bigl(1 - \sigma(x)\bigr)"),
]
for key, formula in steps:
    st.markdown(t(key))
    st.latex(formula)
