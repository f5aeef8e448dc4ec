"""A run's counts per source (a line of ``runs.jsonl``, :class:`crawler.runs.SourceCounts`):
how the merge stage counts what it meets (:class:`Tally`), and what the counts say of the
source: nothing but rejects (a failed run for it), every page failing, or only our own
state's outage. The merge stage decides a run's exit code by them; the report and ``stats``
judge a source's health by them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from crawler.failures import fetch_failed, given_up_host
from crawler.models import FeedPoll, Record, Reject, Skipped
from crawler.runs import RunSummary, SourceCounts

# Fewer records than this in a run is too small a sample to call a source's pages failing.
PAGES_FAILING_MIN = 3


def pages_failed(counts: Mapping[str, int]) -> bool:
    """Whether every page behind a source's new records of one run failed (at least
    :data:`PAGES_FAILING_MIN` records, each with a ``page_error``): its feed answered, its
    site did not (DNS, a firewall, a block). The records carry the feed's words only, so the
    run is not a success: cron, which hears only of failed runs, must hear of it."""
    records = counts.get("records", 0)
    return records >= PAGES_FAILING_MIN and counts.get("page_errors", 0) >= records


def yielded_nothing(counts: Mapping[str, int]) -> bool:
    """Whether a source's counts in one run (a line of ``runs.jsonl``) are rejects and
    nothing else: no record, nothing unchanged, also in the run, filtered or answered 304.
    Such a run is a failed one for the source (a sitemap whose every page answers 404
    included), whatever its feed answered: the run exits 1 and the source's failing streak grows."""
    others = ("records", "unchanged", "also_in_run", "filtered", "not_modified")
    return counts.get("rejects", 0) > 0 and not any(counts.get(name, 0) for name in others)


def only_our_outage(counts: Mapping[str, int]) -> bool:
    """Whether a source's counts in one run are rejects of pages or feeds our own state (the
    scale-out pacer's Redis) kept from being asked for, and nothing else: a failed run (exit
    1: the next run fetches them), yet no word on the source, whose failing streak it
    neither breaks nor extends."""
    return yielded_nothing(counts) and counts.get("state_unavailable", 0) == counts["rejects"]


class Tally:
    """Counts what a run met, per source, into its summary (``sources``, ``reject_reasons``,
    ``given_up_hosts``); the merge stage decides what is new, this says how much of each."""

    def __init__(self, summary: RunSummary) -> None:
        self.summary = summary

    def of(self, source: str) -> SourceCounts:
        """A source's counts; a source met with nothing to count is among the run's too."""
        return self.summary.sources.setdefault(source, SourceCounts())

    def poll(self, poll: FeedPoll) -> None:
        if poll.status == 304:
            self.of(poll.source).not_modified += 1

    def skip(self, skipped: Skipped) -> None:
        counts = self.of(skipped.source)
        if skipped.why == "unchanged":
            counts.unchanged += 1
        elif skipped.why == "capped":
            counts.capped += skipped.count
        else:
            counts.filtered += 1

    def reject(self, reject: Reject) -> None:
        self.of(reject.source).rejects += 1
        self.of(reject.source).state_unavailable += reject.reason == "state_unavailable"
        reasons = self.summary.reject_reasons
        reasons[reject.reason] = reasons.get(reject.reason, 0) + 1
        self._given_up(reject.source, reject.detail)

    def records(self, stamped: Iterable[Record]) -> None:
        """Records written, with their stories (``revision`` and ``duplicate_of`` set)."""
        for record in stamped:
            counts = self.of(record.source)
            counts.records += 1
            counts.revised += record.revision > 1
            counts.duplicates += record.duplicate_of is not None
            counts.page_errors += fetch_failed(record.page_error)
            self._given_up(record.source, record.page_error)

    def failed(self) -> set[str]:
        """The sources whose entries all failed (every page of a sitemap 404): as failed as
        one whose feed did, though no Problem said so."""
        return {name for name, counts in self.summary.sources.items()
                if yielded_nothing(vars(counts))}

    def pages_failing(self) -> bool:
        """Whether some source's pages all failed (:func:`pages_failed`)."""
        return any(pages_failed(vars(c)) for c in self.summary.sources.values())

    def _given_up(self, source: str, detail: str | None) -> None:
        host = given_up_host(detail)
        if host is not None:
            self.of(source).given_up += 1
            hosts = self.summary.given_up_hosts
            hosts[host] = hosts.get(host, 0) + 1
