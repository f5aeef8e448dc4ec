from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from crawler.cli import main
from crawler.errors import ConfigError
from crawler.opml import NAMESPACE, read_opml, sources_from_opml, sources_to_opml, sources_to_toml
from crawler.sources import Source, default_sources_path, load_sources, parse_sources

# Shaped like an Inoreader/Feedly export: a DTD with an entity, nested folders, titles that
# clash, a feed filed in two folders, Cyrillic, escaped query strings, a non-feed link outline,
# an empty folder, attribute names in another case, xml:lang on a folder.
READER_EXPORT = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE opml [<!ENTITY ecfr "European Council on Foreign Relations">]>
<opml version="1.0">
  <head>
    <title>Subscriptions in Inoreader</title>
    <dateCreated>Mon, 03 Mar 2025 10:00:00 +0000</dateCreated>
  </head>
  <body>
    <outline text="Security &amp; Defence" title="Security &amp; Defence">
      <outline text="Think Tanks">
        <outline type="rss" text="&ecfr;" title="ECFR" xmlUrl="https://ecfr.eu/feed/"
                 htmlUrl="https://ecfr.eu/"/>
        <outline type="rss" text="Commentary" category="/uk,/defence"
                 xmlUrl="https://rusi.org/rss.xml?type=commentary&amp;lang=en"/>
        <outline type="rss" text="Commentary" xmlUrl="https://www.iiss.org/rss/commentary"/>
      </outline>
      <outline type="rss" text="NATO News" language="en"
               xmlUrl="https://www.sipri.org/rss/combined.xml"/>
      <outline type="rss" text="Commentary" xmlUrl="https://www.csis.org/analysis/feed"/>
    </outline>
    <outline text="Ukraine" xml:lang="uk">
      <outline type="rss" text="&#x423;країнська правда" XMLURL="https://www.pravda.com.ua/rss/"/>
      <outline type="rss" text="NATO News"
               xmlUrl="https://www.sipri.org/rss/combined.xml"/>
      <outline type="rss" text="Kyiv Independent" xmlUrl="https://kyivindependent.com/feed/"
               lang="en"/>
    </outline>
    <outline type="link" text="Bookmarks: SIPRI" url="https://www.sipri.org/"/>
    <outline text="Empty folder"/>
    <outline type="rss" text="  " xmlUrl="https://www.bundeswehr.de/service/rss"/>
  </body>
</opml>
""".encode()


def test_feed_reader_export_becomes_feed_sources_tagged_by_folder() -> None:
    sources = sources_from_opml(READER_EXPORT, "export.opml")
    assert [(s.name, s.url, s.tags, s.language) for s in sources] == [
        ("european-council-on-foreign-relations", "https://ecfr.eu/feed/",
         ("security-defence", "think-tanks"), None),
        ("commentary", "https://rusi.org/rss.xml?type=commentary&lang=en",
         ("security-defence", "think-tanks", "uk", "defence"), None),
        ("commentary-2", "https://www.iiss.org/rss/commentary",
         ("security-defence", "think-tanks"), None),
        ("nato-news", "https://www.sipri.org/rss/combined.xml",
         ("security-defence", "ukraine"), "en"),
        ("commentary-3", "https://www.csis.org/analysis/feed", ("security-defence",), None),
        ("ukrainska-pravda", "https://www.pravda.com.ua/rss/", ("ukraine",), "uk"),
        ("kyiv-independent", "https://kyivindependent.com/feed/", ("ukraine",), "en"),
        ("bundeswehr-de", "https://www.bundeswehr.de/service/rss", (), None),
    ]
    assert {s.kind for s in sources} == {"feed"}


def test_a_name_that_is_taken_gets_the_next_free_suffix() -> None:
    outlines = "".join(
        f'<outline text="{text}" xmlUrl="https://a.eu/{n}"/>'
        for n, text in enumerate(["News", "News-2", "News", "NEWS!"])
    )
    data = f"<opml version='2.0'><body>{outlines}</body></opml>".encode()
    assert [s.name for s in sources_from_opml(data, "x")] == [
        "news", "news-2", "news-3", "news-4"
    ]


def test_external_entities_are_refused_not_read() -> None:
    data = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<opml version="2.0"><body><outline text="&secret;" xmlUrl="https://a.eu/"/></body></opml>"""
    with pytest.raises(ConfigError, match="external entity 'secret'"):
        sources_from_opml(data, "evil.opml")


def test_an_entity_bomb_is_refused() -> None:
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
    )
    data = (
        f'<?xml version="1.0"?><!DOCTYPE opml [{entities}]><opml version="2.0"><body>'
        '<outline text="&a9;" xmlUrl="https://a.eu/"/></body></opml>'
    ).encode()
    with pytest.raises(ConfigError, match="amplification"):
        sources_from_opml(data, "bomb.opml")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not well-formed XML"),
        (READER_EXPORT[:700], "not well-formed XML"),
        (b'<opml><body><outline text="caf&eacute;" xmlUrl="https://a.eu/"/></body></opml>',
         "Entity 'eacute' not defined"),
        (b"<rss version='2.0'><channel/></rss>", "the root element is <rss>, not <opml>"),
        (b"<opml version='2.0'><head/></opml>", "<opml> has no <body>"),
        (b"<opml><body><outline text='Folder'/></body></opml>", "no feeds found"),
        (b"<opml><body>\n<outline text='Old' xmlUrl='ftp://a.eu/feed'/></body></opml>",
         "x.opml:2: outline 'Old': xmlUrl 'ftp://a.eu/feed' is not an http"),
        (b"<opml><body><outline text='J' xmlUrl='javascript:alert(1)'/></body></opml>",
         "is not an http"),
    ],
)
def test_broken_opml_is_a_config_error_saying_why(data: bytes, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        sources_from_opml(data, "x.opml")
    assert str(caught.value).startswith("x.opml")


# kind "auto" (Source's default) is a feed to readers, and read back as auto
# (tests/test_acceptance_opml.py).
AUTO = f"{{{NAMESPACE}}}kind"


def test_written_opml_is_opml_2_with_a_folder_per_first_tag() -> None:
    sources = [
        Source(name="nato-news", url="https://nato.int/rss", tags=("nato", "official")),
        Source(name="loose", url="https://a.eu/feed?a=1&b=2", language="de"),
        Source(name="nato-2", url="https://nato.int/rss2", tags=("nato",)),
    ]
    root = etree.fromstring(sources_to_opml(sources, title="Mine"))
    assert (root.get("version"), root.findtext("head/title")) == ("2.0", "Mine")
    folder, loose = root.find("body")
    assert folder.get("text") == "nato"
    assert [outline.get("text") for outline in folder] == ["nato-news", "nato-2"]
    assert dict(folder[0].attrib) == {
        "type": "rss", "text": "nato-news", "title": "nato-news", "xmlUrl": "https://nato.int/rss",
        "category": "official", AUTO: "auto",
    }
    assert dict(loose.attrib) == {
        "type": "rss", "text": "loose", "title": "loose", "xmlUrl": "https://a.eu/feed?a=1&b=2",
        "language": "de", AUTO: "auto",
    }


def test_opml_round_trips_the_bundled_sources_names_urls_tags_and_languages() -> None:
    sources = load_sources(default_sources_path())
    again = sources_from_opml(sources_to_opml(sources), "round-trip")
    assert [(s.name, s.url, s.tags, s.language) for s in again] == [
        (s.name, s.url, s.tags, s.language) for s in sources
    ]


def test_opml_round_trips_a_reader_export() -> None:
    sources = sources_from_opml(READER_EXPORT, "export.opml")
    assert sources_from_opml(sources_to_opml(sources), "again") == sources


def test_toml_round_trips_the_bundled_sources_through_parse_sources() -> None:
    sources = load_sources(default_sources_path())
    assert parse_sources(sources_to_toml(sources), "written") == sources


def test_toml_writes_only_what_is_set() -> None:
    text = sources_to_toml([Source(name="a", url="https://a.eu/")])
    assert text.endswith('[[sources]]\nname = "a"\nurl = "https://a.eu/"\nkind = "auto"\n'
                         "enabled = true\n")


def test_toml_strings_are_escaped() -> None:
    # Control characters are refused by the reader (tests/test_sources_controls.py).
    agent = 'bot "q" \\ C:\\path ü Ω ✓ \U0001f600 \\n'
    source = Source(name="a", url="https://a.eu/?q=\"x\"", user_agent=agent, tags=('"', "\\"),
                    download_delay=0.25, enabled=False, kind="sitemap", language="uk")
    assert parse_sources(sources_to_toml([source])) == [source]


def test_a_request_budget_survives_the_toml_writer() -> None:
    # Written to OPML as policywire:max_requests, then lost on import: `sources import`
    # left it out of the TOML, and the source crawled on the default budget.
    source = Source(name="a", url="https://a.eu/", max_requests=7)
    assert parse_sources(sources_to_toml(sources_from_opml(sources_to_opml([source]),
                                                            "x.opml"))) == [source]


# Any text a sources file may hold: every character but the controls, which it refuses.
text_values = st.text(st.characters(exclude_categories=("Cc", "Cs")),
                      min_size=1).map(str.strip).filter(bool)


@given(
    agent=text_values,
    tags=st.lists(text_values, max_size=4),
    # A finite delay: inf and nan are refused (test_acceptance_sources), and inf was drawn.
    delay=st.none() | st.floats(min_value=0, allow_nan=False, allow_infinity=False),
)
def test_any_text_survives_the_toml_writer(
    agent: str, tags: list[str], delay: float | None
) -> None:
    source = Source(name="a", url="https://a.eu/", user_agent=agent, tags=tuple(tags),
                    download_delay=delay)
    assert tomllib.loads(sources_to_toml([source]))["sources"][0]["user_agent"] == agent
    assert parse_sources(sources_to_toml([source])) == [source]


def test_import_counts_the_outlines_it_leaves_out() -> None:
    # NATO News twice (its tags merged), a bookmark link and an empty folder: before, all
    # three were dropped without a word.
    read = read_opml(READER_EXPORT, "export.opml")
    assert (len(read.sources), read.duplicates, read.without_url) == (8, 1, 2)


def test_import_says_what_it_left_out_and_refuses_to_replace_a_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "feeds.opml").write_bytes(READER_EXPORT)
    mine = tmp_path / "sources.toml"
    mine.write_text("# my hand-written sources\n", encoding="utf-8")
    command = ["sources", "import", str(tmp_path / "feeds.opml"), "-o", str(mine)]
    assert main(command) == 2
    assert capsys.readouterr().err == f"policywire: {mine} exists: give --force to replace it\n"
    assert mine.read_text(encoding="utf-8") == "# my hand-written sources\n"
    assert main([*command, "--force"]) == 0
    assert json.loads(capsys.readouterr().err) == {
        "sources": 8, "duplicate_outlines": 1, "outlines_without_url": 2}
    assert len(load_sources(mine)) == 8
    # A missing OPML file is a missing input: 66 (before: 78, a configuration error).
    assert main(["sources", "import", str(tmp_path / "none.opml"), "-o", "-"]) == 66
    assert capsys.readouterr().err == f"policywire: {tmp_path / 'none.opml'}: no such OPML file\n"


def test_sitemaps_and_pages_are_exported_as_what_they_are() -> None:
    sources = [Source(name="news-sitemap", url="https://a.eu/news-sitemap.xml", kind="sitemap"),
               Source(name="briefing", url="https://a.eu/briefing", kind="page"),
               Source(name="feed", url="https://a.eu/feed", kind="feed")]
    body = etree.fromstring(sources_to_opml(sources)).find("body")
    assert [outline.get("type") for outline in body] == ["sitemap", "page", "rss"]
    again = sources_from_opml(sources_to_opml(sources), "again")
    assert [s.kind for s in again] == ["sitemap", "page", "feed"]


def test_languages_are_read_as_iso_639_1_codes() -> None:
    # "en-US" was written to the TOML as it came, which the sources file then refused.
    opml = b"""<opml version="2.0"><body>
      <outline text="A" xmlUrl="https://a.eu/feed" language="en-US"/>
      <outline text="B" xmlUrl="https://b.eu/feed" language="English"/>
      <outline text="German" xml:lang="de_AT"><outline text="C" xmlUrl="https://c.eu/f"/></outline>
    </body></opml>"""
    sources = sources_from_opml(opml, "x.opml")
    assert [s.language for s in sources] == ["en", None, "de"]
    assert parse_sources(sources_to_toml(sources), "written") == sources


def test_an_outline_naming_its_language_in_words_does_not_take_its_folders() -> None:
    # A German feed ("Deutsch") in a folder of English ones was imported as "en", and its
    # short records (a teaser, a page not fetched) were tagged English.
    opml = b"""<opml version="2.0"><body><outline text="Investigations" language="en">
      <outline text="Correctiv / Regen" xmlUrl="https://c.eu/feed" language="Deutsch"/>
      <outline text="Bellingcat" xmlUrl="https://b.eu/feed"/>
    </outline></body></opml>"""
    sources = sources_from_opml(opml, "x.opml")
    assert [(s.name, s.language) for s in sources] == [
        ("correctiv-regen", None), ("bellingcat", "en")]
