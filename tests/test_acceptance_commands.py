"""Every command line README.md, docs/operations.md and docs/scaleout.md show is one the
real CLI takes.

A user copies them: a concrete line (the cron line, systemd's ExecStart, an inline
`policywire reindex --output-dir output --state-dir state`) must parse as it stands; a usage
form (``policywire crawl [--sources sources.toml] ...``) must name only options its command
has. The cron line is also run, as cron runs it, against the loopback site.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.cli.parser import build_parser
from tests.conftest import REPO, records_under, run_cli
from tests.sitesrv import FixtureSite

DOCS = ("README.md", "docs/operations.md", "docs/scaleout.md")
_FENCED = re.compile(r"^```[a-z]*\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _program() -> re.Pattern[str]:
    """``policywire`` followed by one of its commands (not prose: "policywire took ...")."""
    subs = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    names = "|".join(sorted(subs[0].choices, key=len, reverse=True))
    return re.compile(rf"(?:^|[\s/])policywire\s+(?=(?:{names}|--version)\b)")


_PROGRAM = _program()


def _blocks(text: str) -> Iterator[str]:
    """The lines of fenced blocks and four-space indented blocks, usage continuations joined
    to the line they continue (their first non-blank is '[' or '-')."""
    fenced = _FENCED.findall(text)
    indented = re.findall(r"^    (\S.*)$", text, re.MULTILINE)
    for block in [*fenced, "\n".join(indented)]:
        line = ""
        for raw in block.splitlines():
            code = re.split(r"\s#(?:\s|$)", raw, maxsplit=1)[0].rstrip()
            if re.match(r"\s+[\[-]", code) and line:
                line += " " + code.strip()
                continue
            if line:
                yield line
            line = code
        if line:
            yield line


def _spans(text: str) -> Iterator[str]:
    """Inline code spans of the prose (one may wrap onto the next line)."""
    for span in re.findall(r"`([^`\n]+(?:\n[^`\n]+)?)`", _FENCED.sub("", text)):
        yield " ".join(span.split())


def _commands(lines: Iterator[str]) -> Iterator[str]:
    """Each ``policywire ...`` command of the lines, from its program name on; a ';' or
    '&&' ends it (a '|' is a pipe in a line to run, alternatives in a usage form)."""
    for line in lines:
        for match in _PROGRAM.finditer(line):
            rest = re.split(r"\s(?:;|&&)\s|;\s", line[match.end():], maxsplit=1)[0]
            yield rest.strip()


def _documented(where: str) -> list[pytest.ParameterSet]:
    """The commands of the docs' code blocks (lines to run) or of their prose (mentions)."""
    found = set()
    for doc in DOCS:
        text = (REPO / doc).read_text(encoding="utf-8")
        lines = _blocks(text) if where == "blocks" else _spans(text)
        found.update((doc, command) for command in _commands(lines))
    return [pytest.param(command, id=f"{doc}: {command}") for doc, command in sorted(found)]


def _is_usage(command: str) -> bool:
    """A usage form: options in brackets, alternatives, or a placeholder such as CMD."""
    return bool(re.search(r"[\[|]|\.\.\.|\bCMD\b", command))


def _parser_of(words: list[str]) -> tuple[argparse.ArgumentParser, list[str]]:
    """The (sub)parser the leading words name, and the words after them."""
    parser = build_parser()
    while True:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs or not words or words[0] not in subs[0].choices:
            return parser, words
        parser, words = subs[0].choices[words[0]], words[1:]


# A line of a code block is run as it stands; a usage form or a command named in the prose
# (`policywire dedup --no-stories`, without its input) must name options its command has.
CONCRETE = [param for param in _documented("blocks") if not _is_usage(param.values[0])]
USAGE = [param for param in _documented("blocks") if _is_usage(param.values[0])]
MENTIONED = _documented("spans")


def test_the_docs_show_commands_of_both_kinds() -> None:
    # The extraction itself: the cron line, ExecStart, reindex, and the README's usage block.
    concrete = {param.values[0] for param in CONCRETE}
    assert {"crawl -q --sources sources.toml --output-dir output --state-dir state",
            "crawl --log-format json --sources sources.toml --output-dir output --state-dir state",
            "reindex --output-dir /var/lib/policywire/output --state-dir /var/lib/policywire/state",
            "report output/ -o report.html", "--version"} <= concrete
    assert len(USAGE) >= 10
    assert "sources import feeds.opml -o sources.toml | export [-o feeds.opml] | check" in {
        p.values[0] for p in USAGE}
    assert "reindex --output-dir output --state-dir state" in {p.values[0] for p in MENTIONED}


@pytest.mark.parametrize("command", CONCRETE)
def test_a_documented_command_line_parses(command: str) -> None:
    try:
        build_parser().parse_args(shlex.split(command.split(" | ", 1)[0]))
    except SystemExit as stop:  # 2 for any word it refuses; 0 for --version
        assert (command, stop.code) == ("--version", 0)


@pytest.mark.parametrize("command", USAGE + MENTIONED)
def test_a_usage_form_names_only_options_its_command_has(command: str) -> None:
    group: list[str] = []  # "sources" of "sources import ... | export ... | check"
    for alternative in re.split(r"\s\|\s", command):
        words = [*group, *alternative.replace("[", " ").replace("]", " ").split()]
        parser, rest = _parser_of(words)
        group = group or words[:len(words) - len(rest) - 1]
        known = {option for action in parser._actions for option in action.option_strings}
        named = {w.split("=", 1)[0] for w in rest if re.match(r"--?[a-z]", w)}
        assert named - known == set(), parser.prog


def test_the_cron_line_is_silent_when_all_is_well(site: FixtureSite, tmp_path: Path) -> None:
    cron = (REPO / "docs/operations.md").read_text(encoding="utf-8")
    line = re.search(r"^\*/15 \* \* \* \*  cd /srv/policywire && \.venv/bin/policywire (.+)$",
                     cron, re.MULTILINE)
    assert line is not None
    (tmp_path / "sources.toml").write_text(
        f'[[sources]]\nname = "rss"\nurl = "{site.url("/feeds/rss20.rss")}"\nkind = "feed"\n',
        encoding="utf-8")
    for _ in range(2):  # the first run fetches, the second finds nothing new
        run = run_cli(*shlex.split(line.group(1)), cwd=tmp_path)
        assert (run.code, run.stdout, run.stderr) == (0, "", "")
    assert len(records_under(tmp_path / "output")) == 4


def test_a_command_with_verbs_names_each_in_its_one_line() -> None:
    # `policywire --help` said "check, import, export or test the sources list": no list.
    for action in build_parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, command in action.choices.items():
                verbs = [a for a in command._actions
                         if isinstance(a, argparse._SubParsersAction)]
                for verb in verbs[0].choices if verbs else ():
                    said = (command.description or "").split(" the ")[0]  # the verbs, not the noun
                    assert re.search(rf"\b{verb}\b", said), (name, verb)


def test_scrapy_crawl_runs_outside_the_repository_as_the_readme_says(
        site: FixtureSite, tmp_path: Path) -> None:
    # After `pip install .`, `scrapy crawl policywire` in any other directory said "The crawl
    # command is not available from this location": scrapy.cfg, which names the settings,
    # stays in the repository, and the README did not say so.
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    said = re.search(r"elsewhere set\s+# (SCRAPY_SETTINGS_MODULE)=(\S+)\n", readme)
    assert said is not None
    command = [sys.executable, "-m", "scrapy", "crawl", "policywire",
               "-a", f"url={site.url('/feeds/atom.atom')}", "-O", "items.jsonl"]
    env = {**os.environ, "POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": "1"}
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    assert not (tmp_path / "scrapy.cfg").exists()
    lost = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert "not available from this location" in lost.stdout + lost.stderr
    run = subprocess.run(command, cwd=tmp_path, env={**env, said.group(1): said.group(2)},
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    assert len((tmp_path / "items.jsonl").read_text(encoding="utf-8").splitlines()) == 3


def test_the_near_duplicate_options_say_which_level_they_set() -> None:
    # `crawl --help` said --window-days was "how far back stories are matched" beside
    # --story-window-days, "a story takes new members while its latest is at most this old":
    # a newcomer could not tell which window was the story's. --window-days and
    # --title-threshold set the near-duplicate level (duplicate_of), in the help and README.
    crawl = next(a for a in build_parser()._actions
                 if isinstance(a, argparse._SubParsersAction)).choices["crawl"]
    helps = {a.dest: a.help or "" for a in crawl._actions}
    for dest in ("window_days", "title_threshold"):
        assert "duplicate_of" in helps[dest], dest
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    said = re.search(r"`--window-days N` \(([^)]*)\)", readme)
    assert said is not None and "duplicate_of" in said.group(1)
