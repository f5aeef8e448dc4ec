"""An analyst loads an export with the README at hand: every column of the Parquet and CSV
files is a field the README's record section lists, or one its "For analysts" section
names, so a flat column (``match_rule``) is not a surprise and a field is not missed."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from crawler.export.columns import RECORD_COLUMNS, STORY_RECORD_COLUMNS
from crawler.models import Record, StoryMatch
from tests.conftest import run_cli
from tests.test_acceptance_docs import README, _named, _section
from tests.test_export import make_record, write_file


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("analyst")
    original = make_record("a", published="2024-05-01T08:00:00Z", story_id="s-a")
    copy = make_record("b", published="2024-05-01T09:00:00Z", story_id="s-a", duplicate_of="a",
                       match={"rule": "title", "title_similarity": 0.9,
                              "body_similarity": None, "matched_id": "a"})
    write_file(root / "out/2024/05/01/records-run1.jsonl", [original, copy])
    return root


@pytest.mark.parametrize("stories", [False, True], ids=["records", "stories"])
@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_every_flat_column_is_a_field_or_named_for_analysts(output: Path, stories: bool,
                                                            suffix: str) -> None:
    name = f"{'stories' if stories else 'records'}{suffix}"
    run = run_cli("export", "out", "-o", name, *(["--stories"] if stories else []),
                  cwd=output)
    assert run.code == 0, run.stderr
    if suffix == ".parquet":
        columns = pq.read_schema(output / name).names
    else:
        with (output / name).open(encoding="utf-8", newline="") as handle:
            columns = next(csv.reader(handle))
    fields = set(Record.__struct_fields__)
    known = fields | _named(_section("For analysts"))
    # A story row's canonical record: canonical_<field> of a record column.
    unnamed = [c for c in columns if c not in known
               and not (c.startswith("canonical_") and c.removeprefix("canonical_") in known)]
    assert unnamed == []


def test_the_fields_flat_files_leave_out_are_named_for_analysts(output: Path) -> None:
    run = run_cli("export", "out", "-o", "records.parquet", cwd=output)
    assert run.code == 0, run.stderr
    missing = set(Record.__struct_fields__) - set(pq.read_schema(output / "records.parquet").names)
    assert missing == {"match", "story_match"}  # reshaped, and said so:
    assert missing <= _named(_section("For analysts"))


@pytest.mark.parametrize("name", ["records.jsonl.gz", "records.csv.gz"])
def test_a_gzipped_export_is_the_same_bytes_each_time_and_names_its_content(
        output: Path, name: str) -> None:
    # The gzip header held the temporary file's name (".records.jsonl.gz.<pid>.part"): two
    # exports of the same rows differed, and `gunzip -N` restored that name.
    exported = []
    for _ in range(2):
        run = run_cli("export", "out", "-o", name, cwd=output)
        assert run.code == 0, run.stderr
        exported.append((output / name).read_bytes())
    assert exported[0] == exported[1]
    flags, header_end = exported[0][3], exported[0].index(b"\0", 10)
    assert flags & 0x08 and exported[0][10:header_end] == name.removesuffix(".gz").encode()


def test_every_extension_export_writes_by_is_named_in_its_help_and_the_readme(
        output: Path) -> None:
    # .csv.gz was written (gzipped CSV) but named neither in --help nor in the README.
    usage = next(line for line in README.splitlines() if line.startswith("policywire export "))
    in_readme = re.search(r" -o FILE(\S+)", usage).group(1).split("|")  # type: ignore[union-attr]
    shown = " ".join(run_cli("export", "--help", cwd=output).stdout.split())
    in_help = re.search(r"names the format: ([.a-z, ]+)", shown).group(1)  # type: ignore[union-attr]
    written = []
    for suffix in (".parquet", ".csv", ".csv.gz", ".jsonl", ".jsonl.gz", ".json", ".tsv"):
        run = run_cli("export", "out", "-o", f"x{suffix}", cwd=output)
        assert run.code in (0, 2), run.stderr
        written += [suffix] if run.code == 0 else []
    assert in_readme == in_help.strip().split(", ") == written


def test_an_undated_records_time_is_when_it_was_fetched_and_the_help_says_so(
        tmp_path: Path) -> None:
    # --since said "published at or after", yet a record without a date is kept or left out
    # by its fetched_at; neither the help nor the README said so.
    write_file(tmp_path / "out/2024/05/01/records-run1.jsonl", [make_record("u")])
    assert make_record("u").published is None
    kept = [run_cli("export", "out", "--since", since, "-q", cwd=tmp_path).stdout.count("\n")
            for since in ("2024-05-01", "2024-05-02")]
    assert kept == [1, 0]
    shown = " ".join(run_cli("export", "--help", cwd=tmp_path).stdout.split())
    assert "--since SINCE published (or, undated, fetched) at or after" in shown
    assert "undated records by their `fetched_at`" in " ".join(README.split())


# Rows from other tools keep their own fields through `policywire dedup` (README): a topics
# list of plain strings, a tag or an author as one string, numbers where text belongs.
ODD_ROWS = [
    {"url": "http://a.example/1", "title": "NATO agrees new air defence targets",
     "date": "2026-11-01", "topics": ["nato-alliances", {"topic": "cyber-hybrid"}, 7],
     "tags": "defence", "authors": "Ann Lee", "media": [1, 2], "summary": {"lead": "x"},
     "source": ["wire", "feed"], "language": 5},
    {"url": "http://b.example/2", "title": "NATO agrees new air defence targets again",
     "date": "2026-11-02", "topics": "nato-alliances", "source": "b", "revision": "2",
     "schema_version": 10**30},
]


def test_rows_from_elsewhere_export_to_every_format_whatever_their_fields_hold(
        tmp_path: Path) -> None:
    # Before: a TypeError traceback (exit 1) for Parquet, CSV, --topic and every --stories
    # export: 'string indices must be integers' where a topic was a plain string.
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in ODD_ROWS),
                                       encoding="utf-8")
    assert run_cli("dedup", "in.jsonl", "-o", "merged.jsonl", "-q", cwd=tmp_path).code == 0
    for args in (["-o", "r.parquet"], ["-o", "r.csv"], ["--stories", "-o", "s.parquet"],
                 ["--stories", "-o", "s.csv"], ["--stories", "-o", "s.jsonl"],
                 ["--topic", "nato-alliances", "-o", "t.jsonl"], ["--source", "b", "-o", "b.csv"],
                 ["--language", "en", "-o", "en.jsonl"]):
        run = run_cli("export", "merged.jsonl", *args, "-q", cwd=tmp_path)
        assert run.code == 0 and "Traceback" not in run.stderr, (args, run.stderr)
    rows = pq.read_table(tmp_path / "r.parquet").to_pylist()
    assert [(r["topics"], r["tags"], r["authors"], r["media"], r["source"]) for r in rows] == [
        (["nato-alliances", "cyber-hybrid", "7"], ["defence"], ["Ann Lee"], ["1", "2"],
         '["wire","feed"]'),
        (["nato-alliances"], None, None, None, "b"),
    ]
    assert rows[0]["summary"] == '{"lead":"x"}' and rows[1]["revision"] is None
    assert rows[1]["schema_version"] is None  # no int64 holds 10**30
    assert (tmp_path / "t.jsonl").read_text(encoding="utf-8").count("\n") == 2
    assert (tmp_path / "b.csv").read_text(encoding="utf-8").count("\n") == 2  # header + b


@pytest.mark.parametrize("command", [
    ["export", "out", "-o", "{}/r.parquet"], ["export", "out", "-o", "{}/r.csv"],
    ["stories", "out", "-o", "{}/s.jsonl"], ["report", "out", "-o", "{}/r.html"],
    ["sources", "export", "-o", "{}/feeds.opml"], ["dedup", "in.jsonl", "-o", "{}/d.jsonl"],
], ids=lambda command: " ".join(command[:2]))
def test_an_output_in_a_new_folder_is_written_and_a_folder_is_refused(
        output: Path, command: list[str]) -> None:
    # export and stories stopped with exit 74 naming their temporary file ('Failed to open
    # local file nodir/.r.parquet.123.part') where report made the folder; -o naming a
    # folder said 'Is a directory: .adir.123.part'.
    (output / "in.jsonl").write_text('{"url": "http://a.example/", "title": "NATO"}\n',
                                     encoding="utf-8")
    new = [part.replace("{}", "new/folder") for part in command]
    run = run_cli(*new, cwd=output)
    assert run.code == 0, run.stderr
    assert (output / new[-1]).is_file()
    (output / "taken").mkdir(exist_ok=True)
    refused = run_cli(*command[:-1], "taken", cwd=output)
    assert refused.code == 2
    assert refused.stderr.splitlines()[-1].startswith("policywire: -o taken: a directory")


def test_a_window_says_how_many_undated_rows_from_elsewhere_it_left_out(tmp_path: Path) -> None:
    # Rows from elsewhere without a readable date are in no window; `export --since` left
    # them out without a word, the count alone smaller.
    rows = [{"url": "http://a.example/1", "title": "NATO summit agrees targets",
             "date": "2026-11-01"},
            {"url": "http://a.example/2", "title": "EU sanctions package adopted"},
            {"url": "http://a.example/3", "title": "Iran talks resume", "date": "someday"}]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows),
                                       encoding="utf-8")
    assert run_cli("dedup", "in.jsonl", "-o", "merged.jsonl", "-q", cwd=tmp_path).code == 0
    run = run_cli("export", "merged.jsonl", "--since", "2026-10-01", "-o", "x.jsonl", "-q",
                  cwd=tmp_path)
    assert run.code == 0
    assert run.stderr == ("policywire: 2 rows without a readable date left out: no"
                          " --since/--until window holds them\n")
    assert (tmp_path / "x.jsonl").read_text(encoding="utf-8").count("\n") == 1
    quiet = run_cli("export", "merged.jsonl", "-o", "all.jsonl", "-q", cwd=tmp_path)
    assert quiet.stderr == ""  # no window, nothing left out


def test_the_readmes_pandas_lines_type_every_date_of_a_jsonl_row() -> None:
    # The acc5 trial: `pd.read_json("stories.jsonl", lines=True)` as the README gave it left
    # first_published as text (pandas types only columns named like *_at, *_date): sorting
    # or resampling by it went wrong without a word. Each JSONL the README loads has each of
    # its date columns (what Parquet writes as timestamps) turned by pd.to_datetime.
    block = _section("For analysts")
    # A story line's canonical record is an object of its own: its dates are not columns.
    dated = {name: {c.name for c in columns if c.kind == "time"
                    and not c.name.startswith("canonical_")}
             for name, columns in (("records", RECORD_COLUMNS), ("stories", STORY_RECORD_COLUMNS))}
    for name in re.findall(r'(\w+) = pd\.read_json\("\w+\.jsonl"', block):
        listed = re.search(  # a loop over columns, its comment after the colon
            rf'for column in \[([^\]]+)\]:[^\n]*\n\s+{name}\[column\] = pd\.to_datetime', block)
        typed = set(re.findall(rf'{name}\["(\w+)"\] = pd\.to_datetime', block)) | (
            set(re.findall(r'"(\w+)"', listed.group(1))) if listed else set())
        assert typed == dated[name], name


def test_a_row_without_an_id_is_named_by_its_canonical_url_as_the_readme_says(
        tmp_path: Path) -> None:
    # The acc5 trial: news-please rows came back with `duplicate_of` holding a URL, and the
    # README said only that an `id` was added, not what it is (what joins a copy to its
    # original).
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(row) + "\n" for row in (
        {"url": "https://WWW.Welt.de/a1?utm_source=x#top", "title": "NATO: Putin scheitert"},
        {"url": "https://www.krone.at/b2", "title": "NATO: Putin scheitert"})),
        encoding="utf-8")
    run = run_cli("dedup", "in.jsonl", "-o", "-", "-q", cwd=tmp_path)
    first, copy = (json.loads(line) for line in run.stdout.splitlines())
    assert (first["id"], copy["duplicate_of"]) == ("https://www.welt.de/a1",) * 2
    assert "`id` where they had none: the row's canonical url" in " ".join(README.split())


def test_a_report_whose_window_keeps_nothing_names_the_days_the_rows_span(
        tmp_path: Path) -> None:
    # The acc6 trial: `report out --since 2030-01-01` wrote an empty page with exit 0 and
    # '"records": 0', where export and stories name the days the rows do span.
    write_file(tmp_path / "out/2024/05/01/records-run1.jsonl",
               [make_record("a", published="2020-07-07T23:00:20Z"),
                make_record("b")])  # undated: by its fetched_at, 2024-05-01
    run = run_cli("report", "out", "-o", "r.html", "--since", "2025-01-01", "-q", cwd=tmp_path)
    assert run.code == 0
    assert run.stderr == ("policywire: no row dated from 2025-01-01T00:00:00Z until now; the"
                          " rows' dates run from 2020-07-07 to 2024-05-01\n")
    kept = run_cli("report", "out", "-o", "r.html", "--until", "2021-01-01", "-q",
                   cwd=tmp_path)
    assert (kept.code, kept.stderr) == (0, "")


@pytest.mark.parametrize("command", ["stories", "export --stories"])
def test_a_filter_picks_whole_stories_with_every_variant(command: str, tmp_path: Path) -> None:
    # The acc6 trial: `stories out --source rss20` gave each story of two outlets as size 1,
    # sources ['rss20']: the other outlet's variant was gone without a word.
    joined = StoryMatch(record_id="a", similarity=0.5, shared_names=["nato"], rule="content")
    write_file(tmp_path / "out/2024/05/01/records-run1.jsonl",
               [make_record("a", story_id="s", published="2024-05-01T08:00:00Z"),
                make_record("b", story_id="s", source="beta", language="de",
                            published="2024-05-02T08:00:00Z", story_match=joined),
                make_record("c", story_id="t", published="2024-05-01T09:00:00Z")])
    for flt in (["--source", "beta"], ["--language", "de"], ["--since", "2024-05-02"]):
        run = run_cli(*command.split(), "out", *flt, "-q", cwd=tmp_path)
        assert run.code == 0, run.stderr
        [story] = [json.loads(line) for line in run.stdout.splitlines()]
        assert (story["story_id"], story["size"], story["sources"], story["languages"]) == (
            "s", 2, ["alpha", "beta"], ["de", "en"]), flt
        assert story["canonical"]["id"] == "a"
        assert [v["id"] for v in story["variants"]] == ["a", "b"]
    every = run_cli(*command.split(), "out", "-q", cwd=tmp_path)
    assert len(every.stdout.splitlines()) == 2


def test_the_readmes_pandas_lines_make_every_date_column_utc() -> None:
    # trial2: pd.to_datetime without utc=True typed an all-null column (`updated`: most feeds
    # give none) as naive datetime64[s] beside the UTC-aware `published`, unlike Parquet's
    # timestamp[us, tz=UTC]: in pandas 3.1 comparing the two raised TypeError ("Invalid
    # comparison between dtype=datetime64[s] and DatetimeArray"), concatenating made objects.
    calls = re.findall(r"pd\.to_datetime\(([^)]*)\)", _section("For analysts"))
    assert calls and all(call.endswith(", utc=True") for call in calls), calls
