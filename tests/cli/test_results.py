"""Results that looked like success: an empty output and exit 0 where nothing was done."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.test_export import make_record, write_file


@pytest.mark.parametrize("args", [
    ["export", "notes", "-o", "r.csv"], ["stories", "notes"], ["report", "notes"],
    ["stats", "--output-dir", "notes"],
    ["reindex", "--output-dir", "notes", "--state-dir", "state"],
])
def test_a_directory_no_crawl_wrote_exits_66(args: list[str], tmp_path: Path) -> None:
    # export and report wrote an empty file with exit 0; reindex replaced every signature
    # with none.
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("buy milk\n", encoding="utf-8")
    run = run_cli(*args, cwd=tmp_path)
    assert (run.code, run.stdout) == (66, "")
    assert run.stderr == ("policywire: notes: not a policywire output directory (no"
                          " runs.jsonl, no records-*.jsonl below it)\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes"]


@pytest.mark.parametrize("args", [
    ["report", "out.jsonl"], ["stats", "out.jsonl"],
    ["reindex", "--output-dir", "out.jsonl", "--state-dir", "state"],
])
def test_a_file_where_an_output_directory_is_read_exits_66(args: list[str],
                                                             tmp_path: Path) -> None:
    # A file `dedup` wrote, which `stories` and `export` take: report said "no such output
    # directory" with exit 78, stats printed an empty table with exit 0.
    (tmp_path / "out.jsonl").write_text(
        json.dumps({"url": "https://a.eu/1", "title": "NATO"}) + "\n", encoding="utf-8")
    run = run_cli(*args, "-o" if args[0] == "report" else "-q",
                  *(["r.html"] if args[0] == "report" else []), cwd=tmp_path)
    assert (run.code, run.stdout) == (66, "")
    assert run.stderr == ("policywire: out.jsonl: a file, not a policywire output directory"
                          " (this command reads the directory a crawl wrote)\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]


def test_dedup_of_nothing_but_rejects_exits_1(tmp_path: Path) -> None:
    # Every line lacked a title: an empty output, the rejects beside it, and exit 0.
    (tmp_path / "in.jsonl").write_text('{"url": "https://a.eu/1", "hed": "NATO"}\n' * 3,
                                       encoding="utf-8")
    run = run_cli("dedup", "in.jsonl", "-o", "out.jsonl", "-q", cwd=tmp_path)
    assert run.code == 1
    assert run.stderr == ("policywire: every line was rejected (3): see"
                          " out.rejects.jsonl\n")
    assert len((tmp_path / "out.rejects.jsonl").read_text().splitlines()) == 3
    mapped = run_cli("dedup", "in.jsonl", "-o", "out.jsonl", "-q", "--field", "title=hed",
                     cwd=tmp_path)
    assert (mapped.code, mapped.stderr) == (0, "")


@pytest.mark.parametrize("command", ["export", "stories"])
def test_a_language_that_keeps_nothing_names_the_codes_there_are(command: str,
                                                                tmp_path: Path) -> None:
    # --language deu returned 0 rows and no word of why; so did --source nato for nato-news.
    write_file(tmp_path / "out/2024/05/01/records-run1.jsonl",
               [make_record("a", language="de"), make_record("b", language="en",
                                                             source="nato-news")])
    run = run_cli(command, "out", "--language", "deu", "-q", cwd=tmp_path)
    assert (run.code, run.stdout) == (0, "")
    assert run.stderr == ("policywire: no row has --language deu; languages are ISO 639-1"
                          " codes (de, en), and the rows' are: de, en\n")
    run = run_cli(command, "out", "--source", "nato", "-q", cwd=tmp_path)
    assert (run.code, run.stdout) == (0, "")
    assert run.stderr == ("policywire: no row has --source nato; the rows' sources are:"
                          " alpha, nato-news\n")
    run = run_cli(command, "out", "--language", "de", "-q", cwd=tmp_path)
    assert [json.loads(line)["language" if command == "export" else "languages"]
            for line in run.stdout.splitlines()] == ["de" if command == "export" else ["de"]]
    assert run.stderr == ""


@pytest.mark.parametrize("command", ["export", "stories"])
def test_a_window_that_keeps_nothing_names_the_days_the_rows_span(command: str,
                                                                  tmp_path: Path) -> None:
    # The acc5 trial: `export out --since 7d` over a crawl of older articles wrote an empty
    # file, exit 0, and only {"records": 0} to say so.
    write_file(tmp_path / "out/2024/05/01/records-run1.jsonl",
               [make_record("a", published="2020-07-07T23:00:20Z"),
                make_record("b")])  # undated: by its fetched_at, 2024-05-01
    run = run_cli(command, "out", "--since", "2025-01-01", "-q", cwd=tmp_path)
    assert (run.code, run.stdout) == (0, "")
    assert run.stderr == ("policywire: no row dated from 2025-01-01T00:00:00Z until now; the"
                          " rows' dates run from 2020-07-07 to 2024-05-01\n")
    kept = run_cli(command, "out", "--until", "2021-01-01", "-q", cwd=tmp_path)
    assert (kept.code, kept.stderr, len(kept.stdout.splitlines())) == (0, "", 1)
