"""What the deploy tests share: two app replicas sharing one Redis (rooms and room-wide guesses across replicas)."""

import os

import pytest

from tests.e2e.harness import Server

from .redis_server import RedisServer, redis_path


@pytest.fixture(scope="module")
def replicas():
    """(replica A, replica B, their Redis): two `streamlit run` processes with ROOMS_REDIS_URL on Debian's
    redis-server, one set per test module."""
    if redis_path() is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing: .ci/run installs it (apt-get install -y redis-server)")
        pytest.skip("redis-server is not installed (apt-get install -y redis-server)")
    redis = RedisServer()
    a = Server(env={"ROOMS_REDIS_URL": redis.url})
    b = Server(env={"ROOMS_REDIS_URL": redis.url})
    yield a, b, redis
    a.stop()
    b.stop()
    redis.stop()
