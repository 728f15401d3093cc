"""Issue 13 in a real browser: be the optimiser, each row's share, guess before you see, the code line by
line, why is it stuck (each fix trained afterwards), and a network diagram that answers a hover and takes a weight.
Every number is checked against the article's formulas restated here. Pages are reached from the Playground through
the sidebar, as a learner does (and so that every page runs inside the app's navigation)."""

import re

import numpy as np
from playwright.sync_api import expect

from tests.core.reference import ArticlesProgram, article_loop

from .harness import (
    choose,
    click,
    fill_number,
    key,
    navigate,
    numbers_in,
    open_app,
    screenshot,
    share_link,
    text_of,
    train,
    wait_idle,
    wait_sidebar_still,
    wait_stopped,
)

X = np.array([[0, 1, 0], [0, 1, 1], [0, 0, 0], [1, 0, 0], [1, 1, 1], [1, 0, 1]], dtype=float)
Y = np.array([[0], [0], [0], [1], [1], [1]], dtype=float)


def restated(w):
    """mean |error|, Xᵀ·delta and delta of the weights w on the article's data (its formulas, written out)."""
    y_hat = 1 / (1 + np.exp(-(X @ np.reshape(w, (-1, 1)))))
    delta = (Y - y_hat) * y_hat * (1 - y_hat)
    return float(np.mean(np.abs(Y - y_hat))), (X.T @ delta).ravel(), delta.ravel()


def weights(page) -> list[float]:
    return [float(v) for v in re.findall(r"= (-?\d+\.\d+)", text_of(page, "weights"))]


def select_points(page, chart: str) -> list[tuple[float, float]]:
    """Where on the page the clickable points of a chart are (the network diagram's line middles)."""
    graph = key(page, chart).locator(".js-plotly-plot")
    expect(graph.locator(".scatterlayer .trace").first).to_be_attached()
    box = graph.bounding_box()
    points = graph.evaluate("""g => { const t = g._fullData.find(d => d.meta && d.meta.select);
        const xa = g._fullLayout.xaxis, ya = g._fullLayout.yaxis;
        return t.x.map((x, i) => [xa.l2p(x) + xa._offset, ya.l2p(t.y[i]) + ya._offset]); }""")
    return [(box["x"] + x, box["y"] + y) for x, y in points]


def test_be_the_optimiser_then_race_backprop(page):
    open_app(page, page.base_url)
    navigate(page, "You are the optimiser")
    fill_number(page, "hand_w1", 1)
    fill_number(page, "hand_w2", -1)
    error, update, _ = restated([1, -1, 0.5])
    assert f"{error:.6f}" == "0.329232" and "0.329232" in text_of(page, "hand_error")
    assert numbers_in(text_of(page, "hand_gradient").split(":")[-1]) == [round(u, 6) for u in update]
    assert text_of(page, "hand_gradient").count("⬆") == 2 and text_of(page, "hand_gradient").count("⬇") == 1
    surface = key(page, "hand_surface_plot")
    expect(surface.locator(".contourlayer path").first).to_be_attached()  # the error surface is drawn
    expect(surface.locator(".annotation-arrow-g path, .annotation path").first).to_be_attached()  # backprop's step
    slider = key(page, "hand_w1_slider").locator('input[type="range"]')
    assert slider.input_value() == "1"  # the slider beside the box follows
    click(page, "race")
    _, history = article_loop(25_000)  # backprop from where the attempt started: the article's 0.5, 0.5, 0.5
    caught = int(np.flatnonzero(history <= error)[0])
    assert f"after {caught:,} epochs" in text_of(page, "race_result")
    expect(surface.locator(".scatterlayer path.js-line")).to_have_count(2)  # your moves and backprop's path
    screenshot(page, "optimiser-race")


def test_each_rows_share_and_guessing_before_seeing(page):
    open_app(page, page.base_url)
    navigate(page, "Backprop step")
    _, update, delta = restated([0.5, 0.5, 0.5])
    shares = X[:, 0] * delta
    found = numbers_in(text_of(page, "contributions"))
    for value in [*shares[3:], update[0]]:
        assert round(value, 6) in found
    assert [round(v, 6) for v in shares[3:]] == [0.088723, 0.027208, 0.052877]
    expect(key(page, "contributions_plot").locator(".barlayer .point")).to_have_count(18)  # 6 rows × 3 weights
    key(page, "predict_first").locator("label").click()
    wait_idle(page)
    assert "0.622459" not in text_of(page, "trace")
    fill_number(page, "guess", 0.4)
    click(page, "reveal")
    assert "You guessed 0.4. It is 0.500000: off by 0.100000." in text_of(page, "trace")
    assert "0.622459" not in text_of(page, "trace")  # ŷ waits for its own guess
    fill_number(page, "guess", 0.7)
    click(page, "reveal")
    assert "0.622459" in text_of(page, "trace")
    screenshot(page, "backprop-guess")


def test_the_code_line_by_line_matches_the_backprop_page(page):
    open_app(page, page.base_url)
    choose(page, "step_size", "10 ×")
    click(page, "step")
    navigate(page, "The code, line by line")
    for _ in range(40):  # to the line of the engine that makes delta
        if "delta = np.multiply(blame, slope" in text_of(page, "code_line"):
            break
        click(page, "code_step")
    w, _ = article_loop(10)
    _, _, delta = restated(w)
    shown = numbers_in(page.locator(".code-values table").filter(has_text="delta").inner_text())
    assert shown == [round(d, 6) for d in delta]
    assert "nn_core/network.py" in text_of(page, "code_line")
    assert page.locator(".code-line.now").inner_text().strip().endswith("# delta = error · σ′")
    box, view = page.locator(".code-line.now").bounding_box(), page.viewport_size
    assert 0 <= box["y"] < view["height"]  # the current line is brought into view
    screenshot(page, "code-delta")
    click(page, "code_to_stage")  # to the same numbers on the Backprop page, stage 6
    stage = key(page, "stage_6")
    expect(stage).to_contain_text("Delta")
    page.wait_for_function("bottom => { const y = document.querySelector('.st-key-stage_6').getBoundingClientRect().y;"
                           " return 0 <= y && y < bottom; }", arg=view["height"] * 0.6, timeout=10_000)
    box = stage.bounding_box()
    assert 0 <= box["y"] < view["height"] * 0.6  # brought into view
    assert all(round(d, 6) in numbers_in(stage.inner_text()) for d in delta)
    assert "Epoch 10 → 11" in page.locator('[data-testid="stMarkdown"]').filter(has_text="→").first.inner_text()


def test_a_one_click_fix_then_training_learns_xor(page):
    open_app(page, page.base_url)
    choose(page, "preset", "XOR of x1 and x2")
    expect(key(page, "diagnosis")).to_contain_text("No straight cut separates")
    click(page, "fix_hidden")
    expect(key(page, "diagnosis")).not_to_contain_text("No straight cut")
    train(page)
    loss = numbers_in(text_of(page, "loss_line"))[0]
    assert loss < 0.05
    screenshot(page, "diagnosis-xor-fixed")


def test_the_diagnosis_follows_training_and_the_rate_fix_restarts(page):
    open_app(page, page.base_url)
    fill_number(page, "learning_rate", 1000)
    train(page)  # the training column reruns on its own: the panel beside it must follow
    expect(key(page, "diagnosis")).to_contain_text("Stuck where the sigmoid is flat")
    click(page, "fix_rate")
    assert numbers_in(text_of(page, "epoch")) == [0]
    assert key(page, "learning_rate").locator("input").input_value() == "100"
    train(page)
    _, history = article_loop(25_001, rate=100.0)
    loss = numbers_in(text_of(page, "loss_line"))[0]
    assert loss == round(history[-1], 6)
    expect(key(page, "diagnosis")).not_to_contain_text("Stuck where")


def test_the_network_diagram_answers_a_hover_and_takes_a_weight(page, browser):
    open_app(page, page.base_url)
    key(page, "view_tab").get_by_text("Network", exact=True).click()
    wait_idle(page)
    _, update, _ = restated([0.5, 0.5, 0.5])
    first = select_points(page, "network_plot")[0]
    page.mouse.move(*first)
    hover = key(page, "network_plot").locator(".hoverlayer")
    expect(hover).to_contain_text("w₁: x₁ → ŷ")
    expect(hover).to_contain_text("weight 0.5000")
    expect(hover).to_contain_text(f"next update {update[0]:+.6f}")
    page.mouse.click(*first)
    wait_idle(page)
    editor = key(page, "network_edit")
    expect(editor).to_be_visible()
    box = editor.bounding_box()
    assert box["y"] + box["height"] <= page.viewport_size["height"]  # brought into view
    fill_number(page, "edge_weight", 3)
    click(page, "edge_set")
    assert weights(page) == [3.0, 0.5, 0.5]
    choose(page, "step_size", "100 ×")
    click(page, "step")
    expected, _ = article_loop(100, weights=[[3.0], [0.5], [0.5]])
    assert weights(page) == [round(v, 4) for v in expected.ravel()]
    link = share_link(page)  # it follows the run, also when a click reran only the training column
    other = browser.new_context(viewport={"width": 1400, "height": 1000})
    fresh = other.new_page()
    open_app(fresh, link, "")
    navigate(fresh, "Playground")
    assert weights(fresh) == [round(v, 4) for v in expected.ravel()]  # the link replays the typed weight
    other.close()
    screenshot(page, "network-weight-typed")


def test_each_rows_share_follows_live_play(page):
    open_app(page, page.base_url)
    key(page, "view_tab").get_by_text("Row shares", exact=True).click()
    wait_idle(page)
    graph = key(page, "shares_plot").locator(".js-plotly-plot")
    expect(graph.locator(".barlayer .point").first).to_be_attached()
    read = """g => ({epoch: Number(document.querySelector('.st-key-epoch .pg-text').textContent.replace(/\\D/g, '')),
                     totals: Array.from(g.data[g.data.length - 1].y)})"""
    key(page, "play").locator("button").click()
    # The bars of the frames playing come with the chart the server draws after the player's first frames (the
    # per-frame numbers of the chunk): from then on, every frame.
    graph.evaluate("g => new Promise(done => { const has = () => g.data.at(-1).meta?.epochs; "
                   "const look = () => has() ? done() : requestAnimationFrame(look); look(); })")
    last = 0
    reference = ArticlesProgram()  # carried along from frame to frame, not run again from epoch 0 each time
    for _ in range(10):  # frame after frame: each time the epoch on screen has moved on, read at once
        page.wait_for_function("last => +document.querySelector('.st-key-epoch .pg-text').textContent"
                               ".replace(/\\D/g, '') > last", arg=last)
        seen = graph.evaluate(read)
        w, _ = reference.run(seen["epoch"] - last)
        last = seen["epoch"]
        _, update, _ = restated(w)
        # The bars are the update of the epoch on screen, in every frame: drawn in the same screen refresh as the
        # numbers (a chart a refresh behind them showed another epoch in every frame on a busy machine).
        np.testing.assert_allclose(seen["totals"], update, rtol=0, atol=5e-9, err_msg=f"epoch {last}")
    key(page, "play").locator("button").click()
    wait_stopped(page)


SIZES = {"laptop": dict(viewport={"width": 1366, "height": 768}),
         "phone": dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2)}


def go(page, title: str) -> None:
    """Choose a page in the sidebar, on a phone too (where the sidebar is opened first and closed after)."""
    opener = page.locator('[data-testid="stExpandSidebarButton"]')
    if opener.count() and opener.first.is_visible():
        opener.first.click()
    navigate(page, title)
    closer = page.locator('[data-testid="stSidebarCollapseButton"] button')
    if page.viewport_size["width"] < 768 and closer.count() and closer.first.is_visible():
        closer.first.click()
        wait_sidebar_still(page)


def test_the_new_pages_in_both_languages_on_a_laptop_and_a_phone(browser, server):
    """Screenshots to look at (test-artifacts/learn-*), and what must hold on each: the pages are translated, their
    charts are drawn, and nothing is wider than a phone's screen."""
    for size, options in SIZES.items():
        context = browser.new_context(**options)
        page = context.new_page()
        page.set_default_timeout(60_000)
        for lang, titles in (("en", ("You are the optimiser", "The code, line by line", "Backprop step")),
                             ("zh", ("你来当优化器", "逐行看代码", "反向传播一步"))):
            open_app(page, server.url, f"/?lang={lang}")
            go(page, titles[0])
            expect(key(page, "hand_surface_plot").locator(".contourlayer path").first).to_be_attached()
            assert page.locator("h1").first.inner_text() == ("你来当优化器" if lang == "zh" else titles[0])
            screenshot(page, f"learn-{lang}-{size}-optimiser")
            for title, name in ((titles[1], "code"), (titles[2], "backprop")):
                go(page, title)
                screenshot(page, f"learn-{lang}-{size}-{name}")
                width = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollWidth")
                assert width <= options["viewport"]["width"]  # nothing sticks out sideways (the listing scrolls)
            if lang == "zh":
                assert "每一行在" in text_of(page, "contributions")
            key(page, "contributions").scroll_into_view_if_needed()
            expect(key(page, "contributions_plot").locator(".barlayer .point").first).to_be_attached()
            screenshot(page, f"learn-{lang}-{size}-contributions")
        context.close()
