"""The state in Redis, shared by every machine of a scale-out crawl.

:class:`RedisStateStore` is a :class:`crawler.state.typing.State` with the semantics of the
SQLite :class:`crawler.state.StateStore` (same answers, same upsert rules), so workers on
several machines read one state and the merger advances it.

**All or nothing without rollback.** Redis cannot undo a write. So inside the outermost
:meth:`RedisStateStore.atomic` block no write is sent: each is queued in one
``pipeline(transaction=True)`` and the queue goes out as a single MULTI/EXEC when the block
ends, or is dropped when it raises. That is how the merge's "seen entries, validators,
signatures and delivery mark commit together or not at all" holds. Outside a block each
method's writes are their own MULTI/EXEC. EXEC is all or nothing for a connection lost
before it (a command that fails inside it, such as a key of the wrong type, fails alone);
a connection lost after it is told apart by a token the block also writes, so a commit whose
reply was lost is not reported as a failure (the merge would then undo delivered output).

**Reads go straight to the server**, also inside a block: they see the state as it was
before the block, not its queued writes. Upserts that must see the stored row (mark_seen,
record_polls) therefore run as Lua scripts queued in the same MULTI
(:mod:`crawler.state.redis_lua`), so two polls of one feed in one block count twice, as in
SQLite. What stays read-then-write from Python — the merger reads ``seen()`` and decides
revisions, ``evict()`` inside a block counts the signatures stored before it — is safe
because one merger process writes the state; workers only read it (and take the
:mod:`crawler.state.redis_locks` locks).

Key layout, all under ``<namespace>:`` (values are msgpack, written by msgspec: see
:mod:`crawler.state.redis_values`; or by ``cmsgpack`` in the scripts)::

    meta                    hash   key -> value (text); "schema_version" -> SCHEMA_VERSION
    entries                 hash   entry id -> {hash, rev, url, source, first, last, fp}
    feeds                   hash   "<source> <feed URL>" -> {source, etag, lm, body, status,
                                   fetch, streak, polls, vd, next, skip, days, poll}
                                   (layout 3: days and poll came later, absent before;
                                   before layout 3,
                                   the URL alone: two sources of one URL shared validators)
    signatures              hash   record id -> StoredSignature
    signatures:by_ts        zset   record id, scored by when it entered the window (its
                                   ``seen``; eviction); members written before by their ts,
                                   which stands in for it (no migration: same layout)
    stories                 hash   story id -> StoredStory (layout 2)
    stories:by_seen         zset   story id, scored by when a run last kept it in the window
                                   (its ``seen``; eviction); members written before by
                                   their last_seen, which stands in for it (same layout)
    deliveries:<writer>     hash   run id -> sizes JSON (the journal of one output dir)
    delivered:<writer>      set    run ids whose delivery committed
    commits                 hash   writer -> token of its last atomic() commit

The delivery journal is per ``writer`` (the lead passes hostname and absolute output
directory): the output files it protects live on one machine, so one machine's recovery
must never cut another's files.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, TypeVar, cast

import msgspec
import redis
from redis.client import Pipeline

from crawler.errors import StateError
from crawler.models import FeedPoll, FeedState, StoredSignature, StoredStory
from crawler.redact import mask_password, redact
from crawler.state.meta import ParamsMetaWriter
from crawler.state.redis_client import connect, guard
from crawler.state.redis_keys import RedisKeys
from crawler.state.redis_lua import EVICT, MARK_SEEN, MIGRATE_FEEDS, RECORD_POLLS
from crawler.state.redis_values import (
    EntryValue,
    FeedValue,
    as_text,
    feed_state,
    pack,
    poll_arg,
    unpack,
)
from crawler.state.store import chunks
from crawler.state.typing import SeenEntry, SeenRow

#: The layout version this code writes; a namespace with a higher one is refused. 2: stories
#: (a namespace of layout 1 simply has none yet); 3: feeds per source and URL (an older
#: namespace's feed fields are renamed on open, by one script: see MIGRATE_FEEDS); 4: feed
#: fields hold the URL as the crawl writes it (crawler.redact: no credentials), as SQLite's
#: migration 11 has it.
SCHEMA_VERSION = 4
_SOURCE_LAYOUT = 3  # the layout MIGRATE_FEEDS raises an older namespace to
_SCHEMA_FIELD = "schema_version"
_CHUNK = 500  # ids per HMGET and rows per script call: bounded replies and script run times

_T = TypeVar("_T")


class RedisStateStore(ParamsMetaWriter):
    """The state of one namespace on a Redis server (``redis://``, ``rediss://``, ``unix://``)."""

    def __init__(self, url: str, *, namespace: str = "policywire", writer: str = "") -> None:
        self.url = mask_password(url)
        self.keys = RedisKeys(namespace, writer)
        self.namespace: str | None = namespace
        self._redis = connect(url)
        self._pipe: Pipeline | None = None
        self._mark_seen = self._redis.register_script(MARK_SEEN)
        self._record_polls = self._redis.register_script(RECORD_POLLS)
        self._evict = self._redis.register_script(EVICT)
        self._migrate_feeds = self._redis.register_script(MIGRATE_FEEDS)
        self._check_schema()

    def close(self) -> None:
        self._redis.close()

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Queue the block's writes; send them in one MULTI/EXEC at the outermost exit."""
        if self._pipe is not None:
            yield
            return
        self._pipe = self._redis.pipeline(transaction=True)
        try:
            yield
            self._commit(self._pipe)
        finally:
            self._pipe.reset()
            self._pipe = None

    def join(self, write: Callable[[Pipeline], object]) -> None:
        """Queue a caller's own Redis writes with the state's: inside :meth:`atomic` they
        commit in its MULTI/EXEC (the scale-out merger drops the batches it merged)."""
        with self._writes() as pipe:
            write(pipe)

    # -- meta -------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        value = self._read(lambda r: r.hget(self.keys.meta, key))
        return None if value is None else as_text(value)

    def set_meta(self, key: str, value: str) -> None:
        with self._writes() as pipe:
            pipe.hset(self.keys.meta, key, value)

    # -- seen entries -----------------------------------------------------------------------
    def seen(self, ids: Iterable[str]) -> dict[str, SeenEntry]:
        return {i: SeenEntry(e.hash, e.rev) for i, e in self._entries(ids)}

    def mark_seen(self, rows: Sequence[SeenRow], now: str) -> None:
        args = [[r.id, r.content_hash, r.revision, r.url, r.source, r.entry_fp] for r in rows]
        with self._writes() as pipe:
            for chunk in chunks(args, _CHUNK):
                self._mark_seen([self.keys.entries], [pack(chunk), now], client=pipe)

    def entry_fingerprints(self, ids: Iterable[str]) -> dict[str, str]:
        return {i: e.fp for i, e in self._entries(ids) if e.fp is not None}

    def count_entries(self) -> int:
        return int(self._read(lambda r: r.hlen(self.keys.entries)))

    # -- feeds ------------------------------------------------------------------------------
    def feed_state(self, source: str, url: str) -> FeedState | None:
        raw = self._read(lambda r: r.hget(self.keys.feeds, self.keys.feed_field(source, url)))
        return None if raw is None else feed_state(url, raw, self.keys.feeds)

    def feed_states(self, url: str) -> list[FeedState]:
        """Every source's state of ``url``, by source (a scan of the feeds' fields)."""
        pattern = self.keys.feed_pattern(url)
        found = self._read(lambda r: dict(r.hscan_iter(self.keys.feeds, match=pattern,
                                                        count=1000)))
        return [feed_state(url, found[field], self.keys.feeds) for field in sorted(found)]

    def feeds_by_source(self) -> dict[str, tuple[int, int, int]]:
        """Per source: ``(polls, polls answered 304 last time, worst error streak)``, the
        streak of the feeds polled at its latest merge only, as :class:`StateStore` has it."""
        feeds = [unpack(raw, FeedValue, self.keys.feeds)
                 for raw in self._read(lambda r: r.hvals(self.keys.feeds))]
        latest: dict[str, str] = {}
        for f in feeds:
            if f.source is not None:
                latest[f.source] = max(latest.get(f.source, ""), f.fetch or "")
        totals: dict[str, tuple[int, int, int]] = {}
        for f in feeds:
            if f.source is not None:
                polls, not_modified, streak = totals.get(f.source, (0, 0, 0))
                current = (f.fetch or "") == latest[f.source]
                totals[f.source] = (polls + f.polls, not_modified + (f.status == 304),
                                    max(streak, f.streak if current else 0))
        return totals

    def record_polls(self, polls: Sequence[FeedPoll], now: str) -> None:
        """Advance feeds' validators, poll counters and error streaks (after records are safe)."""
        args = [{**poll_arg(poll), "field": self.keys.feed_field(poll.source, poll.url)}
                for poll in polls]
        with self._writes() as pipe:
            for chunk in chunks(args, _CHUNK):
                self._record_polls([self.keys.feeds], [pack(chunk), now], client=pipe)

    # -- signatures (structurally a dedup SignatureStore; the fingerprint: ParamsMetaWriter) -
    def load(self, since: float) -> Iterator[StoredSignature]:
        """Signatures that entered the window at ``since`` or later, by ``(ts, id)`` as
        SQLite's (the sorted set orders them by when they entered)."""
        rows = self._since(self.keys.signatures, self.keys.signatures_by_ts, since,
                           StoredSignature)
        return iter(sorted(rows, key=lambda row: (row.ts, row.id)))

    def add(self, rows: Sequence[StoredSignature]) -> None:
        with self._writes() as pipe:
            for row in rows:
                # seen as SQLite's column holds it: a row without one reads back with its ts.
                kept = row if row.seen is not None else replace(row, seen=row.ts)
                pipe.hsetnx(self.keys.signatures, row.id, msgspec.msgpack.encode(kept))
                pipe.zadd(self.keys.signatures_by_ts, {row.id: row.kept_from}, nx=True)

    def evict(self, before: float) -> int:
        """Delete the signatures that entered the window before ``before``. Inside
        :meth:`atomic` the count is of signatures stored before the block."""
        return self._evicted(self.keys.signatures, self.keys.signatures_by_ts, before)

    def forget(self, ids: Sequence[str]) -> None:
        """Delete the signatures of ``ids``."""
        self._forgotten(self.keys.signatures, self.keys.signatures_by_ts, ids)

    def _forgotten(self, values: str, by_time: str, ids: Sequence[str]) -> None:
        """Drop ``ids`` from hash ``values`` and sorted set ``by_time``."""
        with self._writes() as pipe:
            for chunk in chunks(list(ids), _CHUNK):
                pipe.hdel(values, *chunk)
                pipe.zrem(by_time, *chunk)

    # -- stories (structurally a crawler.stories StoryState; parameters: ParamsMetaWriter) --
    def load_stories(self, since: float) -> Iterator[StoredStory]:
        """Stories a run kept in the window at ``since`` or later, by ``(last_seen,
        story_id)`` as SQLite's (the sorted set orders them by when they were kept)."""
        rows = self._since(self.keys.stories, self.keys.stories_by_seen, since, StoredStory)
        return iter(sorted(rows, key=lambda row: (row.last_seen, row.story_id)))

    def _since(self, values: str, by_time: str, since: float, kind: type[_T]) -> Iterator[_T]:
        """The values of hash ``values`` scored ``since`` or later in ``by_time``, in order."""
        # Without WITHSCORES a sorted-set range is a flat list of members.
        ids = cast("list[bytes]", self._read(lambda r: r.zrange(by_time, since, "+inf",
                                                                 byscore=True)))
        for chunk in chunks(ids, _CHUNK):
            for raw in self._hmget(values, chunk):
                if raw is not None:
                    yield unpack(raw, kind, values)

    def save_stories(self, rows: Sequence[StoredStory]) -> None:
        with self._writes() as pipe:
            for row in rows:
                # seen as SQLite's column holds it: a row without one reads back with its
                # last_seen.
                kept = row if row.seen is not None else replace(row, seen=row.last_seen)
                pipe.hset(self.keys.stories, row.story_id, msgspec.msgpack.encode(kept))
                pipe.zadd(self.keys.stories_by_seen, {row.story_id: row.kept_from})

    def evict_stories(self, before: float) -> int:
        """Delete the stories no run kept in the window since ``before``. Inside
        :meth:`atomic` the count is of stories stored before the block."""
        return self._evicted(self.keys.stories, self.keys.stories_by_seen, before)

    def forget_stories(self, ids: Sequence[str]) -> None:
        """Delete the stories of ``ids``."""
        self._forgotten(self.keys.stories, self.keys.stories_by_seen, ids)

    def _evicted(self, values: str, by_time: str, before: float) -> int:
        """Drop the members of hash ``values`` scored below ``before`` in ``by_time``."""
        keys, bound = [values, by_time], repr(float(before))
        if self._pipe is None:
            return int(self._read(lambda r: self._evict(keys, [bound], client=r)))
        count = self._read(lambda r: r.zcount(by_time, "-inf", f"({bound}"))
        self._evict(keys, [bound], client=self._pipe)
        return int(count)

    # -- delivery journal -------------------------------------------------------------------
    def journal_delivery(self, run_id: str, sizes: str) -> None:
        with self._writes() as pipe:
            pipe.hset(self.keys.deliveries, run_id, sizes)
            pipe.srem(self.keys.delivered, run_id)

    def mark_delivered(self, run_id: str) -> None:
        with self._writes() as pipe:
            pipe.sadd(self.keys.delivered, run_id)

    def forget_delivery(self, run_id: str) -> None:
        with self._writes() as pipe:
            pipe.hdel(self.keys.deliveries, run_id)
            pipe.srem(self.keys.delivered, run_id)

    def pending_deliveries(self) -> list[tuple[str, str]]:
        """``(run_id, sizes JSON)`` of this writer's deliveries that never committed."""
        def both(r: redis.Redis) -> list[Any]:
            pipe = r.pipeline(transaction=True)  # one snapshot of journal and marks
            pipe.hgetall(self.keys.deliveries)
            pipe.smembers(self.keys.delivered)
            return pipe.execute()
        journal, delivered = self._read(both)
        done = {as_text(run_id) for run_id in delivered}
        pending = ((as_text(k), as_text(v)) for k, v in journal.items())
        return sorted((run_id, sizes) for run_id, sizes in pending if run_id not in done)

    # -- internals --------------------------------------------------------------------------
    def _read(self, command: Callable[[redis.Redis], _T]) -> _T:
        with guard(self.url):
            return command(self._redis)

    def _commit(self, pipe: Pipeline) -> None:
        """EXEC, telling a lost reply from a lost commit: the block also stores a random
        token, and after a dropped connection the token on the server says which it was
        (the caller undoes its output only when the state really did not advance)."""
        if not pipe.command_stack:
            return
        token = secrets.token_hex(8)
        pipe.hset(self.keys.commits, self.keys.writer, token)
        try:
            pipe.execute()
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            with guard(self.url, "cannot commit the state, nor tell whether it committed"):
                landed = self._redis.hget(self.keys.commits, self.keys.writer)
            if landed != token.encode():
                raise StateError(f"{self.url}: cannot commit the state: {exc}") from None
        except redis.RedisError as exc:
            raise StateError(f"{self.url}: cannot commit the state: {exc}") from None

    def _hmget(self, key: str, fields: Sequence[str | bytes]) -> list[bytes | str | None]:
        with guard(self.url):
            return self._redis.hmget(key, fields)

    @contextmanager
    def _writes(self) -> Iterator[Pipeline]:
        """The open block's queue, or a MULTI/EXEC of this method's own."""
        if self._pipe is not None:
            yield self._pipe
            return
        pipe = self._redis.pipeline(transaction=True)
        try:
            yield pipe
            with guard(self.url, "cannot write the state"):
                pipe.execute()
        finally:
            pipe.reset()

    def _entries(self, ids: Iterable[str]) -> Iterator[tuple[str, EntryValue]]:
        for chunk in chunks(list(ids), _CHUNK):
            for entry_id, raw in zip(chunk, self._hmget(self.keys.entries, chunk), strict=True):
                if raw is not None:
                    yield entry_id, unpack(raw, EntryValue, self.keys.entries)

    def _check_schema(self) -> None:
        stored = self.get_meta(_SCHEMA_FIELD)
        if stored is None:
            self._read(lambda r: r.hsetnx(self.keys.meta, _SCHEMA_FIELD, SCHEMA_VERSION))
            return
        if not stored.isdigit():
            raise StateError(f"{self.url}: {self.keys.meta} {_SCHEMA_FIELD} is {stored!r}, "
                             "not a number: not a policywire state")
        if int(stored) > SCHEMA_VERSION:
            raise StateError(
                f"{self.url}: namespace {self.keys.namespace!r}: schema version {stored} is "
                f"newer than this policywire understands ({SCHEMA_VERSION}); upgrade policywire"
            )
        if int(stored) < _SOURCE_LAYOUT:  # layouts 1 and 2 are ours but for the feeds' fields
            keys = [self.keys.meta, self.keys.feeds]
            self._read(lambda r: self._migrate_feeds(keys, [_SOURCE_LAYOUT], client=r))
        if int(stored) < SCHEMA_VERSION:
            self._redact_feed_fields()

    def _redact_feed_fields(self) -> None:
        """Layout 4: a feed field written before held a private feed's password and token in
        plain text, under a key no run asks for again. Each moves to its URL as the crawl
        writes it; fields that become one keep the one fetched last. Idempotent."""
        found = self._read(lambda r: dict(r.hscan_iter(self.keys.feeds, count=1000)))
        fetched = {as_text(k): (unpack(v, FeedValue, self.keys.feeds).fetch or "", v)
                   for k, v in found.items()}
        kept: dict[str, tuple[str, str]] = {}  # new field -> (fetch, old field)
        for field, (fetch, _) in sorted(fetched.items(), key=lambda kv: (kv[1][0], kv[0])):
            source, _, url = field.partition(" ")
            kept[f"{source} {redact(url)}"] = (fetch, field)
        with self._writes() as pipe:
            for new, (_, old) in kept.items():
                if new != old:
                    pipe.hset(self.keys.feeds, new, fetched[old][1])
            for old in fetched.keys() - kept.keys():
                pipe.hdel(self.keys.feeds, old)
            pipe.hset(self.keys.meta, _SCHEMA_FIELD, SCHEMA_VERSION)
