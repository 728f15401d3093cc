"""The Playground in a real browser: what a learner sees and clicks."""

import re
import time

from playwright.sync_api import expect

from .harness import (
    choose,
    click,
    draws,
    edit_cell,
    grid_cells,
    key,
    navigate,
    numbers_in,
    open_app,
    record_draws,
    screenshot,
    text_of,
    train,
    wait_idle,
    wait_stopped,
)

ARTICLE_ROWS = [[0, 1, 0, 0], [0, 1, 1, 0], [0, 0, 0, 0], [1, 0, 0, 1], [1, 1, 1, 1], [1, 0, 1, 1]]


EPOCH_SHOWN = "() => +document.querySelector('.st-key-epoch .pg-text').textContent.replace(/\\D/g, '')"


def epoch(page) -> int:
    (value,) = numbers_in(text_of(page, "epoch"))
    return int(value)


def weights(page) -> list[float]:
    return [float(v) for v in re.findall(r"= (-?\d+\.\d+)", text_of(page, "weights"))]


def loss_line(page) -> str:
    line = key(page, "loss_chart").locator(".js-plotly-plot .scatterlayer path.js-line").last
    line.wait_for(state="attached")
    return line.get_attribute("d") or ""


def test_default_matrix_is_the_articles(page):
    open_app(page, page.base_url)
    cells = grid_cells(page)
    data = [[float(v) for v in row[-4:]] for row in cells if any(row)]
    assert data[:6] == ARTICLE_ROWS
    assert epoch(page) == 0 and weights(page) == [0.5, 0.5, 0.5]
    assert "floor 0.0833" in text_of(page, "loss_line")
    assert loss_line(page)
    screenshot(page, "playground-start")


def test_train_to_25000_shows_the_articles_weights(page):
    open_app(page, page.base_url)
    train(page)
    assert epoch(page) == 25000
    assert weights(page) == [10.0883, -5.3980, 0.3544]
    assert len(loss_line(page)) > 200  # a drawn curve, not an empty path
    area = key(page, "loss_chart").locator(".nsewdrag").first.bounding_box()
    page.mouse.move(area["x"] + area["width"] * 0.5, area["y"] + area["height"] * 0.5)
    expect(key(page, "loss_chart").locator(".hoverlayer")).to_contain_text(re.compile(r"Epoch [\d,]+"))
    expect(key(page, "loss_chart").locator(".hoverlayer")).to_contain_text("Mean |error|")
    screenshot(page, "playground-trained")


def test_step_advances_by_the_chosen_size_and_reset_returns(page):
    open_app(page, page.base_url)
    click(page, "step")
    assert epoch(page) == 1
    choose(page, "step_size", "1,000 ×")
    click(page, "step")
    assert epoch(page) == 1001
    click(page, "reset")
    assert epoch(page) == 0 and weights(page) == [0.5, 0.5, 0.5]


def test_play_draws_the_curve_and_stop_keeps_the_epoch_on_screen(page):
    open_app(page, page.base_url)
    key(page, "play").locator("button").click()
    page.wait_for_function(f"() => ({EPOCH_SHOWN})() > 0")  # playing
    first, first_line = epoch(page), loss_line(page)
    page.wait_for_function(f"first => ({EPOCH_SHOWN})() > first", arg=first)  # further on
    # ...and the curve drawn anew (a chart that only held its first picture fails here, within 60 s)
    page.wait_for_function("line => [...document.querySelectorAll('.st-key-loss_chart .scatterlayer path.js-line')]"
                           ".pop()?.getAttribute('d') !== line", arg=first_line)
    second, second_line = epoch(page), loss_line(page)
    assert 0 < first < second
    assert first_line != second_line  # the curve is redrawn while playing, not only the number
    assert key(page, "step").locator("button").is_disabled()  # disabled, not removed, while playing
    key(page, "play").locator("button").click()
    page.wait_for_function("() => window.__playground.frozen || !window.__playground.live")  # Stop holds the frame
    on_screen = epoch(page)
    wait_stopped(page)
    assert epoch(page) == on_screen  # Stop stops at the epoch on screen, not where training had run ahead to
    assert "Play" in text_of(page, "play")
    page.wait_for_timeout(1000)  # kept: the point is that the epoch does not move on for a while after the stop
    assert epoch(page) == on_screen
    screenshot(page, "playground-played")


def test_a_slow_play_draws_every_new_epoch_inside_the_chart(page):
    """From epoch 0 the epoch axis ticks whole epochs up to the last one: at 10 epochs a second, each frame's point
    must widen it (it stayed at 0–1 while the line went on past its edge, until epoch 10)."""
    open_app(page, page.base_url)
    choose(page, "play_speed", "10/s")
    record_draws(page, "loss_chart")
    key(page, "play").locator("button").click()
    page.wait_for_function("() => window.__draws.some((d) => d.last >= 5)")
    key(page, "play").locator("button").click()
    wait_stopped(page)
    drawn = draws(page)
    assert any(2 <= d["last"] < 10 for d in drawn), drawn  # frames of the short axis were drawn
    assert all(d["range"][1] >= d["last"] for d in drawn), drawn


def test_play_and_stop_again_and_again_says_nothing_was_refused(page):
    """Stop reruns the page while Play's last chunk may still be drawing: the browser then echoes the values of
    widgets that cut-short run had sent it (the rewind slider, whose id changes with the run's length). Those are
    dropped quietly; a learner who only pressed Play and Stop was told "a value … was sent and refused" in 2 of 8
    tries before."""
    open_app(page, page.base_url)
    for i in range(6):
        key(page, "play").locator("button").click()
        page.wait_for_function(f"shown => ({EPOCH_SHOWN})() > shown", arg=epoch(page) + 200 * (i + 1))
        key(page, "play").locator("button").click()
        wait_stopped(page)
        wait_idle(page)
        assert "refused" not in text_of(page, "status"), (i, text_of(page, "status"))


def test_editing_a_cell_changes_training(page):
    open_app(page, page.base_url)
    train(page)
    before = weights(page)
    edit_cell(page, row=0, col=0, value="1")  # row 1 becomes [1, 1, 0] → 0
    expect(key(page, "status")).to_contain_text("the data changed")  # said in the status line, not a toast
    assert epoch(page) == 0
    train(page)
    assert epoch(page) == 25000 and weights(page) != before
    screenshot(page, "playground-edited")


def test_choosing_the_dataset_again_after_an_edit_shows_it_as_it_is(page):
    """The editor starts afresh from the dataset chosen, even when that is the table it started from: the edit made
    before is neither left on screen nor sent again with the next one."""
    open_app(page, page.base_url)
    edit_cell(page, row=2, col=3, value="1")
    expect(key(page, "preset").get_by_role("combobox")).to_have_value("Your own data")
    choose(page, "preset", "The article (y = x1)")
    wait_idle(page, settle=1.0)
    assert grid_cells(page)[:6] == [[str(v) for v in row] for row in ARTICLE_ROWS]
    expect(key(page, "preset").get_by_role("combobox")).to_have_value("The article (y = x1)")
    edit_cell(page, row=0, col=0, value="1")
    expect(key(page, "preset").get_by_role("combobox")).to_have_value("Your own data")
    assert grid_cells(page)[:3] == [["1", "1", "0", "0"], ["0", "1", "1", "0"], ["0", "0", "0", "0"]]


def test_every_view_draws_its_chart(page):
    open_app(page, page.base_url)
    train(page)
    choices = key(page, "view_tab").locator("button")
    assert choices.count() == 6
    for i in range(choices.count()):
        choices.nth(i).click()
        wait_idle(page, settle=0.3)
        plot = page.locator(".st-key-loss_chart .js-plotly-plot, .st-key-view_chart .js-plotly-plot")
        expect(plot).to_have_count(1)  # only the chosen view is drawn
        marks = plot.locator("path.js-line, .point, .bars path")
        expect(marks.first).to_be_attached()
        if i == 1:  # the weights as bars: one per weight
            expect(plot.locator(".bars path")).to_have_count(3)
        screenshot(page, f"playground-view-{i}")


def test_steps_add_no_history_entries_and_back_returns_to_the_page_before(page):
    open_app(page, page.base_url)
    entries = page.evaluate("() => history.length")
    for _ in range(3):
        click(page, "step")
    assert "?s=" in page.url  # the address keeps the run (a reload reopens it) ...
    assert page.evaluate("() => history.length") == entries  # ... in place: Back does not undo Steps one by one
    navigate(page, "Predict")
    assert page.evaluate("() => history.length") == entries + 1
    page.go_back()
    wait_idle(page, settle=0.5)
    expect(page.locator("h1").first).to_have_text("Backprop Playground")
    assert epoch(page) == 3


class HeldServer:
    """The page's websocket, with the server's messages held back on request (``hold``) and let through in order
    (``release``): what the page shows meanwhile is the browser's own doing."""

    def __init__(self, page):
        self.holding, self.held, self.to_page = False, [], None
        page.route_web_socket(re.compile(r"/_stcore/stream"), self._route)

    def _route(self, ws):
        server = ws.connect_to_server()
        self.to_page = ws
        server.on_message(lambda message: self.held.append(message) if self.holding else ws.send(message))
        ws.on_message(server.send)

    def hold(self) -> None:
        self.holding = True

    def release(self) -> None:
        self.holding = False
        while self.held:
            self.to_page.send(self.held.pop(0))

    def release_one(self) -> bool:
        """Let the oldest held message through; False when none was held."""
        if not self.held:
            return False
        self.to_page.send(self.held.pop(0))
        return True


def shown_numbers(page) -> tuple[str, str, str]:
    return text_of(page, "epoch"), text_of(page, "loss_line"), text_of(page, "weights")


def test_a_step_shows_at_the_click_and_the_servers_answer_shows_the_same(page):
    server = HeldServer(page)
    open_app(page, page.base_url)
    choose(page, "step_size", "100 ×")
    before = loss_line(page)
    server.hold()
    key(page, "step").locator("button").click()
    # Nothing from the server: the Step's epoch, numbers and curve are on screen all the same.
    expect(key(page, "epoch")).to_have_text("Epoch 100")
    page.wait_for_function("d => document.querySelector('.st-key-loss_chart .scatterlayer path.js-line:last-of-type')"
                           "?.getAttribute('d') !== d", arg=before)
    at_click = shown_numbers(page)
    page.wait_for_timeout(2500)  # a late answer: the Step stays on screen until it comes
    assert shown_numbers(page) == at_click
    server.release()
    wait_idle(page, settle=0.5)
    page.wait_for_function("() => window.__playground.stepped === null && !window.__playground.live")
    # The server's own figures took over, and they say the same to the last digit shown.
    assert shown_numbers(page) == at_click
    assert epoch(page) == 100 and weights(page) != [0.5, 0.5, 0.5]


def test_stops_answer_let_through_message_by_message_never_shows_another_epoch(page):
    """The server's answer to Stop comes as several messages: the player (stopped), then the numbers, then the chart.
    Between them the page keeps the epoch where it stopped (it showed the numbers drawn while playing, at the epoch
    training had run ahead to, until the answer's own arrived)."""
    server = HeldServer(page)
    open_app(page, page.base_url)
    key(page, "play").locator("button").click()
    page.wait_for_function(f"() => ({EPOCH_SHOWN})() > 300")
    server.hold()
    button = key(page, "play").locator("button")
    button.click()
    on_screen = epoch(page)
    # At once the button says what it does next, and waits: a second press must not be another Stop.
    expect(button).to_have_text(re.compile("Play"))
    expect(button).to_be_disabled()
    page.wait_for_timeout(600)  # the server runs and answers (held)
    shown = set()
    while server.release_one():
        page.wait_for_timeout(30)
        shown.add(epoch(page))
    server.release()
    wait_stopped(page)
    shown.add(epoch(page))
    assert shown == {on_screen}
    expect(button).to_be_enabled()
    button.click()  # and Play plays on from there
    page.wait_for_function(f"n => ({EPOCH_SHOWN})() > n", arg=on_screen)


def test_training_to_a_target_let_through_message_by_message_only_counts_up(page):
    """Each slice of training to a target comes as several messages: the player (its frames, the last one's with the
    run stopped), then the numbers, then the chart. The epoch on screen only ever counts up: when the last slice's
    frames were shown at once, live training ended before that run's numbers came, and those of the slice before
    showed for a moment."""
    server = HeldServer(page)
    open_app(page, page.base_url)
    # Every epoch the page shows, as it changes (the whole page watched: the numbers' box may be drawn anew).
    page.evaluate("""() => {
      window.__epochs = [];
      new MutationObserver(() => {
        const text = document.querySelector('.st-key-epoch .pg-text')?.textContent;
        const epoch = text === undefined ? null : +text.replace(/\\D/g, '');
        if (epoch !== null && epoch !== window.__epochs.at(-1)) window.__epochs.push(epoch);
      }).observe(document.body, {subtree: true, childList: true, characterData: true});
    }""")
    server.hold()
    key(page, "train").locator("button").click()
    ends = now = time.monotonic()
    while now < ends + 2:  # two seconds without a message: training ended (each slice answers at once)
        if server.release_one():
            ends = now
        page.wait_for_timeout(30)
        now = time.monotonic()
    server.release()
    wait_stopped(page)
    shown = page.evaluate("window.__epochs")
    assert shown[-1] == 25_000 and shown == sorted(shown), shown


def test_a_step_after_touching_something_else_waits_for_the_server(page):
    server = HeldServer(page)
    open_app(page, page.base_url)
    server.hold()
    # Another step size, chosen while the server's answer is held: the frames ahead were trained for 1 epoch.
    key(page, "step_size").locator('[role="combobox"]').first.click()
    page.get_by_role("option", name="10 ×", exact=True).click()
    key(page, "step").locator("button").click()
    page.wait_for_timeout(600)
    assert epoch(page) == 0  # not the Step of 1 epoch it would have been: the page waits for the server
    server.release()
    expect(key(page, "epoch")).to_have_text("Epoch 10")


AHEAD_ENDS = "() => window.__playground.ahead?.frames.at(-1)?.epoch ?? null"


def test_a_step_size_chosen_twice_quickly_never_shows_the_first_ones_step(page):
    """Step sizes chosen one after the other: the first one's run answers after the second was chosen. Its frames
    (100 epochs) are not the next Step (10): a click then must wait for the server."""
    server = HeldServer(page)
    open_app(page, page.base_url)
    server.hold()
    for size in ("100 ×", "10 ×"):
        key(page, "step_size").locator('[role="combobox"]').first.click()
        page.get_by_role("option", name=size, exact=True).click()
        page.wait_for_timeout(400)  # the server runs and answers (held)
    while page.evaluate(AHEAD_ENDS) != 100 and server.release_one():  # message by message, as a slow line brings
        page.wait_for_timeout(30)
    key(page, "step").locator("button").click()
    page.wait_for_timeout(500)
    assert epoch(page) in (0, 10)  # never the 100 epochs of the first run's frames
    server.release()
    expect(key(page, "epoch")).to_have_text("Epoch 10")


def test_a_press_on_the_page_keeps_the_step_frames_and_text_put_in_lets_them_go(page):
    server = HeldServer(page)
    open_app(page, page.base_url)
    page.locator("h1").first.click()  # a tap on the title (or a finger scrolling): nothing changes
    server.hold()
    key(page, "step").locator("button").click()
    expect(key(page, "epoch")).to_have_text("Epoch 1")
    server.release()
    wait_idle(page, settle=0.5)
    page.wait_for_function(AHEAD_ENDS.replace("?? null", "=== 2"))
    # A rate put in without a key (pasted with the mouse, dropped, filled in by the browser): the frames go.
    key(page, "learning_rate").locator("input").first.fill("4")
    assert page.evaluate(AHEAD_ENDS) is None
    server.hold()
    key(page, "step").locator("button").click()
    page.wait_for_timeout(600)
    assert epoch(page) == 1
    server.release()
    expect(key(page, "epoch")).to_have_text("Epoch 2")


def test_reset_then_step_before_the_answers_never_shows_the_old_runs_next_step(page):
    server = HeldServer(page)
    open_app(page, page.base_url)
    for _ in range(2):
        key(page, "step").locator("button").click()
        wait_idle(page, settle=0.3)
    page.wait_for_function(AHEAD_ENDS.replace("?? null", "=== 3"))
    server.hold()
    key(page, "reset").locator("button").click()
    key(page, "step").locator("button").click()
    page.wait_for_timeout(600)
    assert epoch(page) == 2  # not 3, the old run's next Step: Reset goes first
    server.release()
    expect(key(page, "epoch")).to_have_text("Epoch 1")


def test_a_run_that_had_not_seen_reset_brings_no_step_frames(page):
    """Step, then Reset before the Step's answer came: the Step's run had not seen Reset, and its frames (epoch 2)
    are not the next Step (epoch 1, after Reset)."""
    server = HeldServer(page)
    open_app(page, page.base_url)
    key(page, "learning_rate").locator("input").first.fill("1")  # (the same rate: this Step waits for the server)
    server.hold()
    key(page, "step").locator("button").click()
    page.wait_for_timeout(400)  # the server answers the Step (held) ...
    key(page, "reset").locator("button").click()  # ... before Reset reaches it
    page.wait_for_timeout(400)
    while page.evaluate(AHEAD_ENDS) != 2 and server.release_one():
        page.wait_for_timeout(30)
    key(page, "step").locator("button").click()
    page.wait_for_timeout(500)
    assert epoch(page) != 2
    server.release()
    expect(key(page, "epoch")).to_have_text("Epoch 1")
