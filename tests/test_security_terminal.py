"""What a hostile server says reaches the operator's terminal escaped, never raw.

A feed's encoding declaration is quoted by feedparser ("document declared as ..."): that
quote went into a log line and a reject's detail; a server's Content-Type into a record's
page_error. `policywire sources test` prints both, and a crawl logs the first, to a
terminal. The records and rejects files keep the values as they came (JSON escapes them).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.sinks import json_safe
from tests.conftest import read_jsonl, rejects_under, run_cli
from tests.sitesrv import FixtureSite, Route

# OSC retitling the window (ended by BEL), a carriage return, the one-byte CSI and a
# right-to-left override.
OSC = "\x1b]0;owned\x07"
HOSTILE = f"{OSC}\r\u202e\x9b"


def _has_controls(text: str) -> bool:
    return any((ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F
               or c in "\u202e\u202c\u2066\u2069\u200f" for c in text)


def _rss(site: FixtureSite, declared: str, items: int) -> bytes:
    item = (f"<item><title>Talks resume</title><link>{site.url('/odd-type')}</link>"
            "</item>")
    return (f'<?xml version="1.0" encoding="{declared}"?><rss version="2.0"><channel>'
            f"<title>t</title>{item * items}</channel></rss>").encode()


@pytest.fixture
def hostile_sources(fresh_site: FixtureSite, tmp_path: Path) -> Path:
    site = fresh_site
    # feedparser keeps the declaration up to its first ";": the rest is what reaches a line.
    declared = "x\x1b]0" + "\x1b[2J\x9b\u202e"
    site.routes["/declared.rss"] = Route(200, _rss(site, declared, 1),
                                         {"Content-Type": "application/rss+xml"})
    site.routes["/declared-empty.rss"] = Route(200, _rss(site, declared, 0),
                                               {"Content-Type": "application/rss+xml"})
    site.routes["/odd-type"] = Route(200, b"\x89PNG\r\n\x1a\n\x00\x00",
                                          {"Content-Type": f"image/png{OSC}\x9b"})
    path = tmp_path / "s.toml"
    path.write_text("".join(
        f'[[sources]]\nname = "{name}"\nurl = "{site.url(p)}"\nkind = "feed"\n'
        for name, p in (("declared", "/declared.rss"), ("empty", "/declared-empty.rss"))),
        encoding="utf-8")
    return path


def test_sources_test_prints_a_servers_words_escaped(hostile_sources: Path) -> None:
    folder = hostile_sources.parent
    for name in ("declared", "empty"):
        shown = run_cli("sources", "test", name, "--sources", str(hostile_sources), cwd=folder)
        assert shown.code in (0, 1), shown.stderr
        assert not _has_controls(shown.stdout + shown.stderr), (shown.stdout, shown.stderr)
        assert shown.stdout.strip(), shown.stderr
        assert "\\x1b" in shown.stdout + shown.stderr, (shown.stdout, shown.stderr)
    shown = run_cli("sources", "test", "declared", "--sources", str(hostile_sources), cwd=folder)
    assert "(page: not_html: image/png\\x1b]0;owned\\x07\\x9b)" in shown.stdout


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_a_crawls_log_lines_show_a_feeds_words_escaped(hostile_sources: Path,
                                                       log_format: str) -> None:
    folder = hostile_sources.parent
    run = run_cli("crawl", "--sources", str(hostile_sources), "--log-format", log_format,
                  cwd=folder)
    assert run.code == 1, run.stderr
    assert "declared as" in run.stderr and not _has_controls(run.stderr), run.stderr
    if log_format == "json":
        lines = [json.loads(line) for line in run.stderr.splitlines()]
        assert any("declared as x\x1b]0" in line["message"] for line in lines)
    # The files keep what came, for a reader that wants it (JSON escapes it there).
    [reject] = rejects_under(folder / "output")
    assert "x\x1b]0" in reject["detail"]
    assert read_jsonl(next((folder / "output").rglob("records-*.jsonl")))[0]["page_error"] == (
        f"not_html: image/png{OSC}\x9b")


def test_json_lines_on_stdout_carry_controls_and_bidi_as_escapes(tmp_path: Path) -> None:
    # Another tool's rows reach `dedup` as they came, and from its output `export` and
    # `stories`; on a terminal U+009B is a CSI to some, U+202E reverses what follows.
    title = f"NATO {HOSTILE} talks\x7f resume"
    rows = [{"url": f"https://example.org/{n}", "title": title, "language": "en"}
            for n in (1, 2)]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows),
                                       encoding="utf-8")
    merged = run_cli("dedup", "in.jsonl", cwd=tmp_path)
    assert merged.code == 0, merged.stderr
    assert not _has_controls(merged.stdout.replace("\n", "")), merged.stdout
    assert [json.loads(line)["title"] for line in merged.stdout.splitlines()] == [title] * 2
    assert run_cli("dedup", "in.jsonl", "-o", "out.jsonl", cwd=tmp_path).code == 0
    for command in (["export", "out.jsonl"], ["stories", "out.jsonl"]):
        shown = run_cli(*command, cwd=tmp_path)
        assert shown.code == 0, shown.stderr
        assert not _has_controls(shown.stdout.replace("\n", "")), (command, shown.stdout)
        # The same values, decoded: the title as it came.
        assert title in _strings(json.loads(shown.stdout.splitlines()[0])), shown.stdout


def _strings(value: object) -> set[str]:
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return {text for held in value for text in _strings(held)}
    return {value} if isinstance(value, str) else set()


@pytest.mark.parametrize("as_json", [False, True])
def test_a_live_check_prints_what_servers_answered_escaped(
        hostile_sources: Path, fresh_site: FixtureSite, as_json: bool) -> None:
    fresh_site.routes["/typed.rss"] = Route(200, _rss(fresh_site, "utf-8", 1), {
        "Content-Type": f"application/rss+xml{OSC}\x9b"})
    with hostile_sources.open("a", encoding="utf-8") as sources:
        sources.write(f'[[sources]]\nname = "typed"\nurl = "{fresh_site.url("/typed.rss")}"\n')
    shown = run_cli("sources", "check", "--live", "--sources", str(hostile_sources),
                    *(["--json"] if as_json else []), cwd=hostile_sources.parent)
    assert shown.code in (0, 1), shown.stderr
    assert not _has_controls(shown.stdout), shown.stdout
    if as_json:
        typed = [json.loads(line) for line in shown.stdout.splitlines()][-1]
        assert typed["content_type"] == f"application/rss+xml{OSC}\x9b".lower()
    else:
        assert "application/rss+xml\\x1b]0;owned" in shown.stdout  # cut at 28 characters
        assert "declared as x\\x1b]0" in shown.stdout


def test_the_records_files_carry_bidi_overrides_as_escapes(fresh_site: FixtureSite,
                                                           tmp_path: Path) -> None:
    # clean_text leaves U+202E (a right-to-left script may want it); `tail -f` of the
    # records file would show the rest of the line reversed.
    title = "Talks \u202eemuser\u202c in \u2066Geneva\u2069"
    fresh_site.routes["/bidi.rss"] = Route(200, (
        f'<rss version="2.0"><channel><title>t</title><item><title>{title}</title>'
        f'<link>{fresh_site.url("/missing.html")}</link></item></channel></rss>').encode(),
        {"Content-Type": "application/rss+xml; charset=utf-8"})
    (tmp_path / "s.toml").write_text(
        f'[[sources]]\nname = "bidi"\nurl = "{fresh_site.url("/bidi.rss")}"\n', encoding="utf-8")
    run_cli("crawl", "--sources", "s.toml", "-q", cwd=tmp_path)
    [path] = (tmp_path / "output").rglob("records-*.jsonl")
    assert not _has_controls(path.read_text(encoding="utf-8").replace("\n", ""))
    assert b"\\u202e" in path.read_bytes()
    assert [r["title"] for r in read_jsonl(path)] == [title]


def test_an_ascii_line_passes_as_it_is_and_its_del_escaped() -> None:
    # An ASCII line is returned without a scan (the common case), unless it holds DEL.
    plain = b'{"title":"NATO talks resume","n":[1,2]}'
    assert json_safe(plain) is plain
    assert json_safe(b'{"title":"talks\x7f resume"}') == b'{"title":"talks\\u007f resume"}'
    assert json_safe(b'{"title":"\xe2\x80\xae\x7f"}') == b'{"title":"\\u202e\\u007f"}'
