"""Issue 23, "every number true, second round", as a learner meets it on the pages: floors printed rounded down and
proven from identical inputs, every stop called what it is, the Experiments page's sentences made of numbers each
equal to the network trained alone."""

from decimal import Decimal

import numpy as np
import pytest

import playground.strings
from nn_core import PRESETS, NeuralNetwork, Scenario, Settings, TrainingSet
from nn_core.analysis import error_floor
from playground.exports.notebook import notebook_text
from playground.exports.script import reproduction_script
from playground.exports.tables import losses_csv
from playground.state.actions import next_chunk, open_scenario, play, stop
from playground.strings import translate
from playground.views.playground import Scene, view_figure

from .conftest import address, errors, finish, live_figures, live_text, new_app, open_settings, session, status, text
from .test_exports import run_cells

FINDING_3 = [[0, 0, 0, 0], [1, 0, 0, 1], [1, 1, 0, 1], [1, 0, 1, 1], [1, 1, 1, 1], [0, 1, 0, 0], [0, 0, 1, 0],
             [0, 1, 1, 0], [1, 0, 0, 1]]
SAME_INPUTS = [[1, 0, 0, 0], [0, 1, 0, 0], [1, 0, 0, 1], [1, 1, 0, 1], [0, 1, 0, 0.5], [0, 0, 1, 1]]


def in_language(lang, monkeypatch):
    # AppTest formats a choice's label outside the page's run, where the language is not known: it is the page's.
    monkeypatch.setattr(playground.strings, "language", lambda: lang)
    return new_app({"lang": lang})


def opened(at, rows, **settings):
    open_scenario(session(at), Scenario(data=TrainingSet.from_rows(rows), preset=None, settings=Settings(**settings)))
    at.run()
    assert not at.exception, at.exception
    return session(at).network


def floor_lines(at) -> list[float]:
    return [shape["y0"] for shape in live_figures(at)["loss_plot"]["layout"].get("shapes", [])
            if shape.get("xref") == "paper" and shape["y0"] == shape["y1"]]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_issues_floor_is_printed_rounded_down_everywhere(lang, monkeypatch):
    """Finding 3: the error sits at 0.0555556; every place that prints its floor 1/18 says 0.0555, none 0.0556."""
    app = in_language(lang, monkeypatch)
    net = opened(app, FINDING_3, init=(60.0, -20.0, -20.0))
    app.button(key="step").click().run()
    assert f"{net.current_loss():.7f}" == "0.0555556"
    shown = text(app)
    assert "0.0556" not in shown and "0.0555" in live_text(app, "loss")
    assert ("can never fall below 0.0555" if lang == "en" else "永远不会低于 0.0555") in shown
    figure = live_figures(app)["loss_plot"]
    assert floor_lines(app) == [1 / 18] and "0.0555" in str(figure["layout"]["annotations"])
    app.number_input(key="until_error").set_value(0.0555).run()
    app.button(key="run_until").click().run()
    said = status(app)
    assert session(app).network.epoch == 1 and "0.0555" in said and "0.0556" not in said


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_identical_inputs_with_different_targets_show_their_floor_and_name_their_rows(lang, monkeypatch):
    """Finding 8: rows 1 and 3 are both [1, 0, 0], with targets 0 and 1; rows 2 and 5 both [0, 1, 0], with 0 and
    0.5. With a bias and a hidden layer no row is fixed, yet no network can go below (1 + 0.5) / 6."""
    app = in_language(lang, monkeypatch)
    net = opened(app, SAME_INPUTS, bias=True, hidden=(4,), init="random", seed=2)
    floor = error_floor(net, "mae")
    assert floor == pytest.approx(1.5 / 6) and floor < 1.5 / 6
    shown = text(app)
    assert "0.2499" in live_text(app, "loss") and floor_lines(app) == [floor]
    if lang == "en":
        assert "Identical inputs, different targets" in shown
        assert "rows 1, 3 ([1, 0, 0] → 0, 1); rows 2, 5 ([0, 1, 0] → 0, 0.5)" in shown
        assert "can never fall below 0.2499" in shown
    else:
        assert "相同的输入，不同的目标" in shown and "第 1, 3 行（[1, 0, 0] → 0, 1）" in shown
    assert not [b for b in app.button if b.key == "fix_same_inputs"]  # no setting changes it: no button offers to
    app.number_input(key="until_error").set_value(0.2).run()
    app.button(key="run_until").click().run()
    assert session(app).network.epoch == 0 and session(app).player.mode is None
    said = status(app)
    assert ("can never fall below 0.2499 for this network on this table" if lang == "en" else "永远不会低于 0.2499") \
        in said
    open_settings(app)
    app.selectbox(key="loss").set_value("mse").run()
    mse = error_floor(session(app).network, "mse")
    assert mse == pytest.approx((0.5 + 0.125) / 6) and Decimal(live_text(app, "loss").split()[-1]) <= Decimal(mse)


def test_the_floor_from_identical_inputs_and_the_zero_rows_floor_combine(app):
    """No bias: row 6 [0, 0, 0] → 1 is fixed at 0.5 too. The floor drawn and printed is the larger, proven bound
    that counts both; the zero row's cause still names its own part."""
    net = opened(app, [*SAME_INPUTS[:5], [0, 0, 0, 1]])
    floor = error_floor(net, "mae")
    assert floor == pytest.approx((1 + 0.5 + 0.5) / 6)
    assert floor_lines(app) == [floor] and "floor 0.3333" in live_text(app, "loss")
    shown = text(app)
    assert "An all-zero row and no bias" in shown and "never fall below 0.0833" in shown  # 0.5 / 6: its part
    assert "never fall below 0.3333" in shown  # both together
    np.testing.assert_array_equal(NeuralNetwork(net.data).predict([[0, 0, 0]]), 0.5)


# -- finding 4: every stop called what it is ---------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_weight_limit_is_said_to_be_the_limit_with_the_true_error(lang, monkeypatch):
    """10 rows [100, −100, 0] → 1 at learning rate 10,000: the first update takes a weight to 1,250,000.5 and every
    row right (error 0.0). The page says so, and never that anything diverged or blew up."""
    app = in_language(lang, monkeypatch)
    net = opened(app, [[100, -100, 0, 1]] * 10, learning_rate=10_000.0)
    app.button(key="step").click().run()
    assert (net.stop.kind, net.epoch, net.current_loss()) == ("weight_limit", 1, 0.0)
    shown = text(app)
    if lang == "en":
        assert "Training stopped at the safety limit: the update of epoch 0 (learning rate 10000) left a weight " \
               "beyond ±1,000,000. The mean |error| there is 0.000000." in shown
        assert "A weight reached the safety limit" in shown
        assert not [w for w in ("diverge", "blew up", "blow-up", "not finite") if w in shown.replace(
            "this is a limit, not a blow-up", "")]
    else:
        assert "训练在安全上限处停止" in shown and "0.000000" in shown and "发散" not in shown and "溢出了" not in shown


def sweep_page(app, rows, low, high, count, epochs, **settings):
    opened(app, rows, **settings)
    app.switch_page("pages/experiments.py")
    app.run()
    for key, value in (("sweep_low", low), ("sweep_high", high), ("sweep_networks", count),
                       ("sweep_epochs", epochs)):
        app.number_input(key=key).set_value(value).run()
    app.button(key="run_sweep").click().run()
    assert not app.exception, app.exception
    return session(app).experiments["sweep"]


def test_a_sweeps_notes_call_each_stop_what_it_is(app):
    """Rates 1 to 1,000 on finding 4's rows (100 of them) and one that disagrees: the largest rates stop at the
    weight limit, which the page counts as such, not as diverged; the best rate is one that trained every epoch."""
    result = sweep_page(app, [[100, -100, 0, 1]] * 100 + [[-1, 1, 0, 0]], 1.0, 1000.0, 5, 200)
    at_limit = result.stopped("weight_limit")
    assert at_limit.any() and not result.stopped("diverged").any()
    shown = text(app)
    assert f"{at_limit.sum()} of 5 networks reached the safety limit" in shown and "diverged" not in shown
    best = int(np.argmin(np.where(at_limit, np.inf, result.final_error)))
    assert f"Best: learning rate {result.learning_rates[best]:.3g} reaches" in shown


# -- finding 1: the Experiments page's sentences, made of numbers each equal to the network alone ------------------
def test_the_issues_sweep_best_sentence_is_the_network_alone(app):
    """XOR, a hidden layer of 4, bias, random start seed 5, 15 rates from 0.01 to 100, 2,000 epochs. Before: "best
    rate 13.9, 0.00400", where that network alone ends at 0.251082. Every network of the sweep is now the network
    trained alone, and the sentence is built from their numbers."""
    xor = [[*x, *y] for x, y in zip(PRESETS["xor"].inputs, PRESETS["xor"].outputs)]
    result = sweep_page(app, xor, 0.01, 100.0, 15, 2000, hidden=(4,), bias=True, init="random", seed=5)
    alone = []
    for s in result.settings:
        net = NeuralNetwork(TrainingSet.from_rows(xor), settings=s)
        net.train(2000)
        alone.append(net.current_loss())
    assert result.final_error.tolist() == alone
    best = int(np.argmin(alone))
    assert f"Best: learning rate {result.learning_rates[best]:.3g} reaches mean |error| {alone[best]:.5f} after " \
           "2,000 epochs." in text(app)


# -- finding 5: online updates on the Backprop page and in the network diagram ---------------------------------------
def page_html(at) -> str:
    return "".join(h.proto.body for h in at.get("html"))


def test_the_backprop_page_shows_each_online_update_and_whose_weights_it_leaves(app):
    """The article's table, online, seed 4, at epoch 7: each of the 6 updates can be chosen; each shows its own row
    and target, and the new weights it leaves, said to be the next update's (the next epoch's only after the last
    row), with the matrix's numbers the engine's."""
    opened(app, [[*x, *y] for x, y in zip(PRESETS["article"].inputs, PRESETS["article"].outputs)], batch="online",
           seed=4)
    net = session(app).network
    net.train(7)
    app.switch_page("pages/backprop.py")
    app.run()
    trace = net.trace_epoch(7)
    order = [int(r) + 1 for r in trace.rows]
    chooser = app.selectbox(key="trace_update")
    assert chooser.options == [f"update {k + 1} of 6: row {r}" for k, r in enumerate(order)]
    for k in (0, 3, 5):
        app.selectbox(key="trace_update").set_value(k).run()
        shown, tables = text(app), page_html(app)
        layer = trace.updates[k].layers[0]
        assert f"{layer.new_weights[0, 0]:.6f}" in tables and f"{layer.update[2, 0]:.6f}" in tables
        if k == 5:
            assert f"after row {order[5]}, the epoch's last (update 6 of 6): epoch 8 starts from them" in shown
            further = NeuralNetwork(net.data, settings=net.settings)
            further.train(8)
            np.testing.assert_array_equal(trace.updates[5].new_params, further.params)
        else:
            assert f"These are the weights after row {order[k]} (update {k + 1} of 6): update {k + 2} starts" in shown
            assert "epoch 8 starts from them" not in shown
        before = "the weights the epoch starts with" if k == 0 else f"the weights update {k} left (after row " \
                                                                     f"{order[k - 1]})"
        assert f"Update {k + 1} of 6 reads row {order[k]} alone, from {before}" in shown
    assert "Shown: its first update" not in text(app)


def test_the_diagrams_next_update_online_is_what_the_next_epoch_does(app):
    opened(app, [[*x, *y] for x, y in zip(PRESETS["article"].inputs, PRESETS["article"].outputs)], batch="online",
           seed=4)
    net = session(app).network
    net.train(50)
    app.run()
    app.segmented_control(key="view_tab").set_value("network").run()
    figure = live_figures(app)["network_plot"]
    edges = next(trace for trace in figure["data"] if trace.get("meta", {}).get("select"))
    expected = NeuralNetwork(net.data, settings=net.settings)
    expected.train(51)
    change = expected.params - net.params  # what the next epoch, epoch 50, changes: six updates, one per row
    assert [u for _, _, u in edges["customdata"]] == list(change)
    assert "next epoch's change (one update per row)" in edges["hovertemplate"]


# -- finding 6: rewind branches ------------------------------------------------------------------------------------
def article_trained_to(epochs: int) -> NeuralNetwork:
    net = NeuralNetwork(PRESETS["article"].inputs, PRESETS["article"].outputs)
    net.train(epochs)
    return net


def rewound_app(app, live=25_000, shown=12_500):
    app.number_input(key="target_epochs").set_value(live).run()
    app.button(key="train").click().run()
    finish(app)
    app.slider(key="rewind").set_value(shown).run()
    s = session(app)
    assert (s.network.epoch, s.shown()[0]) == (live, shown)
    return s


def test_step_goes_on_from_the_rewound_epoch_and_one_undo_brings_the_run_back(app):
    """Train to 25,000, rewind to 12,500, Step: epoch 12,501 (it was 25,001), the later epochs dropped and said so,
    with an Undo that brings back the run to 25,000 exactly, shown at 12,500 as before."""
    s = rewound_app(app)
    before = s.network.params.copy(), s.network.error_history.copy()
    app.button(key="step").click().run()
    assert s.network.epoch == 12_501 and np.array_equal(s.network.params, article_trained_to(12_501).params)
    assert "The run went on from epoch 12,500: its epochs after it (to 25,000) were dropped." in text(app)
    undo = app.button(key="rewind_undo")
    assert undo.label == "Undo: bring back the run to epoch 25,000"
    undo.click().run()
    assert s.network.epoch == 25_000 and s.shown()[0] == 12_500 and "Showing epoch 12,500 of 25,000" in text(app)
    assert np.array_equal(s.network.params, before[0]) and np.array_equal(s.network.error_history, before[1])
    assert not [b for b in app.button if b.key == "rewind_undo"]  # one level: nothing more to undo


def test_play_and_train_go_on_from_the_rewound_epoch(app):
    s = rewound_app(app)
    app.number_input(key="target_epochs").set_value(20_000).run()
    app.button(key="train").click().run()
    finish(app)
    assert s.network.epoch == 20_000 and np.array_equal(s.network.params, article_trained_to(20_000).params)
    assert s.dropped.at == 12_500 and s.dropped.epoch == 25_000
    app.slider(key="rewind").set_value(300).run()
    play(s)
    chunk = next_chunk(s)
    assert chunk.epochs[0] == 300 and s.network.epoch > 300 and s.dropped.epoch == 20_000
    stop(s, 400)
    assert s.network.epoch == 400 and np.array_equal(s.network.params, article_trained_to(400).params)


def test_a_new_rate_or_weight_while_rewound_is_made_at_the_epoch_on_screen(app):
    """A change is made where the learner is looking; Undo then rebuilds the dropped run from the start (this branch
    changed the epoch it went on from) and it is the same run, bit for bit."""
    s = rewound_app(app, 3000, 1000)
    before = s.network.params.copy()
    app.number_input(key="learning_rate").set_value(0.5).run()
    assert s.network.epoch == 1000 and [(e.epoch, e.kind, e.value) for e in s.network.events] == [(1000, "rate", 0.5)]
    app.button(key="step").click().run()
    assert s.network.epoch == 1001
    app.button(key="rewind_undo").click().run()
    assert s.network.epoch == 3000 and np.array_equal(s.network.params, before) and not s.network.events


def test_the_link_a_reload_and_the_files_carry_the_epoch_on_screen(app, tmp_path):
    """Rewound to 20,003 of 25,003: the link reopened the run at 25,003. Now it reopens the run rewound to 20,003 (the
    whole run kept), and the exports describe the run to 20,003."""
    s = rewound_app(app, 25_003, 20_003)
    link = address(app)
    assert Scenario.from_link(link).ui["rewind"] == 20_003 and Scenario.from_link(link).run.epoch == 25_003
    reopened = new_app({"s": link})
    again = session(reopened)
    assert again.network.epoch == 25_003 and again.shown()[0] == 20_003
    assert status(reopened).endswith("at epoch 20,003.") and live_text(reopened, "epoch").endswith("20,003")
    reopened.run()  # the status line has said what the link did; now it says how the run stands
    assert "Showing epoch 20,003 of 25,003" in status(reopened)
    assert "rewind" not in again.scenario.ui  # the view it opened at, not a setting it keeps
    reopened.button(key="step").click().run()
    assert again.network.epoch == 20_004
    shown = s.run_shown()
    assert shown.epoch == 20_003 and np.array_equal(shown.params, s.network.params_at(20_003))
    assert s.network.epoch == 25_003  # the copy ended there; the run itself is whole
    assert losses_csv(shown).splitlines()[-1].startswith("20002,") and "EPOCHS = 20003" in reproduction_script(shown)
    path = tmp_path / "run.ipynb"
    path.write_text(notebook_text(shown, "en"), encoding="utf-8")
    assert run_cells(path, tmp_path)["weights"] == [float(w).hex() for w in s.network.params_at(20_003)]
    app.session_state["export"] = True  # the sidebar's Export and import, open
    app.run()
    assert "You are looking at epoch 20,003: the histories, the script, the notebook and the replay end there." \
        in text(app)


# -- finding 7: the table says every refusal and every number it keeps otherwise -------------------------------------
def edit(app, edited=None, added=(), deleted=()):
    app.session_state["training_data"] = {"edited_rows": edited or {}, "added_rows": list(added),
                                          "deleted_rows": list(deleted)}
    app.run()
    assert not app.exception, app.exception


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_cell_the_table_cannot_use_is_named_next_to_it(lang, monkeypatch):
    """500 was clamped to 100 and "abc" read as 0, and a new row showed None in each cell, all without a word. Now
    the cells keep what was typed, every problem is said, in the page's language, while training keeps the last
    valid table, and an empty row is said to be left out."""
    app = in_language(lang, monkeypatch)
    edit(app, {0: {"x1": "500"}, 1: {"x2": "abc"}}, added=[{"x1": "", "x2": "", "x3": "", "y": ""}])
    problems = errors(app)
    assert len(problems) == 1
    if lang == "en":
        assert problems[0].startswith("The table cannot be used as it is (2 problems):")
        for said in ("- Row 1, column x1: an input must be from -100 to 100", "- Row 2, column x2 is not a number",
                     "Training keeps using the last valid table until they are fixed."):
            assert said in problems[0], said
        assert "Nothing is in row 7: training leaves such a row out until its four cells are filled" in text(app)
    else:
        assert "表格目前不能使用（2 处问题）" in problems[0] and "第 2 行 x2 列不是数字" in problems[0]
        assert not any(w in problems[0] for w in ("row", "column", "empty")) and "第 7 行是空的" in text(app)
    assert session(app).network.inputs.tolist() == PRESETS["article"].inputs
    edit(app, {0: {"x1": "1"}, 1: {"x2": "1"}}, added=[{"x1": "", "x2": "", "x3": "", "y": ""}])
    assert not errors(app) and session(app).network.inputs[:2].tolist() == [[1, 1, 0], [0, 1, 1]]
    assert len(session(app).network.inputs) == 6  # the empty row is left out, and said to be
    edit(app, {}, added=[{"x1": "0.5", "x2": "0", "x3": "", "y": "1"}])
    assert errors(app) == ["Row 7, column x3 is empty. Training keeps using the last valid table until this is "
                           "fixed."] if lang == "en" else errors(app)
    edit(app, {}, added=[{"x1": "0.5", "x2": "0", "x3": "1", "y": "1"}])
    assert not errors(app) and session(app).network.inputs[-1].tolist() == [0.5, 0, 1]


def test_digits_a_number_cannot_keep_are_said_with_the_number_used(app):
    edit(app, {0: {"x1": "0.1234567890123456789"}, 2: {"y": "0.30"}})
    assert session(app).network.inputs[0, 0] == 0.12345678901234568
    assert "A number keeps about 17 significant digits, so some cells are used with fewer than you typed: row 1, " \
           "column x1 as 0.12345678901234568." in text(app)
    edit(app, {0: {"x1": "0.12345678901234568"}})  # as kept: nothing to say
    assert "significant digits" not in text(app)


def test_a_cell_of_a_kind_no_browser_sends_is_refused_in_the_pages_language(monkeypatch):
    app = in_language("zh", monkeypatch)
    edit(app, {1: {"x2": [1]}})
    assert errors(app) and "第 2 行 x2 列不是数字" in errors(app)[0] and "column" not in errors(app)[0]


# -- finding 9: every frame shows only epochs that were computed ----------------------------------------------------
def test_a_slice_of_training_to_a_target_sends_its_curve_not_only_its_end(app):
    """Each chunk carries its slice's epochs, evenly spaced (at most 64 and the last), with the engine's own losses
    and weights at each: the browser's curve goes through them (it drew a straight line from the slice's start to
    its end before)."""
    app.number_input(key="target_epochs").set_value(200_000).run()
    app.button(key="train").click().run()
    s = session(app)
    start = s.network.epoch
    chunk = next_chunk(s)
    epochs = chunk.epochs.tolist()
    assert epochs[0] == start + 1 and epochs[-1] == s.network.epoch and 8 <= len(epochs) <= 65
    steps = np.diff(epochs[:-1])
    assert len(set(steps.tolist())) == 1 and epochs[-1] - epochs[-2] <= steps[0]  # evenly spaced, then the end
    alone = NeuralNetwork(PRESETS["article"].inputs, PRESETS["article"].outputs)
    alone.train(epochs[-1])
    for k in (0, len(epochs) // 2, len(epochs) - 1):
        np.testing.assert_array_equal(chunk.params[k], s.network.params_at(epochs[k]))
        assert chunk.losses[k][0] == float(alone.losses_for(alone.params_at(epochs[k]))[0])


def test_each_frames_next_update_is_at_that_frames_own_rate():
    """The diagram's hover follows live play frame by frame: a frame before a change of learning rate shows the
    update at the rate then, one after it at the new rate (issue 23's third picture that lied)."""
    net = NeuralNetwork(PRESETS["article"].inputs, PRESETS["article"].outputs)
    net.train(100)
    net.learning_rate = 3.0
    net.train(100)
    epochs = np.array([50, 150])
    states = np.array([net.state_at(50), net.state_at(150)])
    scene = Scene(net, 150, net.params_at(150), net.epoch, net.params, frames=(epochs, states))
    figure, _ = view_figure(scene, "network", lambda key, **v: translate("en", key, **v))
    (answers,) = [tr for tr in figure["data"] if tr.get("meta", {}).get("live") == "frames"]
    for k, (e, rate) in enumerate(((50, 1.0), (150, 3.0))):
        further = NeuralNetwork(net.data)
        further.replay(e + 1, [event for event in net.events if event.epoch <= e + 1])
        assert [u for _, _, u in answers["meta"]["frames"]["customdata"][k]] == pytest.approx(
            (further.params - net.params_at(e)).tolist(), rel=1e-12)
        assert net.rate_at(e) == rate
