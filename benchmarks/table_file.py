"""Issue 27: what reading a CSV file into the table costs, for the largest file the table takes and for the hostile
files of tests/load/attacks.py (each refused), side by side in one run.

    .venv/bin/python benchmarks/table_file.py

Prints a markdown table: the file's size, what read_table answered, the median time of 5 reads, the peak memory
Python allocated while reading (tracemalloc), and both as a ratio to the largest valid file's. Not a test: nothing
here asserts, and the times are as noisy as the machine.
"""

import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from nn_core import InputError, TrainingSet, read_table, table_csv
from tests.load.attacks import UPLOADS

rng = np.random.default_rng(27)
largest = TrainingSet(rng.uniform(-100, 100, (1000, 3)), rng.uniform(0, 1, (1000, 1)))  # every digit of every number
FILES = {"1,000 rows at full precision (taken)": table_csv(largest).encode(),
         **{name: content for name, (content, _) in UPLOADS.items()}}


def read(content: bytes) -> str:
    try:
        return f"{len(read_table(content).data.inputs):,} rows"
    except InputError as e:
        return f"refused: {e.kind}"


def measure(content: bytes) -> tuple[str, float, int]:
    answer = read(content)
    times = []
    for _ in range(5):
        start = time.perf_counter()
        read(content)
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    read(content)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return answer, statistics.median(times), peak


results = {name: measure(content) for name, content in FILES.items()}
_, base_time, base_peak = next(iter(results.values()))
print("| file | size | answer | read (median of 5) | × the valid file | peak memory | × the valid file |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for name, (answer, seconds, peak) in results.items():
    print(f"| {name} | {len(FILES[name]) / 1024:,.0f} KB | {answer} | {seconds * 1e3:.2f} ms | "
          f"{seconds / base_time:.2f} | {peak / 2**20:.2f} MB | {peak / base_peak:.2f} |")
