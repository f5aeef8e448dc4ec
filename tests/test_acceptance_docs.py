"""README's account of what policywire writes agrees with the code that writes it.

An analyst reads the field list and the reject reasons in README.md, not models.py: a field
the code writes but the README leaves out (``topics`` was), or a reason code a rejects file
carries that no table explains, is a surprise in the data.
"""

from __future__ import annotations

import re
from pathlib import Path

from crawler.errors import REJECT_REASONS
from crawler.models import Record, Reject
from crawler.outcome import Outcome
from tests.conftest import REPO, read_jsonl, run_cli

README = (REPO / "README.md").read_text(encoding="utf-8")


def _section(heading: str) -> str:
    """The text under a ``###`` heading, up to the next heading."""
    start = README.index(f"\n### {heading}\n")
    end = README.find("\n#", start + 1)
    return README[start:end if end != -1 else None]


def _named(text: str) -> set[str]:
    return set(re.findall(r"`([a-z_]+)`", text))


def test_the_record_section_names_every_field_a_record_has() -> None:
    fields = set(Record.__struct_fields__)
    assert fields - _named(_section("The record")) == set()


def test_the_rejects_section_names_every_field_and_every_reason_code() -> None:
    rejects = _section("Rejects")
    assert set(Reject.__struct_fields__) - _named(rejects) == set()
    table = dict(re.findall(r"^\| `([a-z_]+)` \| (.+) \|$", rejects, re.MULTILINE))
    assert set(table) == set(REJECT_REASONS)


def test_dedups_reject_lines_carry_a_reason_code_the_readme_explains(tmp_path: Path) -> None:
    (tmp_path / "in.jsonl").write_text('{"url": "http://a.example/", "title": "NATO"}\n'
                                       "not json\n", encoding="utf-8")
    run = run_cli("dedup", "in.jsonl", "-o", "out.jsonl", cwd=tmp_path)
    assert run.code == 0, run.stderr
    [reject] = read_jsonl(tmp_path / "out.rejects.jsonl")
    assert reject["reason"] in REJECT_REASONS


def test_the_given_up_hosts_phrase_quoted_in_the_docs_is_the_one_the_last_line_says() -> None:
    # The README and docs/operations.md quoted "gave up on host H (84 pages not tried after
    # it failed to connect)", a wording the code never wrote: an operator grepping a cron
    # mail for it found nothing.
    quoted = {
        path: re.findall(r"\"(gave up on host [^\"]+)\"", (REPO / path).read_text("utf-8"))
        for path in ("README.md", "docs/operations.md")}
    assert all(quoted.values()), quoted
    for path, phrases in quoted.items():
        for phrase in phrases:
            host, pages = re.findall(r"gave up on host (\S+) .*?(\d+)", phrase)[0]
            said = Outcome(1, Path("runs.jsonl"), given_up={host: int(pages)}).line()
            assert phrase in said, (path, phrase, said)
