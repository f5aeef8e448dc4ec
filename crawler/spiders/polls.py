"""What a poll of a feed or sitemap leaves the state: its validators, its rest, its moves.

Plain functions of a response's facts and what the state knew of the feed
(:class:`~crawler.models.FeedState`); the spider yields what they build.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from datetime import UTC, datetime

from scrapy.http import Response

from crawler.feeds import ParsedFeed
from crawler.models import Deferred, FeedPoll, FeedState
from crawler.normalize import to_iso
from crawler.polling import body_hash, caught_lying, next_check
from crawler.redact import redact
from crawler.spiders.responses import header, moved_to

logger = logging.getLogger(__name__)


def answered(response: Response, source: str, url: str, parsed: ParsedFeed | None, *,
             error: str | None, known: FeedState | None, conditional: bool) -> FeedPoll:
    """Remember validators; disable them for a feed caught answering 304 while changed.
    A feed that answers but yields nothing counts as an error for its streak, and keeps
    no validators or body hash from that answer: stored, they would have the next run
    get 304 (or the same body) and report nothing, and the broken feed would go quiet."""
    now = time.time()
    polled = FeedPoll(
        source, url, response.status, error=error, polled_at=now,
        next_check=next_check(now, parsed.ttl_minutes if parsed else None, None),
        skip_hours=parsed.skip_hours if parsed else frozenset(),
        skip_days=parsed.skip_days if parsed else frozenset(), moved_to=moved_to(response))
    if error is not None:
        return polled
    etag = header(response, b"ETag")
    modified = header(response, b"Last-Modified")
    digest = body_hash(response.body)
    lying = caught_lying(known, conditional, etag, modified, digest)
    if lying:
        logger.warning("%s: validators unchanged but content changed; conditional GET "
                       "disabled for it", response.url)
    return dataclasses.replace(polled, etag=etag, last_modified=modified, body_hash=digest,
                               lying=lying)


def throttled(source: str, url: str, until: float, now: float,
              known: FeedState | None) -> tuple[FeedPoll, Deferred]:
    """A 429 with a Retry-After longer than a run waits: the server's wish, not a fault
    (no reject, no failed run). The feed keeps what the state knew of it (validators,
    skip hours) and rests until then; its error streak stays as it was (neither an error
    nor an answer: :attr:`~crawler.models.FeedPoll.deferred`)."""
    logger.warning("%s: deferred until %s: HTTP 429 with Retry-After at %s", source,
                   to_iso(datetime.fromtimestamp(until, UTC)), redact(url))
    known = known or FeedState(url)
    poll = FeedPoll(source, url, 429, etag=known.etag, last_modified=known.last_modified,
                    next_check=until, skip_hours=known.skip_hours, skip_days=known.skip_days,
                    polled_at=now)
    return poll, Deferred(source, url, "retry-after", until, polled=True)
