from __future__ import annotations

from pathlib import Path

import pytest

from crawler.errors import ConfigError
from crawler.sources import default_sources_path, load_sources, parse_sources


def test_bundled_default_lists_twenty_plus_valid_sources() -> None:
    sources = load_sources(default_sources_path())
    assert len(sources) >= 20
    assert sum(s.enabled for s in sources) >= 20
    assert {s.language for s in sources} >= {"de", "en"}
    assert all(s.url.startswith("https://") for s in sources)


def test_minimal_table_defaults_to_auto_and_enabled() -> None:
    [source] = parse_sources('[[sources]]\nname = "a"\nurl = "https://a.eu/feed"\n')
    assert (source.kind, source.enabled, source.tags) == ("auto", True, ())


def test_overrides_are_read() -> None:
    text = (
        '[[sources]]\nname = "a"\nurl = "https://a.eu/f"\ndownload_delay = 2\n'
        'user_agent = "x"\nallowed_domains = ["a.eu"]\nmax_requests = 40\n'
    )
    [source] = parse_sources(text)
    assert (source.download_delay, source.user_agent, source.allowed_domains) == (2.0, "x",
                                                                                 ("a.eu",))
    assert source.max_requests == 40


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
        ('name = "a"\nurl = "https://a.eu"\nmax_requests = 0', "line 6: key 'max_requests'"),
        ('name = "a"\nurl = "https://a.eu"\nmax_requests = 2.5', "line 6: key 'max_requests'"),
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
