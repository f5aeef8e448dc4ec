"""A worker's batch (crawler.runs.RunBatch) carries what the one merge needs to remember."""

from __future__ import annotations

from pathlib import Path

from crawler.dedup import DedupParams
from crawler.merge import RunMerger
from crawler.models import Record
from crawler.runs import MergeTargets, RunBatch, decode_batch, encode_batch
from crawler.state import StateStore

STARTED, FINISHED = "2026-12-07T06:00:00Z", "2026-12-07T07:00:00Z"


def _record(key: str) -> Record:
    return Record(id=key, url=f"https://a.example/{key}", source="a", title="Ministers agree on"
                  " export controls", title_raw="Ministers agree on export controls",
                  fetched_at=STARTED, published="2026-12-07T05:00:00Z", language="en",
                  content_hash=f"h-{key}")


def test_a_batch_keeps_each_feeds_entry_fingerprint_of_one_article(tmp_path: Path) -> None:
    # A home page announcing an RSS and an Atom feed of the same articles: one id, an entry
    # (and its fingerprint) from each feed. The batch kept the last fingerprint only, so in
    # scale-out the other feed's entry was never "unchanged" and fetched its page every run
    # (the merge of one machine keeps both since the spool does).
    batch = RunBatch()
    for fp in ("fp-rss", "fp-atom", "fp-rss"):
        batch.add(_record("x1"), fp)
    handed = decode_batch(encode_batch(batch))  # as a worker hands it to the merge
    state = StateStore(tmp_path / "state")
    try:
        merger = RunMerger("run1", STARTED, targets=MergeTargets(output_dir=tmp_path / "out"),
                           state=state, state_dir=tmp_path / "state", params=DedupParams())
        merger.absorb(handed)
        merger.finish(FINISHED)
        stored = state.entry_fingerprints(["x1"])
    finally:
        state.close()
    assert sorted(stored["x1"].split()) == ["fp-atom", "fp-rss"]
