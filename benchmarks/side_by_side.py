"""This tree and another checkout, each served by its own `streamlit run`, for the browser timelines
(step_timeline.py, step_cpu.py, first_load_timeline.py): their shared --against and --script options."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.harness import Server

THIS_TREE = Path(__file__).resolve().parents[1]


def add_tree_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--against", metavar="PATH", help="also serve this checkout, side by side")
    parser.add_argument("--script", default="app.py", help="what `streamlit run` runs: app.py or serve.py")


@contextlib.contextmanager
def served_trees(args: argparse.Namespace) -> Iterator[dict[str, Server]]:
    """{name: its server}: this tree, and --against's if given; each runs --script where the tree has it (a tree
    without serve.py: app.py). Stopped on the way out."""
    trees = {"this tree": THIS_TREE}
    if args.against:
        trees[args.against] = Path(args.against)
    servers = {}
    try:
        for name, tree in trees.items():
            servers[name] = Server(cwd=tree, script=args.script if (tree / args.script).exists() else "app.py")
        yield servers
    finally:
        for server in servers.values():
            server.stop()
