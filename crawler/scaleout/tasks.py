"""The RQ job: crawl one source in this (freshly forked) process, hand the batch over, and
merge when this job completes its round. Runs inside ``policywire worker``'s work horses."""

from __future__ import annotations

import logging
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawler import settings
from crawler.dedup import DedupParams, check_datasketch
from crawler.delivery import Delivery
from crawler.jobs import CrawlOptions, collect
from crawler.merge import RunMerger
from crawler.models import Reject
from crawler.normalize import to_iso
from crawler.pipelines import run_versions
from crawler.runs import MergeTargets, RunBatch, decode_batch, encode_batch, run_id_for
from crawler.scaleout.batches import Pending, pending, publish
from crawler.scaleout.keys import Keys
from crawler.scaleout.spec import CrawlJob, WorkerOptions
from crawler.state import RedisLock, RedisStateStore
from crawler.state.redis_client import client_keywords, connect

logger = logging.getLogger(__name__)

# Merges are short (seconds per thousand records); a merger that died frees the lock soon.
MERGE_LOCK_TTL_S = 120.0
MERGE_LOCK_WAIT_S = 3600.0


def crawl_source(data: dict[str, Any]) -> dict[str, Any]:
    """Job entry point (RQ calls it by name with the JSON ``enqueue`` stored)."""
    job = CrawlJob.from_json(data)
    worker = WorkerOptions.current()
    # No automatic retries (redis_client.connect): a retried MULTI could hand a batch over twice.
    client = connect(job.redis_url)
    keys = Keys(job.namespace)
    lock = RedisLock(client, keys.source_lock(job.source.name), job.options.lock_ttl)
    if not lock.acquire():
        # Another worker (of an overlapping round) is crawling it: that round hands it over.
        logger.warning("source %s is being crawled by another worker; skipped", job.source.name)
        status, complete = "locked", publish(client, keys, job.round_id, job.source.name, None)
    else:
        try:
            status, batch = _crawl(job, worker)
            complete = publish(client, keys, job.round_id, job.source.name, batch)
        finally:
            lock.release()
    outcome: dict[str, Any] = {"source": job.source.name, "round": job.round_id,
                               "status": status}
    if complete:
        outcome["merged"] = merge_pending(job, worker, client)
    return outcome


def _crawl(job: CrawlJob, worker: WorkerOptions) -> tuple[str, bytes]:
    options = CrawlOptions(
        output_dir=worker.output_dir, allow_private_addresses=worker.allow_private_addresses,
        log_level=worker.log_level, window_days=job.options.window_days,
        title_thresholds=job.options.title_thresholds, since=job.options.since,
        until=job.options.until, topics_file=job.options.topics_file,
    )
    extra = {
        "POLICYWIRE_STATE_DIR": job.redis_url, "POLICYWIRE_STATE_NAMESPACE": job.namespace,
        # The shared pacer takes over Scrapy's per-process delay (see SharedPacerMiddleware).
        "POLICYWIRE_PACER_URL": job.redis_url,
        "POLICYWIRE_PACER_INTERVAL": job.source.download_delay or settings.DOWNLOAD_DELAY,
        "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_SLOTS": {},
    }
    with tempfile.TemporaryDirectory(prefix="policywire-batch-") as folder:
        batch_file = Path(folder) / "batch.msgpack"
        try:
            collect([job.source], options, batch_file, extra)
            return "crawled", batch_file.read_bytes()
        except Exception as exc:  # any crawl failure must end as a reject, not a lost source
            logger.error("crawl of %s failed: %s", job.source.name, exc)
            now = to_iso(datetime.now(UTC))
            failed = Reject(reason="worker_failed", url=job.source.url, source=job.source.name,
                            run_id=job.round_id, detail=f"{type(exc).__name__}: {exc}", at=now)
            return "failed", encode_batch(RunBatch(rejects=[failed], failures=1))


def recover_output(redis_url: str, namespace: str, worker: WorkerOptions) -> int:
    """Cut back what a merge killed on this output directory had appended (at worker start:
    otherwise its uncommitted lines would stay until this directory's next merge). Under the
    merge lock: another worker on the same directory may be merging right now."""
    with _merge_lock(connect(redis_url), Keys(namespace)):
        state = RedisStateStore(redis_url, namespace=namespace, writer=worker.writer)
        try:
            return _recover(state, worker)
        finally:
            state.close()


def merge_pending(job: CrawlJob, worker: WorkerOptions, client: Any) -> dict[str, Any]:
    """Merge every batch waiting (this round's, and any a killed round left), as one run."""
    check_datasketch()
    keys = Keys(job.namespace)
    with _merge_lock(client, keys):
        waiting = pending(client, keys)
        return _merge(job, worker, keys, waiting) if waiting else {}


@contextmanager
def _merge_lock(client: Any, keys: Keys) -> Iterator[None]:
    """One merger at a time across all workers (waits for the current one)."""
    lock = RedisLock(client, keys.merge_lock, MERGE_LOCK_TTL_S)
    if not lock.acquire(blocking=True, timeout=MERGE_LOCK_WAIT_S):
        raise TimeoutError(f"merge lock {keys.merge_lock} not free after {MERGE_LOCK_WAIT_S}s")
    try:
        yield
    finally:
        lock.release()


def _recover(state: RedisStateStore, worker: WorkerOptions) -> int:
    return Delivery(state, worker.state_dir).recover()  # it warns of each run it rolls back


def _merge(job: CrawlJob, worker: WorkerOptions, keys: Keys,
           waiting: list[Pending]) -> dict[str, Any]:
    state = RedisStateStore(job.redis_url, namespace=job.namespace, writer=worker.writer)
    try:
        _recover(state, worker)
        started = datetime.now(UTC)
        window_records, story_params = worker.capped(job.options)
        merger = RunMerger(
            run_id_for(started, secrets.token_hex(3)), to_iso(started),
            targets=MergeTargets(output_dir=worker.output_dir), state=state,
            state_dir=worker.state_dir, params=DedupParams.configured(job.options.window_days,
                                                          job.options.title_thresholds,
                                                          window_records),
            lsh_storage=lsh_storage(job.redis_url, keys), story_params=story_params,
            page_retries=job.options.page_retries,
        )
        merger.summary.versions = run_versions()
        # A source crawled twice (by a round whose worker died, then again) reports its
        # problems twice: its newest batch speaks for it. Records meet the seen check.
        newest = {item.source: n for n, item in enumerate(waiting)}
        for n, item in enumerate(waiting):
            merger.absorb(decode_batch(item.data), rejects=newest[item.source] == n)
        ids = [item.entry_id for item in waiting]
        summary = merger.finish(
            to_iso(datetime.now(UTC)),
            also=lambda _: state.join(lambda pipe: pipe.xdel(keys.batches, *ids)),
        )
    finally:
        state.close()
    rounds = sorted({item.round_id for item in waiting})
    logger.info("merged %d batches of rounds %s as run %s", len(waiting), rounds, summary.run_id)
    return {"run_id": summary.run_id, "batches": len(waiting), "rounds": rounds,
            "totals": vars(summary.totals())}


def lsh_storage(url: str, keys: Keys) -> dict[str, Any]:
    """datasketch's storage config for the shared candidate index (explicit basename), its
    client with the state's timeouts and no retries: a silent Redis held the merge for ever
    (redis-py 5-7) or a minute (redis-py 8.2's timeouts, tried again), and a retried
    buffered insert could append a record's band values to its key list twice."""
    return {"type": "redis", "redis": client_keywords(url), "basename": keys.lsh_basename}
