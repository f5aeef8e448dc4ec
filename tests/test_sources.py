from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.errors import ConfigError
from crawler.sources import default_sources_path, load_sources, parse_sources


def test_bundled_default_lists_twenty_plus_valid_sources() -> None:
    sources = load_sources(default_sources_path())
    assert len(sources) >= 20
    assert sum(s.enabled for s in sources) >= 40
    assert {s.language for s in sources} >= {"de", "en"}
    assert all(s.url.startswith("https://") for s in sources)


def test_bundled_default_covers_what_a_german_eu_analyst_reads() -> None:
    enabled = {s.name: s for s in load_sources(default_sources_path()) if s.enabled}
    hosts = {urlsplit(s.url).hostname for s in enabled.values()}
    # The Council of the EU, the Federal Foreign Office, UN press, the Bundestag, a cyber agency.
    assert {"www.consilium.europa.eu", "www.auswaertiges-amt.de", "press.un.org",
            "www.bundestag.de"} <= hosts
    assert hosts & {"www.ncsc.gov.uk", "www.cisa.gov"}
    # NATO's old feed answered 404 after its 2026 site move.
    assert all("rssFeed.xml" not in s.url for s in enabled.values())
    assert enabled["nato-news"].url.startswith("https://www.nato.int/en/news-and-events/")


def test_bundled_general_press_is_filtered_to_the_topic_and_paywalls_are_said() -> None:
    sources = {s.name: s for s in load_sources(default_sources_path())}
    general = ["tagesschau-ausland", "dw-english", "dw-deutsch", "spiegel-ausland",
               "faz-politik", "zeit-politik", "bbc-world"]
    assert all(sources[name].require_topic for name in general)
    paywalled = {name for name, s in sources.items() if s.paywall}
    assert {"faz-politik", "spiegel-ausland", "zeit-politik"} <= paywalled
    assert all(sources[name].notes for name in paywalled)
    # Every source says where its URL comes from: a comment in its table.
    text = default_sources_path().read_text(encoding="utf-8")
    tables = text.split("[[sources]]")[1:]
    undocumented = [t.split('name = "')[1].split('"')[0] for t in tables
                    if not t.lstrip("\n").startswith("#") and "# unverified" not in t]
    assert undocumented == []


def test_paywall_and_notes_are_read_and_checked() -> None:
    [source] = parse_sources('[[sources]]\nname = "a"\nurl = "https://a.eu/f"\n'
                             'paywall = true\nnotes = "F+ articles are teasers"\n')
    assert (source.paywall, source.notes) == (True, "F+ articles are teasers")
    with pytest.raises(ConfigError, match="line 4: key 'paywall' must be true or false"):
        parse_sources('[[sources]]\nname = "a"\nurl = "https://a.eu/f"\npaywall = "yes"\n')
    with pytest.raises(ConfigError, match="line 4: key 'notes' must be a string"):
        parse_sources('[[sources]]\nname = "a"\nurl = "https://a.eu/f"\nnotes = 3\n')


def test_minimal_table_defaults_to_auto_and_enabled() -> None:
    [source] = parse_sources('[[sources]]\nname = "a"\nurl = "https://a.eu/feed"\n')
    assert (source.kind, source.enabled, source.tags) == ("auto", True, ())


def test_overrides_are_read() -> None:
    text = (
        '[[sources]]\nname = "a"\nurl = "https://a.eu/f"\ndownload_delay = 2\n'
        'user_agent = "x"\nallowed_domains = ["a.eu"]\n'
    )
    [source] = parse_sources(text)
    assert (source.download_delay, source.user_agent, source.allowed_domains) == (2.0, "x",
                                                                                 ("a.eu",))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        # A key that is missing: the [[sources]] header's line; one that is wrong: its own.
        ('url = "https://a.eu"', "line 3: key 'name' is required"),
        ('name = "a"\nurl = "ftp://a.eu"', "line 5: key 'url'"),
        ('name = "a"\nurl = "https://a.eu"\nkind = "rss"', "line 6: key 'kind': 'rss'"),
        ('name = "a"\nurl = "https://a.eu"\nenabeld = true', "line 6: unknown key 'enabeld'"),
        ('name = "a"\n"knd" = "feed"\nurl = "https://a.eu"', "line 5: unknown key 'knd'"),
        ('name = "a"\nurl = "https://a.eu"\nkind.x = 1', "line 6: key 'kind'"),
        ('name = "a"\nurl = "https://a.eu"\ntags = "x"', "line 6: key 'tags' must be a list"),
        ('name = "a"\nurl = "https://a.eu"\ndownload_delay = -1', "line 6: key 'download_d"),
        # Before: taken, and never the code a record's language is compared with.
        ('name = "a"\nurl = "https://a.eu"\nlanguage = "german"',
         "line 6: key 'language': 'german' is not an ISO 639-1 code"),
        ('name = "a"\nurl = "https://a.eu"\nlanguage = "de-AT"', "line 6: key 'language'"),
    ],
)
def test_invalid_source_names_line_and_key(body: str, message: str) -> None:
    text = '# header\n\n[[sources]]\n' + body + "\n"
    with pytest.raises(ConfigError, match=message):
        parse_sources(text, "s.toml")


def test_duplicate_names_are_refused() -> None:
    text = '[[sources]]\nname = "a"\nurl = "https://a.eu"\n' * 2
    with pytest.raises(ConfigError, match="line 5: duplicate source name 'a'"):
        parse_sources(text)


def test_a_key_of_a_later_table_is_found_under_its_own_header() -> None:
    text = ('[[sources]]  # first\nname = "a"\nurl = "https://a.eu"\nkind = "feed"\n\n'
            '[[ sources ]]\nname = "b"\nurl = "https://b.eu"\nkind = "rss"\n')
    with pytest.raises(ConfigError, match=r"^s.toml:line 9: key 'kind': 'rss'"):
        parse_sources(text, "s.toml")


def test_sources_without_headers_are_named_by_number() -> None:
    text = 'sources = [{name = "a", url = "https://a.eu"}, {name = "b", url = "x"}]\n'
    with pytest.raises(ConfigError, match=r"^s.toml:source #2: key 'url'"):
        parse_sources(text, "s.toml")


def test_broken_toml_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text("[[sources]\nname=", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_sources(path)


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_sources(tmp_path / "nope.toml")


def test_a_language_code_is_read_in_lower_case() -> None:
    [source] = parse_sources('[[sources]]\nname = "a"\nurl = "https://a.eu"\nlanguage = "DE"\n')
    assert source.language == "de"
