"""Credentials in a source's URL or its entries' links (``https://user:pass@host/feed.xml``,
``?token=...``): used for the fetch, written nowhere: not in records, rejects, ``runs.jsonl``,
the state, log lines, ``stats``, ``sources list`` or the report. End to end against the
loopback site."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import time
from pathlib import Path

from scrapy import Request

from crawler.credentials import UrlCredentialsMiddleware
from crawler.models import Reject
from crawler.redact import redact
from tests.conftest import REPO, run_cli
from tests.sitesrv import FixtureSite, Route

SECRETS = ("feedPassw0rd", "pagePassw0rd", "t0kenValue", "g0nePassw0rd")


def _private_feed(site: FixtureSite) -> str:
    """A feed listing a fixture article and a missing page, both behind credentials."""
    host = site.base.split("://", 1)[1]
    items = "".join(
        f"<item><title>{title}</title><link>http://reader:pagePassw0rd@{host}{path}"
        f"</link><pubDate>Mon, 0{n} Dec 2026 10:00:00 GMT</pubDate>"
        "</item>"
        for n, (title, path) in enumerate([("New START talks", "/articles/en-new-start.html"),
                                           ("Gone", "/missing-article.html")], start=1))
    site.routes["/private/feed.rss"] = Route(
        body=f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode(),
        headers={"Content-Type": "application/rss+xml"})
    return f"http://reader:feedPassw0rd@{host}/private/feed.rss?token=t0kenValue"


def test_credentials_in_urls_are_used_for_the_fetch_and_written_nowhere(
        fresh_site: FixtureSite, tmp_path: Path) -> None:
    host = fresh_site.base.split("://", 1)[1]
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[sources]]\nname = "private"\nurl = "{_private_feed(fresh_site)}"\n\n'
        f'[[sources]]\nname = "gone"\nurl = "http://u:g0nePassw0rd@{host}/missing.rss"\n',
        encoding="utf-8")
    fresh_site.etags["/private/feed.rss"] = '"v1"'
    said = []
    for _ in range(2):
        crawl = run_cli("crawl", "--sources", str(sources), "--output-dir", "out",
                        "--state-dir", "state", "--log-level", "DEBUG", "--log-format", "json",
                        # No page left to retry: a feed with one pending keeps no validators.
                        "--page-retries", "0",
                        cwd=tmp_path)
        assert crawl.code == 1, crawl.stderr  # "gone" failed
        said += [crawl.stdout, crawl.stderr]
    first, second = fresh_site.requests["/private/feed.rss"]
    assert first["Authorization"] == "Basic " + base64.b64encode(b"reader:feedPassw0rd").decode()
    # The state knows the feed under its URL without credentials: the second run asks with
    # the validators the first stored (and gets 304).
    assert second["If-None-Match"] == '"v1"' and "Authorization" in second
    assert fresh_site.hits.get("/articles/en-new-start.html") == 1
    for command in (["stats", "out"], ["stats", "out", "--json"],
                    ["sources", "list", "--sources", str(sources), "--output-dir", "out"],
                    ["sources", "check", str(sources), "--live"],
                    ["sources", "check", str(sources), "--live", "--json"],
                    ["report", "out", "-o", "report.html"]):
        run = run_cli(*command, cwd=tmp_path)
        said += [run.stdout, run.stderr]
    files = [p for p in tmp_path.rglob("*") if p.is_file() and p != sources]
    assert any(p.name == "state.sqlite3" for p in files)
    assert any(p.name == "report.html" for p in files)
    for secret in SECRETS:
        assert not [text for text in said if secret in text], secret
        assert not [p for p in files if secret.encode() in p.read_bytes()], secret
    records = "".join(p.read_text() for p in tmp_path.rglob("records-*.jsonl"))
    assert f'"url":"http://{host}/articles/en-new-start.html"' in records
    assert f'"feed_url":"http://{host}/private/feed.rss?token=REDACTED"' in records


def test_redact_takes_credentials_and_leaves_the_rest() -> None:
    assert redact("https://u:p%40ss@h.example:8443/f?page=2&Token=abc&monkey=1#x") == (
        "https://h.example:8443/f?page=2&Token=REDACTED&monkey=1#x")
    assert redact("GET <https://h.example/f?api_key=k&X-Amz-Signature=s> failed") == (
        "GET <https://h.example/f?api_key=REDACTED&X-Amz-Signature=REDACTED> failed")
    plain = "mailto:desk@h.example and https://h.example/a/user@x?keyword=nato"
    assert redact(plain) is plain


def test_redacting_a_url_in_brackets_keeps_its_closing_bracket() -> None:
    # Before: "(see http://h/feed?token=abc)" lost its ")": taken as part of the token.
    assert redact("(see http://h.example/feed?token=abc)") == (
        "(see http://h.example/feed?token=REDACTED)")
    assert redact("[http://h.example/f?key=k&sig=s]. Then (http://h/f?pwd=p).") == (
        "[http://h.example/f?key=REDACTED&sig=REDACTED]. Then (http://h/f?pwd=REDACTED).")
    # A bracket inside the value, or a value ending in a dot, is the value's: redacted whole.
    assert redact("http://h.example/f?token=a)b(c and ?token=abc.") == (
        "http://h.example/f?token=REDACTED and ?token=REDACTED")
    started = time.process_time()  # a run of brackets is read once, not from each of them
    assert redact("?token=" + ")" * 200_000 + "x") == "?token=REDACTED"
    assert time.process_time() - started < 2.0


def test_redacting_a_hostile_link_costs_its_length_not_its_square() -> None:
    # A feed's link of 200 KB is an invalid_link reject, which redacts its URL and detail:
    # the userinfo pattern tried its scheme from each word of "b-b-b-...", 32 s of CPU.
    link = "http://x.example/@" + "b-" * 100_000
    started = time.process_time()
    reject = Reject(run_id="r", reason="invalid_link", source="s", url=link, detail=link)
    assert time.process_time() - started < 2.0
    assert reject.url == link
    assert redact("failed:.https://u:p@h.example/f") == "failed:.https://h.example/f"


def test_a_password_with_an_unencoded_at_sign_is_redacted_whole() -> None:
    # The fetch authenticates as "reader" with "p@ssw0rd" (urllib splits at the last "@");
    # redact took "reader:p@" only and wrote "http://ssw0rd@h.example/feed".
    assert redact("http://reader:p@ssw0rd@h.example/feed") == "http://h.example/feed"
    assert redact("see http://h.example/a/user@x and http://u@h.example/@me") == (
        "see http://h.example/a/user@x and http://h.example/@me")


def test_an_empty_userinfo_sends_no_authorization() -> None:
    # "http://@host/" names no user: the request goes to the host without the "@" and
    # without a "Basic Og==" (an empty user and password) the server never asked for.
    sent = UrlCredentialsMiddleware().process_request(Request("http://@127.0.0.1:9/feed.xml"))
    assert sent is not None and sent.url == "http://127.0.0.1:9/feed.xml"
    assert b"Authorization" not in sent.headers
    named = UrlCredentialsMiddleware().process_request(Request("http://u:p@127.0.0.1:9/f"))
    assert named is not None
    assert named.headers[b"Authorization"] == b"Basic " + base64.b64encode(b"u:p")


def test_scrapy_crawl_s_own_log_lines_hold_no_credentials(fresh_site: FixtureSite,
                                                          tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[sources]]\nname = "private"\nurl = "{_private_feed(fresh_site)}"\n',
                       encoding="utf-8")
    settings = {"POLICYWIRE_OUTPUT_DIR": "out", "POLICYWIRE_STATE_DIR": "state",
                "POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": "1", "LOG_LEVEL": "DEBUG"}
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings",
           "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "policywire", "-a", f"sources={sources}",
         *[arg for k, v in settings.items() for arg in ("-s", f"{k}={v}")]],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    host = fresh_site.base.split("://", 1)[1]
    # Scrapy's own lines, by its LogFormatter and its middlewares: the URLs without secrets.
    assert f"Crawled (200) <GET http://{host}/private/feed.rss?token=REDACTED>" in proc.stderr
    assert "(404) <GET" in proc.stderr
    # Before: "Crawled (200) <GET http://reader:feedPassw0rd@...?token=t0kenValue>".
    assert [secret for secret in SECRETS if secret in proc.stderr] == []
