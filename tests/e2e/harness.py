"""Start `streamlit run app.py` on a free loopback port and drive it with headless Chromium (Playwright).

Used by the browser tests and by the benchmarks. Everything is found through the UI contract's keys
(CSS class st-key-<key>).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`streamlit run app.py` (or ``script``: serve.py) in its own process group on 127.0.0.1:<port>."""

    def __init__(self, port: int | None = None, extra_args: tuple[str, ...] = (), cwd: Path = ROOT,
                 env: dict | None = None, script: str = "app.py"):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        ARTIFACTS.mkdir(exist_ok=True)
        self.log = open(ARTIFACTS / f"streamlit-{self.port}.log", "w")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true", "--server.port",
             str(self.port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none", *extra_args],
            cwd=cwd, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, **env} if env else None)
        self.wait_healthy()

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}; see {self.log.name}")
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                if r.read().decode().strip() == "ok":
                    return
            time.sleep(0.2)  # the pace of polling /_stcore/health (a server's start has nothing to wait on in-page)
        raise RuntimeError("streamlit did not become healthy in time")

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


def chromium_path() -> str | None:
    """Debian's Chromium where it is installed; else None (Playwright then uses its own browser, if any)."""
    for name in ("/usr/bin/chromium", shutil.which("chromium") or "", shutil.which("chromium-browser") or ""):
        if name and Path(name).exists():
            return name
    return None


def launch(playwright):
    path = chromium_path()
    kwargs = {"executable_path": path} if path else {}
    return playwright.chromium.launch(headless=True, args=CHROMIUM_ARGS, **kwargs)


# -- waiting for Streamlit ---------------------------------------------------------------------------------
# Counts the script's runs as the page sees them start (whole-page and fragment runs alike), so that a test waits for
# the run its action caused, not for a fixed time.
COUNT_RUNS = """
if (!window.__countingRuns) {
  window.__countingRuns = true;
  window.__scriptRuns = 0;
  const seen = new WeakSet();
  // Each change to "running" counts, even when the run ended before this observer was called: a change's new value
  // is the old value of the next change to the same element, or, for its last change, the value it has now.
  new MutationObserver((changes) => {
    changes.forEach((change, i) => {
      // An element seen for the first time entered the page in the state its first change left. On a busy machine
      // the first run can begin before React first draws the app, which then enters already running.
      if (!seen.has(change.target)) {
        seen.add(change.target);
        if (change.oldValue === 'running') window.__scriptRuns += 1;
      }
      const next = changes.slice(i + 1).find((later) => later.target === change.target);
      const value = next ? next.oldValue : change.target.getAttribute('data-test-script-state');
      if (value === 'running') window.__scriptRuns += 1;
    });
  }).observe(document, {attributes: true, subtree: true, attributeFilter: ['data-test-script-state'],
                        attributeOldValue: true});
}
"""


def runs(page) -> int:
    """How many runs of the script this page has seen start."""
    return page.evaluate("() => window.__scriptRuns || 0")


def wait_idle(page, settle: float = 0.15, timeout: float = 60_000, since: int | None = None) -> None:
    """Wait until the script has finished running and no widget is still a loading skeleton. ``since``: the run count
    before the action (``runs``): first wait for the run it caused to start (up to 2 s: an action may cause none);
    without it, give a run up to ``settle`` seconds to start."""
    if since is None:
        page.wait_for_timeout(settle * 1000)
    else:
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function("n => (window.__scriptRuns || 0) > n", arg=since, timeout=2000)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=timeout)


def open_section(page, name: str) -> None:
    """Open the keyed expander ``name`` as a click does, and wait for the run that draws what is in it (sections
    such as the table's CSV file draw their contents only while open)."""
    since = runs(page)
    key(page, name).locator("summary").first.click()
    wait_idle(page, since=since)


def upload(page, name: str, path, reaches_app: bool = True) -> None:
    """Give the file uploader ``name`` the file at ``path``, as a drop does, and wait for the run it causes. The
    browser sends the file first and asks for the run after, which on a loaded machine took longer than a second: the
    run is waited for by the run counter. ``reaches_app=False``: a file the browser itself refuses (over
    the size limit), which causes no run."""
    before = runs(page)
    key(page, name).locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    if reaches_app:
        # (a run so short that the page never showed it running is not seen: after 15 s, the page is read as it is)
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function("n => (window.__scriptRuns || 0) > n", arg=before, timeout=15_000)
    wait_idle(page, settle=1.0)


def open_app(page, url: str, path: str = "/") -> None:
    page.add_init_script(COUNT_RUNS)
    page.goto(url + path)
    wait_opened(page)


def reload_app(page) -> None:
    """Reload the page as a person presses F5, and wait as ``open_app`` does (the init script stays)."""
    page.reload()
    wait_opened(page)


def wait_opened(page) -> None:
    """A page just opened: its first run finished and the read-outs drawn by static/live.js on screen."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=60_000)
    # Its first run begun, however busy the machine, then ended: a fixed wait let a slow first run look finished before
    # it had begun. Begun: seen to start (COUNT_RUNS), or the app's state no longer the one it has before any run
    # ("initial"; a short run whose messages came together goes from there to "notRunning" in one drawing).
    page.wait_for_function("() => (window.__scriptRuns || 0) > 0 || document.querySelector('[data-testid=\"stApp\"]')"
                           "?.getAttribute('data-test-script-state') !== 'initial'", timeout=60_000)
    wait_idle(page)
    # The page's style sheet, the live read-outs and the share link are drawn by static/live.js once it has loaded,
    # each element on its own: the sidebar's link could be drawn while the page's style (presenter mode's large type)
    # was not yet. The style is waited for by name, the others by their hosts (the read-outs' inner boxes, such as
    # st-key-epoch, do not exist until they are drawn).
    page.wait_for_function("() => document.getElementById('pg-style')?.textContent && "
                           "[...document.querySelectorAll('.st-key-readouts, .st-key-share_link')]"
                           ".every(box => box.querySelector('.pg-text, .pg-link'))", timeout=60_000)


def rss_mb(pid: int) -> float:
    """A process's resident memory in MB (NaN once it has none to report)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def wait_text(page, name: str, text: str, timeout: float) -> None:
    """Wait until the keyed box shows ``text`` (its no-break spaces read as spaces, as a person reads them)."""
    page.wait_for_function("([name, text]) => document.querySelector('.st-key-' + name)?.innerText"
                           ".replaceAll('\\u00a0', ' ').includes(text)", arg=[name, text], timeout=timeout)


def open_any_app(page, url: str, path: str = "/") -> None:
    """open_app for the benchmarks, which also serve older commits: the page idle and its epoch on screen, without
    waiting for this tree's live.js elements (an older commit has none)."""
    page.goto(url + path)
    page.wait_for_selector('[data-testid="stApp"]', timeout=60_000)
    wait_idle(page, settle=0.5)
    page.wait_for_function("() => /\\d/.test(document.querySelector('.st-key-epoch')?.innerText || '')",
                           timeout=60_000)


def key(page, name: str):
    return page.locator(f".st-key-{name}")


def click(page, name: str) -> None:
    since = runs(page)
    # The visible button: a button with help on a touch screen also has a zero-size copy of itself first.
    key(page, name).locator("button:visible").first.click()
    wait_idle(page, since=since)


def wait_stopped(page, timeout: float = 60_000) -> None:
    """Wait until live training (Play, or Train to a target) has ended and the page shows the server's state."""
    page.wait_for_function("() => document.querySelector('.pg-player')?.dataset.mode === 'idle'"
                           " && !window.__playground?.live", timeout=timeout)
    wait_idle(page, settle=0.3)


# The sidebar has finished sliding (a CSS transition) and every chart has followed its column's new width.
SIDEBAR_STILL = """() => {
  const sidebar = document.querySelector('[data-testid="stSidebar"]');
  if (sidebar && sidebar.getAnimations({subtree: true}).some((a) => a.playState === 'running')) return false;
  return [...document.querySelectorAll('.live-plot.js-plotly-plot')].every((graph) => {
    const width = graph.getBoundingClientRect().width;
    return !width || !graph._fullLayout || Math.abs(graph._fullLayout.width - width) < 1;
  });
}"""


def wait_sidebar_still(page, timeout: float = 10_000) -> None:
    """Wait until the sidebar has finished opening or closing and the charts have taken the width it left them."""
    page.wait_for_function(SIDEBAR_STILL, timeout=timeout)


def train(page, timeout: float = 60_000) -> None:
    click(page, "train")
    wait_stopped(page, timeout)


def text_of(page, name: str) -> str:
    """The keyed box's text as a person reads it (no-break spaces as spaces)."""
    return key(page, name).inner_text().replace("\u00a0", " ")


def choose(page, name: str, option: str) -> None:
    """Pick an option of the selectbox with key ``name`` (a react-aria combobox in Streamlit 1.67). A widget that
    mounts meanwhile (the data grid, after a new dataset) can take the focus and close the list: open it again."""
    since = runs(page)
    wanted = page.get_by_role("option", name=option, exact=True)
    for _ in range(3):
        key(page, name).locator('[role="combobox"]').first.click()
        with contextlib.suppress(PlaywrightTimeout):
            wanted.wait_for(timeout=5_000)
            break
    wanted.click()
    wait_idle(page, since=since)


def fill_number(page, name: str, value) -> None:
    """Type ``value`` into the number box ``name`` and press Enter, and wait for the run that causes (by the run
    counter, as ``click`` does: under load that run began after a fixed settling time, and the test's next click
    raced it)."""
    box = key(page, name).locator("input").first
    since = runs(page)
    box.fill(str(value))
    box.press("Enter")
    wait_idle(page, since=since)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def open_editor(page, name: str = "training_data") -> None:
    """The training table shows as text until the learner asks to edit it: open its editor (once)."""
    if name == "training_data" and not key(page, name).count() and key(page, "edit_table").count():
        click(page, "edit_table")
        key(page, name).first.wait_for()


def grid_cells(page, name: str = "training_data") -> list[list[str]]:
    """The data editor's cells as text, row by row (from the grid's accessible mirror table)."""
    open_editor(page, name)
    grid = key(page, name)
    page.wait_for_function(
        f"() => document.querySelectorAll('.st-key-{name} [role=\"gridcell\"]').length > 0", timeout=30_000)
    rows = []
    for row in grid.locator('[role="row"]').all():
        cells = row.locator('[role="gridcell"]').all()
        if cells:
            rows.append([c.inner_text().strip() for c in cells])
    return rows


def next_frames(page, count: int = 2) -> None:
    """Wait until the page has drawn ``count`` more frames (what it does on its next frame is done)."""
    page.evaluate("n => new Promise(done => { const on = () => --n ? requestAnimationFrame(on) : done(); "
                  "requestAnimationFrame(on); })", count)


def select_cell(page, row: int, col: int, name: str = "training_data", n_cols: int = 4, row_height: float = 35.0,
                marker_width: float = 33.0) -> None:
    """Select the data editor's cell at (0-based data row, 0-based data column) as a mouse does: the grid draws on a
    canvas, so the cell is pointed at by its place (a header and rows of 35 px, a row-marker column, then equal
    columns) and checked through the accessible mirror (the selected cell's id is glide-cell-<col>-<row>, the marker
    column being col 0). The grid ignores a click that arrives without a pointer move first, as a real mouse always
    makes: the click waits until the grid has handled the move (it does on its next frame)."""
    open_editor(page, name)
    box = key(page, name).locator("canvas").first.bounding_box()
    width = (box["width"] - marker_width) / n_cols
    page.mouse.move(box["x"] + marker_width + (col + 0.5) * width, box["y"] + row_height * (row + 1.5))
    next_frames(page)
    page.mouse.down()
    page.mouse.up()
    page.wait_for_selector(f'#glide-cell-{col + 1}-{row}[aria-selected="true"]', state="attached", timeout=10_000)


def edit_cell(page, row: int, col: int, value: str, name: str = "training_data", n_cols: int = 4,
              row_height: float = 35.0, marker_width: float = 33.0) -> None:
    """Type ``value`` into the data editor's cell at (0-based data row, 0-based data column), selected as a mouse
    does (select_cell)."""
    select_cell(page, row, col, name, n_cols, row_height, marker_width)
    page.keyboard.press("Enter")  # open the cell's editor
    editor = page.locator("#portal textarea, #portal input").first
    editor.wait_for(timeout=10_000)
    editor.fill(value)
    page.keyboard.press("Enter")
    wait_idle(page, settle=0.5)


def watch_console(page) -> list[str]:
    """Every console error and uncaught page error of ``page``, as they happen. A page opened at a sub-path probes
    <path>/_stcore/host-config first and logs a harmless 404 for it ("Failed to load resource"): not counted."""
    problems: list[str] = []

    def on_console(message):
        if message.type == "error" and "Failed to load resource" not in message.text:
            problems.append(f"console: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    return problems


def numbers_in(text: str) -> list[float]:
    return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", text.replace(",", ""))]


def navigate(page, title: str) -> None:
    """Go to another page through the sidebar, keeping this browser session (and its network)."""
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title).click()
    wait_idle(page, settle=0.5)


def share_link(page) -> str:
    """The sidebar's share link, as the Copy button copies it."""
    return key(page, "share_link").locator("code").inner_text().strip()


# Each drawing of a chart from now on, as plotly.js finished it: the largest epoch of its lines and its x-axis's range.
RECORD_DRAWS = """(name) => {
  const graph = document.querySelector(`.st-key-${name} .js-plotly-plot`);
  window.__draws = [];
  graph.on('plotly_afterplot', () => {
    const ends = graph.data.filter((t) => t.x && t.x.length).map((t) => t.x[t.x.length - 1]);
    window.__draws.push({last: Math.max(...ends), range: [...graph._fullLayout.xaxis.range]});
  });
}"""


def record_draws(page, name: str) -> None:
    """Record every drawing of the chart in the keyed box ``name`` (read them with ``draws``)."""
    page.evaluate(RECORD_DRAWS, name)


def draws(page) -> list[dict]:
    return page.evaluate("() => window.__draws")
