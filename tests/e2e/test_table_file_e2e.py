"""Bring your own data in a real browser (issue 27): a CSV file uploaded into the table, a block of three rows pasted
from the clipboard into it (landing in the right cells and adding rows), and the table downloaded back, exactly."""

from urllib.parse import urlparse

from nn_core import read_table

from .harness import (
    edit_cell,
    grid_cells,
    key,
    numbers_in,
    open_app,
    open_section,
    screenshot,
    select_cell,
    text_of,
    upload,
    wait_idle,
)

CLIPBOARD = ["clipboard-read", "clipboard-write"]  # a paste reads what was copied
UPLOADED = "x1,x2,x3,y\n1,0,0,1\n0,1,0,0\n0.30000000000000004,0,1,1\n0,0,0,0.5\n"
BLOCK = "1\t1\t0\t1\n0\t0\t1\t0\n0.25\t1\t1\t1\n"  # three rows copied from a spreadsheet
# Pasted at row 4 of 4: row 4 takes the first row of the block, and two rows are added for the rest.
DOWNLOADED = "x1,x2,x3,y\n1,0,0,1\n0,1,0,0\n0.30000000000000004,0,1,1\n1,1,0,1\n0,0,1,0\n0.25,1,1,1\n"


def samples(page) -> int:
    return int(numbers_in(text_of(page, "intro"))[0])


def test_upload_paste_and_download_the_table(sized, tmp_path):
    page = sized(1400, 1000, permissions=CLIPBOARD)
    open_section(page, "table_file")

    # A file that cannot be used is refused whole, with the row and column, and the table stays.
    bad = tmp_path / "bad.csv"
    bad.write_text("x1;x2;x3;y\n1;0;0;1\n0,5;0;0;1\n")
    upload(page, "upload_data", bad)
    alert = page.locator('[data-testid="stAlert"]').filter(has_text="bad.csv")
    assert alert.inner_text().strip().endswith(
        "bad.csv was not loaded: row 3, column x1 has a decimal comma; write a decimal point instead (0.5, not 0,5)."
        " Your table is as it was.")
    assert samples(page) == 6

    # A file over the upload limit never reaches the app: the page still says why, in its own words.
    big = tmp_path / "big.csv"
    big.write_bytes(b"1,0,0,1\n" * 140_000)
    upload(page, "upload_data", big, reaches_app=False)
    refused = key(page, "upload_data").locator('[data-testid="stTooltipErrorHoverTarget"]').last
    said = refused.evaluate("e => getComputedStyle(e, '::after').content")
    assert "Not loaded" in said and "1 MB" in said
    assert samples(page) == 6

    data = tmp_path / "data.csv"
    data.write_text(UPLOADED)
    upload(page, "upload_data", data)
    assert samples(page) == 4 and numbers_in(text_of(page, "epoch")) == [0]
    assert "Loaded 4 rows from data.csv. Training starts again at epoch 0." in text_of(page, "status")
    assert not page.locator('[data-testid="stAlert"]').filter(has_text="bad.csv").count()  # old news now
    assert grid_cells(page)[:4] == [["1", "0", "0", "1"], ["0", "1", "0", "0"], ["0.30000000000000004", "0", "1", "1"],
                                    ["0", "0", "0", "0.5"]]
    screenshot(page, "table-file-uploaded")

    key(page, "training_data").scroll_into_view_if_needed()
    select_cell(page, 3, 0)
    page.evaluate("text => navigator.clipboard.writeText(text)", BLOCK)
    page.keyboard.press("Control+V")
    wait_idle(page, settle=1.0)
    page.wait_for_function("() => /^6 /.test(document.querySelector('.st-key-intro').innerText)", timeout=30_000)
    screenshot(page, "table-file-pasted")

    key(page, "table_file").scroll_into_view_if_needed()
    with page.expect_download() as download:
        key(page, "download_data").locator("button").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert download.value.suggested_filename == "training_data.csv"
    assert saved.read_text() == DOWNLOADED
    assert read_table(saved.read_bytes()).data.rows()[2][0] == 0.30000000000000004  # exactly what was uploaded


def test_a_hostile_file_is_refused_as_text_and_fetches_nothing(page, tmp_path):
    hosts = []
    page.on("request", lambda request: hosts.append(urlparse(request.url).hostname)
            if urlparse(request.url).scheme in ("http", "https") else None)  # (not the page's own data: URLs)
    open_app(page, page.base_url)
    open_section(page, "table_file")
    file = tmp_path / "![x](https:evil.example) <img src=x onerror=alert(1)>.csv"
    file.write_text('x1,x2,x3,y\n"=IMAGE(""https://evil.example/t.png"")",0,0,1\n')
    upload(page, "upload_data", file)
    alert = page.locator('[data-testid="stAlert"]').filter(has_text="was not loaded")
    assert "<img src=x onerror=alert(1)>.csv was not loaded: row 2, column x1 is a formula" in alert.inner_text()
    assert "evil.example/t.png" not in page.content() and "IMAGE" not in alert.inner_text()
    assert page.locator('a[href*="evil.example"], img[src*="evil.example"], img[src="x"]').count() == 0
    assert samples(page) == 6 and set(hosts) == {"127.0.0.1"}, hosts


# 500 rows copied from a spreadsheet: pasted at row 1 of 6, they replace the six rows and add 494 (the page then
# takes the paste in: the editor starts again from the cells on screen, see panels/data_table.py TAKE_IN_ROWS).
BIG_BLOCK = [[str(i % 2), str(i // 2 % 2), str(i // 4 % 2), ("0", "0.5", "1")[i % 3]] for i in range(500)]


def test_a_pasted_table_of_500_rows_then_one_more_cell(sized, tmp_path):
    page = sized(1400, 1000, permissions=CLIPBOARD)
    grid_cells(page)  # (opens the editor)
    key(page, "training_data").scroll_into_view_if_needed()
    select_cell(page, 0, 0)
    page.evaluate("text => navigator.clipboard.writeText(text)", "".join("\t".join(r) + "\n" for r in BIG_BLOCK))
    page.keyboard.press("Control+V")
    wait_idle(page, settle=1.0)
    page.wait_for_function("() => /^500 /.test(document.querySelector('.st-key-intro').innerText)", timeout=60_000)
    wait_idle(page)
    assert grid_cells(page)[:3] == BIG_BLOCK[:3]
    screenshot(page, "table-500-pasted")

    edit_cell(page, 1, 3, "0.25")  # the next cell a person types, in the grid the page started afresh
    assert grid_cells(page)[:3] == [BIG_BLOCK[0], [*BIG_BLOCK[1][:3], "0.25"], BIG_BLOCK[2]]
    edit_cell(page, 2, 0, "abc")
    alert = page.locator('[data-testid="stAlert"]').filter(has_text="row 3, column x1")
    alert.wait_for(timeout=30_000)
    screenshot(page, "table-500-then-cells")
    assert grid_cells(page)[2][0] == "abc" and samples(page) == 500

    open_section(page, "table_file")
    with page.expect_download() as download:
        key(page, "download_data").locator("button").click()
    saved = tmp_path / "downloaded.csv"
    download.value.save_as(saved)
    rows = read_table(saved.read_bytes()).data.rows()  # the table in force: the paste with the 0.25, not the abc
    assert len(rows) == 500 and rows[1] == (1.0, 0.0, 0.0, 0.25) and rows[2][0] == 0.0
