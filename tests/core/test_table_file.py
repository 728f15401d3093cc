"""The training table from and to a CSV file (issue 27): every form of file the table takes, every refusal with the
row and column it names, the table written and read back bit for bit, and hostile files refused cheaply."""

import re
import tomllib
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nn_core import PRESETS, InputError, Scenario, TrainingSet, read_table, table_csv
from nn_core.datasets import MAX_ROWS
from nn_core.table_file import MAX_FILE_BYTES, MAX_LINES, number_text

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ARTICLE = TrainingSet(PRESETS["article"].inputs, PRESETS["article"].outputs)
ROWS = [[0.0, 1.0, 0.0, 0.0], [0.5, -2.25, 100.0, 1.0], [-100.0, 0.1, 1e-05, 0.3]]


def same_bits(a: TrainingSet, b: TrainingSet) -> bool:
    return a.inputs.tobytes() == b.inputs.tobytes() and a.outputs.tobytes() == b.outputs.tobytes()


# -- what the table takes ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("content", [
    b"x1,x2,x3,y\n0,1,0,0\n0.5,-2.25,100,1\n-100,0.1,1e-05,0.3\n",
    b"y,x3,x1,x2\n0,0,0,1\n1,100,0.5,-2.25\n0.3,1E-5,-100,.1\n",  # any order; 1E-5 and .1 are numbers too
    b"X1;X2;X3;Y\r\n0;1;0;0\r\n0.5;-2.25;100;1\r\n-100;0.1;0.00001;0.3\r\n",  # semicolons, capitals, Windows lines
    b"x1\tx2\tx3\ty\n0\t1\t0\t0\n0.5\t-2.25\t100\t1\n-100\t0.1\t1e-05\t0.3",  # tabs, no final line break
    b"\xef\xbb\xbfx1,x2,x3,y\r0,1,0,0\r0.5,-2.25,100,1\r-100,0.1,1e-05,0.3\r",  # a UTF-8 mark, old Mac lines
    b'"x1","x2","x3","y"\n"0","1","0","0"\n"0.5"," -2.25 ","100","1"\n"-100","0.1","1e-05","0.3"\n',  # quoted
    b"x1,x2,x3,y,,\n0,1,0,0,,\n\n0.5,-2.25,100,1\n , , , \n-100,0.1,1e-05,0.3\n\n\n",  # blank rows, empty columns
    b"0,1,0,0\n0.5,-2.25,100,1\n-100,0.1,1e-05,0.3\n",  # no header: x1, x2, x3, y
    "0\t1\t0\t0\n0.5\t-2.25\t100\t1\n-100\t0.1\t1e-05\t0.3\n",  # a block pasted from a spreadsheet (text)
    b",x1,x2,x3,y,note\n0,0,1,0,0,first\n1,0.5,-2.25,100,1,\n2,-100,0.1,1e-05,0.3,last\n",  # columns left out
])
def test_every_accepted_form_gives_the_same_table(content):
    read = read_table(content)
    assert read.data.rows() == tuple(map(tuple, ROWS))
    text = content if isinstance(content, str) else content.decode("utf-8-sig")
    assert read.header == ("x1" in text.lower())
    assert read.left_out == (2 if "note" in text else 0)


def test_a_formula_a_decimal_comma_and_a_header_in_the_other_language_say_why():
    with pytest.raises(InputError) as e:
        read_table(b"x1;x2;x3;y\n1;0;0;1\n0,5;0;0;1\n")
    assert (e.value.kind, e.value.values) == ("cell_comma", {"row": 3, "column": "x1"})
    with pytest.raises(InputError) as e:
        read_table(b'x1,x2,x3,y\n=HYPERLINK("https://evil.example","click"),0,0,1\n')
    assert (e.value.kind, e.value.values) == ("cell_formula", {"row": 2, "column": "x1"})
    assert "evil" not in str(e.value) and "HYPERLINK" not in str(e.value)  # never echoed
    # The page names the columns x1, x2, x3, y in both of its languages: a header of other names is no header.
    with pytest.raises(InputError) as e:
        read_table("特征1,特征2,特征3,目标\n1,0,0,1\n".encode())
    assert (e.value.kind, e.value.values) == ("table_header_missing", {"column": "x1"})


# -- every refusal, with the row and column it names ------------------------------------------------------------------
REFUSED = [
    (b"x" * (MAX_FILE_BYTES + 1), "file_size", {"kb": "1,024"}),
    (b"PK\x03\x04\x14\x00\x06\x00 a workbook", "table_workbook", {}),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an old workbook", "table_workbook", {}),
    ("x1,x2,x3,y\n1,0,0,1\n".encode("utf-16"), "table_utf16", {}),
    ("x1,x2,x3,y\n1,0,0,1\n".encode("utf-16-le"), "file_text", {}),
    (b"\x7fELF\x02\x01\x01\x00\x00\x00", "file_text", {}),
    ("x1,x2,x3,y\n1,0,0,1\ncafé,0,0,1\n".encode("latin-1"), "table_encoding", {"row": 3}),
    (b"\n" * (MAX_LINES + 1), "table_lines", {"most": "4,000", "limit": "1,000"}),
    (b"", "table_empty", {}),
    (b"x1,x2,x3,y\n\n,,,\n", "table_empty", {}),
    (b"x1,x2,x3,y\n" + b"1,0,0,1\n" * (MAX_ROWS + 1), "table_rows", {"rows": "1,001", "limit": "1,000"}),
    (b"x1,x2,x3,y\n" + b"1" * 3000 + b",0,0,1\n", "table_line_long", {"row": 2, "limit": "2,000"}),
    (b'x1,x2,x3,y\n1,0,0,1\n"1,0,0,1\n', "cell_text", {"row": 3, "column": "x1"}),  # a quote never closed
    (b"x1,x2,x3,y\n" + b"1," * 100 + b"1\n", "table_columns", {"row": 2, "limit": 64}),
    (b"x1,x2,x3,y\n1,0,0,1\n1,0,0,1,1\n", "table_cells", {"row": 3, "width": 4}),
    (b"1,0,0,1\n1,0,0,1,0.5\n", "table_cells_four", {"row": 2}),
    (b"x1,x2,X1,y\n1,0,0,1\n", "table_header_twice", {"column": "x1"}),
    (b"x1,x2,x 3,y\n1,0,0,1\n", "table_header_missing", {"column": "x3"}),
    (b"x1,x2,x3\n1,0,0\n", "table_header_missing", {"column": "y"}),
    (b"x1,x2,x3,y\n1,0,0,1\n1,,0,1\n", "cell_empty", {"row": 3, "column": "x2"}),
    (b"x1,x2,x3,y\n1,0,0\n", "cell_empty", {"row": 2, "column": "y"}),
    (b"x1,x2,x3,y\n1,0,0,yes\n", "cell_text", {"row": 2, "column": "y"}),
    (b"x1,x2,x3,y\n1,0,#N/A,1\n", "cell_text", {"row": 2, "column": "x3"}),
    (b"x1,x2,x3,y\n1,0,0,NaN\n", "cell_text", {"row": 2, "column": "y"}),
    (b"y,x1,x2,x3\n1,@SUM(A1),0,0\n", "cell_formula", {"row": 2, "column": "x1"}),
    (b'x1,x2,x3,y\n1,"=HYPERLINK(""https://evil.example/a/long/way"",""win"")",0,1\n', "cell_formula",
     {"row": 2, "column": "x2"}),  # a formula however long
    (b'x1,x2,x3,y\n"0,5",0,0,1\n', "cell_comma", {"row": 2, "column": "x1"}),
    (b"x1,x2,x3,y\n1,0," + b"0" * 41 + b",1\n", "cell_long", {"row": 2, "column": "x3", "limit": 40}),
    (b"x1,x2,x3,y\n1,0,-inf,1\n", "cell_infinite", {"row": 2, "column": "x3"}),
    (b"x1,x2,x3,y\n1e308,0,0,1\n", "cell_feature_range", {"row": 2, "column": "x1", "lo": "-100", "hi": "100"}),
    (b"x1,x2,x3,y\n\n1,0,0,1\n1,0,0,2\n", "cell_target_range", {"row": 4, "column": "y", "lo": "0", "hi": "1"}),
    # The first problem in the file's order: a number out of range before a cell that is no number at all.
    (b"x1,x2,x3,y\n1,0,0,1\n1,-101,0,1\n1,0,x,1\n", "cell_feature_range",
     {"row": 3, "column": "x2", "lo": "-100", "hi": "100"}),
]


@pytest.mark.parametrize("content, kind, values", REFUSED, ids=[f"{k}-{i}" for i, (_, k, _) in enumerate(REFUSED)])
def test_every_refusal_names_its_reason_row_and_column(content, kind, values):
    with pytest.raises(InputError) as e:
        read_table(content)
    assert (e.value.kind, e.value.values) == (kind, values)
    if "row" in values:
        assert f"row {values['row']}" in str(e.value)


def test_every_kind_of_refusal_is_tested():
    source = (Path(__file__).parents[2] / "nn_core" / "table_file.py").read_text()
    kinds = set(re.findall(r'"((?:table|file|cell)_[a-z_]+)"', source)) - {"table_file"}
    kinds |= {"cell_empty", "cell_text", "cell_formula", "cell_comma", "cell_long", "cell_infinite",
              "cell_feature_range", "cell_target_range"}  # the cells' own, from datasets.read_cell
    assert kinds <= {kind for _, kind, _ in REFUSED}, kinds - {kind for _, kind, _ in REFUSED}


def test_the_file_limit_is_at_most_the_pages_upload_limit():
    """A larger file never reaches the page (the browser and the server refuse it): a smaller limit here would
    refuse files the page let through, with a second reason for the same thing."""
    config = tomllib.loads((Path(__file__).parents[2] / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] * 2**20 == MAX_FILE_BYTES


@pytest.mark.parametrize("content", [
    b"," * (MAX_FILE_BYTES - 1),  # a CSV bomb of columns
    b"\n" * (MAX_FILE_BYTES - 1),  # of lines
    b'x1,x2,x3,y\n"' + b"9" * (MAX_FILE_BYTES - 20) + b'",0,0,1\n',  # of one huge quoted cell
    b"1,0,0,1\n" * (MAX_FILE_BYTES // 8),  # of rows
    b"x1,x2,x3,y\n" + b"1,0,0,1\r" * 3000 + b"1,0,0,2\n" * 900,  # of rows just under every limit but the range
])
def test_a_hostile_file_is_refused_cheaply(content):
    tracemalloc.start()
    with pytest.raises(InputError):
        read_table(content)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 8 * len(content) + 2**20, peak  # a few copies of the file at most, never a table of its cells


# -- written and read back, bit for bit --------------------------------------------------------------------------------
def test_the_table_is_written_as_a_header_and_the_shortest_exact_numbers():
    data = TrainingSet.from_rows([[0.1 + 0.2, 1.0, -0.0, 1 / 3], [100, 1e-05, 5e-324, 0]])
    text = table_csv(data)
    assert text == "x1,x2,x3,y\n0.30000000000000004,1,0,0.3333333333333333\n100,1e-05,5e-324,0\n"
    assert same_bits(read_table(text.encode()).data, data)
    assert number_text(-0.5) == "-0.5" and number_text(2.0) == "2"


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_reads_back_as_itself(name):
    data = TrainingSet(PRESETS[name].inputs, PRESETS[name].outputs)
    read = read_table(table_csv(data).encode())
    assert same_bits(read.data, data) and read.header and not read.left_out


features = st.floats(-100, 100, allow_subnormal=True)
targets = st.floats(0, 1, allow_subnormal=True)
tables = st.lists(st.tuples(features, features, features, targets), min_size=1, max_size=40)


@SETTINGS
@given(tables)
def test_any_table_reads_back_bit_for_bit(rows):
    data = TrainingSet.from_rows(rows)
    assert same_bits(read_table(table_csv(data)).data, data)  # as text, the way it is pasted, too
    assert same_bits(read_table(table_csv(data).encode()).data, data)


@SETTINGS
@given(tables)
def test_an_imported_table_survives_a_share_link_and_a_scenario_file(rows):
    data = read_table(table_csv(TrainingSet.from_rows(rows)).encode()).data
    scenario = Scenario(data=data, preset=None)
    assert same_bits(Scenario.from_link(scenario.to_link()).data, data)
    assert same_bits(Scenario.from_json(scenario.to_json()).data, data)


def test_a_table_has_no_negative_zeros():
    data = TrainingSet.from_rows([["-0", -0.0, "0", "-0.0"]])
    assert not np.signbit(data.inputs).any() and not np.signbit(data.outputs).any()


# -- garbage in: an InputError, and nothing else ----------------------------------------------------------------------
CSV_ALPHABET = st.sampled_from(list("0123456789.,;\t\n\r\"' -+eE=@xyXY#nainf\x00\xef\xbb\xbf\xff") + ["x1", "y", "é"])


@SETTINGS
@given(st.one_of(st.binary(max_size=400), st.lists(CSV_ALPHABET, max_size=200).map("".join),
                 st.lists(CSV_ALPHABET, max_size=200).map(lambda t: "x1,x2,x3,y\n" + "".join(t))))
def test_garbage_is_refused_with_an_input_error_and_nothing_else(content):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy must not warn either
        try:
            read = read_table(content)
        except InputError as e:
            assert e.kind, e  # a page can say it in its own language
            return
    assert 1 <= len(read.data.inputs) <= MAX_ROWS and np.isfinite(read.data.inputs).all()


def test_cells_typed_into_the_table_follow_the_same_rules():
    for cell, kind in (("0,5", "cell_comma"), ("=1+1", "cell_formula"), ("nan", "cell_text"), ("9" * 41, "cell_long")):
        with pytest.raises(InputError) as e:
            TrainingSet.from_rows([[1, 0, cell, 1]])
        assert (e.value.kind, e.value.values["row"], e.value.values["column"]) == (kind, 1, "x3")
