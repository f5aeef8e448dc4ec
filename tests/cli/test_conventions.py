"""The conventions every command keeps: --version, help with an example, only the options a
command uses, inputs named alike, dates as people type them."""

from __future__ import annotations

import argparse
import json
import re
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path

import pytest

from crawler.cli import main
from crawler.cli.parser import build_parser
from crawler.foreign import KNOWN_KEYS
from crawler.normalize import to_iso
from crawler.sources import default_sources_path, load_sources
from tests.conftest import run_cli
from tests.test_export import make_record, write_file


def test_version_prints_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"policywire {metadata.version('policywire')}\n"


def _commands(parser: argparse.ArgumentParser, prefix: str = "policywire"
              ) -> list[tuple[str, argparse.ArgumentParser]]:
    """Every subcommand of ``parser``, with its verbs (``sources check``), by its full name."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, command in action.choices.items():
                found.append((f"{prefix} {name}", command))
                found.extend(_commands(command, f"{prefix} {name}"))
    return found


def test_every_command_helps_with_one_line_and_an_example() -> None:
    commands = _commands(build_parser())
    bundled = {source.url for source in load_sources(default_sources_path()) if source.enabled}
    assert len(commands) >= 15  # crawl ... schema, and the sources verbs
    for name, command in commands:
        text = command.format_help()
        description = command.description or ""
        assert description and "\n" not in description and len(description) <= 80, name
        example = text.split("\nexample:\n  ", 1)[1]
        assert example.startswith(f"{name} "), (name, example)
        # A web address in an example is a bundled source's (before: scrape's named NATO's
        # feed, which answers 404 and left the bundled list).
        for url in re.findall(r"https?://\S+", example):
            assert url in bundled, (name, url)


@pytest.mark.parametrize(("command", "unused"), [
    ("stats", ["--since", "--allow-private-addresses", "--title-threshold", "--topics",
               "--window-days"]),
    ("reindex", ["--since", "--allow-private-addresses", "--title-threshold", "--topics"]),
    # A round's options are enqueue's; the worker crawls with what the round says.
    ("enqueue", ["--output-dir", "--state-dir", "--allow-private-addresses"]),
    ("worker", ["--since", "--until", "--window-days", "--title-threshold", "--topics"]),
])
def test_a_command_lists_only_the_options_it_uses(command: str, unused: list[str],
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    shown = capsys.readouterr().out
    assert [option for option in unused if option in shown] == []
    with pytest.raises(SystemExit) as refused:
        main([command, unused[0], "2026-01-01"])
    assert refused.value.code == 2


def test_stats_help_says_what_it_reads_its_paths_for(capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    # Found in the newuser trial: stats' --state-dir was described as scrape's ("to scrape
    # incrementally ... every scrape writes every record") and --output-dir as where results
    # "go", though stats writes nothing.
    with pytest.raises(SystemExit):
        main(["stats", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert "scrape" not in shown and "runs.jsonl go" not in shown
    assert "--state-dir STATE_DIR the crawl's state, for each feed's own error streak" in shown


def test_stats_takes_its_directory_as_export_does(tmp_path: Path) -> None:
    write_file(tmp_path / "out/2024/05/01/records-run1.jsonl", [make_record("a")])
    run = run_cli("stats", "out", "--json", cwd=tmp_path)
    assert run.code == 0, run.stderr
    assert [json.loads(line)["source"] for line in run.stdout.splitlines()] == ["alpha"]
    missing = run_cli("stats", "nope", cwd=tmp_path)
    assert (missing.code, missing.stderr) == (66, "policywire: nope: no such output"
                                                  " directory\n")
    both = run_cli("stats", "out", "--output-dir", "other", cwd=tmp_path)
    assert (both.code, both.stderr) == (2, "policywire: two output directories: out and"
                                           " --output-dir other\n")


@pytest.mark.parametrize("args", [
    ["crawl", "--sources", "nope.toml"], ["sources", "check", "nope.toml"],
    ["sources", "export", "--sources", "nope.toml"],
    ["enqueue", "--sources", "nope.toml", "--redis", "redis://127.0.0.1:1/0"],
])
def test_a_missing_sources_file_exits_66(args: list[str], tmp_path: Path) -> None:
    # 78, a configuration error, where every other missing input is 66.
    run = run_cli(*args, cwd=tmp_path)
    assert (run.code, run.stderr) == (66, "policywire: nope.toml: no such sources file\n")


def test_since_and_until_read_spans_and_days(tmp_path: Path) -> None:
    now = datetime.now(UTC)
    # "hours" is dated today (UTC) at any time of day, so `--until today` leaves it out:
    # two hours ago, or halfway back to midnight in the first two hours of the day.
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    write_file(tmp_path / "out/2024/05/01/records-run1.jsonl", [
        make_record(name, published=to_iso(now - ago)) for name, ago in
        (("hours", min(timedelta(hours=2), (now - today) / 2)), ("days", timedelta(days=3)),
         ("weeks", timedelta(days=10)))])
    kept = {}
    for window in (["--since", "24h"], ["--since", "7d"], ["--since", "yesterday"],
                   ["--until", "1w"], ["--since", "2w", "--until", "today"]):
        run = run_cli("export", "out", *window, "-q", cwd=tmp_path)
        assert run.code == 0, run.stderr
        kept[" ".join(window)] = [json.loads(line)["id"] for line in run.stdout.splitlines()]
    assert kept == {"--since 24h": ["hours"], "--since 7d": ["hours", "days"],
                    "--since yesterday": ["hours"], "--until 1w": ["weeks"],
                    "--since 2w --until today": ["days", "weeks"]}
    # The crawl reads them alike (refused here only for the order of the two).
    run = run_cli("crawl", "--since", "7d", "--until", "8d", cwd=tmp_path)
    assert run.code == 2 and "is not before --until" in run.stderr


@pytest.mark.parametrize("command", [
    ["crawl", "--sources", "s.toml"], ["scrape", "http://127.0.0.1:9/feed.rss"],
    ["export", "out"], ["enqueue", "--sources", "s.toml", "--redis", "redis://127.0.0.1:1/0"],
])
def test_a_topics_file_is_read_before_any_work(command: list[str], tmp_path: Path) -> None:
    # Read first by the crawl's pipeline: a Twisted traceback and exit 1.
    (tmp_path / "s.toml").write_text('[[sources]]\nname = "a"\nurl = "http://127.0.0.1:9/f"\n',
                                     encoding="utf-8")
    (tmp_path / "bad.toml").write_text("[[[", encoding="utf-8")
    missing = run_cli(*command, "--topics", "nope.toml", cwd=tmp_path)
    assert (missing.code, missing.stderr) == (66, "policywire: nope.toml: no such topics"
                                                  " file\n")
    bad = run_cli(*command, "--topics", "bad.toml", cwd=tmp_path)
    assert bad.code == 78 and bad.stderr.startswith("policywire: bad.toml: invalid TOML")
    assert bad.stderr.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml", "s.toml"]


@pytest.mark.parametrize("args", [
    ["crawl", "--source", "mine.toml"],          # crawl's --sources; export's is --source
    ["export", "output", "--out", "x.csv"],      # --output
    ["sources", "list", "--dead", "3"],          # --dead-after, on a verb's own parser
    ["--vers", "crawl"],                         # the top-level parser's --version
])
def test_an_abbreviated_option_is_a_usage_error_not_the_option_it_starts(
        args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    # A user's trial: "crawl --source mine.toml" crawled with mine.toml as --sources, where
    # they had meant export's --source filter; a typo must stop, not pick another option.
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args(args)
    assert done.value.code == 2
    assert "unrecognized arguments" in capsys.readouterr().err


@pytest.mark.parametrize(("args", "said"), [
    (["crawl", "--source", "mine.toml"], "policywire crawl: error: unrecognized arguments:"
                                         " --source mine.toml (did you mean --sources?)"),
    (["export", "out", "--lang", "de"], "policywire export: error: unrecognized arguments:"
                                        " --lang de (did you mean --language?)"),
    (["sources", "list", "--dead", "3"], "policywire sources list: error: unrecognized"
                                         " arguments: --dead 3 (did you mean --dead-after?)"),
    (["stories", "out", "more"], "policywire stories: error: unrecognized arguments: more"),
])
def test_an_unknown_option_is_refused_under_its_command_s_usage(
        args: list[str], said: str, capsys: pytest.CaptureFixture[str]) -> None:
    # Found in the newuser trial: the top-level parser refused it, printing the list of
    # commands as the usage and "policywire: error: ...", naming neither the command typed
    # nor the option meant (the package's docstring promised "policywire CMD: error:").
    with pytest.raises(SystemExit) as done:
        main(args)
    err = capsys.readouterr().err
    command = " ".join(args[:2] if args[0] == "sources" else args[:1])
    assert done.value.code == 2
    assert err.startswith(f"usage: policywire {command} [-h]")
    assert err.splitlines()[-1] == said


def test_no_command_takes_an_option_by_its_prefix() -> None:
    parsers = [build_parser(), *(command for _, command in _commands(build_parser()))]
    assert all(parser.allow_abbrev is False for parser in parsers)


def test_stats_shows_the_share_of_pages_not_fetched_and_says_why(tmp_path: Path) -> None:
    dns = "CannotResolveHostError: DNS lookup failed"
    write_file(tmp_path / "out/2024/05/01/records-run1.jsonl",
               [make_record(name, page_error=dns, fetched_at=f"2024-05-01T12:00:0{i}Z")
                for i, name in enumerate("abc")])
    run = run_cli("stats", "out", cwd=tmp_path)
    assert run.code == 0, run.stderr
    header, row = run.stdout.splitlines()
    assert row.split()[header.split().index("pgerr")] == "100%"
    assert run.stderr == ("policywire: alpha: pages failing: none of the latest run's 3 pages"
                          f" fetched (latest error 2024-05-01 page_error: {dns})\n")
    listed = json.loads(run_cli("stats", "out", "--json", cwd=tmp_path).stdout)
    assert listed["pages_failed"] == 1.0


def test_stats_shows_dashes_for_a_source_whose_records_are_elsewhere(tmp_path: Path) -> None:
    # `scrape URL -o FILE` counts its run in output/runs.jsonl, its records in FILE: stats
    # showed that source with 0% dates, authors and bodies, an extraction finding nothing.
    write_file(tmp_path / "out/2024/05/01/records-run1.jsonl", [make_record("a")])
    run_line = {"run_id": "run2", "started": "2024-05-02T00:00:00Z",
                "finished": "2024-05-02T00:01:00Z", "sources": {"127.0.0.1": {"records": 3}}}
    with (tmp_path / "out" / "runs.jsonl").open("a", encoding="utf-8") as runs:
        runs.write(json.dumps(run_line) + "\n")
    run = run_cli("stats", "out", cwd=tmp_path)
    assert run.code == 0, run.stderr
    header, *rows = run.stdout.splitlines()
    table = {row.split()[0]: dict(zip(header.split(), row.split(), strict=False)) for row in rows}
    assert [table["127.0.0.1"][c] for c in ("recs", "date", "auth", "body", "chars", "pgerr")] == [
        "3", "-", "-", "-", "-", "-"]
    assert table["alpha"]["body"] == "0%" and table["alpha"]["pgerr"] == "0%"  # its own: read


def test_field_s_help_names_every_field_it_maps(capsys: pytest.CaptureFixture[str]) -> None:
    # Found in the newuser trial: --field summary=KEY was taken, but dedup --help listed
    # seven fields without it.
    with pytest.raises(SystemExit):
        main(["dedup", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    listed = shown.split("--field FIELD=KEY read FIELD (", 1)[1].split(")", 1)[0]
    assert listed.split(", ") == list(KNOWN_KEYS)


def test_since_s_help_says_pages_are_dated_too(capsys: pytest.CaptureFixture[str]) -> None:
    # Found in the newuser trial: `scrape FEED --since 2023-01-01` over an undated feed kept
    # the two pages dated 2023 (as the README says), where --help spoke of "feed/sitemap
    # entries dated before this" alone.
    with pytest.raises(SystemExit):
        main(["scrape", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert "--since SINCE skip entries dated before this, by their feed's or sitemap's date," \
        " else their page's" in shown


def test_stats_gives_a_rate_a_month_or_a_year_to_records_spread_over_years(
        tmp_path: Path) -> None:
    # Before: "0.0" a day for a source whose records an archive's sitemap spread over years
    # (one a month for 4 years, one a year for 20), as for a source that gives none.
    monthly = [make_record(f"m{i}", source="archive",
                           published=f"{2022 + i // 12}-{i % 12 + 1:02d}-01T00:00:00Z")
               for i in range(48)]
    yearly = [make_record(f"y{y}", source="annual", published=f"{y}-06-01T00:00:00Z")
              for y in range(2007, 2027)]
    rare = [make_record(f"r{y}", source="rare", published=f"{y}-06-01T00:00:00Z")
            for y in (2006, 2026)]
    daily = [make_record(f"d{i}", published=f"2024-05-0{i + 1}T00:00:00Z") for i in range(4)]
    write_file(tmp_path / "out/2024/05/01/records-run1.jsonl", monthly + yearly + rare + daily)
    run = run_cli("stats", "out", cwd=tmp_path)
    assert run.code == 0, run.stderr
    header, *rows = run.stdout.splitlines()
    rates = {row.split()[0]: row.split()[header.split().index("rate")] for row in rows}
    assert rates == {"alpha": "1.0", "archive": "1/mo", "annual": "1/yr", "rare": "<1/yr"}
