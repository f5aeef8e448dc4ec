"""The downloader middlewares, on a loopback site: robots.txt asked for as the source asks."""

from __future__ import annotations

from pathlib import Path

from crawler.settings import USER_AGENT
from tests.conftest import records_under, run_cli
from tests.sitesrv import FixtureSite, Route

OWN_AGENT = "own-agent/2.0 (+https://example.org/bot)"


def test_robots_txt_is_asked_for_with_the_sources_own_user_agent(fresh_site: FixtureSite,
                                                                  tmp_path: Path) -> None:
    # Rules for the source's own agent only: it must read them as itself.
    fresh_site.routes["/robots.txt"] = Route(
        200, b"User-agent: own-agent\nDisallow: /articles/\n", {"Content-Type": "text/plain"})
    (tmp_path / "s.toml").write_text(
        f'[[sources]]\nname = "own"\nurl = "{fresh_site.url("/feeds/rss20.rss")}"\n'
        f'user_agent = "{OWN_AGENT}"\n'
        f'[[sources]]\nname = "plain"\nurl = "{fresh_site.url("/feeds/atom.atom")}"\n',
        encoding="utf-8")
    run = run_cli("crawl", "--sources", "s.toml", "-q", cwd=tmp_path)
    assert run.code == 0, run.stderr
    agents = [headers.get("User-Agent") for headers in fresh_site.requests["/robots.txt"]]
    # Before: once, with the crawl's agent, for both sources of the host.
    assert sorted(agents) == sorted([OWN_AGENT, USER_AGENT])
    forbidden = {(r["source"], r["page_error"] == "IgnoreRequest: Forbidden by robots.txt")
                 for r in records_under(tmp_path / "output")}
    assert ("own", True) in forbidden and ("plain", True) not in forbidden
