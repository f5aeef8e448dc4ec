"""The state database's schema: numbered migrations, applied in order.

``PRAGMA user_version`` records the last one applied, so an older database is upgraded in
place and a newer one is refused. Never edit a released migration; append a new one.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: the first schema.
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE entries (
        id TEXT PRIMARY KEY,
        content_hash TEXT NOT NULL,
        revision INTEGER NOT NULL,
        url TEXT NOT NULL,
        source TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL
    );
    CREATE TABLE feeds (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        last_status INTEGER,
        last_fetch TEXT,
        error_streak INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE signatures (
        id TEXT PRIMARY KEY,
        story_id TEXT NOT NULL,
        canonical_id TEXT NOT NULL,
        ts REAL NOT NULL,
        language TEXT,
        title_tokens TEXT NOT NULL,
        title_sig BLOB NOT NULL,
        body_sig BLOB
    );
    CREATE INDEX signatures_ts ON signatures (ts);
    """,
    # 2: conditional GET bookkeeping and entry fingerprints (skip unchanged entries early).
    """
    ALTER TABLE entries ADD COLUMN entry_fp TEXT;
    ALTER TABLE feeds ADD COLUMN source TEXT;
    ALTER TABLE feeds ADD COLUMN body_hash TEXT;
    ALTER TABLE feeds ADD COLUMN polls INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE feeds ADD COLUMN validators_disabled INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE feeds ADD COLUMN next_check REAL;
    """,
    # 3: the delivery journal, first form (a staging file per run).
    """
    CREATE TABLE deliveries (
        run_id TEXT PRIMARY KEY,
        staging TEXT NOT NULL,
        targets TEXT NOT NULL,
        delivered INTEGER NOT NULL DEFAULT 0
    );
    """,
    # 4: the delivery journal keeps output files' sizes before a run appended to them; output
    # and state now commit together, so a pending entry of the first form is only rolled back.
    """
    DROP TABLE deliveries;
    CREATE TABLE deliveries (
        run_id TEXT PRIMARY KEY,
        sizes TEXT NOT NULL,
        delivered INTEGER NOT NULL DEFAULT 0
    );
    """,
    # 5: RSS skipHours, as a space-separated list of UTC hours.
    """
    ALTER TABLE feeds ADD COLUMN skip_hours TEXT NOT NULL DEFAULT '';
    """,
    # 6: who published a signature's record, so that a site's paywall notice met over several
    # runs is told from wire copy (rows stored before stay '': unknown).
    """
    ALTER TABLE signatures ADD COLUMN source TEXT NOT NULL DEFAULT '';
    """,
    # 7: stories (one event across outlets, crawler.stories), beside the near-duplicate
    # signatures: the clusterer's payload per story, and its latest member's time (the window).
    """
    CREATE TABLE stories (
        story_id TEXT PRIMARY KEY,
        last_seen REAL NOT NULL,
        payload BLOB NOT NULL
    );
    CREATE INDEX stories_last_seen ON stories (last_seen);
    """,
    # 8: a feed's bookkeeping is per source and URL: two sources listing one feed URL (one
    # topic-filtered, one not) each poll it with their own validators, or the second got 304
    # for what only the first had seen. Rows stored before keep the source they last had (''
    # for one older than migration 2: that source's next poll is unconditional). By URL too:
    # the server's rest (Retry-After, ttl, skipHours) holds for every source of the URL.
    """
    CREATE TABLE feeds_by_source (
        source TEXT NOT NULL,
        url TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        last_status INTEGER,
        last_fetch TEXT,
        error_streak INTEGER NOT NULL DEFAULT 0,
        body_hash TEXT,
        polls INTEGER NOT NULL DEFAULT 0,
        validators_disabled INTEGER NOT NULL DEFAULT 0,
        next_check REAL,
        skip_hours TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (source, url)
    );
    INSERT INTO feeds_by_source SELECT coalesce(source, ''), url, etag, last_modified,
        last_status, last_fetch, error_streak, body_hash, polls, validators_disabled,
        next_check, skip_hours FROM feeds;
    DROP TABLE feeds;
    ALTER TABLE feeds_by_source RENAME TO feeds;
    CREATE INDEX feeds_url ON feeds (url);
    """,
    # 9: RSS skipDays (UTC weekdays, Monday 0, space-separated) and when each feed was last
    # asked for (epoch seconds): a feed last read longer ago than its skipHours/skipDays allow
    # is read despite them (crawler.polling.held_off). A feed polled before takes its last
    # run's finish time (last_fetch, ISO 8601 UTC), so a state upgrades without reindex.
    """
    ALTER TABLE feeds ADD COLUMN skip_days TEXT NOT NULL DEFAULT '';
    ALTER TABLE feeds ADD COLUMN last_poll REAL;
    UPDATE feeds SET last_poll = CAST(strftime('%s', last_fetch) AS REAL)
        WHERE last_fetch IS NOT NULL;
    """,
    # 10: a signature's gist (crawler.dedup.gist): a later run's record meets a stored one's
    # text too. Rows stored before have none: their pairs are judged by titles, as then.
    """
    ALTER TABLE signatures ADD COLUMN gist BLOB;
    """,
    # 11: feeds keyed by their URL as the crawl writes it (crawler.redact: no user name or
    # password, secret query values REDACTED; redact_url is registered on the connection):
    # a state written before held a private feed's credentials in plain text. Two rows that
    # become one (a token rotated since) keep one.
    """
    UPDATE OR REPLACE feeds SET url = redact_url(url) WHERE redact_url(url) != url;
    """,
    # 12: when a signature entered the near-duplicate window (epoch seconds): the window keeps
    # a record window_days from its first run, not from its published date, so records older
    # than the window (a backfill) split over two runs meet as in one run. Rows stored before
    # take their published time: they stay exactly as long as they would have.
    """
    ALTER TABLE signatures ADD COLUMN seen REAL;
    UPDATE signatures SET seen = ts;
    CREATE INDEX signatures_seen ON signatures (seen);
    """,
    # 13: when a run last kept a story in the window (epoch seconds), as 12 for signatures:
    # a crawl keeps a story window_days from its last run, so a backfill split over runs
    # meets its stories as one run does and a member dated 2099 evicts nothing. Rows stored
    # before take their latest member's time: they stay exactly as long as they would have.
    """
    ALTER TABLE stories ADD COLUMN seen REAL;
    UPDATE stories SET seen = last_seen;
    CREATE INDEX stories_seen ON stories (seen);
    """,
)


def spaced(numbers: frozenset[int]) -> str:
    """Hours or weekdays as the states store them: ``"2 3"`` (both backends alike)."""
    return " ".join(str(n) for n in sorted(numbers))


def numbers(text: str) -> frozenset[int]:
    """The reverse of :func:`spaced`."""
    return frozenset(int(n) for n in text.split())
