"""Rooms: a presenter's run followed by students (AppTest sessions in one process share its registry), the
registries themselves (in memory, and Redis when redis-server is installed) and what a room never carries.

The follower's poll is a browser timer (st.fragment(run_every=...)), which never fires under AppTest: the tests call
its step, broadcast.poll, and then do what the fragment does with the answer (room_panel.act and a rerun).
"""

import base64
import json
import os
import re
import time
from dataclasses import replace

import numpy as np
import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetStates
from streamlit.runtime.scriptrunner_utils.script_requests import RerunData, ScriptRequests

from nn_core import InputError, Scenario
from playground.panels.training.controls import _on_player
from playground.rooms import panel as room_panel
from playground.rooms import registry as rooms
from playground.rooms.broadcast import poll
from playground.rooms.registry import (
    MISSING_SECONDS,
    QUIET_SECONDS,
    ROOM_TTL_SECONDS,
    SPREAD_SECONDS,
    local_rooms,
    normal_code,
)
from playground.rooms.schema import RoomState, new_secret
from playground.server.internals import take_no_values_from_timers
from playground.state.actions import change_view, next_chunk, save_run, stop
from tests.deploy.redis_server import RedisServer, redis_path

from .conftest import finish, live_text, new_app, place, session, status, text


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
    secret = session(presenter).room.secret
    yield presenter, student, code
    registry().end(code, secret, 10**6)


def later(pace, seconds: float) -> None:
    """As if ``seconds`` had passed for ``pace`` (state/pace.Pace)."""
    pace.at -= seconds
    pace.next_at -= seconds


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


def test_a_rooms_bar_coming_and_going_leaves_the_page_in_its_place(room):
    """The room's bar at the top of the page comes and goes; the page under it keeps its place (moved, the browser
    would draw the whole page afresh, charts and all)."""
    presenter, student, _ = room
    alone = place(new_app(), "training")
    assert place(presenter, "training") == place(student, "training") == alone
    presenter.toggle(key="presenter").set_value(True).run()  # presenter mode: the code in a bar at the top
    student.button(key="room_leave").click().run()
    assert not presenter.exception and not student.exception
    assert place(presenter, "training") == place(student, "training") == alone


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
    assert set(json.loads(state.to_json())) == {"version", "link", "view", "frames", "playing", "owner", "ended"}
    assert state.owner == session(presenter).room.owner != session(presenter).room.secret  # the secret's hash
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
    local = local_rooms(clock=lambda: now[0])
    secret = new_secret()
    code = local.create(secret)
    now[0] += ROOM_TTL_SECONDS - 1
    assert local.alive(code, secret) == rooms.ALIVE and local.latest(code) is not None
    now[0] += ROOM_TTL_SECONDS - 1
    assert local.latest(code) is not None
    now[0] += 2
    assert local.latest(code) is None and local.alive(code, secret) == rooms.GONE


def only_the_presenters_secret_changes_the_room(registry_: rooms.Rooms) -> None:
    """(both registries) Another secret can neither publish to the room, keep it alive, nor end it; its own can."""
    secret, stranger = new_secret(), new_secret()
    code = registry_.create(secret)
    state = RoomState(3, Scenario().to_link(), {"tab": "loss"}, None, False)
    assert registry_.publish(code, secret, state) == rooms.SENT
    assert registry_.publish(code, stranger, RoomState(9, "", {}, None, True)) == rooms.TAKEN
    assert registry_.alive(code, stranger) == rooms.TAKEN and not registry_.end(code, stranger, 10)
    kept = registry_.latest(code)
    assert (kept.version, kept.playing, kept.ended) == (3, False, False)
    assert registry_.alive(code, secret) == rooms.ALIVE and registry_.end(code, secret, 4)
    assert registry_.latest(code).ended and registry_.latest(code).version == 4


def test_only_the_presenters_secret_changes_a_local_room():
    only_the_presenters_secret_changes_the_room(local_rooms())


def test_a_stale_click_on_end_does_not_end_the_room_the_page_joined_since():
    """Issue 25's hijack, as AppTest can send it: a page that presented its own room (its End button drawn) joins
    room C, and then a click on End arrives. Streamlit 1.67 would still run the button's callback (it keeps a
    widget's callback while the session lives); the click is refused, and the callback acts on the seat it was
    drawn for, so room C stays."""
    presenter = new_app()
    presenter.button(key="room_create").click().run()
    code = session(presenter).room.code
    attacker = new_app()
    attacker.button(key="room_create").click().run()
    end = attacker.button(key="room_end")
    for stale in [w for w in [*attacker.selectbox, *attacker.number_input] if w.key and w.key.startswith("poll_")]:
        stale.set_value(stale.value)  # sent with the click as the page showed them (AppTest would read them from a
        # state that has forgotten the poll panel the attacker had as a presenter)
    own = session(attacker).room
    attacker.query_params["room"] = code
    attacker.run()
    assert session(attacker).room.code == code and not session(attacker).room.presenting
    end.click().run()  # the widget as the page before showed it
    assert not attacker.exception
    assert registry().latest(code) is not None and not registry().latest(code).ended
    assert registry().latest(own.code).ended  # joining another room ended the attacker's own
    assert session(attacker).room.code == code
    registry().end(code, session(presenter).room.secret, 10**6)


def test_a_room_lost_comes_back_under_its_code_at_the_presenters_next_heartbeat(room):
    presenter, student, code = room
    presenter.button(key="step").click().run()
    settle(student, 0.0)
    registry().store._rooms.pop(code)  # lost (as when Redis restarts) or expired: new joiners find nothing
    assert "There is no room" in toasts(new_app({"room": code}))
    assert tick(student, 10.0) == "missing" and session(student).room is not None  # it waits, keeping its page
    presenter.run()  # the heartbeat (its fragment runs within every run of the page)
    assert "open again under the same code" in toasts(presenter)
    assert session(presenter).room.code == code and not registry().latest(code).ended
    assert session(new_app({"room": code})).room.code == code  # new joiners get in again
    assert tick(student, 11.0) != "ended" and session(student).room.missing_since is None
    presenter.button(key="step").click().run()
    settle(student, 20.0)
    assert weights(student) == weights(presenter) and live_text(student, "epoch") == "Epoch 2"


def test_a_code_taken_while_the_room_was_lost_is_said_plainly(room):
    presenter, student, code = room
    registry().store._rooms.pop(code)
    someone = new_secret()
    registry().store.claim(code, RoomState(0, "", {}, None, False, rooms.owner_of(someone)))
    presenter.run()
    assert "now belongs to another room" in toasts(presenter) and session(presenter).room is None
    assert "room_create" in [b.key for b in presenter.button]
    assert tick(student, 0.0) == "ended" and session(student).room is None  # not another presenter's room
    registry().end(code, someone, 1)


def test_followers_wait_for_a_missing_room_then_leave(room):
    _, student, code = room
    registry().store._rooms.pop(code)
    assert tick(student, 100.0) == "missing"
    assert tick(student, 100.0 + MISSING_SECONDS - 1) == "missing"
    assert tick(student, 100.0 + MISSING_SECONDS + 1) == "ended" and session(student).room is None


def test_a_tab_presents_one_room_and_starts_rooms_at_a_pace():
    at = new_app()
    codes = []
    for _ in range(3):
        third = time.monotonic()
        at.button(key="room_create").click().run()
        codes.append(session(at).room.code)
        at.button(key="room_end").click().run()
    assert all(registry().latest(c).ended for c in codes) and session(at).room is None
    at.button(key="room_create").click().run()
    since_third = time.monotonic() - third
    said = re.search(r"start another in (\d+) s", toasts(at))
    # 30 s after the third, less the time the runs took since (seconds on a busy machine)
    assert session(at).room is None and said and 30 - since_third <= int(said[1]) <= 30, (said, since_third)
    later(session(at).rooms_started, 300)  # five minutes later: one of them is forgotten
    at.button(key="room_create").click().run()
    assert session(at).room is not None and session(at).room.presenting
    registry().end(session(at).room.code, session(at).room.secret, 10**6)


def test_a_tab_that_tries_codes_naming_no_room_waits_more_each_time(room):
    _, _, code = room
    at = new_app()
    for guess in ("AAAAAA", "BBBBBB", "CCCCCC"):
        at.text_input(key="room_join").input(guess).run()
        assert "There is no room" in toasts(at)
    at.text_input(key="room_join").input(code).run()  # even the right code waits now: it is not looked up
    assert "try again in 2 s" in toasts(at) and session(at).room is None
    later(session(at).code_guesses, 2)
    at.text_input(key="room_join").input("DDDDDD").run()
    assert "There is no room" in toasts(at)
    at.text_input(key="room_join").input(code).run()
    assert "try again in 4 s" in toasts(at)  # a wait that doubles
    later(session(at).code_guesses, 60 * 4)  # four minutes: four of them forgotten
    at.text_input(key="room_join").input(code).run()
    assert session(at).room is not None and session(at).room.code == code


@pytest.fixture(scope="module")
def redis_url():
    if redis_path() is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing: .ci/run installs it (apt-get install -y redis-server)")
        pytest.skip("redis-server is not installed (apt-get install -y redis-server)")
    server = RedisServer()
    yield server.url
    server.stop()


def test_redis_rooms_are_shared_between_processes_and_expire(redis_url):
    now = [time.time()]
    presenter_side = rooms.redis_rooms(redis_url)
    student_side = rooms.redis_rooms(redis_url, clock=lambda: now[0])  # another replica's registry
    secret = new_secret()
    code = presenter_side.create(secret)
    assert student_side.latest(code).version == 0
    presenter_side.publish(code, secret, RoomState(7, Scenario().to_link(), {"tab": "loss"}, None, False))
    deadline = time.monotonic() + 10
    while student_side.latest(code).version != 7 and time.monotonic() < deadline:
        time.sleep(0.02)  # pub/sub: the listening thread updates the room a follower here reads
    assert student_side.latest(code).version == 7
    store = presenter_side.store
    assert store.client.ttl(store.PREFIX + code) > ROOM_TTL_SECONDS - 5
    presenter_side.end(code, secret, 8)
    now[0] += rooms.CHECK_SECONDS + 1
    assert student_side.latest(code).ended
    assert student_side.latest("ZZZZZZ") is None


def test_only_the_presenters_secret_changes_a_redis_room(redis_url):
    only_the_presenters_secret_changes_the_room(rooms.redis_rooms(redis_url))


# -- what is read back from a room is checked ------------------------------------------------------------------------
def a_broadcast(room) -> str:
    """A real broadcast of frames (the presenter stepped), as the store holds it: JSON."""
    presenter, _, code = room
    presenter.button(key="step").click().run()
    state = registry().latest(code)
    assert state.frames is not None
    return state.to_json()


def forged(text: str, change) -> str:
    d = json.loads(text)
    change(d)
    return json.dumps(d)


def set_in(path: str, value):
    def change(d):
        *parents, last = path.split(".")
        for name in parents:
            d = d[name]
        d[last] = value
    return change


FORGERIES = {  # each one thing no presenter sends (issue 25's first: "first_at": "soon")
    "a time that is text": set_in("frames.first_at", "soon"),
    "a time that is a list": set_in("frames.first_at", [1]),
    "a time past any float": lambda d: d["frames"].__setitem__("first_at", 1e400),
    "a version that is true": set_in("version", True),
    "a version that is text": set_in("version", "7"),
    "a negative version": set_in("version", -1),
    "a version past 2**53": set_in("version", 2**60),
    "a link that is a number": set_in("link", 5),
    "a view that is a list": set_in("view", []),
    "a view with a field of its own": set_in("view.script", "<x>"),
    "a rewind that is text": set_in("view.rewind", "5"),
    "a lesson of 1,000 letters": set_in("view.lesson", "x" * 1000),
    "frames that are text": set_in("frames", "soon"),
    "frames with a field missing": lambda d: d["frames"].pop("number"),
    "frames with a field of their own": set_in("frames.extra", 1),
    "epochs that are no base64": set_in("frames.epochs.bdata", "!!!"),
    "epochs of another type": set_in("frames.epochs.dtype", "f8"),
    "epochs that end mid-number": set_in("frames.epochs.bdata", "AAA="),
    "losses for another count of frames": set_in("frames.losses.bdata", ""),
    "params that end mid-number": set_in("frames.params.bdata", "AAAAAAAAAA=="),
    "a weight that is NaN": set_in("frames.params.bdata", "AAAAAAAA+H8AAAAAAAD4fwAAAAAAAPh/"),
    "playing that is 1": set_in("playing", 1),
    "an owner that is no hash": set_in("owner", "me"),
    "no owner": lambda d: d.pop("owner"),
    "more fields": set_in("admin", True),
}


def test_a_broadcast_reads_back_as_sent(room):
    text = a_broadcast(room)
    assert RoomState.from_json(text).to_json() == text


@pytest.mark.parametrize("name", list(FORGERIES))
def test_a_forged_state_is_refused_whole(room, name):
    text = forged(a_broadcast(room), FORGERIES[name])
    with pytest.raises(InputError):
        RoomState.from_json(text)


@pytest.mark.parametrize("text", ["", "null", "[]", "{", "NaN", '{"version": NaN}', "[" * 100_000, "x" * 600_000, 7])
def test_what_is_no_state_at_all_is_refused(text):
    with pytest.raises(InputError):
        RoomState.from_json(text)


def test_frames_that_do_not_fit_the_rooms_run_are_dropped_and_the_page_keeps_its_state(room, caplog):
    presenter, student, code = room
    presenter.button(key="step").click().run()
    settle(student, 0.0)
    good = registry().latest(code)
    wide = dict(good.frames, params={"dtype": "f8", "bdata": base64.b64encode(np.zeros(4).tobytes()).decode()})
    registry().store._rooms[code] = (replace(good, version=good.version + 1, frames=wide), 1e12)
    with caplog.at_level("WARNING", logger="playground.rooms"):
        assert tick(student, 10.0) is None
    assert "frames that do not fit" in caplog.text and not student.exception
    assert session(student).room.version == good.version and session(student).room.relay is None


def test_redis_rooms_drop_what_is_no_rooms_state_and_keep_the_last_good(redis_url, caplog):
    """Forged broadcasts on the room's channel, and a forged stored state: each is dropped with one log line, and
    the followers' registry keeps the last good state (a broadcast of another owner is not taken either)."""
    presenter_side, student_side = rooms.redis_rooms(redis_url), rooms.redis_rooms(redis_url)
    secret = new_secret()
    code = presenter_side.create(secret)
    store = presenter_side.store
    key = store.PREFIX + code

    def heard(version: int) -> RoomState:
        deadline = time.monotonic() + 10
        while student_side.latest(code).version != version and time.monotonic() < deadline:
            time.sleep(0.02)
        return student_side.latest(code)

    assert student_side.latest(code).version == 0
    link = Scenario().to_link()
    presenter_side.publish(code, secret, RoomState(5, link, {"tab": "loss"}, None, False))
    good = heard(5)
    text = good.to_json()
    with caplog.at_level("WARNING", logger="playground.rooms"):
        for change in (set_in("version", "soon"), set_in("view", 7), set_in("frames", {"first_at": "soon"})):
            store.client.publish(key, forged(text, change))
        store.client.publish(key, "not even JSON")
        stranger = RoomState(99, link, {"tab": "loss"}, None, False, rooms.owner_of(new_secret()))
        store.client.publish(key, stranger.to_json())  # well formed, but not the room's owner
        presenter_side.publish(code, secret, RoomState(6, link, {"tab": "weights"}, None, False))
        assert heard(6).view == {"tab": "weights"}  # (messages arrive in order: the forged ones were heard first)
        store.client.hset(key, "state", forged(text, set_in("frames", {"first_at": "soon"})))
        student_side.store._followed[code] = (student_side.latest(code), float("-inf"))  # read the room itself now
        assert student_side.latest(code).version == 6  # the last good one
    dropped = [r.getMessage() for r in caplog.records if "dropped" in r.getMessage()]
    assert len(dropped) == 5 and all(code in line for line in dropped), dropped
    assert all(not r.exc_info for r in caplog.records)  # one line each, no traceback


# -- a follower's browser, polling twice a second ---------------------------------------------------------------------
def _widget_states(**values) -> WidgetStates:
    """What a browser sends with a rerun: its value of each widget (str: a choice; True: a button's click)."""
    states = WidgetStates()
    for name, value in values.items():
        state = states.widgets.add(id=f"$$ID-{name}")
        if value is True:
            state.trigger_value = True
        else:
            state.string_value = value
    return states


def test_a_timers_rerun_brings_no_widget_values(monkeypatch):
    """The poll's timer sends the browser's values of every widget, older than the room's view the poll has just put
    in force: they must not put the old view back, nor run callbacks that read as the learner's change (detaching),
    whether the timer's run comes alone or is merged into the page's run that the poll asked for (server/internals.py,
    take_no_values_from_timers). A click's values stay, even when a timer's request comes before its run began."""
    monkeypatch.setattr(ScriptRequests, "request_rerun", ScriptRequests.request_rerun)  # (put back afterwards)
    take_no_values_from_timers()
    old_view, click = _widget_states(view_tab="loss"), _widget_states(view_tab="weights", step=True)

    def run_asked_for(*requests: RerunData) -> RerunData:
        pending = ScriptRequests()
        for request in requests:
            assert pending.request_rerun(request)
        return pending.on_scriptrunner_ready().rerun_data

    poll_timer = RerunData(widget_states=old_view, fragment_id="poll", is_auto_rerun=True)
    assert run_asked_for(poll_timer).widget_states is None
    question_timer = RerunData(widget_states=old_view, fragment_id="question", is_auto_rerun=True)
    whole_page = run_asked_for(question_timer, RerunData())  # the poll's st.rerun(), with another timer's request
    assert whole_page.widget_states is None and not whole_page.fragment_id_queue
    assert run_asked_for(RerunData(widget_states=click), poll_timer).widget_states is click
    assert run_asked_for(RerunData(widget_states=click)).widget_states is click


def test_a_follower_sees_the_table_as_the_presenter_does(room):
    """As text, with its Edit button: the editor opens for a learner who asks for it, not for a table put in force."""
    presenter, student, _ = room

    def as_text(at) -> bool:
        return "edit_table" in [b.key for b in at.button] and not at.dataframe

    assert as_text(presenter) and as_text(student)
    presenter.selectbox(key="preset").set_value("xor").run()
    settle(student)
    assert session(student).scenario.data == session(presenter).scenario.data
    assert as_text(presenter) and as_text(student)
