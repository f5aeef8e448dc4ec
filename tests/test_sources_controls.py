"""Control characters in a sources file's strings, or an OPML file's: a configuration error
naming the place and the key (exit 78), never a header of their own nor a crashed export."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.cli import main
from crawler.opml import NAMESPACE


def _sources(folder: Path, key: str, value: str) -> Path:
    path = folder / "s.toml"
    path.write_text(f'[[sources]]\nname = "odd"\nurl = "https://example.org/rss"\n'
                    f'{key} = "{value}"\n', encoding="utf-8")
    return path


@pytest.mark.parametrize("case", [
    ("notes", "ctl\\u0001x", "U+0001"),  # lxml refused it: the export died with a traceback
    ("user_agent", "Bot\\r\\nX-Evil: 1", "U+000D"),  # a header of its own
    ("notes", "csi\\u009b2J", "U+009B"),
])
@pytest.mark.parametrize("command", [["sources", "export", "-o", "out.opml"],
                                     ["sources", "check"]])
def test_a_control_character_in_a_sources_file_is_a_config_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        case: tuple[str, str, str], command: list[str]) -> None:
    key, value, shown = case
    path = _sources(tmp_path, key, value)
    monkeypatch.chdir(tmp_path)
    assert main([*command, "--sources", str(path)]) == 78
    err = capsys.readouterr().err
    assert err.startswith(f"policywire: {path}:line 4: key '{key}' holds the control"
                          f" character {shown}"), err
    assert not (tmp_path / "out.opml").exists()


def test_an_opml_user_agent_with_cr_lf_is_refused_on_import(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "feeds.opml").write_text(
        f'<opml version="2.0" xmlns:policywire="{NAMESPACE}"><body>\n'
        '<outline type="rss" text="odd" xmlUrl="https://example.org/rss"'
        ' policywire:user_agent="Bot&#13;&#10;X-Evil: 1"/></body></opml>', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["sources", "import", "feeds.opml", "-o", "s.toml"]) == 78
    err = capsys.readouterr().err
    assert "feeds.opml:line 2: key 'user_agent' holds the control character U+000D" in err
    assert not (tmp_path / "s.toml").exists()
