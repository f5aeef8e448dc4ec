from __future__ import annotations

import gc
import gzip
import json
import os
import random
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from crawler.dedup import DedupParams
from crawler.errors import InputError
from crawler.jobs import dedup_file
from tests.conftest import run_cli

SEED_A = "NATO: Wladimir Putin scheitert im Krieg in der Ukraine (VIDEO)"
SEED_B = "NATO-Wladimir Putin scheitert am Ukraine-Krieg (VIDEO)"


def _write(path: Path, rows: list[object]) -> None:
    path.write_text("\n".join(json.dumps(r) if not isinstance(r, str) else r for r in rows)
                    + "\n", encoding="utf-8")


def test_batch_dedup_makes_the_seed_one_story_and_a_duplicate_pair(tmp_path: Path) -> None:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write(source, [
        {"url": "https://a.de/1", "title": SEED_A, "published": "2026-11-07T13:20:00Z"},
        {"url": "https://b.de/2", "title": SEED_B, "published": "2026-11-07T14:02:00Z"},
        {"url": "https://c.de/3", "title": "Putin droht der Ukraine mit neuer Offensive"},
        {"url": "https://c.de/4", "title": "Tag 412 des Krieges in der Ukraine"},
        {"url": "https://c.de/5", "title": "Tag 413 des Krieges in der Ukraine"},
    ])
    counts = dedup_file(source, target, DedupParams())
    out = [json.loads(line) for line in target.read_text().splitlines()]
    assert counts == {"records": 5, "rejects": 0, "duplicates": 1, "undated": 3,
                      "unreadable_dates": 0, "fields": {}}
    by_url = {r["url"]: r for r in out}
    first, copy = by_url["https://a.de/1"], by_url["https://b.de/2"]
    # Both levels: one story, and a duplicate pair.
    assert copy["story_id"] == first["story_id"] and copy["duplicate_of"] == first["id"]
    assert copy["match"]["rule"] and first["story_match"] is None
    assert (copy["story_match"]["rule"], copy["story_match"]["record_id"]) == ("duplicate",
                                                                               first["id"])
    assert len({r["story_id"] for r in out}) == 4


def test_batch_dedup_rejects_bad_lines_and_an_exact_repeat(tmp_path: Path) -> None:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write(source, [
        {"id": "x", "url": "https://a.de/1", "title": SEED_A},
        {"id": "x", "url": "https://a.de/1", "title": SEED_A},
        {"url": "https://a.de/2"},
        "not json",
    ])
    counts = dedup_file(source, target, DedupParams())
    assert counts["records"] == 1 and counts["rejects"] == 3
    rejects = [json.loads(line) for line in
               (tmp_path / "out.rejects.jsonl").read_text().splitlines()]
    assert [(r["line"], r["reason"]) for r in rejects] == [
        (2, "duplicate_id"), (3, "invalid_line"), (4, "invalid_line")]


NATO = "NATO-Gipfel in Den Haag: Bündnis einigt sich auf fünf Prozent für Verteidigung"
SANCTIONS = "EU beschließt neues Sanktionspaket gegen russische Schattenflotte"
SPACE = "Raumfahrtagentur verschiebt Start der neuen Trägerrakete auf Herbst"


def test_the_dedup_command_rejects_a_row_whose_id_an_earlier_row_had(tmp_path: Path) -> None:
    # Before: both layers keyed by id, so the rows of id 1 were both written with the second
    # one's story; the first one's story_match named its own id and stories listed one row.
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write(source, [{"id": 1, "url": "https://a.de/nato", "title": NATO},
                    {"id": 1, "url": "https://b.de/sanktionen", "title": SANCTIONS},
                    {"id": 2, "url": "https://c.de/rakete", "title": SPACE}])
    run = run_cli("dedup", str(source), "-o", str(target), "-q", cwd=tmp_path)
    assert run.code == 0, run.stderr
    out = [json.loads(line) for line in target.read_text().splitlines()]
    assert [(row["id"], row["title"]) for row in out] == [(1, NATO), (2, SPACE)]
    assert [row["story_match"] for row in out] == [None, None]
    assert len({row["story_id"] for row in out}) == 2
    (reject,) = [json.loads(line) for line in
                 (tmp_path / "out.rejects.jsonl").read_text().splitlines()]
    assert (reject["line"], reject["reason"]) == (2, "duplicate_id")
    assert "line 1" in reject["detail"]
    listed = run_cli("stories", str(target), "-q", cwd=tmp_path)
    assert listed.code == 0, listed.stderr
    titles = sorted(story["variants"][0]["title"] for story in
                    map(json.loads, listed.stdout.splitlines()))
    assert titles == sorted([NATO, SPACE])


@pytest.mark.parametrize("parallel", [False, True])
def test_batch_dedup_rejects_a_row_whose_url_gives_an_earlier_rows_id(
        tmp_path: Path, parallel: bool) -> None:
    # Rows without an id take their canonical url's: the same url twice is the same id.
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write(source, [{"url": "https://a.de/1?utm_source=x", "title": NATO},
                    {"url": "https://c.de/2", "title": SPACE},
                    {"url": "https://a.de/1", "title": SANCTIONS}])
    counts = dedup_file(source, target, DedupParams(), parallel=parallel)
    assert (counts["records"], counts["rejects"]) == (2, 1)
    out = [json.loads(line) for line in target.read_text().splitlines()]
    assert [row["title"] for row in out] == [NATO, SPACE]
    (reject,) = [json.loads(line) for line in
                 (tmp_path / "out.rejects.jsonl").read_text().splitlines()]
    assert (reject["line"], reject["reason"]) == (3, "duplicate_id")
    assert "no id" in reject["detail"] and "https://a.de/1" in reject["detail"]


def test_batch_dedup_gives_records_without_an_id_the_one_it_used(tmp_path: Path) -> None:
    # duplicate_of and match name the canonical by id: rows from elsewhere often have none.
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write(source, [
        {"url": "https://a.de/1?utm_source=feed", "title": SEED_A},
        {"url": "https://b.de/2", "title": SEED_B},
        {"id": "own-id", "url": "https://c.de/3", "title": SEED_B + " heute"},
    ])
    dedup_file(source, target, DedupParams())
    out = [json.loads(line) for line in target.read_text().splitlines()]
    assert [row["id"] for row in out] == ["https://a.de/1", "https://b.de/2", "own-id"]
    ids = {row["id"] for row in out}
    assert {row["duplicate_of"] for row in out} - {None} <= ids
    assert out[1]["duplicate_of"] == out[1]["match"]["matched_id"] == "https://a.de/1"


def test_batch_dedup_without_a_record_leaves_an_empty_output(tmp_path: Path) -> None:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    target.write_text("an earlier run's records\n")
    _write(source, ["not json", {"url": "https://a.de/2"}])
    assert dedup_file(source, target, DedupParams()) == {
        "records": 0, "rejects": 2, "duplicates": 0, "undated": 0, "unreadable_dates": 0,
        "fields": {}}
    assert target.read_text() == ""
    assert len((tmp_path / "out.rejects.jsonl").read_text().splitlines()) == 2


def test_batch_dedup_replaces_its_output_and_never_writes_over_its_input(
        tmp_path: Path) -> None:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write(source, [{"url": "https://a.de/1", "title": SEED_A}, "not json"])
    dedup_file(source, target, DedupParams())
    first = target.read_text(), (tmp_path / "out.rejects.jsonl").read_text()
    dedup_file(source, target, DedupParams())  # a rerun: the same files, not twice the lines
    assert (target.read_text(), (tmp_path / "out.rejects.jsonl").read_text()) == first
    assert len(first[0].splitlines()) == len(first[1].splitlines()) == 1
    before = source.read_bytes()
    run = run_cli("dedup", str(source), "-o", str(source), cwd=tmp_path)
    assert run.code == 2 and "is the input" in run.stderr  # a usage error
    assert source.read_bytes() == before


def test_batch_dedup_is_order_independent(tmp_path: Path) -> None:
    rows = [{"url": f"https://x.de/{i}", "title": t} for i, t in enumerate(
        [SEED_A, SEED_B, "EU beschließt 14. Sanktionspaket", "EU beschließt 15. Sanktionspaket",
         "Selenskyj trifft Scholz in Berlin", "Selensky trifft Scholz in Berlin"])]
    results = []
    for order in (rows, list(reversed(rows))):
        source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
        _write(source, order)
        target.unlink(missing_ok=True)
        dedup_file(source, target, DedupParams())
        results.append({json.loads(line)["url"]: json.loads(line)["story_id"]
                        for line in target.read_text().splitlines()})
    assert results[0] == results[1]


def _pair(tmp_path: Path) -> Path:
    source = tmp_path / "pair.jsonl"
    _write(source, [
        {"url": "https://a.org/1", "title": "NATO chief says Putin is losing the war in Ukraine",
         "language": "en"},
        {"url": "https://b.org/2", "title": "Putin is losing the Ukraine war, NATO chief warns",
         "language": "en"},
    ])
    return source


def test_title_thresholds_are_options_per_language(tmp_path: Path) -> None:
    source = _pair(tmp_path)
    runs = {}
    for name, extra in (("default", []), ("strict", ["--title-threshold", "en=0.95"]),
                        ("others", ["--title-threshold", "0.95"])):
        target = tmp_path / f"{name}.jsonl"
        run = run_cli("dedup", str(source), "-o", str(target), *extra, cwd=tmp_path)
        assert run.code == 0, run.stderr
        runs[name] = [json.loads(line) for line in target.read_text().splitlines()]
    # The thresholds are the near-duplicate layer's: they decide duplicate_of (a story is
    # the story layer's, which these options leave alone).
    def copies(name: str) -> int:
        return sum(r["duplicate_of"] is not None for r in runs[name])
    assert copies("default") == 1
    assert copies("strict") == 0  # English's own threshold
    assert copies("others") == 1  # English keeps its default


def test_a_malformed_title_threshold_is_a_usage_error(tmp_path: Path) -> None:
    for bad in ("en=high", "en=1.5", "1x=0.3"):
        run = run_cli("dedup", str(_pair(tmp_path)), "--title-threshold", bad, cwd=tmp_path)
        assert run.code == 2, (bad, run.stderr)
        assert "threshold" in run.stderr or "within [0, 1]" in run.stderr


def test_configured_params_keep_the_other_defaults() -> None:
    params = DedupParams.configured(7, ["de=0.5", "0.6"])
    assert params.window_days == 7
    assert params.title_threshold("de") == 0.5
    assert params.title_threshold("en") == DedupParams().title_threshold("en")
    assert params.title_threshold("fr") == params.title_threshold(None) == 0.6
    assert params.fingerprint() == DedupParams().fingerprint()  # thresholds are no signature


def test_batch_dedup_writes_the_same_with_and_without_a_worker(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    _write(source, [
        {"url": "https://a.de/1", "title": SEED_A, "published": "2026-11-07T13:20:00Z"},
        "not json",
        {"url": "https://b.de/2", "title": SEED_B, "published": "2026-11-07T14:02:00Z"},
        {"url": "https://c.de/3"},
        {"url": "https://c.de/4", "title": "Tag 412 des Krieges in der Ukraine"},
    ])
    outputs = []
    for parallel in (False, True):
        target = tmp_path / f"out-{parallel}.jsonl"
        counts = dedup_file(source, target, DedupParams(), parallel=parallel)
        rejects = target.with_name(target.stem + ".rejects.jsonl").read_bytes()
        outputs.append((counts, target.read_bytes(), rejects))
    assert outputs[0] == outputs[1]
    assert outputs[0][0] == {"records": 3, "rejects": 2, "duplicates": 1, "undated": 1,
                             "unreadable_dates": 0, "fields": {}}


def _varied(count: int) -> list[object]:
    """Headlines, copies of them, articles with bodies and bad lines, ``count`` in all."""
    rng = random.Random(count)
    words = [f"wort{n}" for n in range(300)] + ["Putin", "NATO", "Ukraine", "Krieg", "Kiew"]
    rows: list[object] = []
    for n in range(count):
        title = " ".join(rng.choices(words, k=7))
        if n % 10 == 9:
            rows.append("not json" if n % 20 == 9 else {"url": f"https://x.de/{n}"})
        elif n % 5 == 0 and rows and isinstance(rows[-1], dict) and "title" in rows[-1]:
            copy = {"url": f"https://copy.de/{n}", "title": f"{rows[-1]['title']} (VIDEO)"}
            rows.append({**rows[-1], **copy})
        else:
            body = " ".join(rng.choices(words, k=60)) if n % 3 == 0 else None
            rows.append({"url": f"https://a.de/{n}", "title": title, "text": body,
                         "published": f"2026-11-{1 + n % 28:02d}T10:00:00Z"})
    return rows


@pytest.mark.parametrize("parallel", [False, True])
def test_batch_dedup_makes_no_cycles_that_grow_with_its_input(tmp_path: Path,
                                                              parallel: bool) -> None:
    # dedup_file runs without the cyclic collector: whatever it leaves to the collector must
    # be the same for 50 records as for 1,000 (a cycle per record would pile up unfreed).
    # A first run of 20 is not counted: what a process does once (numpy imports numpy.ma at
    # its first np.unique, and numpy.random, inside the run since scipy.integrate, which
    # imported both with crawler.dedup, is no longer imported) makes cycles once.
    found = []
    enabled = gc.isenabled()
    try:
        for count in (20, 50, 1000):
            source, target = tmp_path / f"in{count}.jsonl", tmp_path / f"out{count}.jsonl"
            _write(source, _varied(count))
            gc.collect()
            gc.disable()
            counts = dedup_file(source, target, DedupParams(), parallel=parallel)
            found.append(gc.collect())
            assert counts["rejects"] == count // 10 and counts["duplicates"] > 0
    finally:
        if enabled:
            gc.enable()
    assert found[1] == found[2]


def test_batch_dedup_turns_the_collector_back_on(tmp_path: Path) -> None:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write(source, _varied(30))
    assert gc.isenabled()
    dedup_file(source, target, DedupParams(), parallel=False)
    assert gc.isenabled()
    with pytest.raises(OSError):
        dedup_file(tmp_path / "missing.jsonl", target, DedupParams(), parallel=False)
    assert gc.isenabled()


@pytest.mark.parametrize("parallel", [False, True])
def test_batch_dedup_reads_stdin_with_and_without_a_worker(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parallel: bool) -> None:
    # multiprocessing gives a forked worker /dev/null for stdin: it read nothing, and the
    # run wrote an empty output without a word.
    source = tmp_path / "in.jsonl"
    _write(source, _varied(300))
    from_file = tmp_path / "from-file.jsonl"
    expected = dedup_file(source, from_file, DedupParams(), parallel=parallel)
    from_stdin = tmp_path / "from-stdin.jsonl"
    with source.open("r", encoding="utf-8") as stdin:
        monkeypatch.setattr(sys, "stdin", stdin)
        assert dedup_file(None, from_stdin, DedupParams(), parallel=parallel) == expected
    assert from_stdin.read_bytes() == from_file.read_bytes()
    assert expected["records"] == 270


def test_the_dedup_command_reads_stdin(tmp_path: Path) -> None:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write(source, _varied(300))
    done = subprocess.run([sys.executable, "-m", "crawler.cli", "dedup", "-", "-o", str(target)],
                          input=source.read_bytes(), capture_output=True, timeout=120,
                          check=False, cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 0, done.stderr
    assert len(target.read_text().splitlines()) == 270
    assert len((tmp_path / "out.rejects.jsonl").read_text().splitlines()) == 30


def test_the_dedup_command_without_stories_marks_the_same_copies_and_no_story(
        tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    _write(source, _varied(300))
    assert run_cli("dedup", "in.jsonl", "-o", "both.jsonl", "-q", cwd=tmp_path).code == 0
    alone = run_cli("dedup", "in.jsonl", "-o", "alone.jsonl", "-q", "--no-stories",
                    cwd=tmp_path)
    assert alone.code == 0, alone.stderr
    both, copies = ([json.loads(line) for line in (tmp_path / name).read_text().splitlines()]
                    for name in ("both.jsonl", "alone.jsonl"))
    assert [(r["id"], r["duplicate_of"], r["match"]) for r in copies] == [
        (r["id"], r["duplicate_of"], r["match"]) for r in both]
    assert any(r["duplicate_of"] for r in copies) and any(r["story_match"] for r in both)
    assert {(r["story_id"], r["story_match"]) for r in copies} == {(None, None)}


@pytest.mark.parametrize("layers", [(), ("--no-stories",)])
def test_stories_of_the_file_the_dedup_command_wrote(tmp_path: Path,
                                                     layers: tuple[str, ...]) -> None:
    # With --no-stories every story_id is null: each copy was listed as a story of its own,
    # apart from the original it copies, rather than nested under it.
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write(source, [{"url": "https://a.de/1", "title": SEED_A},
                    {"url": "https://b.de/2", "title": SEED_B},
                    {"url": "https://c.de/4", "title": "Tag 412 des Krieges in der Ukraine"}])
    assert run_cli("dedup", str(source), "-o", str(target), "-q", *layers,
                   cwd=tmp_path).code == 0
    listed = run_cli("stories", str(target), "-q", cwd=tmp_path)
    assert listed.code == 0, listed.stderr
    found = [json.loads(line) for line in listed.stdout.splitlines()]
    assert sorted(story["size"] for story in found) == [1, 2]
    seed = next(story for story in found if story["size"] == 2)
    (original,) = seed["variants"]  # the seed pair: one story, b a duplicate nested under a
    assert [v["url"] for v in (original, *original["duplicates"])] == ["https://a.de/1",
                                                                        "https://b.de/2"]


@pytest.mark.parametrize("parallel", [False, True])
def test_batch_dedup_reads_gzipped_jsonl(tmp_path: Path, parallel: bool) -> None:
    source = tmp_path / "in.jsonl"
    _write(source, _varied(200))
    packed = tmp_path / "in.data"  # recognised by its bytes, not its name
    packed.write_bytes(gzip.compress(source.read_bytes()))
    plain, unpacked = tmp_path / "plain.jsonl", tmp_path / "unpacked.jsonl"
    expected = dedup_file(source, plain, DedupParams(), parallel=parallel)
    assert dedup_file(packed, unpacked, DedupParams(), parallel=parallel) == expected
    assert unpacked.read_bytes() == plain.read_bytes() and expected["records"] == 180


@pytest.mark.parametrize("parallel", [False, True])
def test_a_truncated_gzip_fails_the_run_naming_the_file(tmp_path: Path, parallel: bool) -> None:
    source = tmp_path / "in.jsonl.gz"
    packed = gzip.compress("".join(json.dumps(row) + "\n" for row in _varied(300)).encode())
    source.write_bytes(packed[:len(packed) // 2])
    with pytest.raises(InputError, match=r"in\.jsonl\.gz: truncated or corrupt gzip"):
        dedup_file(source, tmp_path / "out.jsonl", DedupParams(), parallel=parallel)
    done = run_cli("dedup", str(source), "-o", str(tmp_path / "cli.jsonl"), cwd=tmp_path)
    assert done.code == 65 and "truncated or corrupt gzip" in done.stderr


def test_the_dedup_command_reads_a_pipe_given_as_a_path(tmp_path: Path) -> None:
    # As `policywire dedup <(zcat archive.jsonl.gz)` does: the path is a pipe, no file.
    source, fifo, target = tmp_path / "in.jsonl", tmp_path / "in.fifo", tmp_path / "out.jsonl"
    _write(source, _varied(100))
    os.mkfifo(fifo)
    feeder = threading.Thread(target=lambda: fifo.write_bytes(source.read_bytes()),
                              daemon=True)  # blocked for good if nothing reads the pipe
    feeder.start()
    run = run_cli("dedup", str(fifo), "-o", str(target), "-q", cwd=tmp_path)
    feeder.join(timeout=10)
    assert run.code == 0, run.stderr
    assert len(target.read_text().splitlines()) == 90


def test_batch_dedup_reads_a_file_with_a_byte_order_mark_and_crlf(tmp_path: Path) -> None:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    lines = [json.dumps({"url": "https://a.de/1", "title": SEED_A}),
             json.dumps({"url": "https://b.de/2", "title": SEED_B})]
    source.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode() + b"\r\n")
    counts = dedup_file(source, target, DedupParams())
    assert (counts["records"], counts["rejects"], counts["duplicates"]) == (2, 0, 1)


# Wire copy: one body under two headlines that share too little to merge by title.
WIRE = ("Die Verteidigungsminister der Allianz haben sich in Brüssel auf einen neuen Plan zur"
        " Stärkung der Ostflanke geeinigt. Demnach sollen zusätzliche Brigaden in Litauen,"
        " Lettland und Estland stationiert werden, um die Abschreckung gegenüber Russland zu"
        " erhöhen. Der Generalsekretär sprach von einem historischen Schritt für die"
        " gemeinsame Verteidigung und kündigte weitere Beratungen im Frühjahr an.")


def news_please_row(url: str, title: str, published: str, text: str = "") -> dict[str, object]:
    return {"authors": [], "date_download": "2026-11-08 09:00:00", "date_publish": published,
            "language": "de", "maintext": text or None, "source_domain": url.split("/")[2],
            "title": title, "url": url}


@pytest.mark.parametrize("parallel", [False, True])
def test_batch_dedup_reads_what_news_please_writes(tmp_path: Path, parallel: bool) -> None:
    # Before: no date (order by URL: a.de canonical) and no body (the wire copy two stories).
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write(source, [
        news_please_row("https://a.de/1", SEED_A, "2026-11-07 14:02:00"),
        news_please_row("https://b.de/2", SEED_B, "Sat, 07 Nov 2026 13:20:00 GMT"),
        news_please_row("https://c.de/3", "Allianz einigt sich auf Ostflanken-Plan",
                     "2026-11-07 10:00:00", WIRE),
        news_please_row("https://d.de/4", "Mehr Soldaten für das Baltikum",
                     "2026-11-07 10:30:00", WIRE),
    ])
    counts = dedup_file(source, target, DedupParams(), parallel=parallel)
    assert counts == {"records": 4, "rejects": 0, "duplicates": 2, "undated": 0,
                      "unreadable_dates": 0,
                      "fields": {"text": {"maintext": 2}, "published": {"date_publish": 4},
                                 "source": {"source_domain": 4}}}
    out = {row["url"]: row for row in map(json.loads, target.read_text().splitlines())}
    assert out["https://a.de/1"]["duplicate_of"] == "https://b.de/2"  # the earlier one
    assert out["https://d.de/4"]["duplicate_of"] == "https://c.de/3"
    assert out["https://d.de/4"]["match"]["rule"] == "body"
    assert "published" not in out["https://a.de/1"]  # written back as it came, plus ours


@pytest.mark.parametrize("parallel", [False, True])
def test_batch_dedup_counts_and_logs_unreadable_dates(
        tmp_path: Path, parallel: bool, caplog: pytest.LogCaptureFixture) -> None:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write(source, [
        {"url": "https://a.de/1", "title": SEED_A, "pubDate": "gestern"},
        {"url": "https://b.de/2", "title": SEED_B, "published": "2026-11-07T14:02:00Z"},
        {"url": "https://c.de/3", "title": "Tag 412 des Krieges"},
    ])
    counts = dedup_file(source, target, DedupParams(), parallel=parallel)
    assert (counts["records"], counts["undated"], counts["unreadable_dates"]) == (3, 2, 1)
    assert counts["fields"] == {"published": {"pubDate": 1}}
    assert len(target.read_text().splitlines()) == 3  # merged as undated, not lost
    assert "1 records have a date that cannot be read (line 1: 'gestern')" in caplog.text


def test_batch_dedup_rejects_say_what_a_present_url_or_title_holds(tmp_path: Path) -> None:
    # Before: a url that is a number and a title that is a list or blank were rejected as
    # "no url" and "no title", though the row has both keys: the user looked for a typo.
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write(source, [{"url": 5, "title": SEED_A}, {"url": "https://a.de/1", "title": ["a"]},
                    {"url": "https://b.de/2", "title": "  "}])
    dedup_file(source, target, DedupParams())
    details = [json.loads(line)["detail"]
               for line in (tmp_path / "out.rejects.jsonl").read_text().splitlines()]
    assert details == [
        "url is a number (5), not text (keys tried: url, link, source; map yours with"
        " --field url=KEY)",
        "title is a list (['a']), not text (keys tried: title, headline; map yours with"
        " --field title=KEY)",
        "title is blank (keys tried: title, headline; map yours with --field title=KEY)"]


def test_batch_dedup_rejects_name_the_keys_they_looked_for(tmp_path: Path) -> None:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write(source, [{"Überschrift": SEED_A, "adresse": "https://a.de/1"}])
    dedup_file(source, target, DedupParams())
    (reject,) = map(json.loads, (tmp_path / "out.rejects.jsonl").read_text().splitlines())
    assert reject["detail"] == (
        "no url (keys tried: url, link, source; map yours with --field url=KEY); no title"
        " (keys tried: title, headline; map yours with --field title=KEY)")


def test_dedup_command_reads_the_keys_given_with_field(tmp_path: Path) -> None:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write(source, [
        {"Überschrift": SEED_A, "adresse": "https://a.de/1", "zeit": "2026-11-07T14:02:00Z"},
        {"Überschrift": SEED_B, "adresse": "https://b.de/2", "zeit": "2026-11-07T13:20:00Z"},
    ])
    run = run_cli("dedup", str(source), "-o", str(target), "--field", "title=Überschrift",
                  "--field", "url=adresse", "--field", "published=zeit", cwd=tmp_path)
    assert run.code == 0, run.stderr
    counts = json.loads(run.stderr.splitlines()[-1])
    assert counts["fields"]["title"] == {"Überschrift": 2}
    first, second = map(json.loads, target.read_text().splitlines())
    assert first["duplicate_of"] == "https://b.de/2" and second["duplicate_of"] is None
    run = run_cli("dedup", str(source), "--field", "titel", cwd=tmp_path)
    assert run.code == 2 and "expected FIELD=KEY" in run.stderr
