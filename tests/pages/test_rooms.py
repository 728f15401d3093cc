"""Rooms: a presenter's run followed by students (AppTest sessions in one process share its registry), the
registries themselves (in memory, and Redis when redis-server is installed) and what a room never carries.

The follower's poll is a browser timer (st.fragment(run_every=...)), which never fires under AppTest: the tests call
its step, broadcast.poll, and then do what the fragment does with the answer (room_panel.act and a rerun).
"""

import json
import os

import pytest

from nn_core import Scenario
from playground.panels.training.controls import _on_player
from playground.rooms import panel as room_panel
from playground.rooms import registry as rooms
from playground.rooms.broadcast import poll
from playground.rooms.registry import (
    QUIET_SECONDS,
    ROOM_TTL_SECONDS,
    SPREAD_SECONDS,
    LocalRooms,
    RoomState,
    normal_code,
)
from playground.state.actions import change_view, next_chunk, save_run, stop

from .conftest import finish, live_text, new_app, session, status, text


def registry():
    return rooms.registry()


def tick(at, now: float) -> str | None:
    """One poll of the follower ``at`` at time ``now`` (time.monotonic() scale), as its fragment does it."""
    s = session(at)
    action, state = poll(s, registry(), now)
    if room_panel.act(s, registry(), action, state):
        at.run()
        assert not at.exception, at.exception
    return action


def settle(at, now: float = 0.0) -> None:
    """Poll until the follower has put the room's run in force (the presenter stood still long enough)."""
    tick(at, now)
    assert tick(at, now + LATEST) == "apply"


LATEST = QUIET_SECONDS + SPREAD_SECONDS + 0.01  # a follower has put a still presenter's run in force by then


@pytest.fixture
def room():
    """(presenter, student, code): the student joined through the room's link."""
    presenter = new_app()
    presenter.button(key="room_create").click().run()
    code = session(presenter).room.code
    student = new_app({"room": code})
    assert session(student).room.code == code and session(student).room.following
    yield presenter, student, code
    registry().end(code)


def toasts(at) -> str:
    return status(at)


def weights(at) -> str:
    return live_text(at, "weights")


def test_codes_are_read_as_typed_and_anything_else_is_refused():
    assert normal_code(" k7q-2xm ") == "K7Q2XM"
    for bad in ("K7Q2X", "K7Q2XMM", "K7Q2X0", "<script>", "", None, "K7Q2X\u0130", "x" * 10_000):
        assert normal_code(bad) is None, bad


def test_the_presenter_shows_the_code_link_and_qr(room):
    presenter, _, code = room

    def qr_codes(part) -> list[str]:
        return [h.value for h in part.get("html") if "data:image/png;base64," in h.value]

    (qr,) = qr_codes(presenter.sidebar)  # the QR code, with a text alternative
    assert f'alt="Scan to join room {code}"' in qr and 'width="140"' in qr
    assert f"?room={code}" in "".join(c.value for c in presenter.code)
    presenter.toggle(key="presenter").set_value(True).run()
    assert not presenter.exception
    (bar,) = qr_codes(presenter.main)  # in presenter mode: a slim bar at the top, its QR small until clicked
    assert 'width="52"' in bar and 'class="room-qr-large"' in bar and f'alt="Scan to join room {code}"' in bar
    assert f"?room={code}" in "".join(m.value for m in presenter.main.markdown)


def test_a_student_follows_steps_training_and_the_view(room):
    presenter, student, _ = room
    presenter.button(key="step").click().run()
    assert tick(student, 0.0) == "relay"  # the frame at once...
    relay = session(student).room.relay
    assert relay["chunk"]["epochs"]["bdata"] and session(student).network.epoch == 0
    assert tick(student, QUIET_SECONDS * 0.9) is None  # ...the run itself once the presenter stood still a moment
    assert tick(student, LATEST) == "apply"
    assert live_text(student, "epoch") == "Epoch 1" and weights(student) == weights(presenter)
    finish(presenter.button(key="train").click().run())
    settle(student, 10.0)
    assert live_text(student, "epoch") == "Epoch 25,000"
    assert weights(student) == "w₁ = 10.0883 · w₂ = -5.3980 · w₃ = 0.3544"
    presenter.button_group(key="view_tab").set_value("weights").run()
    s = session(student)
    action, state = poll(s, registry(), 20.0)
    assert action == "relay" and state.view["tab"] == "weights" and not s.room.further
    assert s.room.due <= 20.0 + SPREAD_SECONDS  # another view: the page redraws without waiting for stillness
    # (that the student's page then shows it is checked in the browser: AppTest sends its own old value back)


def test_a_data_edit_a_setting_and_a_lesson_reach_the_student_at_once(room):
    presenter, student, _ = room
    presenter.selectbox(key="preset").set_value("xor").run()
    assert tick(student, 0.0) == "relay" and session(student).room.due <= SPREAD_SECONDS  # not the same run
    assert tick(student, SPREAD_SECONDS) == "apply"
    assert session(student).scenario.data == session(presenter).scenario.data
    presenter.number_input(key="learning_rate").set_value(0.5).run()
    presenter.button(key="step").click().run()
    settle(student, 5.0)
    assert session(student).network.learning_rate == 0.5 and session(student).network.epoch == 1
    presenter.selectbox(key="lesson").set_value("xor_hidden").run()
    presenter.button(key="start_lesson").click().run()
    settle(student, 10.0)
    assert "A hidden layer learns XOR" in text(student)  # the lesson's box, in the student's language
    assert session(student).scenario.settings == session(presenter).scenario.settings


def test_playing_relays_the_frames_and_the_run_is_exact_after_stop(room):
    presenter, student, _ = room
    s = session(presenter)
    presenter.session_state["play"] = None
    _on_player(s, "play")  # what the Play button's trigger does
    presenter.run()
    assert tick(student, 0.0) == "relay"
    first = session(student).room.relay
    assert first["chunk"]["seconds_per_frame"] > 0 and first["delay"] <= rooms.MAX_LEAD_SECONDS
    s.player.outbox = next_chunk(s, shown=s.network.epoch // 2)
    presenter.run()
    assert tick(student, 0.2) == "relay" and session(student).room.relay["version"] > first["version"]
    assert tick(student, 5.0) is None  # still playing: the page is not redrawn, the frames play on
    assert session(student).network.epoch == 0
    stop(s, shown=s.player.shown)
    presenter.run()
    settle(student, 10.0)
    assert session(student).network.epoch == s.network.epoch > 0
    assert list(session(student).network.params) == list(s.network.params)  # bit for bit


def test_a_student_who_changes_something_detaches_and_resyncs_in_one_click(room):
    presenter, student, _ = room
    student.button(key="step").click().run()  # (AppTest runs the poll's fragment within every run of the page)
    assert not session(student).room.following
    assert "room_resync" in [b.key for b in student.button]
    presenter.button(key="step").click().run()
    presenter.button(key="step").click().run()
    assert tick(student, 1.0) is None and session(student).network.epoch == 1  # its own run, not the room's
    student.button(key="room_resync").click().run()
    assert session(student).room.following and session(student).network.epoch == 2
    assert weights(student) == weights(presenter)


def test_the_room_ends_with_its_presenter(room):
    presenter, student, code = room
    presenter.button(key="room_end").click().run()
    assert tick(student, 0.0) == "ended"
    assert session(student).room is None and "has ended" in toasts(student)
    late = new_app({"room": code})
    assert "There is no room" in toasts(late) and session(late).room is None


def test_joining_by_typing_the_code(room):
    _, _, code = room
    other = new_app()
    other.text_input(key="room_join").input(code.lower()).run()
    assert session(other).room is not None and session(other).room.code == code
    nobody = new_app()
    nobody.text_input(key="room_join").input("K7Q2").run()
    assert "letters and digits" in toasts(nobody) and session(nobody).room is None


def test_a_room_carries_the_run_and_nothing_else_of_the_presenters_session(room):
    _, _, code = room
    presenter = new_app({"presenter": "1"})
    presenter.button(key="room_create").click().run()
    code = session(presenter).room.code
    presenter.button(key="step").click().run()
    change_view(session(presenter), ui={"hide": ["data"], "presenter": True})
    save_run(session(presenter), "my run")
    presenter.run()
    state = registry().latest(code)
    assert set(json.loads(state.to_json())) == {"version", "link", "view", "frames", "playing"}
    scenario = Scenario.from_link(state.link)
    assert scenario.ui == {}  # not the presenter's language, presenter mode or anything of its view settings
    assert scenario.run.epoch == 1 and set(state.view) == {"tab", "rewind", "log", "lesson"}


def test_followers_in_one_process_train_the_room_once(room, monkeypatch):
    presenter, student, code = room
    second = new_app({"room": code})
    finish(presenter.button(key="train").click().run())
    built = []
    original = Scenario.network
    monkeypatch.setattr(Scenario, "network", lambda self, progress=None: built.append(1) or original(self, progress))
    settle(student, 0.0)
    settle(second, 0.0)
    assert built == []  # the same run further on: the process's copy trained the missing epochs, once
    a, b = session(student).network, session(second).network
    assert a is not b and list(a.params) == list(b.params) == list(session(presenter).network.params)


def test_local_rooms_expire_after_the_grace_period_unless_the_presenter_is_there():
    now = [1000.0]
    local = LocalRooms(clock=lambda: now[0])
    code = local.create(RoomState(0, "", {}, None, False))
    now[0] += ROOM_TTL_SECONDS - 1
    assert local.alive(code) and local.latest(code) is not None
    now[0] += ROOM_TTL_SECONDS - 1
    assert local.latest(code) is not None
    now[0] += 2
    assert local.latest(code) is None and not local.alive(code)


@pytest.fixture(scope="module")
def redis_url():
    from tests.deploy.redis_server import RedisServer, redis_path

    if redis_path() is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing: .ci/run installs it (apt-get install -y redis-server)")
        pytest.skip("redis-server is not installed (apt-get install -y redis-server)")
    server = RedisServer()
    yield server.url
    server.stop()


def test_redis_rooms_are_shared_between_processes_and_expire(redis_url):
    import time

    now = [time.time()]
    presenter_side = rooms.RedisRooms(redis_url)
    student_side = rooms.RedisRooms(redis_url, clock=lambda: now[0])  # another replica's registry
    code = presenter_side.create(RoomState(0, "", {}, None, False))
    assert student_side.latest(code).version == 0
    presenter_side.publish(code, RoomState(7, Scenario().to_link(), {"tab": "loss"}, None, False))
    deadline = time.monotonic() + 10
    while student_side.latest(code).version != 7 and time.monotonic() < deadline:
        time.sleep(0.02)  # pub/sub: the listening thread updates the room a follower here reads
    assert student_side.latest(code).version == 7
    assert presenter_side.client.ttl(rooms.RedisRooms.PREFIX + code) > ROOM_TTL_SECONDS - 5
    presenter_side.end(code)
    now[0] += rooms.CHECK_SECONDS + 1
    assert student_side.latest(code) is None
    assert student_side.latest("ZZZZZZ") is None
