"""Experiments: learning-rate sweeps, random starts, the loss landscape, XOR side by side, and saved runs."""

import numpy as np
import streamlit as st

from nn_core import LOSS_NAMES, InputError
from playground.learn import experiments
from playground.live.component import chart
from playground.live.trainer import HEAVY_WORK
from playground.panels import page
from playground.state.actions import save_run
from playground.state.widgets import checked_widget, set_widget, widget
from playground.strings import plain, t
from playground.strings.errors import explain
from playground.views.page_charts import compare_figure, heatmap_figure, landscape_figure, spread_figure, sweep_figure
from playground.views.playground import format_row, subscript_names
from playground.views.plot import for_screen

s, hidden, presenter = page.start(t("ex.title"), t("ex.intro"))
net = s.network
results = s.experiments  # this session's last results (thinned), so that a rerun does not recompute them


def draw(fig, key, label, height="max(320px, 40vh)"):
    chart(for_screen(fig, presenter), key=key, label=label, height=height)


def run(name, compute, count, epochs):
    """Train ``count`` networks for ``epochs`` epochs with a progress bar; a long sweep takes turns with the
    server's other heavy runs (live/trainer.py), between its chunks, and says where it is in the line meanwhile."""
    box = st.empty()
    with box.container():
        bar = st.progress(0.0)
        work = count * epochs * net.settings.work_per_epoch(net.architecture, len(net.inputs))
        if work > HEAVY_WORK:
            st.button(t("wait.cancel"), key=f"cancel_{name}")  # (a click reruns the page: the sweep stops there)

    def waiting(ahead):
        bar.progress(0.0, text=t("wait.ahead", ahead=f"{ahead:,}"))

    with s.trainer.turn(("sweep", id(s)), work, waiting) as turn:
        def update(done, total):
            bar.progress(done / max(total, 1), text=t("ex.running", count=count, done=f"{done:,}", total=f"{total:,}"))
            turn.pause()

        try:
            results[name] = compute(update)
        except InputError as e:
            st.error(t("ex.refused", error=explain(e)), icon="⚠️")
    box.empty()


def stop_notes(result):
    """How many networks training stopped by itself, for each reason, as it is."""
    notes = [t(f"ex.stopped.{kind}", count=int(result.stopped(kind).sum()), total=len(result.stops))
             for kind in ("diverged", "weight_limit", "fixed_point") if result.stopped(kind).any()]
    if notes:
        st.info(" ".join(notes))


def numbers(key, label, low, high, default, step, cast=float):
    checked_widget(s, key, lambda v: isinstance(v, (int, float)) and low <= v <= high, default)
    return cast(st.number_input(label, low, high, step=step, format="%g" if cast is float else "%d", key=key))


tabs = st.tabs([t("ex.tab.sweep"), t("ex.tab.spread"), t("ex.tab.landscape"), t("ex.tab.xor"), t("ex.tab.compare")],
               key="experiment_tab", on_change="rerun")
sweep_tab, spread_tab, landscape_tab, xor_tab, compare_tab = tabs

if sweep_tab.open is not False:
    with sweep_tab:
        st.caption(t("ex.sweep.text"))
        c1, c2, c3, c4, c5 = st.columns([1, 1, 1, 1, 0.8], vertical_alignment="bottom")
        with c1:
            low = numbers("sweep_low", t("ex.sweep.low"), 0.001, 1000.0, 0.01, 0.01)
        with c2:
            high = numbers("sweep_high", t("ex.sweep.high"), 0.001, 1000.0, 100.0, 1.0)
        with c3:
            count = numbers("sweep_networks", t("ex.sweep.count"), 2, 200, 25, 1, int)
        with c4:
            epochs = numbers("sweep_epochs", t("ex.epochs"), 10, 100_000, 5000, 1000, int)
        if c5.button(t("ex.run"), key="run_sweep", type="primary"):
            lo, hi = sorted((low, high))
            run("sweep", lambda update: experiments.learning_rate_sweep(net, lo, hi, count, epochs, update), count,
                epochs)
        result = results.get("sweep")
        if result is not None:
            best = experiments.best_run(result)
            if best is None:
                st.warning(t("ex.sweep.none", epochs=f"{result.epochs:,}"))
            else:
                st.success(t("ex.sweep.best", rate=f"{result.learning_rates[best]:.3g}",
                             error=f"{result.final_error[best]:.5f}", epochs=f"{result.epochs:,}"))
            stop_notes(result)
            errs = result.errors
            draw(sweep_figure(result.learning_rates, errs.epochs, errs.values, best=best,
                                      x_title=t("fig.epoch"), y_title=t("loss.mae"), rate_label=t("ex.rate")),
                 "sweep_plot", t("alt.sweep", count=len(result.learning_rates)))
            draw(heatmap_figure(result.learning_rates, errs.epochs, errs.values, x_title=t("fig.epoch"),
                                        y_title=t("ex.rate"), color_title=t("ex.log_error")),
                 "heat_plot", t("alt.heat", count=len(result.learning_rates)))

if spread_tab.open is not False:
    with spread_tab:
        c1, c2, c3 = st.columns([1, 1, 0.6], vertical_alignment="bottom")
        with c1:
            seeds = numbers("spread_seeds", t("ex.spread.seeds"), 2, 200, 30, 1, int)
        with c2:
            epochs = numbers("spread_epochs", t("ex.epochs"), 10, 100_000, 5000, 1000, int)
        st.caption(t("ex.spread.text", count=seeds))
        if c3.button(t("ex.run"), key="run_spread", type="primary"):
            run("spread", lambda update: experiments.initialisation_spread(net, seeds, epochs, update), seeds, epochs)
        result = results.get("spread")
        if result is not None:
            stop_notes(result)
            names = subscript_names(result.settings[0].architecture(net.architecture.n_inputs).parameter_names())
            pair = st.multiselect(t("ex.spread.weights"), list(range(len(names))), default=[0, 1],
                                  format_func=lambda i: names[i], max_selections=2, key="spread_pair",
                                  placeholder=t("ex.spread.placeholder"))
            if len(pair) == 2:
                final = result.final_error
                draw(spread_figure(result.starts[:, pair], result.weights[:, pair], final,
                                           names=[names[i] for i in pair], start_label=t("ex.spread.start"),
                                           end_label=t("ex.spread.end"), color_title=t("ex.final_error")),
                     "spread_plot", t("alt.spread", count=len(final)))
                ok = final[np.isfinite(final)]
                if ok.size:
                    st.caption(t("ex.spread.summary", best=f"{ok.min():.4f}", median=f"{np.median(ok):.4f}",
                                 worst=f"{ok.max():.4f}"))

if landscape_tab.open is not False:
    with landscape_tab:
        names = subscript_names(net.parameter_names())
        c1, c2 = st.columns(2)
        for key, default in (("landscape_a", 0), ("landscape_b", min(1, len(names) - 1))):
            checked_widget(s, key, lambda v: isinstance(v, int) and v >= 0, default)
            if widget(key) >= len(names):  # the network has fewer parameters since
                set_widget(key, default)
        a = c1.selectbox(t("ex.landscape.a"), range(len(names)), index=0, format_func=lambda i: names[i],
                         key="landscape_a")
        b = c2.selectbox(t("ex.landscape.b"), range(len(names)), index=min(1, len(names) - 1),
                         format_func=lambda i: names[i], key="landscape_b")
        st.caption(t("ex.landscape.text", epoch=f"{net.epoch:,}"))
        if net.epoch == 0:
            st.info(t("ex.landscape.untrained"))
        loss = s.scenario.loss if s.scenario.loss in LOSS_NAMES else "mae"
        land = experiments.loss_landscape(net, a, b, loss)
        draw(landscape_figure(land.grid_a, land.grid_b, land.loss, land.path, names=[names[a], names[b]],
                                      color_title=t(f"loss.{loss}"), path_label=t("ex.landscape.path"),
                                      now_label=t("ex.landscape.now")),
             "landscape_plot", t("alt.landscape", a=names[a], b=names[b]), height="max(380px, 55vh)")

if xor_tab.open is not False:
    with xor_tab:
        st.caption(t("ex.xor.text"))
        c1, c2 = st.columns([1, 3], vertical_alignment="bottom")
        with c1:
            epochs = numbers("xor_epochs", t("ex.epochs"), 100, 100_000, 10_000, 1000, int)
        if c2.button(t("ex.run"), key="run_xor", type="primary"):
            with st.spinner():
                results["xor"] = experiments.xor_side_by_side(epochs)
        xor = results.get("xor")
        if xor is not None:
            st.success(t("ex.xor.result", single=f"{xor.final['single']:.4f}", hidden=f"{xor.final['hidden']:.4f}"))
            runs = [(t(f"ex.xor.{k}"), xor.epochs[k], xor.errors[k]) for k in ("single", "hidden")]
            draw(compare_figure(runs, x_title=t("fig.epoch"), y_title=t("loss.mae")), "xor_plot",
                 t("alt.compare", count=2))
            st.dataframe({t("pr.col.input"): [format_row(r) for r in xor.inputs], "y": xor.outputs[:, 0],
                          t("ex.xor.single"): [f"{p:.4f}" for p in xor.predictions["single"]],
                          t("ex.xor.hidden"): [f"{p:.4f}" for p in xor.predictions["hidden"]]}, hide_index=True)

if compare_tab.open is not False:
    with compare_tab:
        st.caption(t("ex.compare.text"))
        saved = s.saved_runs
        c1, c2, c3 = st.columns([2, 1, 1], vertical_alignment="bottom")
        name = c1.text_input(t("ex.compare.name"), value=t("ex.compare.default_name", number=len(saved) + 1),
                             max_chars=40, key="run_name")
        if c2.button(t("ex.compare.save"), key="save_run", type="primary"):
            clean = " ".join(str(name).split())[:40] or t("ex.compare.default_name", number=len(saved) + 1)
            if save_run(s, clean):
                st.info(t("ex.compare.limit", count=len(saved)))
            st.success(t("ex.compare.saved", name=plain(clean), epochs=f"{net.epoch:,}"))
        if c3.button(t("ex.compare.clear"), key="clear_runs"):
            saved.clear()
        if not saved:
            st.info(t("ex.compare.empty"))
        else:
            index = LOSS_NAMES.index(s.scenario.loss)
            runs = [(r.name, r.epochs, r.losses[:, index]) for r in saved.values()]
            draw(compare_figure(runs, x_title=t("fig.epoch"), y_title=t(f"loss.{s.scenario.loss}")),
                 "compare_plot", t("alt.compare", count=len(runs)))
