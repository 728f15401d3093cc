"""A room-wide guess: a presenter asks, students answer (AppTest sessions in one process share its registries), the
reveal reads the truth from the network, and everything a student sends is checked. The stores themselves (in memory,
and Redis when redis-server is installed) and a question as another replica would store it. (The browser test with a
student on another replica is tests/deploy/test_poll_redis.py.)"""

import math
import os

import numpy as np
import pytest

from nn_core import PRESETS, NeuralNetwork
from playground.rooms import ballots as stores
from playground.rooms import poll as polls
from playground.rooms import registry as rooms
from playground.rooms.ballots import AGAIN, CLOSED, FULL, TAKEN, LocalBallots
from playground.rooms.poll_panel import SENDS_PER_WINDOW

from .conftest import keyed, new_app, session, status, text

ARTICLE = PRESETS["article"]


@pytest.fixture
def room():
    """(presenter, [three students], code)."""
    presenter = new_app()
    presenter.button(key="room_create").click().run()
    code = session(presenter).room.code
    students = [new_app({"room": code}) for _ in range(3)]
    yield presenter, students, code
    rooms.registry().end(code, session(presenter).room.secret, 10**6)


def box(at) -> str:
    """What a student's question box says (empty: no question)."""
    node = keyed(at, "poll_box")
    return "" if node is None else text(at)


def ask(presenter, kind="prediction", epochs=100, **subject):
    presenter.selectbox(key="poll_kind").set_value(kind).run()
    presenter.selectbox(key="poll_epochs").set_value(epochs).run()
    for key, value in subject.items():
        widget = presenter.number_input(key=key) if key != "poll_weight" else presenter.selectbox(key=key)
        widget.set_value(value).run()
    presenter.button(key="poll_ask").click().run()
    assert not presenter.exception, presenter.exception
    return session(presenter).ballot.asked


def answer(student, value):
    student.run()  # its box looks again (a browser timer; here a rerun)
    student.number_input(key="poll_answer").set_value(value).run()
    student.button(key="poll_send").click().run()
    assert not student.exception, student.exception


def test_a_question_reaches_every_student_the_answers_spread_and_the_reveal_reads_the_network(room):
    presenter, students, code = room
    for _ in range(2):
        presenter.button(key="step").click().run()  # asked at epoch 2: the question looks 100 epochs further on
    asked = ask(presenter, poll_row=6)
    assert (asked.kind, asked.subject, asked.label, asked.start, asked.target) == ("prediction", 5, "[1, 0, 1]", 2, 102)
    for student, guess in zip(students, (0.9, 0.95, 0.5)):
        student.run()
        assert "What will ŷ be for row 6 [1, 0, 1] at epoch 102?" in box(student)
        answer(student, guess)
        assert "Your answer, " in box(student)
    presenter.run()
    results = keyed(presenter, "poll_results")
    assert results is not None and "3 answered so far." in text(presenter)
    assert sorted(stores.ballots().answers(code, asked.id)) == [0.5, 0.9, 0.95]
    spread = polls.spread(asked, stores.ballots().answers(code, asked.id))
    assert spread.count == 3 and spread.counts.tolist() == [0, 0, 0, 0, 0, 1, 0, 0, 0, 2]
    presenter.button(key="poll_reveal").click().run()
    # The truth, restated: the article's network trained 102 epochs, its prediction for row 6.
    net = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs)
    net.train(102)
    truth = float(net.predict([[1, 0, 1]])[0, 0])
    s = session(presenter)
    assert s.network.epoch == 102 and s.ballot.asked.truth == truth and s.ballot.asked.truth_epoch == 102
    assert f"The network shows {truth:.6f} at epoch 102." in text(presenter)
    for student, guess in zip(students, (0.9, 0.95, 0.5)):
        student.run()
        said = box(student)
        assert f"The network shows {truth:.6f} at epoch 102." in said
        assert f"You guessed {guess:g}: off by {abs(guess - truth):.6f}." in said


def test_each_student_answers_once_within_bounds_and_not_too_often(room):
    presenter, (first, second, _), code = room
    asked = ask(presenter, "weight", 1, poll_weight=0)
    assert asked.label == "w₁" and asked.target == 1
    first.run()
    first.session_state["poll_answer"] = 2e6  # past a weight's limit: only a hostile client sends it
    first.button(key="poll_send").click().run()
    assert not first.exception and stores.ballots().answers(code, asked.id) == []
    assert "refused" in status(first) or "Not sent" in box(first)
    answer(first, 0.6)
    assert "Your answer, 0.6, is in" in box(first) and not first.button(key="room_leave").disabled
    assert "poll_send" not in [b.key for b in first.button]  # answered: no second Send
    # A second answer from the same student, however it comes: refused by the store itself.
    assert stores.ballots().answer(code, asked.id, session(first).ballot.student, 0.7) == AGAIN
    assert stores.ballots().answers(code, asked.id) == [0.6]
    # Sends are rate-limited, refused ones too.
    for _ in range(SENDS_PER_WINDOW):
        second.run()
        second.session_state["poll_answer"] = float("nan")
        second.button(key="poll_send").click().run()
    second.session_state["poll_answer"] = 0.5
    second.button(key="poll_send").click().run()
    assert "wait a few seconds" in box(second) and stores.ballots().answers(code, asked.id) == [0.6]
    presenter.button(key="poll_reveal").click().run()
    w1 = session(presenter).network.params[0]
    assert session(presenter).ballot.asked.truth == w1  # the next w₁: one epoch on
    first.run()
    assert f"You guessed 0.6: off by {abs(0.6 - w1):.4f}." in box(first)
    second.run()
    assert "You did not answer this one." in box(second)


def test_a_yes_no_question_about_the_error(room):
    presenter, (student, _, _), _ = room
    asked = ask(presenter, "below", 1000, poll_threshold=0.2)
    student.run()
    assert "Will the Mean |error| be below 0.2 at epoch 1,000?" in box(student)
    student.button_group(key="poll_answer").set_value(1).run()
    student.button(key="poll_send").click().run()
    presenter.button(key="poll_reveal").click().run()
    net = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs)
    net.train(1000)
    error = net.current_loss()
    revealed = session(presenter).ballot.asked
    assert revealed.truth == error and revealed.yes == (error < 0.2) and asked.id == revealed.id
    student.run()
    verdict = "right" if error < 0.2 else "not this time"
    assert f"At epoch 1,000 the Mean |error| is {error:.6f}" in box(student) and f"You said Yes: {verdict}." in box(
        student)


def test_the_truth_is_the_run_asked_about_even_after_the_presenter_changed_it(room):
    presenter, _, _ = room
    asked = ask(presenter, "prediction", 10, poll_row=1)
    presenter.number_input(key="learning_rate").set_value(5.0).run()  # another run from here on
    presenter.button(key="step").click().run()
    presenter.button(key="poll_reveal").click().run()
    net = NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs)
    net.train(10)
    assert session(presenter).ballot.asked.truth == float(net.predict([ARTICLE.inputs[0]])[0, 0])
    assert asked.target == 10


def test_questions_and_answers_as_stored_are_checked():
    poll = polls.ask("prediction", 2, "[0, 0, 0]", 10, 100)
    assert polls.Poll.from_json(poll.to_json()) == poll
    stored = poll.to_json()
    for changed in (('"prediction"', '"delete"'), ('"[0, 0, 0]"', '"<script>"'), ('"target":110', '"target":5'),
                    ('"subject":2.0', '"subject":1e300')):
        assert changed[0] in stored
    for bad in ("", "{", "[]", '{"id": "x"}', "x" * 100_000,
                *(stored.replace(*changed) for changed in (('"prediction"', '"delete"'), ('"[0, 0, 0]"', '"<script>"'),
                                                           ('"target":110', '"target":5'),
                                                           ('"subject":2.0', '"subject":1e300')))):
        with pytest.raises(Exception) as raised:
            polls.Poll.from_json(bad)
        assert type(raised.value).__name__ == "InputError", bad
    for value, ok in ((0.5, True), (1, True), (-0.1, False), (1.5, False), (math.nan, False), (math.inf, False),
                      ("0.5", False), (True, False), (None, False)):
        assert poll.accepts(value) is ok, value
    yes_no = polls.ask("below", 0.1, "", 0, 10)
    assert yes_no.accepts(0) and yes_no.accepts(1) and not yes_no.accepts(0.5)


def test_the_local_store_takes_an_answer_once_per_student_up_to_its_limit():
    store = LocalBallots()
    poll = polls.ask("weight", 0, "w₁", 0, 1)
    assert store.answer("ROOM22", poll.id, "a", 0.1) == CLOSED  # no question asked there
    store.ask("ROOM22", poll)
    assert store.answer("ROOM22", poll.id, "a", 0.1) == TAKEN
    assert store.answer("ROOM22", poll.id, "a", 0.2) == AGAIN
    assert store.answer("ROOM22", "0" * 12, "b", 0.2) == CLOSED  # an old question
    for i in range(polls.MAX_ANSWERS - 1):
        assert store.answer("ROOM22", poll.id, f"s{i}", 0.3) == TAKEN
    assert store.answer("ROOM22", poll.id, "late", 0.3) == FULL
    store.ask("ROOM22", polls.truth(poll, NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs)))
    assert len(store.answers("ROOM22", poll.id)) == polls.MAX_ANSWERS  # the reveal keeps the answers...
    assert store.answer("ROOM22", poll.id, "after", 0.3) == CLOSED  # ...and takes no more


@pytest.mark.skipif(not os.path.exists("/usr/bin/redis-server"), reason="redis-server is not installed")
def test_the_redis_store_takes_an_answer_once_across_replicas():
    from tests.deploy.redis_server import RedisServer

    redis = RedisServer()
    try:
        a, b = stores.RedisBallots(redis.url), stores.RedisBallots(redis.url)  # two replicas
        poll = polls.ask("prediction", 0, "[0, 1, 0]", 0, 10)
        a.ask("ROOM22", poll)
        assert b.current("ROOM22") == poll
        assert b.answer("ROOM22", poll.id, "s1", 0.25) == TAKEN
        assert a.answer("ROOM22", poll.id, "s1", 0.75) == AGAIN
        assert a.answer("ROOM22", poll.id, "s2", 0.75) == TAKEN
        assert sorted(a.answers("ROOM22", poll.id)) == [0.25, 0.75]
        a.client.set(a.PREFIX + "ROOM33", '{"id": "<b>x</b>"}')  # not a question this app wrote
        assert b.current("ROOM33") is None and b.answer("ROOM33", "<b>x</b>", "s1", 0.5) == CLOSED
        a.ask("ROOM22", polls.truth(poll, NeuralNetwork(ARTICLE.inputs, ARTICLE.outputs)))
        assert b.answer("ROOM22", poll.id, "s3", 0.5) == CLOSED
        assert np.isfinite(a.client.ttl(a.PREFIX + "ROOM22")) and a.client.ttl(a.PREFIX + "ROOM22") > 0
    finally:
        redis.stop()
