"""Backprop, Predict and Sigmoid in a real browser, sharing the Playground's network."""

import io
import time

from PIL import Image

from .harness import ARTIFACTS, click, key, navigate, next_frames, numbers_in, open_app, screenshot, text_of, train


def wait_painted(page, name: str, timeout: float = 60) -> None:
    """Wait until the keyed chart's WebGL canvas shows a picture on screen. A WebGL canvas keeps no pixels a script
    could read back, so its screenshot is read: a canvas not drawn yet is one colour; the cube has many."""
    canvas = key(page, name).locator("canvas").first
    canvas.wait_for()
    deadline = time.monotonic() + timeout
    while True:
        colours = Image.open(io.BytesIO(canvas.screenshot())).getcolors(maxcolors=16)  # None: more than 16
        if colours is None:
            return
        assert time.monotonic() < deadline, f"{name}: nothing drawn on its canvas ({len(colours)} colours)"
        next_frames(page)


def test_backprop_trace_shows_the_articles_numbers(page):
    open_app(page, page.base_url, "/backprop")
    trace = text_of(page, "trace")
    for number in (0.622459, 0.168809, -0.262807, -0.06365, 0.668809, 0.237193, 0.43635):
        assert number in numbers_in(trace), number
    assert page.locator(".st-key-trace .katex").count() >= 8  # the formulas are typeset
    screenshot(page, "backprop")


def test_predict_after_training_shows_the_articles_answer(page):
    open_app(page, page.base_url)
    train(page)
    navigate(page, "Predict")
    (prediction,) = numbers_in(text_of(page, "prediction"))
    assert prediction == 0.99089925 and round(prediction, 4) == 0.9909  # the article's printed output
    page.locator(".js-plotly-plot").last.wait_for()
    screenshot(page, "predict")
    key(page, "cube_plot").scroll_into_view_if_needed()  # the 3-D view is drawn once it comes near the screen
    wait_painted(page, "cube_plot")
    page.screenshot(path=str(ARTIFACTS / "predict-cube.png"))
    navigate(page, "Backprop step")
    click(page, "next_epoch")
    assert "25,001" in page.locator('[data-testid="stMarkdown"]').filter(has_text="→").first.inner_text()


def test_sigmoid_page_draws_the_curve_with_the_samples(page):
    open_app(page, page.base_url, "/sigmoid")
    plot = page.locator(".js-plotly-plot").first
    plot.wait_for()
    assert plot.locator("path.js-line").count() >= 2
    assert plot.locator(".point").count() >= 6  # the six training rows
    assert key(page, "sigmoid_z").count() == 1
    screenshot(page, "sigmoid")
