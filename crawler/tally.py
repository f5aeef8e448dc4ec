"""A run's counts per source (a line of ``runs.jsonl``, :class:`crawler.runs.SourceCounts`)
and what they say of the source: nothing but rejects (a failed run for it), every page
failing, or only our own state's outage. The merge stage decides a run's exit code by them;
the report and ``stats`` judge a source's health by them.
"""

from __future__ import annotations

from collections.abc import Mapping

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
