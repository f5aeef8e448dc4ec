"""What `stats` and `sources list` print of other people's words reaches a terminal escaped.

A stats row's latest error quotes a server (a reject's detail); a source's notes may come
from an imported OPML file. U+009B is a one-byte CSI to some terminals, U+202E reverses
what follows it, U+2066 starts an isolate that reorders the line.
"""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest

from crawler.cli import main
from crawler.models import Reject
from crawler.opml import NAMESPACE, sources_from_opml
from crawler.sources import parse_sources

RUN = "20261206T060000Z-a1b2"
# A rejects file another tool wrote (or edited) names its sources as it likes.
SOURCE = "odd\u202e"


def _raw(text: str) -> bool:
    return any(c in "\u202e\u2066\x9b\x1b" for c in text)


def _output_with_a_hostile_reject(folder: Path) -> None:
    day = folder / "2026/12/06"
    day.mkdir(parents=True)
    reject = Reject(reason="http_error", url="https://example.org/rss", source=SOURCE,
                    run_id=RUN, detail="503 \u202eenilno\x9b", at="2026-12-06T06:01:00Z")
    (day / f"rejects-{RUN}.jsonl").write_bytes(msgspec.json.encode(reject) + b"\n")
    run = {"run_id": RUN, "started": "2026-12-06T06:00:00Z",
           "finished": "2026-12-06T06:02:00Z",
           "sources": {SOURCE: {"records": 0, "rejects": 1}}}
    (folder / "runs.jsonl").write_text(json.dumps(run) + "\n", encoding="utf-8")


@pytest.mark.parametrize("as_json", [False, True])
def test_stats_shows_a_servers_words_escaped(tmp_path: Path, as_json: bool,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    _output_with_a_hostile_reject(tmp_path / "output")
    assert main(["stats", str(tmp_path / "output"), *(["--json"] if as_json else [])]) == 0
    shown = capsys.readouterr()
    assert not _raw(shown.out + shown.err), shown
    if as_json:
        [row] = [json.loads(line) for line in shown.out.splitlines()]
        assert "\u202eenilno\x9b" in row["latest_error"]  # the same words, decoded
        assert "\\u202e" in shown.out and "\\u009b" in shown.out
    else:
        assert shown.out.splitlines()[1].startswith("odd\\u202e ")


@pytest.mark.parametrize("as_json", [False, True])
def test_sources_list_shows_imported_notes_escaped(tmp_path: Path, as_json: bool,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    notes = "terms \u202eseert\u202c and \u2066isolated\u2069"
    (tmp_path / "feeds.opml").write_text(
        f'<opml version="2.0" xmlns:policywire="{NAMESPACE}"><body>'
        f'<outline type="rss" text="odd" xmlUrl="https://example.org/rss"'
        f' policywire:notes="{notes}"/></body></opml>', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["sources", "import", "feeds.opml", "-o", "s.toml"]) == 0
    capsys.readouterr()
    assert main(["sources", "list", "--sources", "s.toml",
                 *(["--json"] if as_json else [])]) == 0
    shown = capsys.readouterr().out
    assert not _raw(shown), shown
    if as_json:
        [row] = [json.loads(line) for line in shown.splitlines()]
        assert row["notes"] == notes
    else:
        assert "terms \\u202eseert\\u202c and \\u2066isolated\\u2069" in shown


def test_sources_import_and_export_to_stdout_show_bidi_marks_escaped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # Both write to stdout (export by default): the OPML's and TOML's own escapes keep a
    # note's U+202E and U+2066 off the terminal, and any reader gets the note back.
    notes = "terms \u202eseert\u202c and \u2066isolated\u2069"
    (tmp_path / "s.toml").write_text(
        f'[[sources]]\nname = "odd"\nurl = "https://example.org/rss"\nnotes = "{notes}"\n',
        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["sources", "export", "--sources", "s.toml"]) == 0
    opml = capsys.readouterr().out
    assert not _raw(opml) and "&#x202E;" in opml, opml
    [source] = sources_from_opml(opml.encode(), "stdout")
    assert source.notes == notes
    (tmp_path / "feeds.opml").write_text(opml, encoding="utf-8")
    assert main(["sources", "import", "feeds.opml", "-o", "-"]) == 0
    toml = capsys.readouterr().out
    assert not _raw(toml) and "\\u202e" in toml, toml
    assert [s.notes for s in parse_sources(toml)] == [notes]
