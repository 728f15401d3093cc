"""This tree and other commits or checkouts, each served by its own `streamlit run` the same way (its own directory,
the same Python, the same flags), for the browser benchmarks (bench_browser.py, step_timeline.py, step_cpu.py,
first_load_timeline.py): their shared --against and --script options."""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.harness import Server

THIS_TREE = Path(__file__).resolve().parents[1]


def add_tree_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--against", metavar="REV", action="append", default=[],
                        help="also serve this commit (or checkout), side by side (may be given more than once)")
    parser.add_argument("--script", default="app.py", help="what `streamlit run` runs: app.py or serve.py")


@contextlib.contextmanager
def served_trees(args: argparse.Namespace) -> Iterator[dict[str, Server]]:
    """{name: its server}: this tree, and each --against (a directory as it is, a commit checked out in a temporary
    git worktree); each runs --script where the tree has it (a tree without serve.py: app.py). All stopped, and the
    worktrees removed, on the way out."""
    with contextlib.ExitStack() as stack:
        trees = {"this tree": THIS_TREE}
        for label in args.against:
            trees[label] = Path(label) if Path(label).is_dir() else stack.enter_context(worktree(label))
        servers = {}
        for name, tree in trees.items():
            servers[name] = Server(cwd=tree, script=args.script if (tree / args.script).exists() else "app.py")
            stack.callback(servers[name].stop)
        yield servers


@contextlib.contextmanager
def worktree(rev: str) -> Iterator[Path]:
    """``rev`` checked out in a temporary git worktree (removed afterwards)."""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        path = Path(tmp) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", str(path), rev], cwd=THIS_TREE, check=True,
                       capture_output=True)
        try:
            yield path
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(path)], cwd=THIS_TREE, check=False,
                           capture_output=True)
