"""Where a command's ``-o`` may point: never over the files it reads or keeps."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest

from tests.conftest import Run, run_cli
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


def _through_pipe(fifo: Path, *args: str) -> tuple[Run, bytes]:
    """Run the command with ``-o`` the named pipe ``fifo`` while a thread reads it: its exit
    and what arrived; the pipe must still be a pipe after it."""
    got: list[bytes] = []

    def read() -> None:
        with fifo.open("rb") as handle:  # blocks until the command opens it for writing
            got.append(handle.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    run = run_cli(*args, "-o", fifo.name, cwd=fifo.parent)
    reader.join(timeout=60)
    assert run.code == 0, run.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    return run, got[0]


def test_dedup_and_stories_write_through_a_pipe_and_leave_it_a_pipe(tmp_path: Path) -> None:
    # Before: dedup unlinked its -o first and export-style writers renamed a new file over
    # it; as root, `dedup -o /dev/null` left a regular file where the device had been. A
    # FIFO takes the same path a device does (crawler.filemodes.is_stream).
    rows = [{"url": "https://a.example/1", "title": "NATO: Wladimir Putin scheitert im Krieg"
             " in der Ukraine (VIDEO)"},
            {"url": "https://b.example/1", "title": "NATO-Wladimir Putin scheitert am"
             " Ukraine-Krieg (VIDEO)"},
            {"title": "a line without a url"}]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows),
                                       encoding="utf-8")
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)

    run, written = _through_pipe(fifo, "dedup", "in.jsonl")
    lines = [json.loads(line) for line in written.splitlines()]
    assert [r["url"] for r in lines] == ["https://a.example/1", "https://b.example/1"]
    assert lines[1]["duplicate_of"] == lines[0]["id"]
    # no folder to write pipe.rejects.jsonl beside a stream in: the reject goes to stderr
    assert '{"line":3,"reason":"invalid_line"' in run.stderr
    assert not (tmp_path / "pipe.rejects.jsonl").exists()

    (tmp_path / "out.jsonl").write_bytes(written)
    _, written = _through_pipe(fifo, "stories", "out.jsonl")
    stories = [json.loads(line) for line in written.splitlines()]
    assert len(stories) == 1
    assert list(tmp_path.glob(".pipe.jsonl.*")) == []  # no temporary file left beside it


def test_scrape_refuses_a_pipe_before_fetching(fresh_site: FixtureSite, tmp_path: Path) -> None:
    # Its records are appended and cut back after a crash, as a crawl's: a stream cannot
    # be. Before: as root the records file replaced the device.
    fifo = tmp_path / "records.jsonl"
    os.mkfifo(fifo)
    run = run_cli("scrape", fresh_site.url("/feeds/rss20.rss"), "-o", "records.jsonl",
                  cwd=tmp_path)
    assert (run.code, run.stdout) == (2, "")
    assert run.stderr == ("policywire: -o records.jsonl: a device or pipe: scrape writes a"
                          " file it can cut back after a crash; for a stream use -o -"
                          " (stdout)\n")
    assert fresh_site.hits == {}
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
