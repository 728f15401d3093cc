"""Experiments: learning-rate sweeps, random starts, the loss landscape, XOR side by side, and saved runs."""

import numpy as np
import streamlit as st

from nn_core import LOSS_NAMES
from playground import chrome, experiments, figures
from playground.panels import chart, format_row, subscript_names
from playground.strings import t

session = chrome.session()
net = session.network
st.title(t("ex.title"))
st.caption(t("ex.intro"))
chrome.show_notice(session)
results = session.experiments  # this session's last results, so that a rerun does not recompute them


def progress_bar(count):
    bar = st.progress(0.0)

    def update(done, total):
        bar.progress(done / max(total, 1), text=t("ex.running", count=count, done=f"{done:,}", total=f"{total:,}"))

    return bar, update


tabs = st.tabs([t("ex.tab.sweep"), t("ex.tab.spread"), t("ex.tab.landscape"), t("ex.tab.xor"),
                t("ex.tab.compare")], key="experiment_tab", on_change="rerun")
sweep_tab, spread_tab, landscape_tab, xor_tab, compare_tab = tabs

if sweep_tab.open is not False:
    with sweep_tab:
        st.caption(t("ex.sweep.text"))
        c1, c2, c3, c4, c5 = st.columns([1, 1, 1, 1, 0.8], vertical_alignment="bottom")
        low = c1.number_input(t("ex.sweep.low"), 0.001, 1000.0, 0.01, format="%g", key="sweep_low")
        high = c2.number_input(t("ex.sweep.high"), 0.001, 1000.0, 100.0, format="%g", key="sweep_high")
        count = c3.number_input(t("ex.sweep.count"), 2, 200, 25, key="sweep_networks")
        epochs = c4.number_input(t("ex.epochs"), 10, 100_000, 5000, step=1000, key="sweep_epochs")
        if c5.button(t("ex.run"), key="run_sweep", type="primary"):
            bar, update = progress_bar(count)
            lo, hi = sorted((low, high))
            results["sweep"] = experiments.learning_rate_sweep(net, lo, hi, int(count), int(epochs), net.seed,
                                                               progress=update)
            bar.empty()
        result = results.get("sweep")
        if result is not None:
            best = experiments.best_run(result)
            if best is None:
                st.warning(t("ex.sweep.none"))
            else:
                st.success(t("ex.sweep.best", rate=f"{result.learning_rates[best]:.3g}",
                             error=f"{result.final_error[best]:.5f}", epochs=f"{result.error_history.shape[1]:,}"))
            diverged = int((result.diverged_at >= 0).sum())
            if diverged:
                st.info(t("ex.sweep.diverged", count=diverged))
            sweep = figures.sweep_figure(result.learning_rates, result.error_history, best=best,
                                         x_title=t("fig.epoch"), y_title=t("loss.mae"), rate_label=t("ex.rate"))
            chart(sweep)
            chart(figures.heatmap_figure(result.learning_rates, result.error_history,
                                                   x_title=t("fig.epoch"), y_title=t("ex.rate"),
                                                   color_title=t("ex.log_error")))

if spread_tab.open is not False:
    with spread_tab:
        c1, c2, c3 = st.columns([1, 1, 0.6], vertical_alignment="bottom")
        seeds = c1.number_input(t("ex.spread.seeds"), 2, 500, 30, key="spread_seeds")
        epochs = c2.number_input(t("ex.epochs"), 10, 100_000, 5000, step=1000, key="spread_epochs")
        st.caption(t("ex.spread.text", count=int(seeds)))
        if c3.button(t("ex.run"), key="run_spread", type="primary"):
            bar, update = progress_bar(seeds)
            results["spread"] = experiments.initialisation_spread(net, int(seeds), int(epochs), progress=update)
            bar.empty()
        result = results.get("spread")
        if result is not None:
            names = subscript_names(result.architecture.parameter_names())
            pair = st.multiselect(t("ex.spread.weights"), list(range(len(names))), default=[0, 1],
                                  format_func=lambda i: names[i], max_selections=2, key="spread_pair")
            if len(pair) == 2:
                from nn_core.network import initial_parameters

                starts = np.stack([initial_parameters(result.architecture, "random", s) for s in result.seeds])
                final = result.final_error
                chart(figures.spread_figure(starts[:, pair], result.weights[:, pair], final,
                                                      names=[names[i] for i in pair], start_label=t("ex.spread.start"),
                                                      end_label=t("ex.spread.end"), color_title=t("ex.final_error")))
                ok = final[np.isfinite(final)]
                if ok.size:
                    st.caption(t("ex.spread.summary", best=f"{ok.min():.4f}", median=f"{np.median(ok):.4f}",
                                 worst=f"{ok.max():.4f}"))

if landscape_tab.open is not False:
    with landscape_tab:
        names = subscript_names(net.parameter_names())
        c1, c2 = st.columns(2)
        a = c1.selectbox(t("ex.landscape.a"), range(len(names)), index=0, format_func=lambda i: names[i],
                         key="landscape_a")
        b = c2.selectbox(t("ex.landscape.b"), range(len(names)), index=min(1, len(names) - 1),
                         format_func=lambda i: names[i], key="landscape_b")
        st.caption(t("ex.landscape.text", epoch=f"{net.epoch:,}"))
        if net.epoch == 0:
            st.info(t("ex.landscape.untrained"))
        loss = session.scenario.loss if session.scenario.loss in LOSS_NAMES else "mae"
        land = experiments.loss_landscape(net, a, b, loss)
        chart(figures.landscape_figure(land.grid_a, land.grid_b, land.loss, land.path,
                                                 names=[names[a], names[b]], color_title=t(f"loss.{loss}"),
                                                 path_label=t("ex.landscape.path"), now_label=t("ex.landscape.now")))

if xor_tab.open is not False:
    with xor_tab:
        st.caption(t("ex.xor.text"))
        c1, c2 = st.columns([1, 3], vertical_alignment="bottom")
        epochs = c1.number_input(t("ex.epochs"), 100, 100_000, 10_000, step=1000, key="xor_epochs")
        if c2.button(t("ex.run"), key="run_xor", type="primary"):
            with st.spinner():
                results["xor"] = experiments.xor_side_by_side(int(epochs))
        pair = results.get("xor")
        if pair is not None:
            single, hidden = pair["single"], pair["hidden"]
            st.success(t("ex.xor.result", single=f"{single.current_loss():.4f}", hidden=f"{hidden.current_loss():.4f}"))
            runs = [(t("ex.xor.single"), single.epoch_list, single.error_history),
                    (t("ex.xor.hidden"), hidden.epoch_list, hidden.error_history)]
            chart(figures.compare_figure(runs, x_title=t("fig.epoch"), y_title=t("loss.mae")))
            corners = single.inputs
            table = {t("pr.col.input"): [format_row(r) for r in corners],
                     "y": single.outputs[:, 0], t("ex.xor.single"): single.predict(corners)[:, 0].round(4),
                     t("ex.xor.hidden"): hidden.predict(corners)[:, 0].round(4)}
            st.dataframe(table, hide_index=True)

if compare_tab.open is not False:
    with compare_tab:
        st.caption(t("ex.compare.text"))
        saved = session.saved_runs
        c1, c2, c3 = st.columns([2, 1, 1], vertical_alignment="bottom")
        name = c1.text_input(t("ex.compare.name"), value=t("ex.compare.default_name", number=len(saved) + 1),
                             max_chars=40, key="run_name")
        if c2.button(t("ex.compare.save"), key="save_run", type="primary"):
            clean = name.strip() or t("ex.compare.default_name", number=len(saved) + 1)
            saved[clean] = experiments.save_run(net, clean)
            if len(saved) > experiments.MAX_SAVED_RUNS:
                saved.pop(next(iter(saved)))
                st.info(t("ex.compare.limit", count=experiments.MAX_SAVED_RUNS))
            st.success(t("ex.compare.saved", name=clean, epochs=f"{net.epoch:,}"))
        if c3.button(t("ex.compare.clear"), key="clear_runs"):
            saved.clear()
        if not saved:
            st.info(t("ex.compare.empty"))
        else:
            index = LOSS_NAMES.index(session.scenario.loss)
            runs = [(r.name, r.epochs, r.losses[:, index]) for r in saved.values()]
            overlay = figures.compare_figure(runs, x_title=t("fig.epoch"), y_title=t(f"loss.{session.scenario.loss}"))
            chart(overlay)
