"""Every stop is called what it is (issue 23, finding 4): "diverged" only where the update's numbers stop being
finite (and it is not applied), "weight_limit" where an update, applied, leaves a finite weight past the limit (the
error said there being the true one), "fixed_point" where an update changes nothing (nor would any after it)."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nn_core import NeuralNetwork, Settings, TrainingSet, train_many
from nn_core.network import Layers, Scratch, train
from nn_core.stops import WEIGHT_LIMIT, first_stops

EXAMPLES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])



def tables(features):
    return st.integers(1, 12).flatmap(lambda rows: st.lists(
        st.tuples(*[st.sampled_from(features)] * 3, st.sampled_from([0.0, 1.0, 0.3])), min_size=rows,
        max_size=rows).map(TrainingSet.from_rows))


shapes = st.fixed_dictionaries({
    "hidden": st.sampled_from([(), (2,), (5,)]), "activation": st.sampled_from(["sigmoid", "tanh", "relu"]),
    "bias": st.booleans(), "batch": st.sampled_from(["full", "online"]), "init": st.sampled_from([0.0, 0.5, "random"]),
    "momentum": st.sampled_from([0.0, 0.9]), "learning_rate": st.sampled_from([1.0, 100.0, 1e4, 1e4]),
    "seed": st.integers(0, 2**32 - 1)})
deep = shapes.map(lambda shape: {**shape, "hidden": (3,), "activation": "tanh"})  # where blame can overflow


def one_more_epoch(net: NeuralNetwork, state: np.ndarray, epoch: int) -> np.ndarray:
    """The state after the update of ``epoch`` from ``state``, as training makes it (no stop rule)."""
    s = np.array(state, dtype=float, ndmin=2)
    order = net.row_order(epoch, 1)
    with np.errstate(all="ignore"):
        train(Layers(net.architecture, s, len(net.inputs)), net.inputs, net.outputs,
              net.settings.optimiser(net.rate_at(epoch)), 1, Scratch(),
              None if order is None else Layers(net.architecture, s, 1), None if order is None else order[:, None])
    return s[0]


def check_the_stop(net: NeuralNetwork, before: np.ndarray | None = None) -> str | None:
    """What the network's stop says is what its numbers show; returns its kind. ``before``: the state the stopping
    update started from (default: the run's own, re-simulated)."""
    stop = net.stop
    if stop is None:
        return None
    if before is None:
        before = net.state_at(stop.epoch) if stop.kind != "diverged" else net.state[0]
    after = one_more_epoch(net, before, stop.epoch)
    n = net.architecture.n_params
    if stop.kind == "diverged":  # not applied: the network stands at its last finite state
        assert net.epoch == stop.epoch and np.isfinite(net.state).all() and not np.isfinite(after).all()
    elif stop.kind == "weight_limit":  # applied: true, finite numbers past the limit, and the true error there
        assert net.epoch == stop.epoch + 1 and np.array_equal(after, net.state[0]) and np.isfinite(after).all()
        assert np.abs(after[:n]).max() > WEIGHT_LIMIT and np.isfinite(net.current_loss())
    else:  # a fixed point: the update changed nothing, so the next one changes nothing either
        assert stop.kind == "fixed_point" and net.epoch == stop.epoch + 1 and np.array_equal(after, before)
        assert np.array_equal(one_more_epoch(net, after, stop.epoch + 1), after)
    return stop.kind


@EXAMPLES
@given(tables([0.0, 1.0, -100.0, 100.0, 100.0, 3.5]), shapes, st.integers(1, 300))
def test_every_stop_of_a_run_is_what_its_numbers_show(data, shape, epochs):
    net = NeuralNetwork(data, settings=Settings(**shape))
    net.train(epochs)
    check_the_stop(net)
    sweep = train_many(data, [net.settings], epochs)
    assert sweep.stopped("diverged")[0] == (net.stop is not None and net.stop.kind == "diverged")
    assert sweep.stopped("weight_limit")[0] == (net.stop is not None and net.stop.kind == "weight_limit")


@EXAMPLES
@given(tables([0.0, 0.0, 1.0, 100.0]), deep, st.floats(1e300, 1.7e308), st.integers(0, 10))
def test_a_network_whose_arithmetic_overflows_is_said_to_diverge_and_only_then(data, shape, huge, parameter):
    """No run within the app's limits overflows (the weight limit comes first), so the weights are set here past
    any limit, where the arithmetic itself can blow up: "diverged" exactly when the next update is not finite."""
    net = NeuralNetwork(data, settings=Settings(**shape))
    output_weights = net.architecture.split(np.arange(net.architecture.n_params))[-1][0].ravel()
    net.state[0, output_weights[parameter % len(output_weights)]] = huge  # what no learner can do: past every limit
    state, overflows = net.state[0].copy(), not np.isfinite(one_more_epoch(net, net.state[0], 0)).all()
    net.train(1)
    assert check_the_stop(net, state) == ("diverged" if overflows else "weight_limit")
    if overflows:
        assert np.array_equal(net.state[0], state)


def test_the_overflow_the_property_above_looks_for_happens():
    """One case of it, made to happen: for [0, 0, 0] the hidden tanh unit outputs 0, so ŷ = 0.5 and its delta is
    0.125; the blame that flows back through an output weight of 1.7e308 makes the hidden bias's update
    1e4 × 0.125 × 1.7e308, which is not a finite number."""
    data = TrainingSet.from_rows([[0, 0, 0, 1]])
    net = NeuralNetwork(data, settings=Settings(hidden=(1,), activation="tanh", bias=True, learning_rate=1e4))
    net.state[0, 4] = 1.7e308  # W2[1→1]
    state = net.state[0].copy()
    net.train(5)
    assert check_the_stop(net, state) == "diverged" and net.epoch == 0


# Numbers of a state: the first six where training starts (within the limit), the rest what an update may make.
NUMBERS = [0.0, -0.0, 1.0, 2.0, WEIGHT_LIMIT, -WEIGHT_LIMIT, 2 * WEIGHT_LIMIT, np.inf, -np.inf, np.nan, 1e308, -1e308]


@EXAMPLES
@given(st.integers(0, 5), st.integers(1, 3), st.integers(1, 4), st.data())
def test_the_stop_rule_finds_in_a_chunk_what_a_look_at_each_state_finds(epochs, networks, size, data):
    """first_stops looks for each condition in the whole chunk at once first (a sum, a min and a max, the first
    number of each state), and state by state only where it may hold: it finds what a look at each state in turn
    finds, with sums that overflow, signed zeros and NaN."""
    number = st.sampled_from(NUMBERS)
    states = np.empty((epochs + 1, networks, size))
    first = data.draw(st.lists(st.sampled_from(NUMBERS[:6]), min_size=networks * size, max_size=networks * size))
    states[0] = np.reshape(first, (networks, size))
    for e in range(epochs):  # each state the one before with a few numbers changed (often none, often not the first)
        states[e + 1] = states[e]
        for _ in range(data.draw(st.integers(0, 2))):
            states[e + 1, data.draw(st.integers(0, networks - 1)), data.draw(st.integers(0, size - 1))] = data.draw(
                number)
    n_params = data.draw(st.integers(1, size))
    kept, found = first_stops(states, n_params, np.full(networks, 7), np.ones(networks))
    for i in range(networks):
        expected = (epochs, None, None)  # epochs kept, why, at which epoch of the chunk
        for e in range(epochs):
            before, after = states[e, i], states[e + 1, i]
            if not np.isfinite(after).all():
                expected = (e, "diverged", e)
            elif not (np.abs(after[:n_params]) <= WEIGHT_LIMIT).all():
                expected = (e + 1, "weight_limit", e)
            elif (after == before).all():
                expected = (e + 1, "fixed_point", e)
            else:
                continue
            break
        stop = found[i]
        assert (kept[i], None if stop is None else stop.kind, None if stop is None else stop.epoch - 7) == expected
