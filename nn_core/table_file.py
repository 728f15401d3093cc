"""The training table as a CSV file: read the one a learner brings (saved from a spreadsheet, given by a course, made
by a script), and write the table so that reading it back gives the same numbers, bit for bit.

A file the table can take has a header row naming the columns x1, x2, x3 and y in any order (upper or lower case;
columns with other names, such as a row number, are left out), or no header at all: then it has four columns, read
as x1, x2, x3, y. The page's languages name the columns alike, so there is no other header to understand. Cells are
separated by commas, semicolons or tabs (whichever the first row uses most), may be quoted, and hold numbers with a
decimal point. A decimal comma (0,5) is refused, never read as 5: with that reason in a file of semicolons or tabs
or in a quoted cell; unquoted in a file of commas it makes a cell too many, and the row is refused for that.

Reading treats the file as hostile: its size, its lines and its cells are bounded before anything is built from
them, a formula is refused (never run), and a refusal names the row (as a spreadsheet numbers the file's rows, the
header being row 1) and the column, never the file's own text. Only numpy and the standard library are used.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import numpy as np

from .datasets import MAX_ROWS, TrainingSet, check_ranges, read_cell
from .errors import InputError

COLUMNS = ("x1", "x2", "x3", "y")
MAX_FILE_BYTES = 1024 * 1024  # the page's upload limit (server.maxUploadSize); 1,000 rows at full precision: 75 KB
MAX_LINES = 4 * MAX_ROWS  # blank lines included: more is no table this app can take, whatever the rest says
MAX_LINE_CHARS = 2000  # four numbers and a few columns left out fit many times over
MAX_COLUMNS = 64
SEPARATORS = ("\t", ";", ",")  # the first row's most frequent one; a tie goes to the earlier one here
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_WORKBOOKS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # xlsx/ods (a zip) and the old binary xls
_UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")
_UTF8_MARK = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class TableFile:
    """A file read as the training table: the table, whether the file had a header row (without one, its four
    columns were read as x1, x2, x3, y), and how many of its columns the table has no use for (left out)."""

    data: TrainingSet
    header: bool
    left_out: int = 0


def read_table(content: bytes | str) -> TableFile:
    """The training table in ``content`` (a CSV file's bytes, or text pasted from a spreadsheet), or an InputError
    saying why not, naming the row and column where there is one."""
    text = _text(content.encode() if isinstance(content, str) else content)
    breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    if breaks > MAX_LINES:
        raise InputError(f"the file has more than {MAX_LINES:,} lines; the table takes at most {MAX_ROWS:,} rows",
                         "table_lines", most=f"{MAX_LINES:,}", limit=f"{MAX_ROWS:,}")
    rows = [(number, cells) for number, cells in _records(text) if cells]
    if not rows:
        raise InputError("the file has no rows of numbers", "table_empty")
    first = rows[0][1]
    header = not any(_is_number(cell) for cell in first)
    places = _columns(first) if header else dict(zip(COLUMNS, range(4)))
    width = len(first) if header else 4
    body = rows[1:] if header else rows
    if not body:
        raise InputError("the file has no rows of numbers", "table_empty")
    if len(body) > MAX_ROWS:
        raise InputError(f"the file has {len(body):,} rows of numbers; the table takes at most {MAX_ROWS:,}",
                         "table_rows", rows=f"{len(body):,}", limit=f"{MAX_ROWS:,}")
    values = np.empty((len(body), 4))
    numbers = [number for number, _ in body]
    for i, (number, cells) in enumerate(body):
        try:
            values[i] = _row(cells, number, places, width, header)
        except InputError:
            _check_ranges(values[:i], numbers[:i])  # a number out of range in an earlier row is the first problem
            raise
    _check_ranges(values, numbers)
    return TableFile(TrainingSet(values[:, :3], values[:, 3:]), header, width - 4 if header else 0)


def table_csv(data: TrainingSet) -> str:
    """The table as CSV text: a header row, then each row's numbers written so that they read back exactly."""
    names = [f"x{j + 1}" for j in range(data.inputs.shape[1])]
    names += ["y"] if data.outputs.shape[1] == 1 else [f"y{j + 1}" for j in range(data.outputs.shape[1])]
    lines = [",".join(names)] + [",".join(map(number_text, row)) for row in data.rows()]
    return "\n".join(lines) + "\n"


def number_text(value: float) -> str:
    """The shortest text that reads back as exactly ``value`` (Python's repr), without a trailing ".0"."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def kept_as(text: str) -> str | None:
    """What a cell's number is kept as, when that is not the number its text writes: a double keeps about 17
    significant digits, so 0.1234567890123456789 is kept as 0.12345678901234568 (None: the text is kept as written,
    or it is no finite number, which reading refuses anyway)."""
    try:
        written, value = Decimal(text.strip()), float(text)
    except (InvalidOperation, ValueError, TypeError):
        return None
    if not math.isfinite(value):
        return None
    kept = number_text(value)
    return None if Decimal(kept) == written else kept


# -- reading, step by step ---------------------------------------------------------------------------------------
def _text(content: bytes) -> str:
    if not isinstance(content, bytes):
        raise InputError("expected the file's bytes", "file_text")
    if len(content) > MAX_FILE_BYTES:
        raise InputError(f"the file is larger than {MAX_FILE_BYTES // 1024:,} KB", "file_size",
                         kb=f"{MAX_FILE_BYTES // 1024:,}")
    if content.startswith(_WORKBOOKS):
        raise InputError("the file is a spreadsheet workbook, not CSV text: save it as CSV first", "table_workbook")
    if content.startswith(_UTF16_MARKS):
        raise InputError("the file is UTF-16 text: save it as CSV (UTF-8)", "table_utf16")
    if b"\x00" in content:  # no text has it: UTF-16 without its mark, or not text at all
        raise InputError("the file is not text (UTF-8)", "file_text")
    content = content.removeprefix(_UTF8_MARK)  # spreadsheets mark their UTF-8 CSV files so
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as e:
        row = content.count(b"\n", 0, e.start) + 1  # (a row as a spreadsheet counts it, near enough for \r files)
        raise InputError(f"row {row} is not UTF-8 text: save the file as CSV (UTF-8)", "table_encoding",
                         row=row) from None


def _records(text: str):
    """(row number, cells) for each line: cells unquoted and stripped, empty cells at the end dropped (a row of
    nothing but separators is blank)."""
    lines = _LINE_BREAK.split(text)
    separator = None
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE_CHARS:
            raise InputError(f"row {number} is longer than {MAX_LINE_CHARS:,} characters", "table_line_long",
                             row=number, limit=f"{MAX_LINE_CHARS:,}")
        if not line.strip():
            yield number, []
            continue
        if separator is None:
            separator = max(SEPARATORS, key=line.count)  # max keeps the first of equals
        # One line at a time: a cell never spans lines (no number has a line break). Quotes are read leniently, as
        # spreadsheets do: a stray one stays in its cell, which then is no number and is named as such.
        cells = next(csv.reader([line], delimiter=separator, quotechar='"'))
        if len(cells) > MAX_COLUMNS:
            raise InputError(f"row {number} has more than {MAX_COLUMNS} columns", "table_columns", row=number,
                             limit=MAX_COLUMNS)
        cells = [cell.strip() for cell in cells]
        while cells and not cells[-1]:
            cells.pop()
        yield number, cells


def _is_number(cell: str) -> bool:
    try:
        read_cell(cell, 0, "")
    except InputError:
        return False
    return True


def _row(cells: list[str], number: int, places: dict[str, int], width: int, header: bool) -> list[float]:
    # The cells first: a formula with a comma in it also makes more cells, but the formula is what to fix.
    values = [read_cell(cells[places[name]] if places[name] < len(cells) else "", number, name) for name in COLUMNS]
    if len(cells) > width:
        if header:
            raise InputError(f"row {number} has more cells than the header row names ({width})", "table_cells",
                             row=number, width=width)
        raise InputError(f"row {number} has more than 4 cells; a file with no header row is read as "
                         f"{', '.join(COLUMNS)}", "table_cells_four", row=number)
    return values


def _check_ranges(values: np.ndarray, numbers: list[int]) -> None:
    check_ranges(values[:, :3], values[:, 3:], list(COLUMNS[:3]), row_numbers=numbers)


def _columns(header: list[str]) -> dict[str, int]:
    """Where the header row puts each of the table's columns (names in any case and order)."""
    places: dict[str, int] = {}
    for place, cell in enumerate(header):
        name = cell.casefold()
        if name in COLUMNS:
            if name in places:
                raise InputError(f"the header row names column {name} twice", "table_header_twice", column=name)
            places[name] = place
    for name in COLUMNS:
        if name not in places:
            raise InputError(f"the header row has no column {name} (it names x1, x2, x3 and y, in any order)",
                             "table_header_missing", column=name)
    return places
