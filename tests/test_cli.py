from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from crawler.cli import main
from crawler.cli.parser import build_parser
from crawler.sources import load_sources

OPML = b"""<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>
<outline text="Think tanks"><outline text="War on the Rocks" type="rss"
 xmlUrl="https://warontherocks.com/feed/"/></outline>
<outline text="Tagesschau Ausland" type="rss" xmlUrl="https://www.tagesschau.de/ausland/index~rss2.xml"
 language="de"/></body></opml>"""


def test_opml_import_then_export_round_trips(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "feeds.opml").write_bytes(OPML)
    toml = tmp_path / "sources.toml"
    assert main(["sources", "import", str(tmp_path / "feeds.opml"), "-o", str(toml)]) == 0
    sources = load_sources(toml)
    assert [s.url for s in sources] == ["https://warontherocks.com/feed/",
                                        "https://www.tagesschau.de/ausland/index~rss2.xml"]
    assert sources[0].tags == ("think-tanks",) and sources[1].language == "de"
    assert main(["sources", "export", "--sources", str(toml)]) == 0
    assert "https://warontherocks.com/feed/" in capsys.readouterr().out


def test_bad_sources_file_exits_78_naming_the_line_of_the_key(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "s.toml"
    bad.write_text('[[sources]]\nname = "a"\nurl = "https://a.eu"\nkind = "rss"\n')
    assert main(["sources", "check", "--sources", str(bad)]) == 78
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "line 4" in err and "'kind'" in err


def test_bundled_sources_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sources", "check"]) == 0
    assert "enabled" in capsys.readouterr().err


def test_missing_input_is_a_config_error(tmp_path: Path) -> None:
    assert main(["dedup", str(tmp_path / "nope.jsonl")]) == 78
    assert main(["export", str(tmp_path / "nope")]) == 78


def test_commands_that_do_not_crawl_start_without_scrapy_or_rq(tmp_path: Path) -> None:
    # dedup, export and reindex would pay ~0.5 s of start-up for Scrapy, Twisted and rq.
    source = tmp_path / "in.jsonl"
    source.write_text('{"url": "https://a.eu/1", "title": "NATO summit opens"}\n')
    probe = ("import sys; from crawler.cli import main; "
             f"code = main(['dedup', {str(source)!r}, '-o', {str(tmp_path / 'out.jsonl')!r}]); "
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'scrapy', 'twisted', 'rq'}));"
             "sys.exit(code)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=False, cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    assert (tmp_path / "out.jsonl").read_text().count("story_id") == 1


@pytest.mark.parametrize("option", [["--since", "2026-01-01"], ["--until", "2026-01-01"],
                                    ["--output-dir", "out"], ["--topics", "t.toml"]])
def test_dedup_refuses_options_it_would_ignore(
        option: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    # A --since that dedup ignored looked like a filter and filtered nothing.
    with pytest.raises(SystemExit) as stopped:
        main(["dedup", "in.jsonl", *option])
    assert stopped.value.code == 2 and "unrecognized arguments" in capsys.readouterr().err
    parsed = build_parser().parse_args(["dedup", "in.jsonl", "--window-days", "7", "-q",
                                        "--title-threshold", "de=0.3", "--log-format", "json"])
    assert (parsed.window_days, parsed.title_threshold, parsed.quiet) == (7, ["de=0.3"], True)
