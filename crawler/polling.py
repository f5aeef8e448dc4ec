"""When and how to poll a feed: conditional GET, lying validators, ttl and Retry-After.

Pure decisions over a :class:`FeedState` (what the state store remembers of a feed); the
spider applies them to requests and responses.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Literal

from crawler.models import FeedPoll, FeedState

DeferredWhy = Literal["retry-after", "ttl", "skip-hours"]

#: Every k-th poll of a feed goes out without validators, to catch servers whose 304s lie.
UNCONDITIONAL_EVERY = 10
#: A Retry-After longer than this is not waited for within a run; the feed is skipped until then.
RETRY_AFTER_CAP_SECONDS = 6 * 3600


def is_due(state: FeedState | None, now: float) -> bool:
    """A feed is due unless its ttl or a Retry-After put its next check in the future, or
    its RSS ``skipHours``/``skipDays`` hold it off now (see :func:`held_off`)."""
    if state is None:
        return True
    if held_off(state, now):
        return False
    return state.next_check is None or state.next_check <= now


#: Statuses whose Retry-After set a feed's next check (the rest is the feed's own ttl).
RETRY_STATUSES = frozenset({429, 503})


def deferral(states: Iterable[FeedState], now: float) -> tuple[DeferredWhy, float | None] | None:
    """Why a URL is not due (``None``: it is), and until when (``None``: its next allowed
    hour): its skipHours/skipDays hold it off, else its latest-running rest, a Retry-After
    when its last answer was one that carries it, else its ttl."""
    waits = [s for s in states if not is_due(s, now)]
    if not waits:
        return None
    resting = [s for s in waits if not held_off(s, now)]
    if not resting:
        return "skip-hours", None
    latest = max(resting, key=lambda s: s.next_check or 0.0)
    why: DeferredWhy = "retry-after" if latest.last_status in RETRY_STATUSES else "ttl"
    return why, latest.next_check


#: Hours in a week: skipHours and skipDays together mark hours of the week (UTC).
WEEK_HOURS = 7 * 24
#: Hours since its last read within which a feed's skipHours are obeyed whatever G is: a
#: cron more often than daily waits for an allowed hour, a daily one still reads (see held_off).
OBEYED_HOURS = 23


def held_off(state: FeedState, now: float) -> bool:
    """The feed's skipHours/skipDays forbid reading it now, and obeying them costs no more
    than they ask for.

    RSS 2.0: skipHours are hours in GMT, skipDays days in GMT, in which aggregators may not
    read the feed. Let G be the longest run of forbidden hours in the week. A poller that
    reads the feed in every hour it may (an hourly cron at minute m) reads it last at m of
    the hour before such a run, so inside the run its last read is at most G hours old.

    The hints are obeyed while the last read is at most max(G + 0.5 h, 23 h) old:

    - G + 0.5 h: an hourly cron may wander 30 minutes and stay within the hints; a longer
      run of forbidden hours (a skipped weekend, 48 h) is waited out whole.
    - 23 h: a cron that runs more often than daily (every 6 or 12 hours) comes round to an
      allowed hour within a day, so it waits for one. With G + 0.5 h alone, a 6-hourly cron
      with skipHours {0} read at 00:00 (its last read, at 18:00, 6 h old > 1.5 h), against
      the feed's wish, every day.
    - Not more than 23 h: a daily cron whose one run falls in a forbidden hour reads 24 h
      after its last read (its start may be minutes earlier than yesterday's read); waiting
      longer would leave the feed unread for good. So would a schedule whose every run is
      forbidden (a 6-hourly cron, skipHours {0, 6, 12, 18}): it reads once a day.

    A feed never read (no time stored) is read.
    """
    blocked = forbidden_hours(state.skip_hours, state.skip_days)
    if week_hour(now) not in blocked or state.last_poll is None:
        return False
    return now - state.last_poll <= max(longest_run(blocked) + 0.5, OBEYED_HOURS) * 3600


def forbidden_hours(skip_hours: frozenset[int], skip_days: frozenset[int]) -> frozenset[int]:
    """The hours of the week (Monday 00:00 UTC is 0) the hints forbid; none when they
    forbid every hour. A state written before feeds._skip_hours dropped an all-day list may
    still hold all 24 hours: that feed would never be due, so never fetched, so its list
    never re-read. Such a list is read as none here, where the SQLite and Redis states meet."""
    blocked = frozenset(h for h in range(WEEK_HOURS)
                        if h % 24 in skip_hours or h // 24 in skip_days)
    return blocked if len(blocked) < WEEK_HOURS else frozenset()


def longest_run(blocked: frozenset[int]) -> int:
    """The longest run of consecutive hours in ``blocked``, round the end of the week."""
    longest = run = 0
    for hour in range(2 * WEEK_HOURS):  # twice round: a run over Sunday midnight is whole
        run = run + 1 if hour % WEEK_HOURS in blocked else 0
        longest = max(longest, run)
    return min(longest, WEEK_HOURS)


def week_hour(now: float) -> int:
    moment = datetime.fromtimestamp(now, UTC)
    return moment.weekday() * 24 + moment.hour


def conditional_headers(state: FeedState | None) -> dict[str, str]:
    """Validators to send, unless they are disabled or this is the periodic honest poll."""
    if state is None or state.validators_disabled:
        return {}
    if (state.polls + 1) % UNCONDITIONAL_EVERY == 0:
        return {}
    headers = {}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    return headers


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def caught_lying(state: FeedState | None, sent_conditional: bool, etag: str | None,
                 last_modified: str | None, digest: str) -> bool:
    """An unconditional poll found new content under the validators the feed kept sending.

    Had we sent them, the server would have answered 304 and hidden the change.
    """
    if state is None or sent_conditional or state.body_hash is None:
        return False
    same_validators = (etag is not None and etag == state.etag) or (
        last_modified is not None and last_modified == state.last_modified
    )
    return same_validators and digest != state.body_hash


def next_check(now: float, ttl_minutes: int | None, retry_after: str | None) -> float | None:
    """The earliest time to poll again: the feed's ttl (capped at a day), or Retry-After."""
    delays = []
    if ttl_minutes and ttl_minutes > 0:
        delays.append(min(ttl_minutes, 24 * 60) * 60.0)
    wait = retry_after_seconds(retry_after, now)
    if wait is not None:
        delays.append(min(wait, RETRY_AFTER_CAP_SECONDS))
    return now + max(delays) if delays else None


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta-seconds or an HTTP date)."""
    if not value or not value.strip():
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():  # "²" is a digit to str.isdigit, not to float
        return float(text)
    try:
        return max(0.0, parsedate_to_datetime(text).timestamp() - now)
    except (TypeError, ValueError, IndexError):
        return None


__all__ = ["FeedPoll", "FeedState", "body_hash", "caught_lying", "conditional_headers", "deferral",
           "forbidden_hours", "held_off", "is_due", "longest_run", "next_check",
           "retry_after_seconds", "week_hour"]
