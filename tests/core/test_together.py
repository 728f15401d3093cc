"""Networks trained together get exactly what they would get alone: every network of a sweep or a spread of random
starts, and every network of a batch of learners' runs (train_together), bit for bit at every epoch."""

from unittest import mock

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from nn_core import PRESETS, NeuralNetwork, Settings, TrainingSet, batch, train_many
from nn_core.model import train_together
from playground.learn import experiments

XOR = PRESETS["xor"]
EXAMPLES = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def tables(rows):
    """Tables of ``rows`` rows: 3 features in [−2, 2] (sometimes all 0/1), a target in [0, 1]."""
    cell = st.one_of(st.sampled_from([0.0, 1.0]), st.floats(-2, 2, allow_nan=False))
    return st.lists(st.tuples(cell, cell, cell, st.floats(0, 1, allow_nan=False)), min_size=rows,
                    max_size=rows).map(TrainingSet.from_rows)


shapes = st.fixed_dictionaries({
    "hidden": st.sampled_from([(), (1,), (3,), (8,)]), "activation": st.sampled_from(["sigmoid", "tanh", "relu"]),
    "bias": st.booleans(), "batch": st.sampled_from(["full", "online"]), "init": st.sampled_from([0.5, "random"]),
    "momentum": st.sampled_from([0.0, 0.0, 0.5, 0.95])})


def alone(data, s, epochs):
    net = NeuralNetwork(data, settings=s)
    net.train(epochs)
    return net


def test_the_issues_hidden_sweep_equals_each_network_alone():
    """Issue 23, finding 1: XOR, a hidden layer of 4, bias, random start seed 5, learning rates 1 and 2."""
    data = TrainingSet(XOR.inputs, XOR.outputs)
    sweep = [Settings(hidden=(4,), bias=True, init="random", seed=5, learning_rate=r) for r in (1.0, 2.0)]
    batch = train_many(data, sweep, 2000)
    for i, s in enumerate(sweep):
        net = alone(data, s, 2000)
        assert np.array_equal(batch.weights[i], net.params) and batch.final_error[i] == net.current_loss()


def test_the_issues_learning_rate_sweep_reports_what_each_rate_gives_alone():
    """Issue 23, finding 1: the sweep 0.01–100 said 0.003997 at rate 13.895 where the network alone ends at
    0.251082; each of its 15 networks now ends exactly where it ends alone."""
    data = TrainingSet(XOR.inputs, XOR.outputs)
    sweep = [Settings(hidden=(4,), bias=True, init="random", seed=5, learning_rate=float(r))
             for r in np.geomspace(0.01, 100, 15)]
    batch = train_many(data, sweep, 2000)
    for i, s in enumerate(sweep):
        assert batch.final_error[i] == alone(data, s, 2000).current_loss(), s.learning_rate


def same_as_alone(data, result, epochs):
    """Each network of ``result`` has, at every epoch, exactly the numbers of the same network trained alone."""
    for i, s in enumerate(result.settings):
        net = alone(data, s, epochs)
        assert np.array_equal(result.weights[i], net.params) and np.array_equal(result.starts[i], net.initial_params)
        assert result.stops[i] == net.stop and result.final_error[i] == net.current_loss()
        kept = result.errors.epochs < net.epoch  # every epoch (≤ 256 epochs: one bucket each) until it stopped
        assert np.array_equal(result.errors.values[kept, i], net.error_history[result.errors.epochs[kept]])


@EXAMPLES
@given(st.integers(1, 9).flatmap(tables), shapes, st.lists(st.floats(0.01, 50), min_size=1, max_size=4),
       st.lists(st.integers(0, 2**32 - 1), min_size=4, max_size=4), st.integers(1, 200), st.sampled_from([0, 40]))
def test_every_network_of_a_sweep_or_a_spread_is_the_network_alone(data, shape, rates, seeds, epochs, group):
    """(group: a sweep trains its networks a group at a time, so that a large table's pass stays small; 40 floats
    make groups of one or two networks here, as 200 networks on 1,000 rows would.)"""
    sweep = [Settings(**shape, learning_rate=rate, seed=seed) for rate, seed in zip(rates, seeds)]
    with mock.patch.object(batch, "_GROUP_FLOATS", group or batch._GROUP_FLOATS):
        result = train_many(data, sweep, epochs)
    same_as_alone(data, result, epochs)


@EXAMPLES
@given(st.integers(1, 9).flatmap(tables), shapes, st.floats(0.01, 50), st.integers(1, 200))
def test_the_experiments_pages_sweeps_and_spreads_are_each_network_alone(data, shape, rate, epochs):
    """What the Experiments page runs: rates from the learner's network's settings, random starts with seeds 1 … n
    (online: each its own seed's row order, issue 23 finding 2)."""
    net = NeuralNetwork(data, settings=Settings(**shape, learning_rate=rate, seed=7))
    same_as_alone(data, experiments.learning_rate_sweep(net, rate / 10, rate * 10, 3, epochs), epochs)
    spread = experiments.initialisation_spread(net, 3, epochs)
    same_as_alone(data, spread, epochs)
    if shape["batch"] == "online" and len(data.inputs) > 2:
        orders = [s.row_order(0, 50, len(data.inputs)) for s in spread.settings]
        assert not np.array_equal(orders[0], orders[1])


@EXAMPLES
@given(st.integers(1, 8), shapes, st.data())
def test_learners_runs_trained_together_are_each_their_own(rows, shape, data):
    """What the trainer of a whole class does: different tables, rates, starts, epochs, rate changes and stops, in
    one batch; each network ends with exactly the history and state it has when trained alone."""
    n = data.draw(st.integers(1, 5))
    specs = [(data.draw(tables(rows)), Settings(**shape, learning_rate=data.draw(st.floats(0.01, 100)),
                                                 seed=data.draw(st.integers(0, 2**32 - 1))),
              data.draw(st.integers(0, 40)), data.draw(st.one_of(st.none(), st.floats(0.01, 100))))
             for _ in range(n)]

    def start(spec):
        table, s, before, new_rate = spec
        net = NeuralNetwork(table, settings=s)
        net.train(before)
        if new_rate is not None:
            net.learning_rate = new_rate  # a change mid-run: recorded, and trained on from here
        return net

    together, solo = [start(spec) for spec in specs], [start(spec) for spec in specs]
    chunk = data.draw(st.integers(1, 60))
    untils = [data.draw(st.one_of(st.none(), st.tuples(st.just("mae"), st.floats(0.01, 0.5)))) for _ in specs]
    kept = train_together(together, chunk, untils)
    for net, own, until, (ran, _) in zip(together, solo, untils, kept):
        if own.stop is None:
            assert own.train(chunk, until=until) == ran
        assert net.epoch == own.epoch and np.array_equal(net.state, own.state) and net.stop == own.stop
        assert np.array_equal(net.error_history, own.error_history)
        assert np.array_equal(net.history.params.values, own.history.params.values)


@EXAMPLES
@given(st.integers(1, 8).flatmap(tables), shapes, st.floats(0.01, 100), st.integers(0, 2**32 - 1),
       st.integers(0, 60), st.integers(1, 60), st.booleans())
def test_a_copy_of_the_run_as_it_stands_trains_to_the_same_numbers(data, shape, rate, seed, before, epochs, changed):
    """The Playground trains the next Step ahead on such a copy, for the browser to show at the click while the server
    makes the Step itself: the copy goes exactly where the run goes, changes made mid-run included."""
    net = NeuralNetwork(data, settings=Settings(**shape, learning_rate=rate, seed=seed))
    net.train(before)
    if changed:
        net.learning_rate = rate / 3
        net.set_parameter(0, 0.25)
    assume(net.stop is None)  # (a stopped run trains no further; nothing is trained ahead of it)
    copy = net.as_at(net.epoch)
    assert copy.train(epochs) == net.train(epochs)
    assert copy.epoch == net.epoch and np.array_equal(copy.state, net.state) and copy.stop == net.stop
