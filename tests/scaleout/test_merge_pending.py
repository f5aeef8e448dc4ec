"""The merger's side of scale-out, in-process against a real redis-server: batches handed
over by workers are merged once, into one run, with the shared state and the shared index."""

from __future__ import annotations

import multiprocessing
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from crawler.delivery import Delivery
from crawler.errors import IncompatibleState
from crawler.models import FeedPoll, Record, Reject
from crawler.runs import RunBatch, encode_batch
from crawler.scaleout.batches import pending, publish, start_round
from crawler.scaleout.keys import Keys
from crawler.scaleout.spec import CrawlJob, RoundOptions, WorkerOptions
from crawler.scaleout.tasks import merge_pending, recover_output
from crawler.sources import Source
from crawler.state import RedisStateStore
from crawler.state.redis_client import connect
from tests.conftest import read_jsonl, records_under, rejects_under


def _record(key: str, title: str, source: str, published: str) -> Record:
    return Record(id=key, url=f"https://{source}.example/{key}", source=source, title=title,
                  title_raw=title, fetched_at="2026-11-29T06:00:00Z", published=published,
                  language="de", content_hash=f"h-{key}")


def _batch(source: str, *records: Record, rejects: tuple[Reject, ...] = ()) -> bytes:
    poll = FeedPoll(source, f"https://{source}.example/feed", 200, etag=f'"{source}"')
    return encode_batch(RunBatch(records=list(records), rejects=list(rejects), polls=[poll]))


@pytest.fixture
def job(redis_url: str) -> CrawlJob:
    return CrawlJob(redis_url, f"t{secrets.token_hex(4)}", "r1",
                    Source("a", "https://a.example/feed"), RoundOptions())


SEED_A = "NATO: Wladimir Putin scheitert im Krieg in der Ukraine (VIDEO)"
SEED_B = "NATO-Wladimir Putin scheitert am Ukraine-Krieg (VIDEO)"


def test_a_round_completes_only_with_its_last_job(job: CrawlJob) -> None:
    client, keys = connect(job.redis_url), Keys(job.namespace)
    start_round(client, keys, "r1", 2)
    assert not publish(client, keys, "r1", "a", b"x")
    assert publish(client, keys, "r1", "b", None)  # a locked source counts, hands nothing over
    assert [p.source for p in pending(client, keys)] == ["a"]


def test_pending_batches_merge_once_into_one_run(job: CrawlJob, tmp_path: Path) -> None:
    client, keys = connect(job.redis_url), Keys(job.namespace)
    worker = WorkerOptions(output_dir=tmp_path / "out", state_dir=tmp_path / "st")
    start_round(client, keys, "r1", 2)
    bad = Reject(reason="missing_link", url=None, source="b", run_id="r1")
    publish(client, keys, "r1", "a", _batch("a", _record("a1", SEED_A, "a",
                                                          "2026-11-29T05:00:00Z")))
    publish(client, keys, "r1", "b", _batch("b", _record("b1", SEED_B, "b",
                                                          "2026-11-29T04:00:00Z"),
                                            rejects=(bad, bad)))
    merged = merge_pending(job, worker, client)
    assert merged["batches"] == 2 and merged["totals"]["records"] == 2
    records = {r["id"]: r for r in records_under(tmp_path / "out")}
    assert records["a1"]["story_id"] == records["b1"]["story_id"]
    assert records["a1"]["duplicate_of"] == "b1"  # the earlier one is canonical
    assert len(rejects_under(tmp_path / "out")) == 2  # two entries, two lines
    assert pending(client, keys) == []  # consumed in the commit's transaction
    state = RedisStateStore(job.redis_url, namespace=job.namespace)
    assert set(state.seen(["a1", "b1"])) == {"a1", "b1"}
    feed = state.feed_state("a", "https://a.example/feed")
    assert feed is not None and feed.etag == '"a"'
    state.close()
    assert merge_pending(job, worker, client) == {}  # nothing waiting: no empty run


def test_a_later_round_joins_stories_through_the_shared_index_and_state(
    job: CrawlJob, tmp_path: Path
) -> None:
    client, keys = connect(job.redis_url), Keys(job.namespace)
    # Yesterday's records: a later round matches within the near-duplicate window before the
    # clock (a fixed day here failed once it was 30 days old).
    day = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    start_round(client, keys, "r1", 1)
    publish(client, keys, "r1", "a", _batch("a", _record("a1", SEED_A, "a",
                                                          f"{day}T05:00:00Z")))
    merge_pending(job, WorkerOptions(output_dir=tmp_path / "w1", state_dir=tmp_path / "s1"),
                  client)
    # Another worker, another machine's output directory, a later round.
    start_round(client, keys, "r2", 1)
    publish(client, keys, "r2", "b", _batch("b", _record("b1", SEED_B, "b",
                                                          f"{day}T06:00:00Z"),
                                            _record("a1", SEED_A, "a",
                                                    f"{day}T05:00:00Z")))
    merge_pending(job, WorkerOptions(output_dir=tmp_path / "w2", state_dir=tmp_path / "s2"),
                  client)
    first, second = records_under(tmp_path / "w1"), records_under(tmp_path / "w2")
    assert [r["id"] for r in second] == ["b1"]  # a1 was seen: unchanged, not written again
    assert second[0]["duplicate_of"] == "a1"
    assert second[0]["story_id"] == first[0]["story_id"]
    # The story came from the shared state too: the copy joined its original's story.
    assert (second[0]["story_match"]["rule"], second[0]["story_match"]["record_id"]) == (
        "duplicate", "a1")
    state = RedisStateStore(job.redis_url, namespace=job.namespace)
    assert [s.story_id for s in state.load_stories(0.0)] == [first[0]["story_id"]]
    state.close()
    manifest = read_jsonl(tmp_path / "w2" / "runs.jsonl")[0]
    assert manifest["totals"]["unchanged"] == 1


def test_a_backfill_split_over_two_rounds_matches_as_one_round(job: CrawlJob,
                                                              tmp_path: Path) -> None:
    # Records of March 2020, older than the window on any day this runs. Before, the shared
    # state kept and loaded signatures by published date: round 1 evicted its own at its
    # end, and round 2's copy met nothing (one round matched the two).
    client, keys = connect(job.redis_url), Keys(job.namespace)
    old_a = _record("a1", SEED_A, "a", "2020-03-07T05:00:00Z")
    old_b = _record("b1", SEED_B, "b", "2020-03-07T06:00:00Z")
    start_round(client, keys, "r1", 1)
    publish(client, keys, "r1", "a", _batch("a", old_a))
    merge_pending(job, WorkerOptions(output_dir=tmp_path / "w1", state_dir=tmp_path / "s1"),
                  client)
    start_round(client, keys, "r2", 1)
    publish(client, keys, "r2", "b", _batch("b", old_b))
    merge_pending(job, WorkerOptions(output_dir=tmp_path / "w2", state_dir=tmp_path / "s2"),
                  client)
    first, second = records_under(tmp_path / "w1"), records_under(tmp_path / "w2")
    assert second[0]["duplicate_of"] == "a1"
    assert second[0]["story_id"] == first[0]["story_id"]


def test_an_older_batch_of_a_source_does_not_report_its_problems_again(
    job: CrawlJob, tmp_path: Path
) -> None:
    client, keys = connect(job.redis_url), Keys(job.namespace)
    bad = Reject(reason="feed_unparseable", url="https://b.example/feed", source="b",
                 run_id="r1")
    start_round(client, keys, "dead", 2)  # its other job's worker died: never completes
    publish(client, keys, "dead", "b", _batch("b", rejects=(bad,)))
    start_round(client, keys, "r2", 1)
    publish(client, keys, "r2", "b", _batch("b", rejects=(bad,)))
    merge_pending(job, WorkerOptions(output_dir=tmp_path / "out", state_dir=tmp_path / "st"),
                  client)
    assert len(rejects_under(tmp_path / "out")) == 1


def _merge_in_child(job: CrawlJob, folder: str, side: int, barrier: Any) -> None:
    client = connect(job.redis_url)
    barrier.wait()
    merge_pending(job, WorkerOptions(output_dir=Path(folder) / f"out{side}",
                                     state_dir=Path(folder) / f"st{side}"), client)


def test_two_mergers_at_once_leak_no_pair(job: CrawlJob, tmp_path: Path) -> None:
    """Two rounds complete at the same moment on two machines: the merge lock lets one decide
    at a time, so every pair still ends in one story (check-then-insert would split some)."""
    client, keys = connect(job.redis_url), Keys(job.namespace)
    titles = [(f"Minister {n} besucht Werft in Kiel und lobt Fregatten {n}",
               f"Minister {n} lobt Fregatten und besucht Kieler Werft {n} (VIDEO)")
              for n in range(40)]
    for side in (0, 1):
        start_round(client, keys, f"r{side}", 1)
        records = [_record(f"{side}-{n}", pair[side], f"s{side}", "2026-11-29T05:00:00Z")
                   for n, pair in enumerate(titles)]
        publish(client, keys, f"r{side}", f"s{side}", _batch(f"s{side}", *records))
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(2)
    procs = [context.Process(target=_merge_in_child, args=(job, str(tmp_path), side, barrier))
             for side in (0, 1)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=120)
        assert proc.exitcode == 0
    records = records_under(tmp_path)
    assert len(records) == 80, "a batch merged twice"
    stories = {r["id"]: r["story_id"] for r in records}
    assert all(stories[f"0-{n}"] == stories[f"1-{n}"] for n in range(40))


def test_a_worker_start_cuts_back_its_directory_s_interrupted_merge(
    job: CrawlJob, tmp_path: Path
) -> None:
    mine = WorkerOptions(output_dir=tmp_path / "out", state_dir=tmp_path / "st")
    theirs = WorkerOptions(output_dir=tmp_path / "other", state_dir=tmp_path / "st2")
    target = tmp_path / "out" / "records.jsonl"
    target.parent.mkdir()
    target.write_bytes(b'{"id": "a"}\n')
    for worker in (mine, theirs):  # both journal; neither commits (killed mid-merge)
        state = RedisStateStore(job.redis_url, namespace=job.namespace, writer=worker.writer)
        Delivery(state, worker.state_dir).journal(f"run-{worker.output_dir.name}", [target])
        state.close()
    with target.open("ab") as handle:
        handle.write(b'{"id": "b"}\n{"id": "c", "ti')
    assert recover_output(job.redis_url, job.namespace, mine) == 1
    assert target.read_bytes() == b'{"id": "a"}\n'
    assert list((tmp_path / "st" / "quarantine").iterdir())
    # The other directory's journal is its own: only its own worker recovers it.
    state = RedisStateStore(job.redis_url, namespace=job.namespace, writer=theirs.writer)
    assert len(state.pending_deliveries()) == 1
    state.close()


def test_a_shared_state_with_stories_of_other_parameters_refuses_to_merge(
    job: CrawlJob, tmp_path: Path
) -> None:
    client, keys = connect(job.redis_url), Keys(job.namespace)
    state = RedisStateStore(job.redis_url, namespace=job.namespace)
    state.set_story_params_fingerprint("old")
    state.close()
    start_round(client, keys, "r1", 1)
    publish(client, keys, "r1", "a", _batch("a", _record("a1", SEED_A, "a",
                                                          "2026-11-29T05:00:00Z")))
    worker = WorkerOptions(output_dir=tmp_path / "out", state_dir=tmp_path / "st")
    with pytest.raises(IncompatibleState, match="policywire reindex"):
        merge_pending(job, worker, client)
    assert [p.source for p in pending(client, keys)] == ["a"]  # kept for a later merge
    assert records_under(tmp_path / "out") == []
