"""Batch merging of large inputs with bounded memory (``policywire dedup IN.jsonl``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from crawler.dedup.index import StoryIndex, parse_timestamp
from crawler.dedup.params import DedupParams
from crawler.dedup.store import SignatureStore
from crawler.dedup.types import Decision, Doc

#: Records per batch: enough that a story's copies, published within minutes of each other,
#: mostly land in one batch (and the earliest becomes canonical), small enough to keep only
#: a batch of documents in memory.
BATCH_SIZE = 5_000


def dedup_stream(docs: Iterable[Doc], params: DedupParams, store: SignatureStore | None = None,
                 batch_size: int = BATCH_SIZE, now: float | None = None) -> Iterator[Decision]:
    """Decisions for ``docs``, batch by batch, in input order within each batch.

    Memory holds one batch of documents plus the index's signatures of the last
    ``params.window_days`` (measured from the newest record seen, so an archive replays like
    the days it covers). The trade-off of batches: a batch is sorted and clustered as a whole,
    but a record cannot change a story formed in an earlier batch; if it is published before
    that story's canonical record, it joins the story anyway (output is append-only). Input
    in roughly chronological order gives the same stories as one big batch.

    Signatures are flushed to ``store`` after the consumer took a batch's decisions (the
    generator resumes only then), so a consumer that writes each decision before asking for
    the next one never has signatures stored for records it did not write.
    """
    index = StoryIndex(params, store, now=now)
    newest = -float("inf")
    for batch in _batches(docs, batch_size):
        yield from index.assign(batch)
        index.flush()
        dates = [ts for doc in batch if (ts := parse_timestamp(doc.published)) is not None]
        newest = max([newest, *dates])
        if dates:
            index.evict(now=newest)


def _batches(docs: Iterable[Doc], size: int) -> Iterator[list[Doc]]:
    # itertools.batched arrives with Python 3.12; we support 3.11.
    items = iter(docs)
    while batch := list(islice(items, size)):
        yield batch
