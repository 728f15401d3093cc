"""Online training as the pages show it (issue 23, finding 5): an epoch is one update per row, in the epoch's order,
each from the weights the one before left; its trace holds every one of them and the error of every row; "the next
update" is what the next epoch actually does."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nn_core import PRESETS, NeuralNetwork, Settings, TrainingSet
from nn_core.losses import mean_abs_error
from nn_core.updates import epoch_update, update_from

EXAMPLES = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

tables = st.integers(2, 7).flatmap(lambda rows: st.lists(
    st.tuples(*[st.sampled_from([0.0, 1.0, -2.0, 0.5])] * 3, st.sampled_from([0.0, 1.0, 0.25])), min_size=rows,
    max_size=rows).map(TrainingSet.from_rows))
shapes = st.fixed_dictionaries({
    "hidden": st.sampled_from([(), (3,)]), "activation": st.sampled_from(["sigmoid", "tanh", "relu"]),
    "bias": st.booleans(), "momentum": st.sampled_from([0.0, 0.9]), "init": st.sampled_from([0.5, "random"]),
    "learning_rate": st.floats(0.1, 20), "seed": st.integers(0, 2**32 - 1)})


def an_online_run(data, shape, epochs, new_rate):
    net = NeuralNetwork(data, settings=Settings(**shape, batch="online"))
    net.train(epochs)
    net.learning_rate = new_rate  # a change mid-run: the epochs after it update at the new rate
    net.train(epochs)
    return net


@EXAMPLES
@given(tables, shapes, st.integers(1, 30), st.floats(0.1, 20), st.data())
def test_an_online_epochs_trace_is_every_row_in_its_order(data, shape, epochs, new_rate, draw):
    net = an_online_run(data, shape, epochs, new_rate)
    k = draw.draw(st.integers(0, net.epoch - 1))
    trace = net.trace_epoch(k)
    assert len(trace.updates) == len(data.inputs)
    np.testing.assert_array_equal([u.rows[0] for u in trace.updates], trace.rows)
    np.testing.assert_array_equal(trace.rows, net.row_order(k, 1)[0])
    # The error of the epoch: every row's, from the epoch's starting weights (its point on the error curve).
    assert trace.mean_abs_error == net.error_history[k]
    assert trace.mean_abs_error == mean_abs_error(data.outputs.ravel(),
                                                  net.predictions_for(net.params_at(k))[0].ravel())
    # Each update starts where the one before left; the last leaves the next epoch's weights.
    state = net.state_at(k)
    for update in trace.updates:
        np.testing.assert_array_equal(update.layers[0].weights.ravel(),
                                      net.architecture.split(state[: net.architecture.n_params])[0][0].ravel())
        assert update.targets.shape == (1, 1) and update.targets[0, 0] == data.outputs[update.rows[0], 0]
        state = update.new_state
    np.testing.assert_array_equal(state, net.state_at(k + 1))
    np.testing.assert_array_equal(trace.new_params, net.params_at(k + 1))


@EXAMPLES
@given(tables, shapes, st.integers(1, 30), st.floats(0.1, 20))
def test_the_next_update_is_what_the_next_epoch_does(data, shape, epochs, new_rate):
    """For every epoch of a run (frames of live play: many states at once, each at its own epoch and rate), the
    "next update" is the epoch's whole change, bit for bit, and its shares are each row's own downhill."""
    net = an_online_run(data, shape, epochs, new_rate)
    chosen = np.arange(0, net.epoch, max(1, net.epoch // 7))
    states = np.array([net.state_at(int(e)) for e in chosen])
    update = epoch_update(net, states, shares=True, epochs=chosen)
    for i, e in enumerate(chosen):
        before, after = net.params_at(int(e)), net.params_at(int(e) + 1)
        np.testing.assert_array_equal(update.update[i], after - before)
        trace = net.trace_epoch(int(e))
        for u in trace.updates:
            np.testing.assert_array_equal(update.shares[i, u.rows[0]], u.downhill)
        total = np.zeros_like(update.downhill[i])
        for row in trace.rows:  # the rows' own downhills, added in the order they came
            total += update.shares[i, row]
        np.testing.assert_array_equal(update.downhill[i], total)
        assert update.error[i] == net.error_history[e]
        alone = epoch_update(net, states[i], shares=True, epochs=[e])  # one state alone: the same bits
        assert np.array_equal(alone.update[0], update.update[i]) and np.array_equal(alone.shares[0], update.shares[i])


def test_with_the_whole_batch_the_next_update_is_the_optimisers_step():
    article = PRESETS["article"]
    net = NeuralNetwork(article.inputs, article.outputs, Settings(momentum=0.5))
    net.train(40)
    states = np.array([net.state_at(e) for e in (0, 10, 39)])
    ours, full = epoch_update(net, states, shares=True, epochs=[0, 10, 39]), update_from(net, states, True, None,
                                                                                          [0, 10, 39])
    for name in ("error", "downhill", "update", "shares"):
        np.testing.assert_array_equal(getattr(ours, name), getattr(full, name))
    np.testing.assert_array_equal(states[2, :3] + ours.update[2], net.params)
