"""A maintainer's round trip of the sources file through OPML: ``sources export``, then
``sources import``, gives back the file that was exported, settings and all."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from crawler.cli import main
from crawler.errors import ConfigError
from crawler.opml import read_opml, sources_from_opml, sources_to_opml
from crawler.sources import Source, default_sources_path, load_sources


def test_the_bundled_sources_come_back_from_opml_with_every_setting(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Before: the disabled source came back enabled (49 of 49), and require_topic (the
    # general press), download_delay, allowed_domains, notes and paywall were lost.
    opml, again = tmp_path / "feeds.opml", tmp_path / "again.toml"
    assert main(["sources", "export", "-o", str(opml)]) == 0
    assert main(["sources", "import", str(opml), "-o", str(again)]) == 0
    capsys.readouterr()
    bundled = load_sources(default_sources_path())
    assert load_sources(again) == bundled
    assert sum(not source.enabled for source in bundled) >= 1  # the case that was lost


def test_an_auto_source_stays_auto_and_feed_readers_still_see_a_feed() -> None:
    # A home page crawled through the feeds it announces came back as kind "feed": its
    # next crawl read the HTML as a feed, feed_unparseable.
    home = Source(name="home", url="https://a.eu/", kind="auto", enabled=False,
                  download_delay=0.5, user_agent="me", allowed_domains=("a.eu", "cdn.a.eu"),
                  require_topic=True, paywall=True, notes='teasers; "F+"', max_requests=40)
    written = sources_to_opml([home])
    assert b'type="rss"' in written
    assert sources_from_opml(written, "x.opml") == [home]


@pytest.mark.parametrize(("attribute", "message"), [
    ('p:enabled="maybe"', "x.opml:line 3: key 'enabled' must be true or false"),
    ('p:download_delay="inf"', "x.opml:line 3: key 'download_delay' must be a number"),
    ('p:max_requests="2.5"', "x.opml:line 3: key 'max_requests' must be a whole number"),
    ('p:max_requests="' + "9" * 5000 + '"', "key 'max_requests' must be a whole number"),
    ('p:kind="video"', "x.opml:line 3: key 'kind': 'video' is not one of"),
    ('p:url="https://b.eu/"', "x.opml:line 3: unknown attribute policywire:url"),
    ('p:name="two words"', "x.opml:line 3: key 'name': 'two words' may hold"),
])
def test_a_bad_policywire_attribute_is_refused_naming_its_line(attribute: str,
                                                               message: str) -> None:
    opml = f"""<opml version="2.0" xmlns:p="urn:policywire:sources"><body>
      <outline text="x" xmlUrl="https://a.eu/feed"
               {attribute}/>
    </body></opml>""".encode()
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        sources_from_opml(opml, "x.opml")


def test_the_round_trip_keeps_every_field_a_source_has() -> None:
    # A field added to Source later must be written too, or it is lost again.
    full = Source(name="full", url="https://a.eu/feed", kind="sitemap", language="de",
                  tags=("a", "b"), enabled=False, download_delay=2.0, user_agent="ua",
                  allowed_domains=("a.eu",), require_topic=True, paywall=True, notes="n",
                  max_requests=7, max_entries=9)
    defaults = Source(name="full", url="https://a.eu/feed")
    assert all(getattr(full, f.name) != getattr(defaults, f.name)
               for f in dataclasses.fields(Source) if f.name not in ("name", "url"))
    assert sources_from_opml(sources_to_opml([full]), "x.opml") == [full]


def test_a_name_that_is_no_slug_comes_back_as_it_was() -> None:
    # "sipri.org" came back as "sipri-org": a record id is namespaced by its source, so the
    # next crawl wrote every entry of the renamed source again, under new ids.
    sources = [Source(name="sipri.org", url="https://sipri.org/rss"),
               Source(name="Defense_News", url="https://defensenews.com/rss", kind="feed"),
               Source(name="rusi", url="https://rusi.org/feed", kind="feed")]
    written = sources_to_opml(sources)
    assert written.count(b"policywire:name=") == 2  # a slug name needs none
    assert sources_from_opml(written, "x.opml") == sources


def test_tags_that_are_no_slugs_come_back_as_they_were() -> None:
    # "EU policy" came back as "eu-policy": new records' source_tags changed spelling.
    sources = [Source(name="a", url="https://a.eu/feed", kind="feed",
                      tags=("EU policy", "Think tanks, Berlin", "nato")),
               Source(name="b", url="https://b.eu/feed", kind="feed", tags=("nato", "official"))]
    written = sources_to_opml(sources)
    assert written.count(b"policywire:tags=") == 1  # slug tags need none
    assert sources_from_opml(written, "x.opml") == sources


@pytest.mark.parametrize("tags", ['"one"', "[1]", "[" * 100_000, "not json"])
def test_tags_that_are_no_list_of_strings_are_refused(tags: str) -> None:
    opml = f"""<opml version="2.0" xmlns:p="urn:policywire:sources"><body>
      <outline text="x" xmlUrl="https://a.eu/feed" p:tags='{tags}'/></body></opml>""".encode()
    with pytest.raises(ConfigError, match=r"x\.opml:line 2: key 'tags' must be a list of strings"):
        sources_from_opml(opml, "x.opml")


def test_two_sources_of_one_feed_come_back_as_two() -> None:
    # Two sources may list one feed (validators are kept per source and URL); a reader's
    # export lists a feed in two folders too, and import made one source of both: the second
    # source was gone after the round trip.
    sources = [Source(name="rusi", url="https://rusi.org/feed", kind="feed", tags=("uk",)),
               Source(name="rusi-defence", url="https://rusi.org/feed", kind="feed",
                      tags=("defence",), require_topic=True)]
    read = read_opml(sources_to_opml(sources), "x.opml")
    assert (read.sources, read.duplicates) == (sources, 0)
