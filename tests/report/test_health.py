from __future__ import annotations

from crawler.models import Record, Reject
from crawler.report.health import completeness, drift, failing_streak, source_health
from crawler.report.load import RunInfo
from tests.report.sample import RUN_1, RUN_2, record


def news(n: int, run: str, **fields: object) -> list[Record]:
    fields = {"published": "2024-03-04T08:00:00Z", **fields}
    return [record(f"https://www.nato.int/{run}/{i}", "nato-news", f"News {i}", run_id=run,
                   **fields) for i in range(n)]


def test_completeness_counts_fields_present() -> None:
    records = [*news(3, RUN_1), *news(1, RUN_1, text=" ", authors=[], published=None)]
    share = completeness(records)
    assert (share.records, share.title, share.date, share.author, share.body) == (
        4, 1.0, 0.75, 0.75, 0.75)


def test_lost_bodies_in_latest_run_are_drift() -> None:
    warning = drift([*news(4, RUN_1), *news(3, RUN_2, text=None)])
    assert warning == f"latest run {RUN_2}: body 0% (was 100%)"


def test_ordinary_wobble_is_not_drift() -> None:
    # 3 of 4 with authors before, 2 of 3 now: a 8-point dip is the article mix, not a break.
    before = [*news(3, RUN_1), *news(1, RUN_1, authors=[])]
    assert drift([*before, *news(2, RUN_2), *news(1, RUN_2, authors=[])]) == ""


def test_too_few_records_in_latest_run_is_not_drift() -> None:
    assert drift([*news(4, RUN_1), *news(2, RUN_2, text=None)]) == ""
    assert drift(news(5, RUN_2, text=None)) == ""  # nothing earlier to compare with


def test_health_sums_runs_and_keeps_latest_error() -> None:
    runs = [RunInfo(RUN_1, "2024-03-04T06:00:00Z", 0,
                    {"nato-news": {"records": 4, "rejects": 1, "unchanged": 0}}),
            RunInfo(RUN_2, "2024-03-05T06:00:00Z", 1,
                    {"nato-news": {"records": 3, "rejects": 0, "unchanged": 5}})]
    rejects = [Reject(reason="http_error", url=None, source="nato-news", run_id=RUN_2,
                      detail="503", at="2024-03-05T06:00:01Z"),
               Reject(reason="download_error", url=None, source="nato-news", run_id=RUN_1,
                      at="2024-03-04T06:00:01Z")]
    [row] = source_health(news(4, RUN_1), rejects, runs)
    assert (row.runs, row.records, row.rejects, row.unchanged) == (2, 7, 1, 5)
    assert row.latest_error == "2024-03-05 http_error: 503"
    assert row.drift == ""


def test_page_error_counts_as_latest_error() -> None:
    late = record("https://www.nato.int/x", "nato-news", "X", fetched_at="2024-03-06T00:00:00Z",
                  page_error="http_error: 404")
    [row] = source_health([late], [], [])
    assert row.latest_error == "2024-03-06 page_error: http_error: 404"


def test_a_latest_run_whose_every_page_failed_is_not_ok() -> None:
    # A trial without a network: every article's DNS lookup failed, the records kept the
    # feed's words, and stats and the report called each source "ok" with 0 errors.
    dns = "CannotResolveHostError: DNS lookup failed"
    [row] = source_health([*news(4, RUN_1), *news(3, RUN_2, page_error=dns, text=None)], [], [])
    assert (row.pages_failed, row.status) == (
        1.0, "pages failing: none of the latest run's 3 pages fetched")
    [row] = source_health([*news(3, RUN_1, page_error=dns), *news(3, RUN_2)], [], [])
    assert (row.pages_failed, row.status) == (0.0, "ok")  # fetched again: recovered
    [row] = source_health([*news(2, RUN_2), *news(1, RUN_2, page_error=dns)], [], [])
    assert (round(row.pages_failed, 2), row.status) == (0.33, "ok")  # one page: the site's


def test_a_run_only_our_redis_failed_neither_breaks_nor_extends_a_failing_streak() -> None:
    failed = {"records": 0, "rejects": 1, "unchanged": 0}
    outage = {"records": 0, "rejects": 2, "state_unavailable": 2}  # the pacer's Redis down
    runs = [RunInfo(f"r{n}", f"2024-03-0{n + 1}T06:00:00Z", 1, {"nato-news": counts})
            for n, counts in enumerate([failed, outage, failed, outage])]
    # Before: 4, every run with rejects alone counted as the source's failure.
    assert failing_streak("nato-news", runs) == 2
    assert failing_streak("nato-news", runs[1:2]) == 0
    # A run with a rejected page of its own besides the outage's is the source's failure.
    mixed = {"records": 0, "rejects": 3, "state_unavailable": 2}
    assert failing_streak("nato-news", [*runs, RunInfo("r9", "", 1, {"nato-news": mixed})]) == 3
