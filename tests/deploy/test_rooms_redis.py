"""Rooms across replicas: two `streamlit run` processes sharing Debian's redis-server (ROOMS_REDIS_URL), the
presenter on replica A and the student on replica B. (No balancer is needed for the proof: each browser is pointed
at its replica directly, as a sticky balancer would keep it there.)"""

import asyncio
import json
import os
import re

import pytest

from nn_core import Scenario
from playground.rooms.stores import ENDED_SECONDS
from playground.server.log_limits import LINES_PER_MINUTE
from tests.e2e.harness import click, key, open_app, text_of, train, wait_stopped, wait_text, watch_console
from tests.load.room_attacks import ROOM_CHANGERS, STEPS, forged_state, hijack, lose_a_room
from tests.load.scenario import run_in_thread

FOLLOW = 15_000




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
    # An ended room's last state stays a minute, marked ended, so that its students on every replica learn it ended.
    assert room_in_redis(redis, code)["ended"]
    assert 0 < redis_client.Redis.from_url(redis.url).ttl(f"bp:room:{code}") <= ENDED_SECONDS
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


# -- issue 25: rooms belong to their presenter, across replicas (websocket protocol clients, tests/load) ---------------
def room_in_redis(redis, code: str) -> dict:
    """The room's last broadcast, as Redis holds it."""
    import redis as redis_client

    client = redis_client.Redis.from_url(redis.url, decode_responses=True)
    state = client.hget(f"bp:room:{code}", "state")
    client.close()
    return json.loads(state)


@pytest.mark.parametrize("control,wait", [("room_end", None), ("room_end", 0.05), ("room_end", 0.2)]
                         + [(control, None) for control in ROOM_CHANGERS[1:]])
def test_a_page_on_replica_b_cannot_change_a_room_presented_on_replica_a(replicas, control, wait):
    a, b, redis = replicas
    outcome = run_in_thread(hijack(control, wait)((a.url, None), (b.url, None)))
    assert outcome.held, outcome.detail
    state = room_in_redis(redis, re.search(r"room ([A-Z0-9]{6})", outcome.detail).group(1))
    assert not state["ended"] and Scenario.from_link(state["link"]).run.epoch == STEPS  # the presenter's last


def test_a_room_lost_with_redis_comes_back_at_the_presenters_next_heartbeat(replicas):
    a, b, redis = replicas

    async def restart():
        await asyncio.to_thread(redis.restart)

    outcome = run_in_thread(lose_a_room((a.url, None), (b.url, None), restart))
    assert outcome.held and outcome.detail.startswith("lost: True"), outcome.detail


def test_a_room_that_expired_comes_back_at_the_presenters_next_heartbeat(replicas):
    a, b, redis = replicas

    async def expire():
        import redis as redis_client

        client = redis_client.Redis.from_url(redis.url)
        for room in client.scan_iter("bp:room:*"):
            client.delete(room)  # what ROOM_TTL_SECONDS without a heartbeat does
        client.close()

    outcome = run_in_thread(lose_a_room((a.url, None), (b.url, None), expire))
    assert outcome.held and outcome.detail.startswith("lost: True"), outcome.detail


def test_forged_room_states_in_redis_are_dropped_and_students_keep_the_presenters_run(replicas):
    a, b, redis = replicas
    before = os.path.getsize(b.log.name)
    outcome = run_in_thread(forged_state((a.url, None), (b.url, None), redis.url))
    assert outcome.held, outcome.detail
    b.log.flush()
    with open(b.log.name) as log:
        log.seek(before)
        lines = [line for line in log if "dropped" in line]
    assert 1 <= len(lines) <= 2 * LINES_PER_MINUTE and not any("Traceback" in line for line in lines), lines
