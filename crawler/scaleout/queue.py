"""``enqueue`` and ``worker``: RQ's queue and worker, set up for policywire."""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime
from typing import Any

from rq import Queue, Worker
from rq.serializers import JSONSerializer

from crawler.dedup import DedupParams
from crawler.dedup.params import check_compatible
from crawler.errors import ConfigError
from crawler.redact import mask_password
from crawler.scaleout.batches import start_round
from crawler.scaleout.guard import TASK, GuardedJob
from crawler.scaleout.keys import Keys
from crawler.scaleout.spec import CrawlJob, RoundOptions, WorkerOptions
from crawler.scaleout.tasks import recover_output
from crawler.sources import Source
from crawler.state import RedisStateStore, is_redis_url, redis_client
from crawler.storylayer import check_stories, way_on

# A finished job's result (and a failed job's traceback) stays a day for `rq info` and the like.
RESULT_TTL_S = 24 * 3600


def enqueue(sources: list[Source], redis_url: str, options: RoundOptions,
            namespace: str = "policywire") -> dict[str, Any]:
    """One crawl job per enabled source, as one round; return the round's id and size."""
    enabled = [s for s in sources if s.enabled]
    if not enabled:
        raise ConfigError("no enabled source to enqueue")
    client = connect(redis_url)
    _check_state(redis_url, namespace, options)
    keys = Keys(namespace)
    round_id = f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(3)}"
    start_round(client, keys, round_id, len(enabled))
    queue = Queue(keys.queue, connection=client, serializer=JSONSerializer)
    for n, source in enumerate(enabled):
        job = CrawlJob(redis_url, namespace, round_id, source, options)
        queue.enqueue(TASK, job.to_json(),
                      job_id=f"{round_id}-{n:05d}", job_timeout=options.job_timeout,
                      result_ttl=RESULT_TTL_S, failure_ttl=RESULT_TTL_S,
                      description=f"crawl {source.name}")
    return {"round": round_id, "jobs": len(enabled), "queue": keys.queue}


def _check_state(redis_url: str, namespace: str, options: RoundOptions) -> None:
    """Raise IncompatibleState (exit 78) when the round's merge would refuse the shared
    state: signatures or stories made with other parameters (an upgrade that changed
    matching). Checked here, before any job, as a crawl checks before it fetches: otherwise
    every worker fetches its source and only the merge, in a worker's log, finds out."""
    state = RedisStateStore(redis_url, namespace=namespace)
    try:
        check_compatible(state.params_fingerprint(),
                         DedupParams.configured(options.window_days, options.title_thresholds),
                         way_on(namespace))
        check_stories(state, options.story_params)
    finally:
        state.close()


def work(redis_url: str, options: WorkerOptions, *, burst: bool,
         namespace: str = "policywire") -> bool:
    """Run an RQ worker on the queue until stopped (or, with ``burst``, until it is empty).

    RQ's default worker forks a work horse per job: each crawl gets a fresh process, and so a
    fresh Twisted reactor. Returns whether the worker did any work.
    """
    client = connect(redis_url)
    # RQ waits for a job in BLMOVE for minutes and lengthens the client's socket timeout to
    # cover that, for the connections made after only: the one PING used (with the state's
    # read timeout, 5 s) goes. Today RQ's pubsub thread happens to take it; a BLMOVE on it
    # would end the idle worker with a TimeoutError five seconds in.
    client.connection_pool.disconnect()
    client.connection_pool.reset()
    recover_output(redis_url, namespace, options)
    options.export()
    # GuardedJob: the worker runs crawl jobs only, whatever else the queue is sent.
    queue = Queue(Keys(namespace).queue, connection=client, serializer=JSONSerializer,
                  job_class=GuardedJob)
    worker = _Worker([queue], connection=client, serializer=JSONSerializer,
                     job_class=GuardedJob)
    level = logging.getLevelName(logging.getLogger().getEffectiveLevel())
    return bool(worker.work(burst=burst, logging_level=level, with_scheduler=False))


class _Worker(Worker):
    """RQ's worker, its pubsub thread given a second to stop, as RQ means it to be.

    RQ 2.12 stops the thread (which hears ``rq`` commands) with redis-py's ``stop()``, then
    joins it for a second; since redis-py 8.2 ``stop()`` itself joins it without a bound,
    and the thread may be in a wait of RQ's 60 s (its ``sleep_time``) that the UNSUBSCRIBE
    does not end: a SIGTERM in an idle worker's first second of listening took a minute to
    end it, every time in three tries (``tests/scaleout/test_workers.py``).
    """

    def unsubscribe(self) -> None:
        if self.pubsub_thread:  # a daemon thread: the process may end before it does
            self.pubsub.unsubscribe()
            self.pubsub_thread.stop(timeout=1)
            self.pubsub.close()


def connect(redis_url: str) -> Any:
    """A client that has answered PING: a wrong URL is one clear error, not a traceback."""
    if not is_redis_url(redis_url):
        raise ConfigError(f"--redis must be a redis://, rediss:// or unix:// URL: "
                          f"{mask_password(redis_url)!r}")
    return redis_client.connect(redis_url)
