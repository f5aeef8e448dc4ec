"""A crawl's last line, exit status and the health views, end to end: the real command
against the loopback site, a host name that never resolves (``.invalid``, RFC 2606) and
closed loopback ports (issue 20 items 3, 4 and 11)."""

from __future__ import annotations

import json
from pathlib import Path

from crawler.outcome import Outcome, cause, outcome
from tests.conftest import Run, run_cli
from tests.redisrv import free_port
from tests.sitesrv import FixtureSite, Route, pageless_feed

# A plain sitemap (no news titles) whose every page answers 404: each entry becomes a
# reject, and the sitemap itself answered 200.
DEAD_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>{base}/gone/one.html</loc></url>
  <url><loc>{base}/gone/two.html</loc></url>
</urlset>"""


def _sources(folder: Path, urls: list[str]) -> Path:
    path = folder / "sources.toml"
    path.write_text("".join(f'[[sources]]\nname = "s{i}"\nurl = "{url}"\n\n'
                            for i, url in enumerate(urls)), encoding="utf-8")
    return path


def _crawl(folder: Path, urls: list[str], *options: str) -> Run:
    return run_cli("crawl", "--sources", str(_sources(folder, urls)), "--output-dir",
                   str(folder / "out"), "--state-dir", str(folder / "st"), *options, cwd=folder)


def _dead_sitemap(site: FixtureSite) -> str:
    site.routes["/dead-sitemap.xml"] = Route(
        body=DEAD_SITEMAP.replace(b"{base}", site.base.encode()),
        headers={"Content-Type": "application/xml"})
    return site.url("/dead-sitemap.xml")


def test_a_sitemap_whose_pages_all_fail_fails_the_run_and_is_named(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # Before: exit 0 and nothing on stderr under -q; the two 404s were rejects nobody saw.
    run = _crawl(tmp_path, [_dead_sitemap(fresh_site), fresh_site.url("/feeds/rss10.xml")],
                 "-q")
    assert run.code == 1
    [line] = run.stderr.splitlines()
    assert line.startswith("policywire: run ended with problems: nothing but rejects from"
                           " s0 (HTTP 404);")
    assert "; rejects http_error 2; totals records " in line
    assert line.endswith(f"; see {tmp_path / 'out' / 'runs.jsonl'}")
    manifest = json.loads((tmp_path / "out" / "runs.jsonl").read_text().splitlines()[-1])
    assert manifest["exit_code"] == 1 and manifest["totals"]["records"] > 0


def test_a_source_failing_run_after_run_is_dead_in_the_line_stats_and_report(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    urls = [_dead_sitemap(fresh_site), fresh_site.url("/feeds/rss10.xml")]
    first = _crawl(tmp_path, urls, "-q", "--dead-after", "2")
    assert "dead" not in first.stderr
    second = _crawl(tmp_path, urls, "-q", "--dead-after", "2")
    assert second.code == 1 and "; dead (failed runs in a row): s0 (2);" in second.stderr
    # No --state-dir: the errors come from runs.jsonl (before: 0 without the state).
    stats = run_cli("stats", "--output-dir", str(tmp_path / "out"), "--json",
                    "--dead-after", "2", cwd=tmp_path)
    rows = {row["source"]: row for row in map(json.loads, stats.stdout.splitlines())}
    assert rows["s0"]["error_streak"] == 2
    assert rows["s0"]["status"] == "dead: failed 2 runs in a row"
    assert rows["s1"]["status"] == "ok"
    assert "policywire: s0: dead: failed 2 runs in a row" in stats.stderr
    report = run_cli("report", str(tmp_path / "out"), "-o", str(tmp_path / "r.html"),
                     "--dead-after", "2", cwd=tmp_path)
    assert report.code == 0 and json.loads(report.stderr)["dead"] == ["s0"]
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    row = page[page.index('data-source="s0"'):]
    assert "dead: failed 2 runs in a row" in row[:row.index("</tr>")]
    # sources list agrees with stats (before: "failing", having no notion of dead).
    listing = run_cli("sources", "list", "--sources", str(tmp_path / "sources.toml"),
                      "--output-dir", "out", "--state-dir", "st", "--json",
                      "--dead-after", "2", cwd=tmp_path)
    health = {row["name"]: row["health"] for row in map(json.loads, listing.stdout.splitlines())}
    assert health == {"s0": "dead", "s1": "ok"}, listing.stderr


def test_a_failing_sitemap_with_an_etag_stays_failing_until_dead(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # Most servers answer a conditional request: the second run got 304 for the sitemap,
    # exited 0 and the source showed "ok" (its 404 pages were never asked for again).
    url = _dead_sitemap(fresh_site)
    fresh_site.etags["/dead-sitemap.xml"] = '"v1"'
    runs = [_crawl(tmp_path, [url], "-q", "--dead-after", "3") for _ in range(3)]
    assert [run.code for run in runs] == [1, 1, 1]
    assert "; dead (failed runs in a row): s0 (3);" in runs[2].stderr
    assert fresh_site.hits["/gone/one.html"] == 3


def test_report_shows_a_source_with_only_failed_runs_as_failing(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # Before: its status cell said "ok" (no drift: it had no records to drift).
    _crawl(tmp_path, [_dead_sitemap(fresh_site)], "-q")
    assert run_cli("report", str(tmp_path / "out"), "-o", str(tmp_path / "r.html"),
                   cwd=tmp_path).code == 0
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    row = page[page.index('data-source="s0"'):]
    row = row[:row.index("</tr>")]
    assert 'class="drift"' in page and "failing: 1 run in a row" in row and ">ok<" not in row


def test_no_network_is_said_in_one_line_naming_the_cause(tmp_path: Path) -> None:
    # Before: a warning per host and file from Scrapy, then "rejects download_error 2".
    run = _crawl(tmp_path, ["http://a.nonexistent.invalid/feed.rss",
                            "http://b.nonexistent.invalid/feed.rss"])
    assert run.code == 1
    assert run.stderr.splitlines() == [
        "policywire: no source reachable: DNS lookup failed for all 2 sources;"
        " gave up on host a.nonexistent.invalid after it failed to connect (1 not fetched),"
        " host b.nonexistent.invalid after it failed to connect (1 not fetched);"
        " rejects download_error 2; totals records 0, rejects 2, given_up 2;"
        f" see {tmp_path / 'out' / 'runs.jsonl'}"]


def test_refused_connections_everywhere_are_one_cause_in_json_too(tmp_path: Path) -> None:
    run = _crawl(tmp_path, [f"http://127.0.0.1:{free_port()}/feed.rss",
                            f"http://127.0.0.1:{free_port()}/feed.rss"],
                 "-q", "--log-format", "json")
    assert run.code == 1
    [line] = run.stderr.splitlines()
    said = json.loads(line)  # before: plain text under --log-format json
    assert said["level"] == "error" and said["cause"] == "connection refused"
    assert said["message"].startswith("no source reachable: connection refused for all 2")
    assert said["failed_sources"] == ["s0", "s1"] and said["totals"]["rejects"] == 2


def test_stats_refuses_a_state_dir_that_is_not_there(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    run = run_cli("stats", "--output-dir", str(tmp_path / "out"), "--state-dir",
                  str(tmp_path / "typo"), cwd=tmp_path)
    assert run.code == 66 and run.stderr == f"policywire: {tmp_path / 'typo'}: no such state" \
        " directory\n"


def test_a_reject_s_cause_is_what_an_operator_acts_on() -> None:
    assert cause("download_error", "CannotResolveHostError: DNS lookup failed: no results"
                 " for hostname lookup: a.invalid.") == "DNS lookup failed"
    assert cause("download_error", "ConnectionRefusedError: Connection was refused by other"
                 " side: 111: Connection refused.") == "connection refused"
    assert cause("download_error", "DownloadTimeoutError: Getting http://a.eu/ took longer"
                 " than 2.0 seconds.") == "timed out"
    assert cause("http_error", "http_503") == "HTTP 503"
    assert cause("feed_unparseable", "empty body") == "feed_unparseable"


def test_a_stop_before_a_network_failure_keeps_the_line_s_head() -> None:
    said = Outcome(1, Path("runs.jsonl"), totals={"records": 0}, failed=("a",),
                   cause="DNS lookup failed", interrupted=True).line()
    assert said.startswith("run ended with problems: interrupted before it was done")
    assert "; no source reachable: DNS lookup failed for its one source;" in said


def test_a_rejects_line_naming_its_source_by_a_list_names_none(tmp_path: Path) -> None:
    # Before: `["s0"] in found` raised TypeError (a list is no dict key), and the crawl's
    # last line with it.
    run_id, started = "20261206T060000Z-a1b2", "2026-12-06T06:00:00Z"
    folder = tmp_path / "2026/12/06"
    folder.mkdir(parents=True)
    lines = [{"reason": "http_error", "source": ["s0"], "detail": "500"},
             {"reason": "http_error", "source": "s0", "detail": "404 Not Found"}]
    (folder / f"rejects-{run_id}.jsonl").write_text(
        "".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    summary = {"run_id": run_id, "started": started, "exit_code": 1,
               "sources": {"s0": {"records": 0, "rejects": 2}}}
    end = outcome(summary, tmp_path)
    assert end.failed == ("s0",)
    assert end.causes == {"s0": cause("http_error", "404 Not Found")}


def test_a_feed_whose_every_page_fails_fails_the_run_and_is_named(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # A feed that answers while its site's pages do not (here a closed port; in the trial
    # that found it, DNS): before, exit 0 and, under -q, silence, the records carrying the
    # feed's words only, and only `stats` and the report said so.
    closed = f"127.0.0.1:{free_port()}"
    feed = pageless_feed(fresh_site, "/pageless/feed.rss", f"http://{closed}")
    run = _crawl(tmp_path, [feed,
                            fresh_site.url("/feeds/rss10.xml")], "-q")
    assert run.code == 1, run.stderr
    [line] = run.stderr.splitlines()
    # The cause the records' page_error share is named (before: "no page fetched from s0;").
    # Its pages' host given up after robots.txt's retries (crawler.giveup), and so named.
    assert line.startswith("policywire: run ended with problems: no page fetched from s0"
                           f" (connection refused); gave up on host {closed} after it failed to"
                           " connect (3 not fetched); totals records 5, page_errors 3,"
                           " given_up 3; see "), line
    manifest = json.loads((tmp_path / "out" / "runs.jsonl").read_text().splitlines()[-1])
    assert manifest["exit_code"] == 1 and manifest["sources"]["s0"]["page_errors"] == 3
    assert manifest["sources"]["s1"]["page_errors"] == 0


def test_a_scraped_feed_whose_pages_answer_404_names_that_cause(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # Found in the newuser trial: `scrape FEED -o FILE` over a feed whose pages were gone
    # ended "no page fetched from 127.0.0.1", the source named by the feed's host, and the
    # records in FILE alone said why.
    feed = pageless_feed(fresh_site, "/gone-pages/feed.rss", fresh_site.url("/gone-pages"))
    run = run_cli("scrape", "--allow-private-addresses", feed, "-o", str(tmp_path / "r.jsonl"),
                  "--output-dir", str(tmp_path / "out"), cwd=tmp_path)
    assert run.code == 1, run.stderr
    [line] = [said for said in run.stderr.splitlines() if said.startswith("policywire: ")]
    assert line.startswith("policywire: run ended with problems: no page fetched from"
                           " 127.0.0.1 (HTTP 404); totals records 3, page_errors 3; see ")


def test_pages_failing_for_different_causes_name_none(tmp_path: Path) -> None:
    records = tmp_path / "records.jsonl"
    records.write_text("".join(json.dumps({"source": "s0", "page_error": error}) + "\n"
                               for error in ("http_404", "http_403", "http_404")),
                       encoding="utf-8")
    said = outcome({"exit_code": 1, "sources": {"s0": {"records": 3, "page_errors": 3}},
                    "files": [{"path": str(records)}]}, tmp_path).line()
    assert said.endswith("no page fetched from s0")  # no cause: they disagree


def test_two_pages_failing_of_two_records_are_too_few_to_fail_the_run() -> None:
    few = outcome({"exit_code": 0, "sources": {"s0": {"records": 2, "page_errors": 2}}},
                  Path("/nonexistent"))
    many = outcome({"exit_code": 1, "sources": {"s0": {"records": 3, "page_errors": 3},
                                                "s1": {"records": 3, "page_errors": 2}}},
                   Path("/nonexistent"))
    assert few.pages_failing == () and many.pages_failing == ("s0",)
    assert "no page fetched from s0" in many.line()


def test_a_stopped_run_does_not_say_every_source_failed_for_the_one_it_got_to(
        tmp_path: Path) -> None:
    # Found in the acc5 trial: SIGTERM 6 s into a crawl of nine sources, one throttled (429)
    # the only one done, said "every source failed: HTTP 429 for its one source".
    run_id = "20261206T060000Z-a1b2"
    folder = tmp_path / "2026/12/06"
    folder.mkdir(parents=True)
    (folder / f"rejects-{run_id}.jsonl").write_text(json.dumps(
        {"reason": "http_error", "source": "throttled", "detail": "http_429"}) + "\n",
        encoding="utf-8")
    summary = {"run_id": run_id, "started": "2026-12-06T06:00:00Z", "exit_code": 1,
               "interrupted": True, "sources": {"throttled": {"records": 0, "rejects": 1}},
               "reject_reasons": {"http_error": 1}}
    said = outcome(summary, tmp_path).line()
    assert "every source" not in said
    assert said.startswith("run ended with problems: interrupted before it was done (the next"
                           " run reads every feed again); nothing but rejects from throttled"
                           " (HTTP 429); rejects http_error 1;")


def test_a_run_stopped_before_its_merge_names_no_runs_file_in_json_either(
        tmp_path: Path) -> None:
    # The text line stopped saying "see .../runs.jsonl" for a run that wrote no line there;
    # the JSON line (--log-format json) still named the file as "runs".
    stopped = outcome({"exit_code": 1, "totals": {}, "error": "stopped before its merge"},
                      tmp_path)
    assert "runs.jsonl" not in stopped.line()
    assert stopped.as_dict()["runs"] is None
    merged = outcome({"exit_code": 0, "run_id": "r1", "totals": {"records": 1}}, tmp_path)
    assert merged.as_dict()["runs"] == str(tmp_path / "runs.jsonl")
