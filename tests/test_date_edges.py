"""Stamps that UTC cannot hold: ``9999-12-31T23:30:00-05:00`` is in year 10000 there and
``0001-01-01T00:00:00+14:00`` in year 0. Such a stamp is no date (``published`` null,
``published_raw`` as written), never an OverflowError that costs its page or entry."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest

from crawler.errors import ConfigError
from crawler.extract import extract_page
from crawler.normalize import date_option, parse_date
from tests.conftest import records_under, rejects_under, run_cli
from tests.sitesrv import FixtureSite, Route
from tests.test_extract_edges import BODY, crawl_served, edge_page
from tests.test_faults import HTML, RSS

LATE = "9999-12-31T23:30:00-05:00"
EARLY = "0001-01-01T00:00:00+14:00"


@pytest.mark.parametrize("raw", [
    LATE, EARLY,
    "Fri, 31 Dec 9999 23:30:00 -0500",  # RFC 2822 (RSS pubDate)
    "Mon, 01 Jan 0001 00:00:00 +1400",  # was read as 2001, then 31 December 2000
    "31.12.9999 23:30 -05:00",  # day first (dateutil)
])
def test_a_stamp_outside_utcs_years_is_no_date(raw: str) -> None:
    assert parse_date(raw) is None
    # The moments just inside are dates still.
    assert parse_date("9999-12-31T23:59:59Z") == "9999-12-31T23:59:59Z"
    assert parse_date("0001-01-01T14:00:00+14:00") == "0001-01-01T00:00:00Z"


def test_an_rfc_2822_year_written_with_four_digits_is_that_year() -> None:
    """The email parser takes a year below 100 for a two-digit one ("0001" as 2001): a date
    invented. Written with four digits, the year is the one written; two digits stay 19xx/20xx."""
    assert parse_date("Mon, 01 Jan 0001 10:00:00 +0000") == "0001-01-01T10:00:00Z"
    assert parse_date("Thu, 01 Jan 0099 10:00:00 GMT") == "0099-01-01T10:00:00Z"
    assert parse_date("Fri, 01 Jan 99 10:00:00 GMT") == "1999-01-01T10:00:00Z"
    assert parse_date("Sat, 01 Jan 0000 10:00:00 GMT") is None  # no year 0: was 2000


@pytest.mark.parametrize("raw", [LATE, EARLY])
def test_such_a_bound_is_a_config_error_naming_the_option(raw: str) -> None:
    with pytest.raises(ConfigError, match=r"--until: .* outside the years 1-9999 in UTC"):
        date_option(raw, "--until")


@pytest.mark.parametrize("raw", [LATE, EARLY])
@pytest.mark.parametrize("language", ["en", "de"])
def test_a_page_declaring_such_a_stamp_keeps_its_body(language: str, raw: str) -> None:
    page = extract_page(edge_page(language, raw), "https://example.de/a")
    assert (page.published, page.published_raw) == (None, raw)
    assert page.text is not None and "Bundestag" in page.text


# The article's page declares no date, so the record's date is the entry's alone.
UNDATED = (f'<html lang="en"><head><title>Gesetz beschlossen</title></head><body><article>'
           f"<h1>Gesetz beschlossen heute</h1>{BODY}</article></body></html>")


def _feeds(site: FixtureSite) -> dict[str, tuple[str, str, str]]:
    """Per source: (kind, its feed or sitemap's path, the stamp it writes)."""
    rfc = "Fri, 31 Dec 9999 23:30:00 -0500"
    link = site.url("/edge-{}/a0.html")
    bodies = {
        "rss": (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                f"<title>rss</title><link>{site.base}/</link><item><title>Gesetz im RSS</title>"
                f"<link>{link.format('rss')}</link><pubDate>{rfc}</pubDate></item>"
                "</channel></rss>", RSS, rfc),
        "atom": ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
                 f"<title>atom</title><id>urn:edge</id><updated>{EARLY}</updated><entry>"
                 f"<title>Gesetz im Atom</title><id>urn:edge:0</id>"
                 f'<link href="{link.format("atom")}"/><updated>{EARLY}</updated></entry></feed>',
                 "application/atom+xml", EARLY),
        "json": (json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "json",
                             "items": [{"id": "0", "url": link.format("json"),
                                        "title": "Gesetz im JSON Feed",
                                        "date_published": LATE}]}),
                 "application/feed+json", LATE),
        "sitemap": ('<?xml version="1.0" encoding="UTF-8"?>'
                    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                    f"<url><loc>{link.format('sitemap')}</loc><lastmod>{LATE}</lastmod></url>"
                    "</urlset>", "application/xml", LATE),
    }
    for name, (body, kind, _) in bodies.items():
        site.routes[f"/edge-{name}/feed"] = Route(200, body.encode(), {"Content-Type": kind})
        site.routes[f"/edge-{name}/a0.html"] = Route(
            200, UNDATED.encode(), {"Content-Type": HTML})
    return {name: ("sitemap" if name == "sitemap" else "feed", f"/edge-{name}/feed", raw)
            for name, (_, _, raw) in bodies.items()}


def test_a_feed_entry_dated_outside_utcs_years_is_one_record(tmp_path: Path) -> None:
    """RSS ``pubDate``, Atom ``updated``, JSON Feed ``date_published``, sitemap ``lastmod``:
    each entry is one record with its page's body; its stamp is no date, kept as written
    (the ``lastmod``, a last change, not as the publication)."""
    feeds: dict[str, tuple[str, str, str]] = {}

    def build(site: FixtureSite) -> dict[str, tuple[str, str]]:
        feeds.update(_feeds(site))
        return {f"edge-{name}": (kind, path) for name, (kind, path, _) in feeds.items()}

    run = crawl_served(tmp_path, build)
    assert run.code == 0, run.stderr[-3000:]
    records = {r["source"]: r for r in records_under(tmp_path / "out")}
    assert sorted(records) == sorted(f"edge-{name}" for name in feeds)
    for name, (_, _, raw) in feeds.items():
        record = records[f"edge-{name}"]
        # A sitemap's ``<lastmod>`` is no publication, not even as written.
        written = None if name == "sitemap" else raw
        assert (record["published"], record["published_raw"]) == (None, written), name
        assert "Bundestag" in record["text"], name
    assert rejects_under(tmp_path / "out") == []
    assert "Traceback" not in run.stderr


def test_rows_from_elsewhere_so_dated_are_undated_and_export(tmp_path: Path) -> None:
    """``policywire dedup`` of another tool's rows keeps such a date as written and merges
    the row as undated; ``export`` reads it as no moment (before: OverflowError, a traceback
    and no file, with ``--since`` and into Parquet)."""
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("".join(json.dumps({"url": f"https://a.de/{n}", "title": title,
                                          "published": raw}) + "\n"
                              for n, (title, raw) in enumerate([
                                  ("Gesetz beschlossen am Donnerstag", LATE),
                                  ("Andere Nachricht von heute", EARLY)])), encoding="utf-8")
    merged = run_cli("dedup", str(source), "-o", str(target), cwd=tmp_path)
    assert merged.code == 0, merged.stderr[-3000:]
    table = tmp_path / "out.parquet"
    run = run_cli("export", str(target), "-o", str(table), "--since", "2024-01-01",
                  cwd=tmp_path)
    assert run.code == 0, run.stderr[-3000:]
    assert pq.read_table(table).num_rows == 0  # undated: outside any window
    run = run_cli("export", str(target), "-o", str(table), cwd=tmp_path)
    assert run.code == 0, run.stderr[-3000:]
    assert pq.read_table(table).column("published").to_pylist() == [None, None]
    bound = run_cli("export", str(target), "-o", str(table), "--until", LATE, cwd=tmp_path)
    assert bound.code == 2  # a usage error, as any unreadable bound
    assert "outside the years 1-9999 in UTC" in bound.stderr
