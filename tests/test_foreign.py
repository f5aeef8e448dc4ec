from __future__ import annotations

from typing import Any

import pytest

from crawler.errors import ConfigError
from crawler.foreign import KNOWN_KEYS, FieldMap, read_date

# One line each as the tools write them (keys and value forms from their JSON output).
NEWS_PLEASE = {"authors": ["A. Autor"], "date_download": "2026-11-07 15:00:00",
               "date_modify": None, "date_publish": "2026-11-07 13:20:00",
               "description": "Teaser", "language": "de", "maintext": "Der Text.",
               "source_domain": "www.tagesschau.de", "title": "NATO-Gipfel beginnt",
               "url": "https://www.tagesschau.de/1"}
TRAFILATURA = {"title": "NATO summit opens", "author": None, "hostname": "bbc.co.uk",
               "date": "2026-11-07", "text": "The text.", "language": "en",
               "source": "https://www.bbc.co.uk/news/1", "source-hostname": "BBC News",
               "id": None}
NEWSPAPER4K = {"url": "https://n.example/1", "title": "Summit opens", "text": "Body.",
               "publish_date": "2026-11-07T13:20:00+01:00", "meta_lang": "en"}
FUNDUS = {"title": "Gipfel", "plaintext": "Text.", "publishing_date": "2026-11-07 12:20:00+00:00",
          "url": "https://f.example/1"}


def test_news_please_lines_are_read_under_their_own_names() -> None:
    reading = FieldMap().read(NEWS_PLEASE)
    assert reading.values["text"] == "Der Text."
    assert reading.values["source"] == "www.tagesschau.de"
    assert reading.published == "2026-11-07 13:20:00"  # ISO 8601 with a space: kept as is
    assert dict(reading.keys) == {"text": "maintext", "published": "date_publish",
                                  "source": "source_domain"}
    assert reading.bad_date is None


def test_trafilatura_keeps_the_url_in_source_and_the_outlet_elsewhere() -> None:
    reading = FieldMap().read(TRAFILATURA)
    assert reading.values["url"] == "https://www.bbc.co.uk/news/1"
    assert reading.values["source"] == "BBC News"  # not the URL it also holds in "source"
    assert "id" not in reading.values  # null counts as absent
    assert reading.published == "2026-11-07"


@pytest.mark.parametrize(("row", "text", "published"), [
    (NEWSPAPER4K, "Body.", "2026-11-07T13:20:00+01:00"),
    (FUNDUS, "Text.", "2026-11-07 12:20:00+00:00"),
])
def test_newspaper4k_and_fundus_lines(row: dict[str, Any], text: str, published: str) -> None:
    reading = FieldMap().read(row)
    assert (reading.values["text"], reading.published) == (text, published)


def test_our_own_names_come_first_and_empty_values_count_as_absent() -> None:
    row = {"url": "https://a.example/1", "link": "https://b.example/2", "title": "",
           "headline": "Die Überschrift", "text": None, "maintext": "Haupttext"}
    values = FieldMap().read(row).values
    assert (values["url"], values["title"], values["text"]) == (
        "https://a.example/1", "Die Überschrift", "Haupttext")


def test_a_link_or_source_that_is_no_url_is_not_taken_for_one() -> None:
    reading = FieldMap().read({"title": "T", "link": "/relative/1", "source": "Reuters"})
    assert "url" not in reading.values
    assert reading.values["source"] == "Reuters"


@pytest.mark.parametrize("row", [
    {"url": "https://a.example/1", "title": "T", "published": "2026-11-07T13:20:00.250Z",
     "language": "", "text": "", "source": "a", "id": "x"},
    {"url": "https://a.example/1", "title": "T", "published": "Sat, 07 Nov 2026 13:20:00 GMT"},
    {"url": "https://a.example/1", "title": "T", "published": ""},
    {"url": "https://a.example/1", "title": "T", "published": 0},
    {"url": "https://a.example/1", "title": "T", "published": "gestern"},
    {"url": "https://a.example/1", "title": "T", "source": "https://a.example/1"},
    {"url": "", "title": "T", "source": "https://a.example/1"},
])
def test_rows_in_our_names_read_as_the_key_by_key_lookup_reads_them(
        row: dict[str, Any]) -> None:
    # A key of another tool, null, sends a row down the key-by-key path without changing
    # what it finds there: both paths must agree.
    plain, looked_up = FieldMap().read(row), FieldMap().read({**row, "headline": None})
    assert {k: v for k, v in plain.values.items() if v not in (None, "")} == dict(
        looked_up.values)
    assert (plain.published, plain.bad_date, plain.keys) == (
        looked_up.published, looked_up.bad_date, looked_up.keys)


def test_a_mapped_key_is_the_only_one_tried() -> None:
    fields = FieldMap.parse(["text=content", "url=adresse"])
    row = {"adresse": "kein-link", "title": "T", "text": "ours", "content": "<p>theirs</p>"}
    reading = fields.read(row)
    assert reading.values["text"] == "<p>theirs</p>"
    assert reading.values["url"] == "kein-link"  # the user said so: no URL check
    assert fields.tried("text") == ("content",)
    assert FieldMap().tried("text") == KNOWN_KEYS["text"]


@pytest.mark.parametrize(("spec", "message"), [
    ("text", "expected FIELD=KEY"), ("=maintext", "expected FIELD=KEY"),
    ("text=", "expected FIELD=KEY"), ("body=maintext", "no field 'body'"),
])
def test_a_bad_field_option_is_a_config_error(spec: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        FieldMap.parse([spec])


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-11-07T13:20:00.250Z", "2026-11-07T13:20:00.250Z"),  # sub-second order kept
    ("2026-11-07", "2026-11-07"),
    ("Sat, 07 Nov 2026 13:20:00 +0100", "2026-11-07T12:20:00Z"),
    ("7. November 2026", "2026-11-07T00:00:00Z"),
    (1_794_052_800, "2026-11-07T12:00:00Z"),
    (1_794_052_800_000, "2026-11-07T12:00:00Z"),  # milliseconds
    (1_794_052_800.5, "2026-11-07T12:00:00Z"),
    ("1794052800", "2026-11-07T12:00:00Z"),  # epoch written as a string
    ("1794052800000", "2026-11-07T12:00:00Z"),
    ("20261107", "20261107"),  # 8 digits: an ISO 8601 basic date
    (True, None), (float("inf"), None), (float("nan"), None), (10**30, None),
    ("gestern", None), (["2026-11-07"], None), (None, None),
])
def test_read_date(value: object, expected: str | None) -> None:
    assert read_date(value) == expected


def test_an_unreadable_date_is_reported_not_taken() -> None:
    reading = FieldMap().read({"url": "https://a.example/1", "title": "T", "pubDate": "gestern"})
    assert (reading.published, reading.bad_date) == (None, "gestern")
    assert reading.keys == (("published", "pubDate"),)


def test_filled_adds_our_names_and_keeps_the_rest() -> None:
    row = FieldMap().filled({**TRAFILATURA, "date": "Sat, 07 Nov 2026 13:20:00 GMT"})
    assert row["url"] == "https://www.bbc.co.uk/news/1"
    assert row["source"] == "BBC News"
    assert row["published"] == "2026-11-07T13:20:00Z"
    assert row["date"] == "Sat, 07 Nov 2026 13:20:00 GMT"
    assert "text" in row and row["text"] == "The text."  # its own; no copy is made
    ours = {"url": "https://a.example/1", "title": "T", "published": "2026-11-07T13:20:00Z",
            "source": "a", "maintext": "body"}
    assert FieldMap().filled(dict(ours)) == ours  # bodies are not copied under "text"
