"""A feed's links as records show them: valid URLs, under the ids earlier runs gave them."""

from __future__ import annotations

from pathlib import Path

from crawler.records import identity_key, record_id
from tests.conftest import read_jsonl, records_under, rejects_under, run_cli
from tests.sitesrv import SITE, FixtureSite, Route


def test_a_feed_link_with_a_space_is_a_valid_url_and_not_new_to_an_older_state(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    site = fresh_site
    raw = site.url("/articles/talks resume.html")
    site.routes["/feed.rss"] = Route(200, (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        f"<item><title>Talks resume</title><link>{raw}</link></item></channel></rss>").encode(),
        {"Content-Type": "application/rss+xml"})
    page = (SITE / "articles" / "en-sanctions.html").read_bytes()
    site.routes["/articles/talks%20resume.html"] = Route(200, page, {"Content-Type": "text/html"})
    (tmp_path / "s.toml").write_text(
        f'[[sources]]\nname = "one"\nurl = "{site.url("/feed.rss")}"\n', encoding="utf-8")
    for _ in range(2):
        run = run_cli("crawl", "--sources", "s.toml", "-q", "--state-dir", "state", cwd=tmp_path)
        assert run.code == 0, run.stderr
    [record] = records_under(tmp_path / "output")
    # Before: the space stayed raw in the record's url.
    assert record["url"] == site.url("/articles/talks%20resume.html")
    assert record["page_error"] is None
    # The id is the raw link's, as a state written before links were encoded has it: the
    # second run found the entry unchanged and wrote nothing.
    assert record["id"] == record_id(identity_key("one", None, raw, False))
    assert read_jsonl(tmp_path / "output" / "runs.jsonl")[-1]["sources"]["one"]["unchanged"] == 1


def test_a_link_too_long_once_encoded_is_a_reject_not_lost(fresh_site: FixtureSite,
                                                          tmp_path: Path) -> None:
    site = fresh_site
    # Under URLLENGTH_LIMIT (2083) as written, over it as requested ("%20" for each space):
    # Scrapy's URL length filter would drop the request without a word.
    padding = "a " * ((2080 - len(site.url("/long/.html"))) // 2)
    links = [site.url("/articles/en-sanctions.html"), site.url(f"/long/{padding}.html"),
             site.url("/articles/en-nato-summit.html")]
    assert len(links[1]) <= 2083 < len(links[1].replace(" ", "%20"))
    items = "".join(f"<item><title>Entry {n}</title><link>{link}</link></item>"
                    for n, link in enumerate(links))
    site.routes["/feed.rss"] = Route(200, (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        f"{items}</channel></rss>").encode(), {"Content-Type": "application/rss+xml"})
    (tmp_path / "s.toml").write_text(
        f'[[sources]]\nname = "one"\nurl = "{site.url("/feed.rss")}"\n', encoding="utf-8")
    run = run_cli("crawl", "--sources", "s.toml", "-q", cwd=tmp_path)
    # Before: two records and nothing else; the middle entry was gone without a trace.
    assert len(records_under(tmp_path / "output")) == 2
    [reject] = rejects_under(tmp_path / "output")
    assert (reject["reason"], run.code) == ("invalid_link", 1), run.stderr
    assert "over the limit of 2083" in reject["detail"]
    assert reject["url"] == links[1].replace(" ", "%20")  # a valid URL, as records' are
