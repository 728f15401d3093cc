"""A room-wide guess in four browsers across two replicas sharing Debian's redis-server: the presenter on replica A,
two students on A and one on replica B (who knows the question only through Redis). Each student answers on their own
screen (one by keyboard alone), the presenter's screen counts the answers and draws their spread as they come in,
the reveal reads the truth from the network, and every student then sees it beside their own guess. axe finds no
serious or critical violation on the presenter's page or a student's with the question open, in English and 中文."""

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from nn_core import PRESETS, NeuralNetwork
from tests.e2e.harness import click, key, open_app, runs, screenshot, text_of, train, wait_idle, watch_console

FOLLOW = 20_000  # ms a student's box may take to show a question or a reveal (it looks every second)


def serious(page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in violations
            if v["impact"] in ("serious", "critical")]


def test_a_room_wide_guess_with_three_students_one_on_another_replica(replicas, browser):
    a, b, _ = replicas
    contexts, problems = [], []

    def tab(width, height, **options):
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(60_000)
        problems.extend(watch_console(page))
        return page

    presenter = tab(1366, 768)
    open_app(presenter, a.url, "/?presenter=1")
    presenter.locator('[data-testid="stExpandSidebarButton"]').first.click()
    click(presenter, "room_create")
    code = re.search(r"\?room=([A-Z0-9]{6})", text_of(presenter, "room_code")).group(1)
    presenter.locator('[data-testid="stSidebarCollapseButton"] button').first.click()
    train(presenter)
    key(presenter, "poll_row").locator("input").fill("6")  # row 6 [1, 0, 1], 100 epochs on
    key(presenter, "poll_row").locator("input").press("Enter")
    wait_idle(presenter)
    click(presenter, "poll_ask")
    question = "What will ŷ be for row 6 [1, 0, 1] at epoch 25,100?"

    students = [(tab(390, 844, is_mobile=True, has_touch=True), a.url, "", "0.9"),
                (tab(1366, 768), a.url, "&lang=zh", "0.99"),
                (tab(1366, 768), b.url, "", "0.95")]  # replica B
    for page, url, lang, _ in students:
        open_app(page, url, f"/?room={code}{lang}")
    for i, (page, _, lang, guess) in enumerate(students):
        page.wait_for_selector(".st-key-poll_box", timeout=FOLLOW)
        expect(key(page, "poll_box")).to_contain_text("第 25,100 轮时" if lang else question)
        if i == 1:
            assert serious(page) == []  # the question open, in 中文
        field = key(page, "poll_answer").locator("input")
        if i == 2:  # by keyboard alone: to the field, type, Tab to Send, Enter
            field.focus()
            page.keyboard.type(guess)
            before = runs(page)
            for _ in range(6):  # (past the field's own − and + buttons)
                page.keyboard.press("Tab")
                if page.evaluate("() => !!document.activeElement?.closest('.st-key-poll_send')"):
                    break
            assert page.evaluate("() => !!document.activeElement?.closest('.st-key-poll_send')")
            wait_idle(page, since=before)  # leaving the field gave the server its value (on a busy machine, later)
            page.keyboard.press("Enter")
            wait_idle(page)
        else:
            field.fill(guess)
            field.press("Enter")
            wait_idle(page)
            click(page, "poll_send")
        expect(key(page, "poll_box")).to_contain_text(guess, timeout=FOLLOW)

    results = key(presenter, "poll_results")
    expect(results).to_contain_text("3 answered so far.", timeout=FOLLOW)
    bars = presenter.locator(".st-key-poll_results .bars .point")
    assert bars.count() >= 1
    assert serious(presenter) == []  # the answers coming in, with their chart
    screenshot(presenter, "poll-presenter-answers")
    click(presenter, "poll_reveal")

    net = NeuralNetwork(PRESETS["article"].inputs, PRESETS["article"].outputs)
    net.train(25_100)
    truth = float(net.predict([[1, 0, 1]])[0, 0])
    expect(results).to_contain_text(f"The network shows {truth:.6f} at epoch 25,100.")
    expect(key(presenter, "epoch")).to_contain_text("25,100")  # the presenter's run went there: the room sees it
    for page, _, lang, guess in students:
        expect(key(page, "poll_box")).to_contain_text(f"{truth:.6f}", timeout=FOLLOW)
        off = f"{abs(float(guess) - truth):.6f}"
        expect(key(page, "poll_box")).to_contain_text(f"相差 {off}" if lang else f"off by {off}")
    screenshot(presenter, "poll-presenter-revealed")
    screenshot(students[2][0], "poll-student-replica-b")
    screenshot(students[0][0], "poll-student-phone")
    for context in contexts:
        context.close()
    assert not problems, problems
