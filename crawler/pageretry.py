"""Pages fetched again: how the seen entries mark an entry whose page failed to download.

An entry's fingerprint stored as seen makes the next run skip the entry before its page is
asked for (:meth:`crawler.spiders.source.SourceSpider._entries`). One whose page failed for a
fetch reason (:func:`crawler.failures.worth_retrying`: an HTTP error, a timeout, DNS, a
refused connection, its host given up) is stored marked instead, ``<fp>!<failures>``: a mark
matches no entry, so the following runs fetch the page again. Once it answers, the plain
fingerprint replaces the mark (and the merge writes the record's next revision, with its
text); once it has failed ``1 + retries`` times, too (the page is left alone until the feed
changes the entry). A failure of the page's own (not HTML, offsite, extraction) answers the
same again: stored plain at once.

Runs, not hours, bound it: the count is what the site pays (one request per run and page)
whatever the cron's pace, and it needs no clock in the state.

No schema change: the marks live where the fingerprints do (SQLite's ``entry_fp`` column,
Redis' ``fp`` field). A state written before them has none; an entry whose page failed then
kept no fingerprint, and is fetched once more, then counted from there.
"""

from __future__ import annotations

from crawler.failures import worth_retrying

#: Runs that fetch a failed page again (``POLICYWIRE_PAGE_RETRIES``): three cover an outage of
#: a deploy or a night at an hourly-to-daily cron, and a page announced before it was live.
DEFAULT_RETRIES = 3
#: Entry fingerprints kept per id: one an entry of each source linking the article, the
#: newest first (a source's entry that changed leaves its old one, dropped past this).
MAX_FINGERPRINTS = 8
#: Between a fingerprint (hex digits) and its failures; alone at the end: failed this run.
_MARK = "!"


def run_fingerprint(entry_fp: str, page_error: str | None) -> str:
    """What a run hands the merge for an entry: its fingerprint, marked when its page failed
    to download (its count of failures comes from the state, in :func:`joined`)."""
    return entry_fp + _MARK if page_error is not None and worth_retrying(page_error) else entry_fp


def joined(new: str, stored: str, retries: int) -> str:
    """The fingerprints to store for an id: this run's (``new``, space-separated), a failure
    counted on from the stored mark of its entry, then the stored ones of other entries, at
    most :data:`MAX_FINGERPRINTS`."""
    failures = {fp: int(n or 0) for fp, _, n in (s.partition(_MARK) for s in stored.split())}
    kept: dict[str, str] = {}
    for given in new.split():
        fp, failed, _ = given.partition(_MARK)
        count = failures.get(fp, 0) + 1
        kept.setdefault(fp, f"{fp}{_MARK}{count}" if failed and count <= retries else fp)
    for old in stored.split():
        kept.setdefault(old.partition(_MARK)[0], old)
    return " ".join(list(kept.values())[:MAX_FINGERPRINTS])


def pending(fingerprints: str) -> bool:
    """Whether some entry of these stored fingerprints waits for its page to be fetched again."""
    return _MARK in fingerprints

