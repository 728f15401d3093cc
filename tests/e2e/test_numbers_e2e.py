"""live.js writes a weight to the character as the server does (views/numbers.weight_text): a weight's text does not
change when the live player takes over from the server's first drawing."""

import re

from playground.live.assets import LIVE_JS, STATIC
from playground.views.numbers import weight_text

VALUES = [10.088344, -5.3979677, 0.3544, 0.0, -0.0, 1.3877787807814457e-16, -3.191891195797325e-16, 4e-5, -4.9e-5,
          5e-5, -0.00005, 0.00049999, 123456.78915, -1e-300, 5e-324, 0.5, -0.99995, 2.5e-4, 0.03125, -0.03125,
          0.0625, 1e21, -1.5e22, 2.0**-14, float('inf'), float('-inf'), float('nan')]


def functions_of_live_js(*names: str) -> str:
    source = (STATIC / LIVE_JS).read_text(encoding="utf-8")
    found = [re.search(rf"^function {name}\(.*?^}}$", source, re.S | re.M) for name in names]
    assert all(found), names
    return "\n".join(f.group(0) for f in found)


def test_live_js_writes_weights_as_the_server_does(browser):
    page = browser.new_page()
    try:
        written = page.evaluate(
            f"values => {{ {functions_of_live_js('format', 'formatWeight')}\n"
            "return [4, 3].map(d => values.map(v => formatWeight(v, d))); }", VALUES)
    finally:
        page.close()
    assert written == [[weight_text(v, 4) for v in VALUES], [weight_text(v, 3) for v in VALUES]]
