"""``export`` and ``stories`` write the format their ``-o`` names."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.conftest import run_cli
from tests.test_export import make_record, write_file


@pytest.fixture
def output(tmp_path: Path) -> Path:
    write_file(tmp_path / "output/2024/05/01/records-run1.jsonl",
               [make_record("a"), make_record("b", story_id="s-a")])
    return tmp_path / "output"


@pytest.mark.parametrize(("command", "rows"), [("export", 2), ("stories", 1)])
def test_a_parquet_name_without_format_writes_parquet(command: str, rows: int,
                                                      output: Path) -> None:
    # `export out -o records.parquet` wrote JSONL into it; pandas then failed on the magic.
    run = run_cli(command, str(output), "-o", "records.parquet", cwd=output.parent)
    assert run.code == 0, run.stderr
    assert pq.read_table(output.parent / "records.parquet").num_rows == rows


@pytest.mark.parametrize(("command", "rows"), [("export", 2), ("stories", 1)])
def test_a_csv_or_gzipped_jsonl_name_writes_that(command: str, rows: int,
                                                  output: Path) -> None:
    assert run_cli(command, str(output), "-o", "r.csv", cwd=output.parent).code == 0
    with (output.parent / "r.csv").open(encoding="utf-8", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert len(table) == rows and {row["story_id"] for row in table} == {"s-a"}
    assert run_cli(command, str(output), "-o", "r.jsonl.gz", cwd=output.parent).code == 0
    lines = gzip.decompress((output.parent / "r.jsonl.gz").read_bytes()).splitlines()
    assert [json.loads(line)["story_id"] for line in lines] == ["s-a"] * rows


@pytest.mark.parametrize(("args", "said"), [
    (["-o", "records.txt"], "-o records.txt: no format known by its extension: end it in"
     " .parquet, .csv, .csv.gz, .jsonl, .jsonl.gz, or give --format\n"),
    (["-o", "records.parquet", "--format", "csv"], "-o records.parquet: the extension says"
     " parquet, --format says csv\n"),
])
@pytest.mark.parametrize("command", ["export", "stories"])
def test_an_unknown_or_contrary_extension_is_a_usage_error(
        command: str, args: list[str], said: str, output: Path) -> None:
    run = run_cli(command, str(output), *args, cwd=output.parent)
    assert (run.code, run.stderr) == (2, f"policywire: {said}")
    assert sorted(p.name for p in output.parent.iterdir()) == ["output"]
    # --format names what an extension does not.
    run = run_cli(command, str(output), "-o", "records.txt", "--format", "csv",
                  cwd=output.parent)
    assert run.code == 0, run.stderr
    assert (output.parent / "records.txt").read_text(encoding="utf-8").startswith(
        "story_id," if command == "stories" else "schema_version,")

