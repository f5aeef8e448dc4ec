"""``policywire sources list`` and ``sources check --live`` against a loopback site."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from tests.conftest import run_cli
from tests.sitesrv import FixtureSite, Route, redirect


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
    sources = _write_sources(tmp_path, [
        f'name = "feed"\nurl = "{fresh_site.url("/feeds/rss20.rss")}"',
        f'name = "moved"\nurl = "{fresh_site.url("/moved.rss")}"\nkind = "feed"',
        f'name = "sitemap"\nurl = "{fresh_site.url("/sitemaps/news.xml")}"',
        f'name = "gone"\nurl = "{fresh_site.url("/gone.rss")}"',
        f'name = "refused"\nurl = "http://127.0.0.1:{_closed_port()}/feed.xml"',
        f'name = "off"\nurl = "{fresh_site.url("/feeds/atom.atom")}"\nenabled = false',
    ])
    run = run_cli("sources", "check", str(sources), "--live", "--json", cwd=tmp_path)
    probes = {p["name"]: p for p in map(json.loads, run.stdout.splitlines())}
    assert run.code == 1, run.stderr
    assert "2 of 5 sources gave nothing usable: gone, refused" in run.stderr
    assert set(probes) == {"feed", "moved", "sitemap", "gone", "refused"}  # not the disabled
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
