"""The merge stage in chunks (issue #7): records wait in a spool on disk and are read back,
seen-checked, assigned and written a chunk at a time, with the same output as one batch."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path
from typing import Any

import msgspec
import pytest

from crawler import delivery
from crawler.dedup import DedupParams, StoryIndex
from crawler.merge import RunMerger
from crawler.models import Record, Reject
from crawler.runs import MergeTargets
from crawler.spool import Spool, sweep
from crawler.state import StateStore

STARTED = "2026-11-29T06:00:00Z"
FINISHED = "2026-11-29T07:00:00Z"


def _word(rng: random.Random) -> str:
    return "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(4))


def _records(pairs: int, singles: int, seed: int = 1) -> list[Record]:
    """``pairs`` stories of two near-identical titles (one with a media tag and a word less)
    and ``singles`` stories of one, with no words shared between stories; shuffled."""
    rng = random.Random(seed)
    made: list[Record] = []
    for story in range(pairs + singles):
        words = [_word(rng).capitalize() for _ in range(7)]
        day, hour = rng.randint(1, 28), rng.randint(0, 23)
        for copy in range(2 if story < pairs else 1):
            key = f"id{len(made):05d}"
            title = " ".join(words if copy == 0 else [*words[:6], "(VIDEO)"])
            published = f"2026-11-{day:02d}T{hour:02d}:{copy * 7:02d}:00Z"
            made.append(Record(
                id=key, url=f"https://s{len(made) % 3}.example/{key}", source=f"s{len(made) % 3}",
                title=title, title_raw=title, fetched_at=STARTED, published=published,
                language="de", content_hash=f"h-{key}"))
    rng.shuffle(made)
    return made


def _rejects(count: int) -> list[Reject]:
    rng = random.Random(2)
    return [Reject(reason=rng.choice(["missing_link", "download_error"]), source=f"s{n % 3}",
                   url=rng.choice([None, f"https://x.example/{n}"]), run_id="run1")
            for n in range(count)]


def _merge(root: Path, records: list[Record], rejects: list[Reject] = (),  # type: ignore[assignment]
           chunk_size: int | None = None, run_id: str = "run1") -> dict[str, bytes]:
    """One run into ``root``; the output files' bytes by path relative to the output dir."""
    state = StateStore(root / "state")
    try:
        merger = RunMerger(run_id, STARTED, targets=MergeTargets(output_dir=root / "out"),
                           state=state, state_dir=root / "state", params=DedupParams(),
                           chunk_size=chunk_size)
        for record in records:
            merger.add(record, f"fp-{record.id}")
        for reject in rejects:
            merger.add(reject)
        merger.finish(FINISHED)
    finally:
        state.close()
    out = root / "out"
    return {str(p.relative_to(out)): p.read_bytes().replace(str(root).encode(), b"<root>")
            for p in sorted(out.rglob("*.jsonl"))}


def _lines(output: dict[str, bytes], kind: str) -> list[dict[str, Any]]:
    return [json.loads(line) for name, data in output.items() if kind in name
            for line in data.splitlines()]


def test_a_run_bigger_than_a_chunk_gets_the_stories_of_one_batch(tmp_path: Path) -> None:
    records = _records(pairs=15, singles=12)
    whole = _merge(tmp_path / "whole", records)
    chunked = _merge(tmp_path / "chunked", records, chunk_size=7)
    written = _lines(whole, "records-")
    assert sum(r["duplicate_of"] is not None for r in written) == 15
    # Some pairs straddle a chunk boundary: their later record joins a stored story.
    position = {r["id"]: n for n, r in enumerate(written)}
    assert any(position[r["id"]] // 7 != position[r["duplicate_of"]] // 7
               for r in written if r["duplicate_of"])
    assert {k: v for k, v in chunked.items() if "records-" in k} == \
        {k: v for k, v in whole.items() if "records-" in k}


def test_a_record_matching_two_stories_joins_the_earliest_in_chunks_as_in_one_batch(
        tmp_path: Path) -> None:
    """A record that matches two stories joins the one with the earliest canonical, never
    unites them: the same in one batch and across chunks (earlier chunks' stories are
    written already, and output is append-only)."""
    words = ["Kanzler", "Gipfel", "Bruessel", "Haushalt", "Einigung", "Streit", "Nacht"]
    titles = [[*words[:4], "Lorem", "Ipsum", "Quatro"], [*words[3:], "Dolor", "Amet", "Sitz"],
              words]  # a0 and a1 share one word; a2 shares four with each
    records = [Record(id=f"a{n}", url=f"https://s.example/a{n}", source="s", title=" ".join(t),
                      title_raw=" ".join(t), fetched_at=STARTED, language="de",
                      published=f"2026-11-2{n}T10:00:00Z", content_hash=f"a{n}")
               for n, t in enumerate(titles)]
    whole = {r["id"]: r["story_id"] for r in _lines(_merge(tmp_path / "w", records), "records-")}
    chunked = {r["id"]: r["story_id"]
               for r in _lines(_merge(tmp_path / "c", records, chunk_size=2), "records-")}
    assert whole == chunked
    assert whole["a0"] != whole["a1"]
    assert whole["a2"] == whole["a0"]


@pytest.mark.parametrize("extra", [-1, 0, 1])
def test_runs_at_the_chunk_boundary_write_what_one_batch_writes(
        tmp_path: Path, extra: int) -> None:
    records = _records(pairs=4, singles=4)  # 12 records
    size = len(records) + extra
    whole = _merge(tmp_path / "whole", records, _rejects(5))
    chunked = _merge(tmp_path / "chunked", records, _rejects(5), chunk_size=size)
    if size >= len(records):
        assert chunked == whole  # one chunk: every byte, the manifest included
    else:
        assert {k: v for k, v in chunked.items() if k != "runs.jsonl"} == \
            {k: v for k, v in whole.items() if k != "runs.jsonl"}


def test_a_repeated_id_in_two_chunks_is_written_once(tmp_path: Path) -> None:
    records = _records(pairs=0, singles=10)
    later = msgspec.structs.replace(records[0], published="2026-12-31T00:00:00Z",
                                    content_hash="other")
    chunked = _lines(_merge(tmp_path / "c", [*records, later], chunk_size=3), "records-")
    whole = _lines(_merge(tmp_path / "w", [*records, later]), "records-")
    assert chunked == whole
    assert [r["id"] for r in chunked].count(records[0].id) == 1


def test_a_second_run_in_chunks_revises_what_changed_as_one_batch_does(tmp_path: Path) -> None:
    first = _records(pairs=6, singles=6)
    second = [msgspec.structs.replace(r, content_hash=r.content_hash + "'") if n % 3 == 0
              else r for n, r in enumerate(first)]
    outputs = []
    for name, size in (("whole", None), ("chunked", 5)):
        _merge(tmp_path / name, first, chunk_size=size, run_id="run1")
        outputs.append(_merge(tmp_path / name, second, chunk_size=size, run_id="run2"))
    whole, chunked = outputs
    assert chunked == whole
    [summary] = [json.loads(line) for line in whole["runs.jsonl"].splitlines()[1:]]
    assert summary["totals"]["revised"] == 6 and summary["totals"]["unchanged"] == 12


def test_the_manifest_describes_the_appended_files_exactly(tmp_path: Path) -> None:
    _merge(tmp_path, _records(pairs=5, singles=5), _rejects(4), chunk_size=4)
    [summary] = [json.loads(line) for line in
                 (tmp_path / "out" / "runs.jsonl").read_text().splitlines()]
    assert len(summary["files"]) == 2
    for described in summary["files"]:
        data = Path(described["path"]).read_bytes()
        assert described["bytes"] == len(data)
        assert described["lines"] == data.count(b"\n")
        assert described["sha256"] == hashlib.sha256(data).hexdigest()


def test_the_spool_is_removed_after_a_run(tmp_path: Path) -> None:
    _merge(tmp_path, _records(pairs=2, singles=2), _rejects(2), chunk_size=3)
    assert list((tmp_path / "state" / "spool").iterdir()) == []


def test_a_failed_run_removes_its_spool_and_rolls_back_state_and_output(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    records = _records(pairs=3, singles=6)
    calls = 0
    real = StoryIndex.assign

    def assign_twice(self: StoryIndex, docs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OSError(28, "No space left on device")
        return real(self, docs)

    monkeypatch.setattr(StoryIndex, "assign", assign_twice)
    monkeypatch.setattr(delivery, "_BLOCK_BYTES", 1)  # each line to disk as it comes
    with pytest.raises(OSError, match="No space left"):
        _merge(tmp_path, records, chunk_size=4)
    assert list((tmp_path / "state" / "spool").iterdir()) == []
    # The first chunk was on disk already: cut back to nothing and kept in quarantine.
    [written] = (tmp_path / "out").rglob("records-*.jsonl")
    assert written.read_bytes() == b""
    assert list((tmp_path / "state" / "quarantine").iterdir())
    state = StateStore(tmp_path / "state")
    try:
        assert state.seen(r.id for r in records) == {}
        assert state.pending_deliveries() == []
    finally:
        state.close()


def test_a_killed_runs_spool_is_swept_and_a_live_one_is_kept(tmp_path: Path) -> None:
    parent = tmp_path / "spool"
    live = Spool(parent)
    dead = parent / "run-dead"
    dead.mkdir()
    (dead / "owner.lock").touch()  # nobody holds its lock: its process is gone
    (dead / "spool.sqlite3").write_bytes(b"x" * 100)
    assert sweep(parent) == 1
    assert not dead.exists() and live.path.exists()
    live.close()
    assert not live.path.exists()


def test_the_spool_reads_records_back_in_the_merge_order(tmp_path: Path) -> None:
    records = _records(pairs=5, singles=20, seed=7)
    undated = msgspec.structs.replace(records[3], id="zz", published=None)
    twin = msgspec.structs.replace(records[5], content_hash="twin")  # equal key: arrival order
    spool = Spool(tmp_path)
    try:
        arrived = [*records, undated, twin]
        for record in arrived:
            spool.add_record(record, None)
        got = [r for chunk in spool.records(4) for r, _ in chunk]
        assert got == sorted(arrived, key=lambda r: (r.published or "9999", r.url, r.id))
        assert [len(c) for c in spool.records(None)] == [len(arrived)]
    finally:
        spool.close()


def test_two_sources_entries_of_one_article_give_one_output_in_any_order(
        tmp_path: Path) -> None:
    """One article (one id) from two sources, of one date: which is written and which is
    counted also_in_run follows the source's name, not which feed answered first."""
    desk = Record(id="one", url="https://s.example/one", source="desk", title="Talks resume",
                  title_raw="Talks resume", fetched_at=STARTED, language="en",
                  published="2026-11-20T10:00:00Z", content_hash="desk")
    wire = msgspec.structs.replace(desk, source="wire", content_hash="wire")
    first = _merge(tmp_path / "a", [desk, wire])
    second = _merge(tmp_path / "b", [wire, desk])
    assert {k: v for k, v in first.items() if k != "runs.jsonl"} == \
        {k: v for k, v in second.items() if k != "runs.jsonl"}
    assert [r["source"] for r in _lines(first, "records-")] == ["desk"]
    counts = _lines(second, "runs.jsonl")[0]["sources"]
    assert (counts["desk"]["records"], counts["wire"]["also_in_run"]) == (1, 1)
