"""The Docker image gets everything the app needs (no Docker engine here to build it, so this checks the
Dockerfile's COPY lines instead: the app runs from a folder holding only what they copy)."""

import re
import shutil
from pathlib import Path

from streamlit.testing.v1 import AppTest
from streamlit.web.server.app_discovery import discover_asgi_app

from playground.live.assets import BUNDLES

ROOT = Path(__file__).resolve().parents[2]


def copied_paths() -> list[str]:
    lines = (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines()
    return [m.group(1) for line in lines if (m := re.match(r"COPY\s+(\S+)\s+\S+$", line))]


def test_the_app_runs_from_what_the_dockerfile_copies(tmp_path):
    for name in copied_paths():
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    for bundle in BUNDLES.values():  # the charts' plotly.js bundles
        assert (tmp_path / "static" / bundle).is_file()
    assert "enableStaticServing = true" in (tmp_path / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    app = AppTest.from_file(str(tmp_path / "app.py"), default_timeout=60).run()
    assert not app.exception
    assert app.button(key="step")  # the Playground drew
    # The image runs `streamlit run serve.py`: Streamlit finds its st.App and serves app.py through it
    found = discover_asgi_app(tmp_path / "serve.py")
    assert found.is_asgi_app and found.app_name == "app"
    assert "serve.py" in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines()[-1]
