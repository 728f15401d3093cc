"""Issue 26's two targets (one network 2.5x the article's loop; a sweep 200x its epochs per second, per network-epoch)
against the floors of the ways of making a network's products, measured: what an epoch costs with nothing around
its numpy calls, and whether each way gives a network the same numbers alone and in a sweep.

    .venv/bin/python benchmarks/floors.py

Three ways of making the products, each written out with the other eleven calls of an epoch and nothing around
them (``Written``; the record's two copies included):
- the BLAS design (nn_core's): np.dot for one network, np.matmul's BLAS call for each network of a stack: the same
  GEMV kernel, so the same bits (what tests/core/test_together.py checks);
- numpy's own matmul loop (``own_loop``): np.matmul with x in memory BLAS cannot read: one call per product, summed
  in a fixed order by numpy's C loop, for one network as for each of many;
- one shared GEMM (``shared``, as nn_core made its sweeps at 082d50c): one BLAS call for every network at once, not
  the bits a network has alone.
And the fixed-order sketch (``Sketch``, issue 26's idea, not tried in nn_core before): every product as numpy's own
multiplies and adds in a fixed order, the networks on the last axis, so that one network alone and the same network
among 500 make the very same operations on the very same numbers: bit-identical by construction. It is the
article's kind of network only (no hidden layer, no bias, gradient descent), written out here, not nn_core:
    z[r, n]        = ((x[r, 0]·w[0, n] + x[r, 1]·w[1, n]) + x[r, 2]·w[2, n]) …   (features left to right)
    downhill[k, n] = Σ over rows r of x[r, k]·delta[r, n]                          (rows in one of the ORDERS)

It prints:
- whether a network of the sketch, of numpy's own loop and of the shared GEMM in a batch of 500 is the network alone,
  bit for bit (every epoch's weights and predictions of 300 epochs), on the article's table and on a random table;
- whether the sketch and numpy's own loop give the numbers of tests/core/reference.py's ArticlesProgram (np.dot) bit
  for bit, for the article's table and the other table tests/core/test_article.py pins (the sketch with each order
  of the rows' sum);
- the CPU time of an epoch of one network, and of a network-epoch of 500 networks x 2,000 epochs, each as a multiple
  of the article's loop, all measured side by side in turns (only these ratios compare: the machine is shared).
Not a test: nothing here asserts.

Measured (6 December 2026, load 13 to 15 on 2 cores, numpy 2.4 with OpenBLAS 0.3.31): the sketch and numpy's own
loop were each network alone, bit for bit, on the article's table and on a random one, and gave ArticlesProgram's
numbers bit for bit; the shared GEMM was 20 of 20 networks alone on the article's table (its products are exact) and
0 of 20 on the random one. One network, an epoch: the article's loop 9.20 us; nn_core 5.06 (1.82x); the thirteen
calls written out 3.78 (2.44x), with numpy's own loop 4.76 (1.93x); the sketch 10.98 (0.84x). 500 networks, a
network-epoch: nn_core's train_many 133.9 ns (69x); the eleven calls that are not products 24.4 ns (377x); with them,
the products by BLAS per network 96.0 ns (96x; the products alone 66.0 ns, 139x), by numpy's own loop 68.2 ns
(135x), by one shared GEMM 30.1 ns (306x); the sketch 75.2 ns keeping its records (122x), 66.2 ns keeping nothing
(139x). (Runs at load 4 and 20 gave the same picture: one network 2.40x and 2.55x written out.)
So 200x (46 ns a network-epoch here) leaves about 22 ns for both products and all of a sweep's bookkeeping after the
eleven calls every design makes: only the shared GEMM's products (about 6 ns) fit, and they are not a network's own
bits; a network's own bits cost 41 to 66 ns in every way measured. And one network at 2.5x (3.68 us an epoch here)
is about the time of the thirteen calls with nothing around them.
"""

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nn_core import PRESETS, NeuralNetwork, Settings, TrainingSet, train_many
from tests.core.reference import ArticlesProgram

ARTICLE = PRESETS["article"]
OTHER_ROWS = [[1, 1, 0, 1], [0, 0, 1, 0], [1, 0, 1, 1], [0, 1, 1, 0], [0.5, 2, -1, 1]]  # test_article.py's table
NETWORKS, SWEEP_EPOCHS = 500, 2_000
CHUNK = 233  # epochs whose records a sweep of 500 networks keeps at once (nn_core.batch: 8 MB)
ONE = np.array(1.0)


def rows_one_by_one(terms, out):
    """Σ over the first axis: ((t₀ + t₁) + t₂) + …"""
    np.add(terms[0], terms[1], out)
    for term in terms[2:]:
        np.add(out, term, out)
    return out


def rows_in_fours(terms, out):
    """Σ over the first axis as this machine's OpenBLAS gemv sums (benchmarks/blas_order.py's rows_in_pairs): from
    0, adding (t₀ + t₁), then (t₂ + t₃), four rows at a time, then the rest one by one."""
    out[...] = 0.0
    pair = np.empty_like(out)
    i = 0
    while i + 4 <= len(terms):
        out += np.add(terms[i], terms[i + 1], pair)
        out += np.add(terms[i + 2], terms[i + 3], pair)
        i += 4
    for term in terms[i:]:
        out += term
    return out


ORDERS = {"rows one by one": rows_one_by_one, "rows in fours (OpenBLAS's gemv)": rows_in_fours}


class Sketch:
    """N networks of the article's kind on one table, networks on the last axis: x (rows × K) shared, w (K × N)."""

    def __init__(self, x, y, weights, rates, sum_rows=rows_one_by_one):
        self.x, self.y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)  # y: rows × 1 (broadcasts)
        self.w = np.array(weights, dtype=float)
        rows, k = self.x.shape
        n = self.w.shape[1]
        self.rates = np.asarray(rates, dtype=float)
        self.scales = not np.all(self.rates == 1.0)
        self.columns = [self.x[:, j, None] for j in range(k)]  # x[:, k] as a column: it multiplies every network
        self.x_terms = self.x[:, :, None]
        self.z, self.a, self.error, self.slope, self.delta, self.term = (np.empty((rows, n)) for _ in range(6))
        self.terms, self.downhill = np.empty((rows, k, n)), np.empty((k, n))
        self.sum_rows = sum_rows

    def epoch(self):
        z, a, w = self.z, self.a, self.w
        np.multiply(self.columns[0], w[0], z)  # z = x·w, the features left to right
        for column, weights in zip(self.columns[1:], w[1:]):
            z += np.multiply(column, weights, self.term)
        np.negative(z, a)  # ŷ = 1 / (1 + e^(−z))
        np.exp(a, a)
        np.add(ONE, a, a)
        np.divide(ONE, a, a)
        np.subtract(self.y, a, self.error)  # error = y − ŷ
        np.subtract(ONE, a, self.slope)  # ŷ(1 − ŷ)
        np.multiply(a, self.slope, self.slope)
        np.multiply(self.error, self.slope, self.delta)
        np.multiply(self.x_terms, self.delta[:, None, :], self.terms)  # xᵀ·delta: every row's term, then their sum
        downhill = self.sum_rows(self.terms, self.downhill)
        w += np.multiply(self.rates, downhill, downhill) if self.scales else downhill
        return a

    def run(self, epochs, keep=True, chunk=None):
        """Every epoch's predictions and the weights after it (weights[0]: the start); with ``chunk``, only the last
        ``chunk`` epochs', in one buffer written round and round, as nn_core's sweep reuses one Record."""
        size = epochs if chunk is None else min(epochs, chunk)
        predictions = np.empty((size, *self.a.shape)) if keep else None
        weights = np.empty((size + 1, *self.w.shape)) if keep else None
        if keep:
            weights[0] = self.w
        with np.errstate(all="ignore"):
            for e in range(epochs):
                y_hat = self.epoch()
                if keep:
                    predictions[e % size] = y_hat
                    weights[e % size + 1] = self.w
        return predictions, weights


def identity_checks() -> None:
    x, y = np.array(ARTICLE.inputs, dtype=float), np.array(ARTICLE.outputs, dtype=float)
    rng = np.random.default_rng(26)
    for name, (tx, ty) in {"the article's table": (x, y),
                           "a random 6 x 3 table in [-2, 2]": (rng.uniform(-2, 2, (6, 3)), rng.uniform(0, 1, (6, 1)))
                           }.items():
        starts, rates = rng.uniform(-3, 3, (3, NETWORKS)), np.geomspace(0.01, 30, NETWORKS)
        together = Sketch(tx, ty, starts, rates).run(300)
        alone = [Sketch(tx, ty, starts[:, [i]], rates[[i]]).run(300) for i in range(0, NETWORKS, 25)]
        same = all(np.array_equal(p, together[0][:, :, [i * 25]]) and np.array_equal(w, together[1][:, :, [i * 25]])
                   for i, (p, w) in enumerate(alone))
        print(f"sketch, {name}: {len(alone)} networks alone = the same networks among {NETWORKS}, every weight and "
              f"prediction of 300 epochs bit for bit: {same}")
        together = Written(tx, ty, starts.T[:, :, None], True, rates).run(300, chunk=300)
        alone = [Written(tx, ty, starts[:, [i]], True, rates[[i]]).run(300, chunk=300) for i in range(0, NETWORKS, 25)]
        same = all(np.array_equal(p, together[0][:, i * 25]) and np.array_equal(w, together[1][:, i * 25])
                   for i, (p, w) in enumerate(alone))
        print(f"numpy's own matmul loop, {name}: {len(alone)} networks alone = the same networks among {NETWORKS}, "
              f"bit for bit: {same}")
        together = Written(tx, ty, starts, shared=True).run(300, chunk=300)
        alone = [Written(tx, ty, starts[:, [i]]).run(300, chunk=300) for i in range(0, NETWORKS, 25)]
        same = [np.array_equal(p, together[0][:, :, [i * 25]]) and np.array_equal(w, together[1][:, :, [i * 25]])
                for i, (p, w) in enumerate(alone)]
        print(f"one shared GEMM (rate 1), {name}: {sum(same)} of {len(alone)} networks alone = the same networks "
              f"among {NETWORKS}, bit for bit")
    other = TrainingSet.from_rows(OTHER_ROWS)
    for name, (tx, ty, epochs, rate) in {"article, 25,000 epochs": (x, y, 25_000, 1.0),
                                         "test_article's other table, rate 3, 3,000 epochs":
                                         (other.inputs, other.outputs, 3_000, 3.0)}.items():
        reference_w, reference_errors = ArticlesProgram(tx, ty, rate=rate).run(epochs)
        predictions, weights = Written(tx, ty, np.full((3, 1), 0.5), True, None if rate == 1 else [rate]).run(
            epochs, chunk=epochs)
        errors = np.abs(ty - predictions).mean(axis=1)[:, 0]
        print(f"numpy's own matmul loop, {name}: ArticlesProgram's weights bit for bit "
              f"{np.array_equal(weights[-1], reference_w)}, its error history "
              f"{np.array_equal(errors, reference_errors)}")
    for order_name, order in ORDERS.items():
        for name, (tx, ty, epochs, rate) in {"article, 25,000 epochs": (x, y, 25_000, 1.0),
                                             "test_article's other table, rate 3, 3,000 epochs":
                                             (other.inputs, other.outputs, 3_000, 3.0)}.items():
            reference_w, reference_errors = ArticlesProgram(tx, ty, rate=rate).run(epochs)
            predictions, weights = Sketch(tx, ty, np.full((3, 1), 0.5), [rate], order).run(epochs)
            errors = np.abs(ty - predictions).mean(axis=1)[:, 0]
            print(f"sketch with {order_name}, {name}: ArticlesProgram's weights bit for bit "
                  f"{np.array_equal(weights[-1], reference_w)}, its error history "
                  f"{np.array_equal(errors, reference_errors)}")


class Written:
    """The BLAS design's floor: nn_core's thirteen numpy calls of an epoch (its two products, np.dot for one
    network and np.matmul's BLAS call per network for a stack, and the eleven others, the record's two copies
    included) written out in one loop, with nothing around them: no function, no layer, no optimiser.

    With ``own_loop`` the products are np.matmul's for one network too, and x is held in memory numpy's BLAS cannot
    read (every other float of a wider array): numpy then multiplies in a loop of its own, which sums
    x[r, 0]·w[0] + x[r, 1]·w[1] + … one after the other, each product rounded (no fused multiply-add): one call per
    product, in a fixed order, for one network as for each of many. That numpy takes this path for such memory is
    its implementation's choice (numpy 2.4), not a documented promise.

    With ``shared``, the networks are on the last axis (weights K × N) and each product is ONE BLAS call for every
    network (a matrix of N columns, as nn_core at 082d50c made them): a network's numbers are then the GEMM kernel's,
    not those it has alone (np.dot's GEMV kernel), which is what issue 23 found."""

    def __init__(self, x, y, weights, own_loop=False, rates=None, shared=False):
        self.w = np.array(weights, dtype=float)  # K × 1, or N × K × 1
        self.rates = None if rates is None else np.asarray(rates, dtype=float).reshape(-1, 1, 1)[..., 0] \
            if self.w.ndim == 2 else np.asarray(rates, dtype=float).reshape(-1, 1, 1)
        x = np.asarray(x, dtype=float)
        if own_loop:
            wide = np.empty((x.shape[0], 2 * x.shape[1]))
            self.x = wide[:, ::2]
            self.x[...] = x
        else:
            self.x = x
        self.dot = np.matmul if own_loop or self.w.ndim == 3 else np.ndarray.dot
        rows_shape = (len(x), self.w.shape[1]) if shared else (*self.w.shape[:-2], len(x), 1)
        self.y = np.broadcast_to(np.asarray(y, dtype=float), rows_shape).copy()  # each network its own (batch.py)
        self.z, self.a, self.error, self.slope, self.delta = (np.empty(rows_shape) for _ in range(5))
        self.downhill = np.empty_like(self.w)

    def run(self, epochs, chunk=CHUNK, products=True):
        """The last ``chunk`` epochs' predictions and weights after them, as Sketch.run; without ``products``, the
        other eleven calls alone: what an epoch costs however its products are made."""
        dot, x, x_t, y, w = self.dot, self.x, self.x.T, self.y, self.w
        z, a, error, slope, delta, downhill = self.z, self.a, self.error, self.slope, self.delta, self.downhill
        size = min(epochs, chunk)
        predictions, weights = np.empty((size, *a.shape)), np.empty((size + 1, *w.shape))
        weights[0] = w
        with np.errstate(all="ignore"):
            for e in range(epochs):
                if products:
                    dot(x, w, z)
                np.negative(z, a)
                np.exp(a, a)
                np.add(ONE, a, a)
                np.divide(ONE, a, a)
                np.subtract(y, a, error)
                np.subtract(ONE, a, slope)
                np.multiply(a, slope, slope)
                np.multiply(error, slope, delta)
                if products:
                    dot(x_t, delta, downhill)
                if self.rates is not None:
                    np.multiply(self.rates, downhill, downhill)
                np.add(w, downhill, w)
                predictions[e % size] = a
                weights[e % size + 1] = w
        return predictions, weights


def best_cpu(work, repeats):
    best = float("inf")
    for _ in range(repeats):
        t = time.process_time()
        work()
        best = min(best, time.process_time() - t)
    return best


def timings(rounds=3) -> None:
    x, y = np.array(ARTICLE.inputs, dtype=float), np.array(ARTICLE.outputs, dtype=float)
    data = TrainingSet(x, y)
    sweep = [Settings(learning_rate=float(r)) for r in np.linspace(0.01, 10, NETWORKS)]
    rates = np.linspace(0.01, 10, NETWORKS)
    ws, zs, deltas, gs = np.full((NETWORKS, 3, 1), 0.5), np.empty((NETWORKS, 6, 1)), np.full((NETWORKS, 6, 1), 0.1), \
        np.empty((NETWORKS, 3, 1))

    def products():
        for _ in range(SWEEP_EPOCHS):
            np.matmul(x, ws, zs)
            np.matmul(x.mT, deltas, gs)

    single = {  # one network, 5,000 epochs
        "the article's loop (tests/core/reference.py)": lambda: ArticlesProgram(x, y).run(5000),
        "nn_core: NeuralNetwork.train": lambda: NeuralNetwork(x, y).train(5000),
        "BLAS design's floor: its 13 numpy calls written out": lambda: Written(x, y, np.full((3, 1), 0.5)).run(5000),
        "fixed-order sketch, N = 1": lambda: Sketch(x, y, np.full((3, 1), 0.5), [1.0]).run(5000),
        "numpy's own matmul loop: the 13 calls written out": lambda: Written(
            x, y, np.full((3, 1), 0.5), own_loop=True).run(5000)}
    many = {  # 500 networks, 2,000 epochs
        "nn_core: train_many (chunks, losses, stop rule, curves)": lambda: train_many(data, sweep, SWEEP_EPOCHS),
        "BLAS design's floor: its 13 numpy calls written out, on stacks": lambda: Written(
            x, y, np.full((NETWORKS, 3, 1), 0.5)).run(SWEEP_EPOCHS),
        "BLAS design: its two products alone (a BLAS call each per network)": products,
        "either design: an epoch's 11 other numpy calls alone (no products)": lambda: Written(
            x, y, np.full((NETWORKS, 3, 1), 0.5)).run(SWEEP_EPOCHS, products=False),
        "one shared GEMM (082d50c's way; not the bits alone): the 13 calls": lambda: Written(
            x, y, np.full((3, NETWORKS), 0.5), shared=True).run(SWEEP_EPOCHS),
        "numpy's own matmul loop: the 13 calls written out, on stacks": lambda: Written(
            x, y, np.full((NETWORKS, 3, 1), 0.5), own_loop=True).run(SWEEP_EPOCHS),
        "fixed-order sketch, keeping each epoch's predictions and weights": lambda: Sketch(
            x, y, np.full((3, NETWORKS), 0.5), rates).run(SWEEP_EPOCHS, chunk=CHUNK),
        "fixed-order sketch, keeping nothing": lambda: Sketch(x, y, np.full((3, NETWORKS), 0.5), rates).run(
            SWEEP_EPOCHS, keep=False)}
    best = {}
    for _ in range(rounds):  # in turns: what the machine's other work steals falls on all alike
        for name, work in [*single.items(), *many.items()]:
            best[name] = min(best.get(name, float("inf")), best_cpu(work, 2 if name in many else 3))
    article = best["the article's loop (tests/core/reference.py)"] / 5000
    print(f"one network, the article's 3 x 6 table (CPU time, best of {3 * rounds}):")
    for name in single:
        epoch = best[name] / 5000
        print(f"  {name:<66} {epoch * 1e6:6.2f} us an epoch  {article / epoch:5.2f}x the article's loop")
    print(f"{NETWORKS} networks x {SWEEP_EPOCHS:,} epochs (best of {2 * rounds}):")
    for name in many:
        per = best[name] / (NETWORKS * SWEEP_EPOCHS)
        print(f"  {name:<66} {per * 1e9:6.1f} ns a network-epoch  {article / per:4.0f}x the article's epochs/s")


if __name__ == "__main__":
    identity_checks()
    timings()
