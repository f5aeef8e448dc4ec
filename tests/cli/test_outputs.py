"""Where a command's ``-o`` may point: never over the files it reads or keeps."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.sitesrv import FixtureSite


@pytest.mark.parametrize(("target", "state", "where"), [
    ("output/runs.jsonl", [], "the output directory output"),
    ("output/2026/01/01/records-run1.jsonl", ["--state-dir", "state"],
     "the output directory output"),
    ("state/state.sqlite3", ["--state-dir", "state"], "the state directory state"),
])
def test_scrape_refuses_an_output_inside_its_own_directories(
        target: str, state: list[str], where: str, site: FixtureSite, tmp_path: Path) -> None:
    # A user's -o output/runs.jsonl wiped the run history; -o an earlier records file kept 1
    # of its 40 lines while the state kept all 40 as seen; in the state: "corrupt line", 65.
    for name in ("output/runs.jsonl", "output/2026/01/01/records-run1.jsonl",
                 "state/state.sqlite3"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text('{"kept": true}\n' * 40, encoding="utf-8")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    run = run_cli("scrape", site.url("/feeds/rss20.rss"), "-o", target, *state, cwd=tmp_path)
    assert (run.code, run.stdout) == (2, "")
    assert run.stderr == (f"policywire: -o {target}: inside {where}, whose files it could"
                          " replace: write it elsewhere\n")
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("state", [[], ["--state-dir", "state"]])
def test_scrape_refuses_an_output_that_is_a_folder_before_fetching(
        state: list[str], fresh_site: FixtureSite, tmp_path: Path) -> None:
    # Before: without a state, the unlink of the old file failed ("Is a directory", 74); with
    # --state-dir the feed and its pages were all fetched, then the write failed, exit 74.
    (tmp_path / "records").mkdir()
    run = run_cli("scrape", fresh_site.url("/feeds/rss20.rss"), "-o", "records", *state,
                  cwd=tmp_path)
    assert (run.code, run.stdout) == (2, "")
    assert run.stderr == ("policywire: -o records: a directory: name a file (in it, or"
                          " elsewhere)\n")
    assert fresh_site.hits == {}


def test_schema_write_refuses_a_file_in_one_line(tmp_path: Path) -> None:
    # Before: exit 74 naming a temporary file below it ("Not a directory:
    # .../records.jsonl/.record.schema.json.x1y2.part"), not the option given.
    (tmp_path / "records.jsonl").write_text('{"kept": true}\n', encoding="utf-8")
    run = run_cli("schema", "--write", "records.jsonl", cwd=tmp_path)
    assert (run.code, run.stdout) == (2, "")
    assert run.stderr == ("policywire: --write records.jsonl: a file, not a directory: name"
                          " a folder (made if missing)\n")
    assert (tmp_path / "records.jsonl").read_text(encoding="utf-8") == '{"kept": true}\n'
