"""The files of static/ that the pages load: plotly.js of the version the plotly package writes figures for, and a
live.js that answers every role the Python side gives it."""

import re

import plotly.offline
import pytest

from playground.live.assets import BUNDLES, LIVE_JS, STATIC


@pytest.mark.parametrize("bundle", sorted(BUNDLES))
def test_each_plotly_bundle_is_the_version_the_plotly_package_writes_figures_for(bundle):
    head = (STATIC / BUNDLES[bundle]).read_text(encoding="utf-8")[:300]
    banner = re.search(r"plotly\.js \((\w+) - minified\) v(\d+\.\d+\.\d+)", head)
    assert banner, head
    assert banner.group(1) == bundle
    assert banner.group(2) == plotly.offline.get_plotlyjs_version()


def test_live_js_draws_every_role_the_python_side_asks_for():
    asked = set(re.findall(r'"role": "(\w+)"', (STATIC.parent / "playground/live/component.py").read_text("utf-8")))
    drawn = set(re.findall(r'if \(role === "(\w+)"\) return \w+\(args\)', (STATIC / LIVE_JS).read_text("utf-8")))
    assert len(asked) >= 7 and asked <= drawn, asked - drawn
