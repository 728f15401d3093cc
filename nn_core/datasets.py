"""Training data: the article's matrix, a few classic presets, and validation of typed-in rows."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from itertools import product

import numpy as np

from .errors import InputError

MAX_ROWS = 1000
FEATURE_LIMIT = 100.0  # |x| beyond this only makes the sigmoid saturate at once; it is almost always a typo
MAX_CELL_CHARS = 40  # a number never needs more; a longer cell is refused before anything reads it
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+")  # 0,5: a decimal point written the way much of the world writes it


def _cube(rule) -> tuple[list[list[int]], list[list[int]]]:
    rows = [list(bits) for bits in product((0, 1), repeat=3)]
    return rows, [[int(rule(*r))] for r in rows]


@dataclass(frozen=True)
class Preset:
    name: str
    inputs: list[list[int]]
    outputs: list[list[int]]
    rule: str  # the rule in words, e.g. "y = x1"

    def rows(self) -> tuple[tuple[float, ...], ...]:
        """Each row as features then target, the way a learner types them (and a Scenario stores them)."""
        return tuple(tuple(float(v) for v in x + y) for x, y in zip(self.inputs, self.outputs))


PRESETS: dict[str, Preset] = {
    "article": Preset(
        "article",
        [[0, 1, 0], [0, 1, 1], [0, 0, 0], [1, 0, 0], [1, 1, 1], [1, 0, 1]],
        [[0], [0], [0], [1], [1], [1]],
        "y = x1",
    ),
    "and": Preset("and", *_cube(lambda a, b, c: a and b and c), "y = x1 AND x2 AND x3"),
    "or": Preset("or", *_cube(lambda a, b, c: a or b or c), "y = x1 OR x2 OR x3"),
    "xor": Preset("xor", *_cube(lambda a, b, c: a ^ b), "y = x1 XOR x2 (x3 is noise)"),
    "majority": Preset("majority", *_cube(lambda a, b, c: a + b + c >= 2), "y = 1 when two or more are 1"),
    "parity": Preset("parity", *_cube(lambda a, b, c: a ^ b ^ c), "y = x1 XOR x2 XOR x3"),
}


def read_cell(value, row: int, column: str) -> float:
    """One cell as a float, or an InputError naming the cell (``row`` as the learner counts the rows it came from)."""
    where = f"row {row}, column {column}"
    if isinstance(value, (bool, np.bool_)):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise InputError(f"{where} is empty", "cell_empty", row=row, column=column)
        if text[0] in "=@":  # a spreadsheet formula, however long: never worked out here, only its value can be used
            raise InputError(f"{where} is a formula, not a number", "cell_formula", row=row, column=column)
        if len(text) > MAX_CELL_CHARS:
            raise InputError(f"{where} is longer than {MAX_CELL_CHARS} characters", "cell_long", row=row,
                             column=column, limit=MAX_CELL_CHARS)
        try:
            value = float(text)
        except ValueError:  # the text is not echoed: it may come from a stranger's link or file
            raise _not_a_number(text, where, row, column) from None
    elif value is None:
        raise InputError(f"{where} is empty", "cell_empty", row=row, column=column)
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise InputError(f"{where} is not a number", "cell_text", row=row, column=column) from None
    if math.isnan(number):
        raise InputError(f"{where} is not a number (NaN)", "cell_text", row=row, column=column)
    if math.isinf(number):
        raise InputError(f"{where}: infinity is not allowed", "cell_infinite", row=row, column=column)
    return number


def _not_a_number(text: str, where: str, row: int, column: str) -> InputError:
    """Why a cell's text is not a number, a decimal comma (the usual way a spreadsheet's number is not one here)
    said apart."""
    if _DECIMAL_COMMA.fullmatch(text):
        return InputError(f"{where} has a decimal comma; write a decimal point (0.5, not 0,5)", "cell_comma",
                          row=row, column=column)
    return InputError(f"{where} is not a number", "cell_text", row=row, column=column)


@dataclass(frozen=True, eq=False)
class TrainingSet:
    """Validated training data: ``inputs`` is rows × features, ``outputs`` is rows × targets, all finite floats.

    Build it with ``TrainingSet(inputs, outputs)`` from arrays, or ``TrainingSet.from_rows(rows)`` from what a
    learner typed (each row the features followed by the target). Anything unusable raises InputError naming
    the row and column (counted from 1, as the learner sees them).
    """

    inputs: np.ndarray
    outputs: np.ndarray

    def __init__(self, inputs, outputs):
        x = _matrix(inputs, "inputs")
        y = _matrix(outputs, "outputs")
        if y.ndim == 2 and x.shape[0] != y.shape[0]:
            raise InputError(f"inputs have {x.shape[0]} rows but outputs have {y.shape[0]}")
        check_ranges(x, y, feature_names=[f"x{j + 1}" for j in range(x.shape[1])])
        x.setflags(write=False)
        y.setflags(write=False)
        object.__setattr__(self, "inputs", x)
        object.__setattr__(self, "outputs", y)

    @classmethod
    def from_rows(cls, rows, n_features: int = 3, columns: list[str] | None = None) -> TrainingSet:
        """Rows of ``n_features`` features then one target, as typed; cells may be numbers or numeric text."""
        columns = columns or [f"x{j + 1}" for j in range(n_features)] + ["y"]
        try:
            rows = list(rows)
        except TypeError:
            raise InputError("the training data must be a list of rows") from None
        _check_row_count(len(rows))
        for i, row in enumerate(rows, start=1):
            if isinstance(row, (str, bytes)) or not hasattr(row, "__len__"):
                raise InputError(f"row {i} is not a list of {n_features + 1} numbers")
            if len(row) != n_features + 1:
                raise InputError(f"row {i} has {len(row)} values; it needs {n_features + 1} ({', '.join(columns)})")
        cells, problems = _read_rows(rows, columns)
        if problems:
            raise problems[0]
        data = np.array(cells, dtype=float)
        return cls(data[:, :n_features], data[:, n_features:])

    def rows(self) -> tuple[tuple[float, ...], ...]:
        """Features then target, row by row, the way a learner types them: the inverse of ``from_rows``."""
        return tuple(map(tuple, np.hstack([self.inputs, self.outputs]).tolist()))

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, TrainingSet)
            and np.array_equal(self.inputs, other.inputs)
            and np.array_equal(self.outputs, other.outputs)
        )


def _check_row_count(n: int) -> None:
    if n == 0:
        raise InputError("the training data is empty: add at least one row", "rows_none")
    if n > MAX_ROWS:
        raise InputError(f"the training data has {n:,} rows; the limit is {MAX_ROWS:,}", "rows_too_many",
                         rows=f"{n:,}", limit=f"{MAX_ROWS:,}")


def _matrix(values, name: str) -> np.ndarray:
    try:
        # + 0.0: no negative zeros. -0 is 0 to a learner, and a link writes it as 0: the table is the same everywhere.
        a = np.array(values, dtype=float) + 0.0
    except (TypeError, ValueError, OverflowError):
        raise InputError(f"{name} must be a table of numbers") from None
    if a.ndim == 1:
        a = a.reshape(-1, 1) if name == "outputs" else a.reshape(1, -1)
    if a.ndim != 2 or a.shape[1] == 0:
        raise InputError(f"{name} must be a table with at least one column (got shape {a.shape})")
    _check_row_count(a.shape[0])
    if a.shape[1] > 64:
        raise InputError(f"{name} has {a.shape[1]} columns; the limit is 64")
    return a


def check_ranges(x: np.ndarray, y: np.ndarray, feature_names: list[str], row_numbers=None) -> None:
    """Every feature within ±FEATURE_LIMIT and every target from 0 to 1, or an InputError naming the first cell that is
    not (its row as ``row_numbers`` gives it: a file's own row numbers; by default counted from 1)."""
    for name, a, lo, hi, cols in (
        ("feature", x, -FEATURE_LIMIT, FEATURE_LIMIT, feature_names),
        ("target", y, 0.0, 1.0, ["y"] if y.shape[1] == 1 else [f"y{j + 1}" for j in range(y.shape[1])]),
    ):
        bad = ~np.isfinite(a) | (a < lo) | (a > hi)
        if bad.any():
            i, j = np.argwhere(bad)[0]
            raise _out_of_range(a[i, j], int(i + 1 if row_numbers is None else row_numbers[i]), cols[j], name, lo, hi)


def _out_of_range(value: float, row: int, column: str, name: str, lo: float, hi: float) -> InputError:
    what = "not a number" if np.isnan(value) else ("infinite" if np.isinf(value) else f"{value:g}")
    return InputError(f"row {row}, column {column}: {what} is outside the allowed {name} range {lo:g} to {hi:g}",
                      f"cell_{name}_range", row=row, column=column, lo=f"{lo:g}", hi=f"{hi:g}")


def table_problems(rows, columns=("x1", "x2", "x3", "y")) -> list[InputError]:
    """Everything in typed rows (features, then one target) that ``TrainingSet.from_rows`` would refuse, in reading
    order, one problem per cell (a row with no cell filled in at all is one problem: it is empty): a learner
    editing the table sees every cell to fix at once, not one after another."""
    return _read_rows(rows, list(columns))[1]


def _read_rows(rows, columns: list[str]) -> tuple[list[list[float]], list[InputError]]:
    """Every row's cells as numbers, and every problem found on the way (see ``table_problems``)."""
    cells, problems = [], []
    for i, row in enumerate(rows, start=1):
        if all(v is None or isinstance(v, str) and not v.strip() for v in row):
            problems.append(InputError(f"row {i} is empty", "row_empty", row=i))
            continue
        numbers = []
        for j, value in enumerate(row):
            name, lo, hi = ("target", 0.0, 1.0) if j == len(row) - 1 else ("feature", -FEATURE_LIMIT, FEATURE_LIMIT)
            try:
                numbers.append(read_cell(value, i, columns[j]))
            except InputError as e:
                problems.append(e)
                continue
            if not lo <= numbers[-1] <= hi:
                problems.append(_out_of_range(numbers[-1], i, columns[j], name, lo, hi))
        cells.append(numbers)
    return cells, problems
