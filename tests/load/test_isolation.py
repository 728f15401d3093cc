"""Ten learners at once through the websocket protocol: each ends with exactly the weights its own inputs imply.

A correctness test of session isolation (no timing assertions; benchmarks/load.py measures latency).
"""

import pytest

from tests.e2e.harness import Server

from .scenario import run_in_thread, run_sessions


@pytest.fixture(scope="module")
def server():
    s = Server()
    yield s
    s.stop()


def test_ten_concurrent_sessions_do_not_cross_talk(server):
    visits, _ = run_in_thread(run_sessions(server.url, 10))
    assert [v.error for v in visits] == [None] * 10
    for v in visits:
        assert v.weights_shown == v.weights_expected, (v.index, v.epoch)
    # The sessions really differed (different rates, data and epochs), so equal weights would mean cross-talk.
    assert len({tuple(v.weights_shown) for v in visits}) == 10
