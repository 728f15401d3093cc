"""Curves thinned to what a chart draws (views/plot.thin) keep their ends and every value between them."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from playground.views.plot import thin


@given(n=st.integers(1, 5000), most=st.integers(2, 900), seed=st.integers(0, 2**32 - 1))
def test_a_thinned_curve_starts_and_ends_where_the_run_does_and_covers_it(n, most, seed):
    epochs = np.arange(1, n + 1) * 3
    values = np.random.default_rng(seed).normal(size=n)
    e, v, lo, hi = thin(epochs, values, max_points=most)
    assert len(e) == len(v) == len(lo) == len(hi) <= max(most, 1)
    assert (e[0], v[0]) == (epochs[0], values[0])
    assert (e[-1], v[-1], lo[-1], hi[-1]) == (epochs[-1], values[-1], values[-1], values[-1])
    assert np.all(np.diff(e) > 0)
    # each group's band holds every value it stands for
    groups = np.searchsorted(epochs, e)
    for k, start in enumerate(groups):
        stop = groups[k + 1] if k + 1 < len(groups) else n
        assert lo[k] == values[start:stop].min() and hi[k] == values[start:stop].max()


def test_25000_epochs_drawn_in_800_points_end_at_25000():
    epochs = np.arange(0, 25_001, 8)[1:]  # a history's buckets, then the run's own last epoch
    epochs = np.r_[0, epochs[:-1], 25_000]
    e, _, _, _ = thin(epochs, np.linspace(1, 0, len(epochs)))
    assert e[-1] == 25_000 and len(e) <= 800
