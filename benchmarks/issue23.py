"""Issue 23 ("every number true, second round"): each finding's numbers, as the code of a tree gives them.

    .venv/bin/python benchmarks/issue23.py                # this tree
    .venv/bin/python benchmarks/issue23.py /path/to/tree  # another (a `git archive` of an older commit)

Run it on this tree and on an older one, side by side, for the before and after of each finding: the script uses
only what every tree since the engine's rewrite has (and the older layout's names, where they moved). Findings 7
(what the table says) and 9 (what each frame draws) show in a browser: tests/e2e/test_truth_e2e.py. Not a test:
nothing here asserts.
"""

import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[1]).resolve()))

import numpy as np

from nn_core import PRESETS, NeuralNetwork, Settings, TrainingSet, train_many

try:
    from playground.learn import experiments
except ImportError:  # before issue 22's layout
    from playground import experiments

TREE = sys.path[0]
logging.disable(logging.WARNING)  # Streamlit's "no script run context": the pages' strings are used outside a page


def alone(data, settings, epochs):
    net = NeuralNetwork(data, settings=settings)
    net.train(epochs)
    return net


def finding_1_and_2():
    xor = TrainingSet(PRESETS["xor"].inputs, PRESETS["xor"].outputs)
    sweep = [Settings(hidden=(4,), bias=True, init="random", seed=5, learning_rate=r) for r in (1.0, 2.0)]
    one = train_many(xor, sweep, 1)
    gap = max(float(np.abs(one.weights[i] - alone(xor, s, 1).params).max()) for i, s in enumerate(sweep))
    print(f"1. XOR, hidden 4, bias, seed 5, rates 1 and 2, one epoch: largest |sweep − alone| {gap:.3g}")
    for activation in ("sigmoid", "tanh", "relu"):
        base = NeuralNetwork(xor, settings=Settings(hidden=(4,), bias=True, init="random", seed=5,
                                                   activation=activation))
        result = experiments.learning_rate_sweep(base, 0.01, 100, 15, 2000)
        nets = [alone(xor, s, 2000) for s in result.settings]
        alone_errors = [net.current_loss() for net in nets]
        differ = sum(not np.array_equal(w, net.params) for w, net in zip(result.weights, nets))
        best = experiments.best_run(result)
        print(f"   {activation}: sweep 0.01–100 (15 × 2,000 epochs): {differ} of 15 networks differ from alone; "
              f"best rate {result.learning_rates[best]:.3g} at {result.final_error[best]:.6f} (alone "
              f"{alone_errors[best]:.6f})")
    article = TrainingSet(PRESETS["article"].inputs, PRESETS["article"].outputs)
    base = NeuralNetwork(article, settings=Settings(batch="online", seed=1))
    spread = experiments.initialisation_spread(base, 10, 2000)
    differ = sum(not np.array_equal(spread.weights[i], alone(article, s, 2000).params)
                 for i, s in enumerate(spread.settings))
    print(f"2. the article's table online, 10 random starts × 2,000 epochs: {differ} of 10 differ from alone")


def finding_3():
    from nn_core.analysis import diagnose
    from playground.panels import diagnosis

    rows = [[0, 0, 0, 0], [1, 0, 0, 1], [1, 1, 0, 1], [1, 0, 1, 1], [1, 1, 1, 1], [0, 1, 0, 0], [0, 0, 1, 0],
            [0, 1, 1, 0], [1, 0, 0, 1]]
    net = alone(TrainingSet.from_rows(rows), Settings(init=(60.0, -20.0, -20.0)), 100)
    cause = next(c for c in diagnose(net) if c.kind == "zero_rows")
    try:
        said = diagnosis.explain(cause, net)
    except TypeError:  # before: explain(cause)
        said = diagnosis.explain(cause)
    print(f"3. error {net.current_loss():.7f} at every epoch (lowest {net.error_history.min():.7f}); the diagnosis: "
          f"\"…{said[said.index('never'):][:32]}…\"")


def finding_4():
    from nn_core.analysis import diagnose

    net = alone(TrainingSet.from_rows([[100, -100, 0, 1]] * 10), Settings(learning_rate=10_000), 10)
    print(f"4. 10 rows [100, −100, 0] → 1 at rate 10,000: stop {net.stop.kind!r} at epoch {net.stop.epoch}, the run "
          f"at epoch {net.epoch} with error {net.current_loss()}, largest |weight| {np.abs(net.params).max():,}; "
          f"diagnosis {[c.kind for c in diagnose(net)]}")
    data = TrainingSet.from_rows([[100, -100, 0, 1]] * 100 + [[-1, 1, 0, 0]])
    result = experiments.learning_rate_sweep(NeuralNetwork(data), 1, 1000, 5, 200)
    kinds = [s.kind if s else None for s in result.stops]
    counted = int((result.diverged_at >= 0).sum()) if hasattr(result, "diverged_at") else \
        int(result.stopped("diverged").sum())
    print(f"   a sweep 1–1,000 on it: stops {kinds}; counted as diverged on the Experiments page: {counted}")


def finding_5():
    try:
        from nn_core.updates import epoch_update as next_update
    except ImportError:  # before: the diagram used the full-batch update_from
        from nn_core.analysis import update_from as next_update
    net = alone(TrainingSet(PRESETS["article"].inputs, PRESETS["article"].outputs),
                Settings(batch="online", seed=4), 100)
    trace = net.trace_epoch(50)
    shown = next_update(net, net.state_at(50)[None], epochs=[50]).update[0]
    print(f"5. online, epoch 50: trace's mean |error| {trace.mean_abs_error:.6f}, the error curve's "
          f"{net.error_history[50]:.6f}; {len(trace.updates)} updates in the trace")
    print(f"   the diagram's next update {np.round(shown, 6).tolist()}, what epoch 50 changes "
          f"{np.round(net.params_at(51) - net.params_at(50), 6).tolist()}")


def finding_6():
    from nn_core import Scenario
    from playground.state.actions import step
    from playground.state.session import Session

    s = Session.start()
    s.network.train(25_000)
    s.rewind = 12_500
    step(s, 1)
    print(f"6. trained to 25,000, rewound to 12,500, Step: epoch {s.network.epoch:,}")
    s = Session.start()
    s.network.train(25_003)
    s.rewind = 20_003
    reopened = Scenario.from_link(s.share_scenario({}).to_link())
    again = Session.start(reopened)
    again.network = reopened.network()
    rewind = reopened.ui.get("rewind")
    print(f"   rewound to 20,003 of 25,003, the share link reopens at epoch "
          f"{rewind if isinstance(rewind, int) else again.network.epoch:,} (the run to {again.network.epoch:,})")


def finding_8():
    from nn_core.analysis import error_floor

    rows = [[1, 0, 0, 0], [1, 0, 0, 1], [0, 1, 0, 0], [0, 1, 0, 1], [1, 1, 0, 1], [0, 0, 1, 0]]
    net = alone(TrainingSet.from_rows(rows), Settings(bias=True, hidden=(4,), init="random", seed=2), 5000)
    print(f"8. rows 1, 2 both [1, 0, 0] (→ 0, 1), rows 3, 4 both [0, 1, 0] (→ 0, 1), bias, hidden 4: error "
          f"{net.current_loss():.6f} after 5,000 epochs; floor shown {error_floor(net, 'mae')}")


def finding_9():
    from playground.live import player

    net = NeuralNetwork(PRESETS["article"].inputs, PRESETS["article"].outputs)
    p = player.Player()
    player.train_to(p, net, 200_000)
    chunk = player.next_chunk(p, net)
    print(f"9. training to 200,000, the first slice ({chunk.epochs[-1]:,} epochs) sends {len(chunk.epochs)} frame(s), "
          f"epochs {chunk.epochs[:3].tolist()} … {chunk.epochs[-1]:,}")


if __name__ == "__main__":
    print(f"tree: {TREE}")
    for finding in (finding_1_and_2, finding_3, finding_4, finding_5, finding_6, finding_8, finding_9):
        try:
            finding()
        except Exception as e:  # an older tree may lack what a finding needs
            print(f"{finding.__name__}: not measurable in this tree ({type(e).__name__}: {e})")
