import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def app():
    """The whole app (entry point, navigation, sidebar) at its default page, run once."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def open_page(at: AppTest, path: str) -> AppTest:
    at.switch_page(path)
    at.run()
    assert not at.exception, at.exception
    return at


def text(at: AppTest) -> str:
    """All the text and markdown on the page, joined: what a person would read."""
    parts = [e.value for e in at.text] + [e.value for e in at.markdown] + [e.value for e in at.caption]
    parts += [str(m.value) for m in at.metric] + [e.value for e in at.info] + [e.value for e in at.error]
    parts += [e.value for e in at.warning]
    return "\n".join(parts)


def live_figures(at) -> dict:
    """The figures the page's live charts were sent, by the chart's key."""
    figures = {}
    stack = [at._tree]
    while stack:
        node = stack.pop()
        stack.extend(getattr(node, "children", {}).values())
        proto = getattr(node, "proto", None)
        if type(proto).__name__ == "BidiComponent" and proto.json:
            data = json.loads(proto.json)
            if "figure" in data:
                figures[proto.id.rsplit("-", 1)[1]] = json.loads(data["figure"])
    return figures
