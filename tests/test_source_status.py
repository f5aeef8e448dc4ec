"""``policywire sources list`` and ``sources check --live`` against a loopback site."""

from __future__ import annotations

import gzip
import json
import socket
from pathlib import Path

from tests.conftest import run_cli
from tests.sitesrv import SITE, FixtureSite, Route, pageless_feed, redirect


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _write_sources(folder: Path, tables: list[str]) -> Path:
    path = folder / "sources.toml"
    path.write_text("\n".join(f"[[sources]]\n{t}\n" for t in tables), encoding="utf-8")
    return path


def test_live_check_reports_each_enabled_source_and_changes_nothing(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    fresh_site.routes["/moved.rss"] = redirect(fresh_site.url("/feeds/rss20.rss"), status=301)
    fresh_site.routes["/gone.rss"] = Route(status=404, body=b"gone")
    # A sitemap.xml.gz served as a file (application/gzip, no Content-Encoding) and a JSON
    # Feed: the probe reads them as the crawl does.
    news = (SITE / "sitemaps" / "news.xml").read_text(encoding="utf-8")
    fresh_site.routes["/sitemap.xml.gz"] = Route(
        body=gzip.compress(news.replace("{{BASE}}", fresh_site.base).encode()),
        headers={"Content-Type": "application/gzip"})
    fresh_site.routes["/feed.json"] = Route(body=json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "t", "items": [
            {"id": "1", "url": fresh_site.url("/a/1"), "title": "One",
             "date_published": "2024-05-01T10:00:00Z"}]}).encode(),
        headers={"Content-Type": "application/feed+json"})
    sources = _write_sources(tmp_path, [
        f'name = "feed"\nurl = "{fresh_site.url("/feeds/rss20.rss")}"',
        f'name = "moved"\nurl = "{fresh_site.url("/moved.rss")}"\nkind = "feed"',
        f'name = "sitemap"\nurl = "{fresh_site.url("/sitemaps/news.xml")}"',
        f'name = "gone"\nurl = "{fresh_site.url("/gone.rss")}"',
        f'name = "refused"\nurl = "http://127.0.0.1:{_closed_port()}/feed.xml"',
        f'name = "gz"\nurl = "{fresh_site.url("/sitemap.xml.gz")}"',
        f'name = "json"\nurl = "{fresh_site.url("/feed.json")}"',
        f'name = "off"\nurl = "{fresh_site.url("/feeds/atom.atom")}"\nenabled = false',
    ])
    run = run_cli("sources", "check", str(sources), "--live", "--json", cwd=tmp_path)
    probes = {p["name"]: p for p in map(json.loads, run.stdout.splitlines())}
    assert run.code == 1, run.stderr
    assert "2 of 7 sources gave nothing usable: gone, refused" in run.stderr
    assert set(probes) == {"feed", "moved", "sitemap", "gone", "refused", "gz", "json"}
    assert (probes["gz"]["kind"], probes["gz"]["ok"]) == ("sitemap", True)
    assert probes["gz"]["entries"] == probes["sitemap"]["entries"]
    assert (probes["json"]["kind"], probes["json"]["entries"]) == ("feed", 1)
    assert probes["json"]["newest"].startswith("2024-05-01T10:00")
    feed = probes["feed"]
    assert (feed["status"], feed["kind"], feed["ok"]) == (200, "feed", True)
    assert feed["entries"] >= 3 and feed["newest"].startswith("20")
    assert "rss" in feed["content_type"] and feed["redirects"] == []
    moved = probes["moved"]
    assert moved["redirects"] == [fresh_site.url("/moved.rss")]
    assert moved["final_url"] == fresh_site.url("/feeds/rss20.rss")
    assert moved["entries"] == feed["entries"]
    assert (probes["sitemap"]["kind"], probes["sitemap"]["ok"]) == ("sitemap", True)
    assert (probes["gone"]["status"], probes["gone"]["error"]) == (404, "http_404")
    assert probes["refused"]["status"] is None
    assert "ConnectionRefused" in probes["refused"]["error"]
    # Nothing stored: no state, no output, in the working directory or anywhere it names.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sources.toml"]
    assert fresh_site.hits.get("/feeds/atom.atom", 0) == 0


def test_live_check_names_the_feeds_a_home_page_announces(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # Found in the newuser trial: a home page announcing its feed showed "page, 1 entries",
    # read as the page itself, where the crawl reads the feed's entries instead.
    feed = fresh_site.url("/feeds/rss20.rss")
    fresh_site.routes["/home.html"] = Route(body=(
        '<html><head><title>Ministry</title><link rel="alternate" type="application/rss+xml"'
        f' href="{feed}"></head><body><h1>Ministry</h1></body></html>').encode(),
        headers={"Content-Type": "text/html; charset=utf-8"})
    sources = _write_sources(tmp_path, [f'name = "home"\nurl = "{fresh_site.url("/home.html")}"'])
    listed = run_cli("sources", "check", str(sources), "--live", "--json", cwd=tmp_path)
    assert listed.code == 0, listed.stderr
    probe = json.loads(listed.stdout)
    assert (probe["kind"], probe["entries"], probe["feeds"]) == ("page", 1, [feed])
    table = run_cli("sources", "check", str(sources), "--live", cwd=tmp_path)
    assert table.stdout.splitlines()[1].endswith(f"announces 1 feed, crawled: {feed}")


def test_live_check_keeps_the_ssrf_guard_unless_told(site: FixtureSite, tmp_path: Path) -> None:
    sources = _write_sources(tmp_path, [f'name = "feed"\nurl = "{site.url("/feeds/atom.atom")}"'])
    guarded = run_cli("sources", "check", str(sources), "--live", "--json", cwd=tmp_path,
                      env={"POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": "0"})
    [probe] = map(json.loads, guarded.stdout.splitlines())
    assert guarded.code == 1 and probe["error"].startswith("private_address")
    allowed = run_cli("sources", "check", str(sources), "--live", "--allow-private-addresses",
                      cwd=tmp_path, env={"POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": "0"})
    assert allowed.code == 0, allowed.stderr
    assert allowed.stdout.splitlines()[1].split()[:3] == ["feed", "200", "feed"]


def test_list_shows_metadata_and_the_last_runs_health(site: FixtureSite, tmp_path: Path) -> None:
    sources = _write_sources(tmp_path, [
        f'name = "good"\nurl = "{site.url("/feeds/rss20.rss")}"\npaywall = true\n'
        'notes = "F+ articles are teasers"\nrequire_topic = false',
        f'name = "bad"\nurl = "{site.url("/missing.html")}"\nkind = "feed"',
        f'name = "later"\nurl = "{site.url("/feeds/atom.atom")}"\nenabled = false',
    ])
    before = run_cli("sources", "list", "--sources", str(sources), "--json", cwd=tmp_path)
    assert [json.loads(line)["health"] for line in before.stdout.splitlines()] == [
        "not run yet", "not run yet", "disabled"]
    crawl = run_cli("crawl", "--sources", str(sources), "--output-dir", "out",
                    "--state-dir", "state", cwd=tmp_path)
    assert crawl.code == 1, crawl.stderr
    run = run_cli("sources", "list", "--sources", str(sources), "--output-dir", "out",
                  "--state-dir", "state", "--json", cwd=tmp_path)
    assert run.code == 0, run.stderr
    rows = {r["name"]: r for r in map(json.loads, run.stdout.splitlines())}
    good, bad = rows["good"], rows["bad"]
    assert (good["health"], good["paywall"], good["notes"]) == ("ok", True,
                                                                "F+ articles are teasers")
    assert good["last_run"]["records"] >= 3
    assert (bad["health"], bad["last_run"]["records"], bad["error_streak"]) == ("failing", 0, 1)
    assert bad["last_run"]["rejects"] == 1
    table = run_cli("sources", "list", "--sources", str(sources), "--output-dir", "out",
                    "--state-dir", "state", cwd=tmp_path).stdout.splitlines()
    assert table[0].split()[:3] == ["source", "kind", "lang"]
    assert "F+ articles are teasers" in table[1] and " yes " in table[1]
    assert table[2].split()[5] == "failing"
    # A second failed run: dead after two, as stats says it.
    assert run_cli("crawl", "--sources", str(sources), "--output-dir", "out", "--state-dir",
                   "state", cwd=tmp_path).code == 1
    listed = run_cli("sources", "list", "--sources", str(sources), "--output-dir", "out",
                     "--dead-after", "2", "--json", cwd=tmp_path)
    health = {r["name"]: r["health"] for r in map(json.loads, listed.stdout.splitlines())}
    assert health == {"good": "ok", "bad": "dead", "later": "disabled"}
    stats = run_cli("stats", "out", "--dead-after", "2", "--json", cwd=tmp_path)
    statuses = {r["source"]: r["status"] for r in map(json.loads, stats.stdout.splitlines())}
    assert statuses["bad"].startswith("dead") and statuses["good"] == "ok"
    # A directory named but not there is a missing input, as for stats (before: exit 0,
    # every source "not run yet", or the state's error streaks left out without a word).
    for option, message in (("--output-dir", "no such output directory"),
                            ("--state-dir", "no such state directory")):
        typo = run_cli("sources", "list", "--sources", str(sources), option, "outt",
                       cwd=tmp_path)
        assert (typo.code, typo.stderr) == (66, f"policywire: outt: {message}\n")
    stateless = run_cli("sources", "list", "--sources", str(sources), "--state-dir", "out",
                        cwd=tmp_path)
    assert stateless.code == 66 and "no state.sqlite3" in stateless.stderr


def test_list_says_pages_failing_as_stats_does_for_a_feed_whose_every_page_failed(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    # The feed answers, its pages' host does not (a closed port; DNS in the trial that found
    # it): the run exits 1 ("no page fetched from pageless") and stats says "pages failing",
    # while `sources list` said "ok" (it read only exit codes and rejects).
    feed = pageless_feed(fresh_site, "/pageless.rss", f"http://127.0.0.1:{_closed_port()}")
    sources = _write_sources(tmp_path, [
        f'name = "pageless"\nurl = "{feed}"',
        f'name = "fine"\nurl = "{fresh_site.url("/feeds/rss10.xml")}"'])
    listing = ("sources", "list", "--sources", str(sources), "--output-dir", "out",
               "--state-dir", "state")
    crawl = ("crawl", "--sources", str(sources), "--output-dir", "out", "--state-dir", "state")
    for code in (1, 0):  # a second run finds the entries unchanged: the verdict stands
        assert run_cli(*crawl, "-q", cwd=tmp_path).code == code
        listed = run_cli(*listing, "--json", cwd=tmp_path)
        health = {r["name"]: r["health"] for r in map(json.loads, listed.stdout.splitlines())}
        assert health == {"pageless": "pages failing", "fine": "ok"}, listed.stderr
        stats = run_cli("stats", "out", "--json", cwd=tmp_path)
        statuses = {r["source"]: r["status"] for r in map(json.loads, stats.stdout.splitlines())}
        assert statuses == {"pageless": "pages failing: none of the latest run's 3 pages"
                                        " fetched", "fine": "ok"}
    table = run_cli(*listing, cwd=tmp_path).stdout.splitlines()
    assert table[1].split()[:7] == ["pageless", "auto", "-", "-", "-", "pages", "failing"]


def test_a_feed_moved_for_good_is_said_once_by_a_crawl_and_shown_by_list(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    site = fresh_site
    site.routes["/old.rss"] = redirect(site.url("/feeds/rss20.rss"), 301)
    site.routes["/gone.rss"] = redirect(site.url("/feeds/rss20.rss"), 308)
    site.routes["/away.rss"] = redirect(site.url("/feeds/rss20.rss"), 302)  # for now only
    sources = _write_sources(tmp_path, [
        f'name = "{name}"\nurl = "{site.url(f"/{name}.rss")}"' for name in ("old", "gone",
                                                                            "away")])

    def crawl() -> list[str]:
        run = run_cli("crawl", "--sources", str(sources), "--output-dir", "out",
                      "--state-dir", "state", cwd=tmp_path)
        assert run.code == 0, run.stderr
        return [line for line in run.stderr.splitlines() if "moved" in line]

    new = site.url("/feeds/rss20.rss")
    # Before: not a word; only `sources check --live` showed the redirect.
    said = crawl()
    assert len(said) == 2, said
    for name in ("old", "gone"):
        [line] = [line for line in said if f"{name}:" in line]
        assert site.url(f"/{name}.rss") in line and new in line
    assert crawl() == []  # said once, not on every cron run
    listed = run_cli("sources", "list", "--sources", str(sources), "--output-dir", "out",
                     "--json", cwd=tmp_path)
    moved = {r["name"]: r["moved_to"] for r in map(json.loads, listed.stdout.splitlines())}
    assert moved == {"old": new, "gone": new, "away": None}
    table = run_cli("sources", "list", "--sources", str(sources), "--output-dir", "out",
                    cwd=tmp_path).stdout
    assert f"moved to {new}" in table


def test_live_check_says_what_a_crawl_says_of_a_plain_text_answer(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    fresh_site.routes["/notes.txt"] = Route(200, b"Minutes of the meeting, in plain text.\n",
                                            {"Content-Type": "text/plain; charset=utf-8"})
    sources = _write_sources(tmp_path, [f'name = "notes"\nurl = "{fresh_site.url("/notes.txt")}"'])
    run = run_cli("sources", "check", str(sources), "--live", "--json", cwd=tmp_path)
    [probe] = map(json.loads, run.stdout.splitlines())
    crawl = run_cli("crawl", "--sources", str(sources), "-q", cwd=tmp_path)
    [reject] = [json.loads(line) for p in (tmp_path / "output").rglob("rejects-*.jsonl")
                for line in p.read_text(encoding="utf-8").splitlines()]
    assert (run.code, crawl.code) == (1, 1)
    # Before: the probe said feed_unparseable, "neither feed, sitemap nor HTML ('text/plain')".
    assert probe["error"] == f"{reject['reason']}: {reject['detail']}"
    assert probe["error"] == "unsupported_content: not a feed, sitemap or HTML page: text/plain"


def test_a_deferred_source_keeps_its_error_streak_and_list_says_until_when(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    fresh_site.routes["/busy.rss"] = Route(404, b"not here")
    sources = _write_sources(tmp_path, [f'name = "busy"\nurl = "{fresh_site.url("/busy.rss")}"'])
    crawl = ("crawl", "--sources", str(sources), "--output-dir", "out", "--state-dir", "state",
             "-q")
    listing = ("sources", "list", "--sources", str(sources), "--output-dir", "out",
               "--state-dir", "state")
    assert run_cli(*crawl, cwd=tmp_path).code == 1
    fresh_site.routes["/busy.rss"] = Route(429, b"slow down", {"Retry-After": "3600"})
    assert run_cli(*crawl, cwd=tmp_path).code == 0
    [row] = map(json.loads, run_cli(*listing, "--json", cwd=tmp_path).stdout.splitlines())
    # Before: the 429 reset the streak (0: "ok"), and nothing said the source was resting.
    assert (row["error_streak"], row["health"]) == (1, "failing")
    last = json.loads((tmp_path / "out" / "runs.jsonl").read_text(encoding="utf-8")
                      .splitlines()[-1])
    until = last["deferred"]["busy"]["until"]
    assert row["deferred"] == {"why": "retry-after", "until": until}
    table = run_cli(*listing, cwd=tmp_path).stdout.splitlines()
    assert f"deferred until {until} (retry-after)" in table[1]
