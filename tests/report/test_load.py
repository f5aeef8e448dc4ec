from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from crawler.errors import OutputError
from crawler.report.load import Window, load_output
from tests.report.sample import RUN_1, record, seed_pair, write_sample


def write_lines(path: Path, lines: list[bytes]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\n".join(lines) + b"\n")


def test_latest_revision_wins(tmp_path: Path) -> None:
    first = record("https://example.org/a", "src", "Old title")
    second = msgspec.structs.replace(first, revision=2, title="New title")
    write_lines(tmp_path / "2024/03/04/records-a.jsonl", [msgspec.json.encode(first)])
    write_lines(tmp_path / "2024/03/05/records-b.jsonl", [msgspec.json.encode(second)])
    data = load_output(tmp_path, Window())
    assert [r.title for r in data.records] == ["New title"]


def test_torn_last_line_is_skipped_and_counted(tmp_path: Path) -> None:
    canonical, variant = seed_pair()
    lines = [msgspec.json.encode(canonical), msgspec.json.encode(variant)[:40]]
    (tmp_path / f"records-{RUN_1}.jsonl").write_bytes(b"\n".join(lines))
    data = load_output(tmp_path, Window())
    assert [r.id for r in data.records] == [canonical.id] and data.skipped_lines == 1


def test_corrupt_middle_line_raises(tmp_path: Path) -> None:
    _, variant = seed_pair()
    lines = [b"{not json", msgspec.json.encode(variant)]
    write_lines(tmp_path / f"records-{RUN_1}.jsonl", lines)
    with pytest.raises(OutputError, match=r"records-.*:1: not a policywire Record"):
        load_output(tmp_path, Window())


def test_window_selects_records_rejects_and_runs(tmp_path: Path) -> None:
    write_sample(tmp_path)
    data = load_output(tmp_path, Window(since="2024-03-05T00:00:00Z"))
    assert {r.published[:10] for r in data.records if r.published} == {"2024-03-05"}
    assert [run.started[:10] for run in data.runs] == ["2024-03-05"]
    assert len(data.rejects) == 1
    before = load_output(tmp_path, Window(until="2024-03-05T00:00:00Z"))
    assert {r.published[:10] for r in before.records if r.published} == {"2024-03-04"}
    assert before.rejects == [] and len(before.all_records) == len(data.all_records)


def test_run_summaries_are_read(tmp_path: Path) -> None:
    write_sample(tmp_path)
    with (tmp_path / "runs.jsonl").open("a") as runs_file:
        runs_file.write("not json\n")
    runs = load_output(tmp_path, Window()).runs
    assert [r.run_id for r in runs] == [RUN_1, "20240305T060000Z-c3d4"]
    assert runs[1].sources["eu-council"]["rejects"] == 1
