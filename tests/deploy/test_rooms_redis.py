"""Rooms across replicas: two `streamlit run` processes sharing Debian's redis-server (ROOMS_REDIS_URL), the
presenter on replica A and the student on replica B. (No balancer is needed for the proof: each browser is pointed
at its replica directly, as a sticky balancer would keep it there.)"""

import os
import re

import pytest

from tests.e2e.harness import Server, click, key, open_app, text_of, train, wait_stopped, wait_text, watch_console

from .redis_server import RedisServer, redis_path

FOLLOW = 15_000


@pytest.fixture(scope="module")
def replicas():
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




def test_a_student_on_replica_b_follows_a_presenter_on_replica_a(replicas, browser):
    a, b, redis = replicas
    contexts, problems = [], []
    pages = []
    for _ in range(2):
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        page = context.new_page()
        page.set_default_timeout(60_000)
        problems.append(watch_console(page))
        contexts.append(context)
        pages.append(page)
    presenter, student = pages
    open_app(presenter, a.url)
    click(presenter, "room_create")
    code = re.search(r"\?room=([A-Z0-9]{6})", text_of(presenter, "room_code")).group(1)
    import redis as redis_client

    assert redis_client.Redis.from_url(redis.url).exists(f"bp:room:{code}")  # the room lives in Redis
    open_app(student, b.url, f"/?room={code}")  # another process: it knows the room only through Redis
    wait_text(student, "room_bar", code, FOLLOW)
    click(presenter, "step")
    wait_text(student, "epoch", "Epoch 1", FOLLOW)
    train(presenter)
    wait_text(student, "epoch", "Epoch 25,000", FOLLOW)
    wait_text(student, "weights", "w₁ = 10.0883 · w₂ = -5.3980 · w₃ = 0.3544", FOLLOW)
    key(presenter, "play").locator("button").click()
    student.wait_for_function("() => +document.querySelector('.st-key-epoch').innerText.replace(/\\D/g, '') > 25000",
                              timeout=FOLLOW)
    key(presenter, "play").locator("button").click()
    wait_stopped(presenter)
    wait_text(student, "epoch", text_of(presenter, "epoch"), FOLLOW)
    wait_text(student, "weights", text_of(presenter, "weights"), FOLLOW)
    click(presenter, "room_end")
    assert not redis_client.Redis.from_url(redis.url).exists(f"bp:room:{code}")
    for context in contexts:
        context.close()
    assert problems == [[], []], problems


def test_the_rooms_redis_answers_only_with_its_password(replicas):
    """The replicas above reach Redis with the password in ROOMS_REDIS_URL; a client without it is refused."""
    import redis as redis_client

    _, _, redis = replicas
    with pytest.raises(redis_client.AuthenticationError):
        redis_client.Redis(host="127.0.0.1", port=redis.port).ping()
    assert redis_client.Redis.from_url(redis.url).ping()
