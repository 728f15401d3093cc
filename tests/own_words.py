"""What a file shares with the article the project brings to life (../shared/seed/): the longest run of text both
hold, whitespace removed, and how many Chinese characters that run has. The project may take the article's facts
(the algorithm, the training matrix, its published numbers) but none of its code or sentences.

    .venv/bin/python -m tests.own_words [PATH]    # the longest shared run of every tracked file (of the tree at PATH)

tests/test_own_words.py holds every tracked text file to the limits below.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seed"
MAX_RUN = 50  # characters, whitespace removed
MAX_CHINESE = 12  # Chinese characters in one shared run
# The facts every copy of the article's network must hold: the training matrix and its targets, as the article and
# this project both write them (whitespace removed). They are cut out of the article before comparing.
TRAINING_MATRIX = ("[[0,1,0],[0,1,1],[0,0,0],[1,0,0],[1,1,1],[1,0,1]]", "[[0],[0],[0],[1],[1],[1]]")
_SPACE = re.compile(r"\s+")
_CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def normal(text: str) -> str:
    return _SPACE.sub("", text)


class SharedText:
    """Every substring of the article, as a suffix automaton: finds the longest run of any text that the article
    also holds, in one pass over that text."""

    def __init__(self, text: str):
        self.next: list[dict[str, int]] = [{}]
        self.link, self.length = [-1], [0]
        last = 0
        for ch in text:
            cur = len(self.length)
            self.next.append({})
            self.length.append(self.length[last] + 1)
            self.link.append(0)
            p = last
            while p != -1 and ch not in self.next[p]:
                self.next[p][ch] = cur
                p = self.link[p]
            if p != -1:
                q = self.next[p][ch]
                if self.length[p] + 1 == self.length[q]:
                    self.link[cur] = q
                else:
                    clone = len(self.length)
                    self.next.append(dict(self.next[q]))
                    self.length.append(self.length[p] + 1)
                    self.link.append(self.link[q])
                    while p != -1 and self.next[p].get(ch) == q:
                        self.next[p][ch] = clone
                        p = self.link[p]
                    self.link[q] = self.link[cur] = clone
            last = cur

    def longest_runs(self, text: str) -> tuple[str, str]:
        """(the longest run of ``text`` the article also holds, the shared run with the most Chinese characters)."""
        state = length = 0
        best = best_chinese = (0, 0, 0)  # (length or Chinese characters, end, length)
        chinese = [0]
        for ch in text:
            chinese.append(chinese[-1] + bool(_CHINESE.match(ch)))
        for end, ch in enumerate(text, start=1):
            while state and ch not in self.next[state]:
                state = self.link[state]
                length = self.length[state]
            if ch in self.next[state]:
                state, length = self.next[state][ch], length + 1
            best = max(best, (length, end, length))
            best_chinese = max(best_chinese, (chinese[end] - chinese[end - length], end, length))
        run = lambda found: text[found[1] - found[2] : found[1]]
        return run(best), run(best_chinese)


def article() -> SharedText | None:
    """The article's text (all of seed/), with the training matrix cut out, or None where the seed is absent."""
    files = sorted(SEED.glob("*.txt")) if SEED.is_dir() else []
    if not files:
        return None
    text = normal("".join(f.read_text(encoding="utf-8") for f in files).replace("**", ""))
    for fact in TRAINING_MATRIX:
        text = text.replace(fact, "\0")  # a character no file has: no run crosses the cut
    return SharedText(text)


@dataclass(frozen=True)
class Finding:
    path: str
    longest: str
    most_chinese: str

    @property
    def chinese(self) -> int:
        return len(_CHINESE.findall(self.most_chinese))

    @property
    def too_much(self) -> bool:
        return len(self.longest) > MAX_RUN or self.chinese > MAX_CHINESE


def tracked_text_files(root: Path = ROOT) -> list[Path]:
    names = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True).stdout
    files = []
    for name in names.decode().split("\0"):
        path = root / name
        if name and path.is_file() and b"\0" not in path.read_bytes()[:8192]:
            files.append(path)
    return files


def findings(shared: SharedText, root: Path = ROOT) -> list[Finding]:
    out = []
    for path in tracked_text_files(root):
        text = normal(path.read_text(encoding="utf-8", errors="replace"))
        out.append(Finding(str(path.relative_to(root)), *shared.longest_runs(text)))
    return out


if __name__ == "__main__":
    tree = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT
    shared = article()
    if shared is None:
        sys.exit(f"no article at {SEED}")
    for f in sorted(findings(shared, tree), key=lambda f: (-len(f.longest), f.path)):
        if len(f.longest) >= 20 or f.chinese >= 6:
            print(f"{len(f.longest):4d} chars, {f.chinese:3d} Chinese  {f.path}: {f.longest[:70]!r}")
