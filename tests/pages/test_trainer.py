"""The server's one trainer (playground/live/trainer.py): sessions trained at once through it get exactly what they
get alone, bit for bit at every epoch, whatever else it trains beside them; identical runs are trained once; heavy
work takes turns."""

import threading
import time
from functools import partial

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nn_core import PRESETS, NeuralNetwork, Scenario, Settings, TrainingSet
from nn_core.model import Frames
from playground.live import player
from playground.live.trainer import ALONE, HEAVY_WORK, Kept, Trainer, _size, point_of
from playground.live.turns import Turns
from playground.state.actions import rebuilt

EXAMPLES = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TRAINER = Trainer(cache_bytes=2**20)  # one for the module, as a server has one: small, so that what it keeps is
# dropped and asked for again


def tables(rows):
    cell = st.one_of(st.sampled_from([0.0, 1.0]), st.floats(-2, 2, allow_nan=False))
    return st.lists(st.tuples(cell, cell, cell, st.floats(0, 1, allow_nan=False)), min_size=rows,
                    max_size=rows).map(TrainingSet.from_rows)


shapes = st.fixed_dictionaries({
    "hidden": st.sampled_from([(), (2,), (5,)]), "activation": st.sampled_from(["sigmoid", "tanh", "relu"]),
    "bias": st.booleans(), "batch": st.sampled_from(["full", "online"]), "init": st.sampled_from([0.5, "random"]),
    "momentum": st.sampled_from([0.0, 0.0, 0.9])})

# What a learner does to a run: train (Step, a chunk of play), change the learning rate, set a weight, run until.
actions = st.one_of(st.tuples(st.just("train"), st.integers(1, 300)),
                    st.tuples(st.just("rate"), st.floats(0.01, 100)),
                    st.tuples(st.just("weight"), st.floats(-5, 5)),
                    st.tuples(st.just("until"), st.floats(0.05, 0.5)))


def session(data, s, script, together, trace):
    """Run ``script`` on a new network of ``s`` trained by ``together``; every epoch's state lands in ``trace``."""
    net = NeuralNetwork(data, settings=s)
    frames = Frames(1, 0)
    for kind, value in script:
        if kind == "train":
            net.train(value, frames=frames, together=together)
        elif kind == "rate":
            net.learning_rate = value
        elif kind == "weight":
            net.set_parameter(len(trace) % net.architecture.n_params, value)
        else:
            net.train(200, until=("mae", value), frames=frames, together=together)
    trace.extend(zip(frames.epochs, frames.states))
    return net


@EXAMPLES
@given(st.lists(st.tuples(st.integers(1, 7).flatmap(tables), shapes, st.floats(0.01, 50),
                          st.integers(0, 2**32 - 1), st.lists(actions, min_size=1, max_size=5),
                          st.sampled_from(["alone", "twice", "another rate", "another script"]),
                          st.lists(actions, min_size=1, max_size=3)),
                min_size=1, max_size=6),
       st.floats(0, 0.02))
def test_sessions_trained_at_once_are_each_the_run_alone(specs, slack):
    """Random mixes of sessions (data, architectures, activations, online and full batch, momentum, rate and weight
    changes mid-run, run until, stops), each in a thread of its own as a server's sessions are; some run the same
    run twice, or start from the same point with another learning rate or other actions: each ends with exactly
    the run it has alone, at every epoch."""
    runs = []
    for data, shape, rate, seed, script, sibling, other_script in specs:
        s = Settings(**shape, learning_rate=rate, seed=seed)
        runs.append((data, s, script))
        if sibling == "twice":
            runs.append((data, s, script))
        elif sibling == "another rate":
            runs.append((data, Settings(**shape, learning_rate=rate * 1.5, seed=seed), script))
        elif sibling == "another script":
            runs.append((data, s, script[:1] + other_script))
    served = [None] * len(runs)
    traces = [[] for _ in runs]

    def serve(i):
        data, s, script = runs[i]
        served[i] = session(data, s, script, partial(TRAINER.together, slack=slack), traces[i])

    threads = [threading.Thread(target=serve, args=(i,)) for i in range(len(runs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for (data, s, script), net, trace in zip(runs, served, traces):
        own_trace = []
        own = session(data, s, script, ALONE.together, own_trace)
        assert net.epoch == own.epoch and net.stop == own.stop and net.events == own.events
        assert np.array_equal(net.state, own.state)
        assert np.array_equal(net.history.losses.values, own.history.losses.values)  # every epoch's three losses
        assert np.array_equal(net.history.params.values, own.history.params.values)
        assert [e for e, _ in trace] == [e for e, _ in own_trace]
        assert all(np.array_equal(a, b) for (_, a), (_, b) in zip(trace, own_trace))  # every epoch's state


def test_identical_runs_are_trained_once():
    """Eight tabs of one link: the same chunks, asked for at once, are trained once between them."""
    trainer = Trainer()
    article = PRESETS["article"]
    nets = [NeuralNetwork(article.inputs, article.outputs) for _ in range(8)]
    threads = [threading.Thread(target=net.train, args=(3000,), kwargs={"together": trainer.together}) for net in nets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    alone = NeuralNetwork(article.inputs, article.outputs)
    alone.train(3000)
    assert all(np.array_equal(net.state, alone.state) for net in nets)
    assert trainer.counts["asked"] == 8 and trainer.counts["trained"] == 1


def test_a_session_goes_on_from_what_the_trainer_trained_past_its_chunk():
    """Live play asks for a little at a time; a round that trained further keeps the rest for its next chunk."""
    trainer = Trainer()
    article = PRESETS["article"]
    ahead, behind = (NeuralNetwork(article.inputs, article.outputs) for _ in range(2))
    ahead.train(1000, together=trainer.together)
    behind.train(400, together=trainer.together)  # the first 400 of the 1,000 already trained
    behind.train(600, together=trainer.together)  # and the 600 after them
    assert trainer.counts["trained"] == 1 and np.array_equal(ahead.state, behind.state)


def test_a_long_replay_takes_turns_and_says_where_it_is_in_the_line():
    trainer = Trainer()
    article = PRESETS["article"]
    long_run = Scenario(article_data := TrainingSet(article.inputs, article.outputs)).with_changes(
        run=Scenario().run.__class__(HEAVY_WORK + 1000))
    assert long_run.replay_work() > HEAVY_WORK
    first = trainer.ticket("someone else's run", HEAVY_WORK + 1)
    assert first.wait(0)  # its turn: the line was empty
    heard = []

    def waiting(ahead):
        heard.append(ahead)
        if len(heard) == 2:
            first.release()  # the run ahead ends: this one's turn comes

    net = rebuilt(trainer, long_run, waiting=waiting)
    assert heard == [1, 1] and net.epoch == long_run.run.epoch
    alone = NeuralNetwork(article_data)
    alone.train(long_run.run.epoch)
    assert np.array_equal(net.state, alone.state)


def test_turns_go_round_and_identical_runs_share_one():
    turns = Turns(at_once=1, turn_seconds=0.0)  # a turn is over at once, as soon as another run waits
    a, b, b_again = turns.ticket("a"), turns.ticket("b"), turns.ticket("b")
    assert a.wait(0) and not b.wait(0) and b.ahead() == 1
    assert not a.wait(0) and a.ahead() == 1  # a's turn was over and b waited: a went to the back of the line
    assert b.wait(0) and b_again.wait(0)  # one link opened twice: one run, one turn
    b.release()
    b_again.release()
    assert a.wait(0)


def test_a_place_not_asked_about_is_given_up():
    """A tab that went away while waiting in line does not hold up the others."""
    turns = Turns(at_once=1, turn_seconds=60.0)
    gone, waiting = turns.ticket("gone"), turns.ticket("waiting")
    assert gone.wait(0) and not waiting.wait(0)
    gone.seen -= 3600  # an hour without a word from it
    assert waiting.wait(0)


def test_training_to_a_far_target_waits_its_turn_and_stop_gives_up_its_place():
    trainer = Trainer()
    article = PRESETS["article"]
    net = NeuralNetwork(article.inputs, article.outputs)
    other = trainer.ticket("another run", HEAVY_WORK + 1)
    assert other.wait(0)
    p = player.Player()
    player.train_to(p, net, 1_000_000)
    chunk = player.next_chunk(p, net, trainer=trainer)
    assert p.waiting == 1 and chunk.more and net.epoch == 0  # not its turn: the page says how many are ahead
    player.stop(p, net)
    assert p.ticket is None and other.ahead() == 0
    other.release()
    player.train_to(p, net, 1_000_000)
    player.next_chunk(p, net, trainer=trainer)
    assert p.waiting is None and net.epoch > 0


def test_what_the_trainer_keeps_is_bounded_and_goes_when_unused():
    article = PRESETS["article"]
    trainer = Trainer()
    net = NeuralNetwork(article.inputs, article.outputs)
    net.train(500, together=trainer.together)
    stretch = trainer._kept.get(point_of(NeuralNetwork(article.inputs, article.outputs)))
    assert stretch is not None and stretch.epochs == 500
    kept = Kept(limit=3 * _size(stretch))
    for k in range(5):
        kept.put(("run", k), stretch)
    assert kept.bytes <= kept.limit and kept.get(("run", 0)) is None and kept.get(("run", 4)) is stretch
    kept.drop_unused(time.monotonic() + 1)
    assert kept.bytes == 0 and kept.get(("run", 4)) is None
