from __future__ import annotations

import json
import os
import platform
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.cli import main
from crawler.cli.parser import build_parser
from crawler.dedup import DedupParams
from crawler.errors import ConfigError, UsageError
from crawler.models import TopicMatch
from crawler.sources import load_sources
from tests.conftest import run_cli
from tests.test_export import make_record, write_file

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


def test_sources_check_of_a_typo_names_the_line_of_the_key(tmp_path: Path) -> None:
    # A user's test: the message named the [[sources]] header's line 1, the typo is on 4.
    (tmp_path / "typo.toml").write_text(
        '[[sources]]\nname = "a"\nurl = "https://a.eu"\nknd = "feed"\n', encoding="utf-8")
    run = run_cli("sources", "check", "typo.toml", cwd=tmp_path)
    assert run.code == 78
    assert run.stderr.startswith("policywire: typo.toml:line 4: unknown key 'knd'")
    assert run.stderr.count("\n") == 1


def test_bundled_sources_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sources", "check"]) == 0
    assert "enabled" in capsys.readouterr().err


@pytest.mark.parametrize("args", [
    ["dedup", "nope.jsonl"], ["dedup", "nope.jsonl", "-o", "out.jsonl"], ["export", "nope"],
    ["stories", "nope"], ["report", "nope"], ["stats", "--output-dir", "nope"],
    ["reindex", "--output-dir", "nope", "--state-dir", "state"],
])
def test_a_missing_input_exits_66_naming_it(args: list[str], tmp_path: Path) -> None:
    run = run_cli(*args, cwd=tmp_path)
    assert (run.code, run.stdout) == (66, "")  # EX_NOINPUT; it was 78, a configuration error
    missing = next(arg for arg in args if arg.startswith("nope"))
    assert run.stderr.startswith(f"policywire: {missing}: no such ")
    assert run.stderr.count("\n") == 1
    assert not (tmp_path / "out.jsonl").exists() and not (tmp_path / "state").exists()


def test_a_directory_given_to_dedup_exits_66(tmp_path: Path) -> None:
    run = run_cli("dedup", str(tmp_path), cwd=tmp_path)
    assert run.code == 66 and "is a directory" in run.stderr


def test_commands_that_do_not_crawl_start_without_scrapy_or_rq(tmp_path: Path) -> None:
    # dedup, export and reindex would pay ~0.5 s of start-up for Scrapy, Twisted and rq; dedup
    # ~0.36 CPU s more for the extractor, Parquet and the feed parser it never uses
    # (trafilatura, pyarrow, feedparser: fail before crawler.cli's imports were made lazy).
    source = tmp_path / "in.jsonl"
    source.write_text('{"url": "https://a.eu/1", "title": "NATO summit opens"}\n')
    probe = ("import sys; from crawler.cli import main; "
             f"code = main(['dedup', {str(source)!r}, '-o', {str(tmp_path / 'out.jsonl')!r}]); "
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'scrapy', 'twisted', 'rq',"
             " 'trafilatura', 'pyarrow', 'feedparser'}));"
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


# --- usage errors: a bad value on the command line exits 2, not 78 (configuration) -----------


@pytest.mark.parametrize(("args", "said"), [
    (["scrape", "notaurl"], "not an http(s) URL: 'notaurl'"),
    (["scrape", "ftp://x/y"], "not an http(s) URL: 'ftp://x/y'"),
    (["dedup", "in.jsonl", "--field", "bogus=x"], "--field: no field 'bogus'"),
    (["dedup", "in.jsonl", "--field", "titel"], "--field: expected FIELD=KEY"),
    (["dedup", "in.jsonl", "--title-threshold", "de=1.5"], "--title-threshold: title:de must"),
    (["dedup", "in.jsonl", "--title-threshold", "en=high"], "--title-threshold: title thresh"),
    (["dedup", "in.jsonl", "-o", "in.jsonl"], "-o in.jsonl: the output is the input"),
    # It exited 78, a configuration error: the rejects file beside -o is the input.
    (["dedup", "in.rejects.jsonl", "-o", "in.jsonl"], "-o in.jsonl: its rejects file"
     " in.rejects.jsonl is the input"),
    (["crawl", "--since", "soon"], "--since: cannot read 'soon'"),
    (["report", "out", "--until", "later"], "--until: cannot read 'later'"),
    # A span in non-ASCII digits was read as one ("٣d", 3 days); one of 5,000 digits was
    # argparse's "invalid date_value value" (int() raised ValueError).
    (["report", "out", "--since", "\u0663d"], "--since: cannot read '\u0663d' as a date (use"),
    (["crawl", "--since", "9" * 5000 + "d"], "--since: cannot read '999"),
    # export said "since: not an ISO 8601 date or datetime", naming no option and none of
    # the spans (7d) it takes, where crawl and report say both (the acc5 trial).
    (["export", "in.jsonl", "--since", "soon"], "--since: cannot read 'soon' as a date (use"),
    (["stories", "out", "--until", "2026-13-01"], "--until: cannot read '2026-13-01' as a date"),
    (["export", "in.jsonl", "--format", "parquet"], "--format parquet needs a file"),
    (["stories", "out", "--field", "title=headline"], "--field is for a JSONL file"),
    (["scrape", "http://"], "not an http(s) URL: 'http://'"),
    (["crawl", "--since", "2026-11-10", "--until", "2026-11-01"], "--since 2026-11-10T00:00:00Z"
     " is not before --until"),
    # An output inside the output directory read could replace runs.jsonl or a run's records.
    (["stories", "out", "-o", "out/runs.jsonl"], "-o out/runs.jsonl: inside the input"),
    (["export", "out", "--format", "csv", "-o", "out/x.csv"], "-o out/x.csv: inside the input"),
    (["report", "out", "-o", "out/report.html"], "-o out/report.html: inside the input"),
])
def test_a_bad_argument_value_is_a_usage_error(args: list[str], said: str,
                                               tmp_path: Path) -> None:
    for name in ("in.jsonl", "in.rejects.jsonl"):
        (tmp_path / name).write_text('{"url": "https://a.eu/1", "title": "NATO summit"}\n')
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "runs.jsonl").write_text("")  # an output directory, as a crawl left it
    before = (tmp_path / "in.jsonl").read_bytes()
    run = run_cli(*args, cwd=tmp_path)
    assert run.code == 2, run.stderr
    assert run.stderr.startswith(f"policywire: {said}") and run.stderr.count("\n") == 1
    for name in ("in.jsonl", "in.rejects.jsonl"):  # -o the input: left as it was
        assert (tmp_path / name).read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "in.rejects.jsonl",
                                                          "out"]  # no state/


def test_a_window_of_no_days_is_refused_by_the_parser(tmp_path: Path) -> None:
    run = run_cli("dedup", "in.jsonl", "--window-days", "0", cwd=tmp_path)
    assert run.code == 2 and "argument --window-days: must be 1 or more, got 0" in run.stderr


def test_a_threshold_setting_stays_a_configuration_error() -> None:
    # The same check from the Scrapy settings (POLICYWIRE_TITLE_THRESHOLDS) is configuration.
    with pytest.raises(ConfigError) as refused:
        DedupParams.configured(30, ["de=1.5"])
    assert not isinstance(refused.value, UsageError)


# --- topics ---------------------------------------------------------------------------------


@pytest.fixture
def tagged_output(tmp_path: Path) -> Path:
    records = [make_record("a", topics=[TopicMatch(topic="nato-alliances", terms=["NATO"])]),
               make_record("b", topics=[TopicMatch(topic="my-topic", terms=["foozle"])])]
    write_file(tmp_path / "output" / "2024/05/01/records-run1.jsonl", records)
    return tmp_path / "output"


@pytest.mark.parametrize("command", ["stories", "export"])
def test_an_unknown_topic_is_a_usage_error_naming_the_known_ones(
        command: str, tagged_output: Path) -> None:
    # It exited 0 with nothing written and no word of why.
    run = run_cli(command, str(tagged_output), "--topic", "no-such-topic", cwd=tagged_output)
    assert (run.code, run.stdout) == (2, "")
    assert run.stderr.startswith("policywire: --topic: no topic 'no-such-topic' in the bundled")
    assert "nato-alliances, sanctions-export-control" in run.stderr
    assert run.stderr.count("\n") == 1
    run = run_cli(command, str(tagged_output), "--topic", "nato-alliances", cwd=tagged_output)
    assert run.code == 0 and len(run.stdout.splitlines()) == 1  # record or story "a"


def test_a_topic_of_a_lexicon_of_ones_own_is_known_with_topics(tagged_output: Path) -> None:
    lexicon = tagged_output.parent / "mine.toml"
    lexicon.write_text('extends = "bundled"\n[topics.my-topic]\nlabel = "Mine"\n'
                       'en = ["foozle"]\n', encoding="utf-8")
    refused = run_cli("export", str(tagged_output), "--topic", "my-topic", cwd=tagged_output)
    assert refused.code == 2 and "--topics FILE" in refused.stderr
    run = run_cli("export", str(tagged_output), "--topic", "my-topic", "--topics", str(lexicon),
                  cwd=tagged_output)
    assert run.code == 0, run.stderr
    assert [json.loads(line)["id"] for line in run.stdout.splitlines()] == ["b"]


# --- crawls of nothing ----------------------------------------------------------------------


def test_a_crawl_with_every_source_disabled_is_a_configuration_error(tmp_path: Path) -> None:
    # As enqueue: it exited 0 having crawled nothing, which cron took for a good night.
    (tmp_path / "off.toml").write_text('[[sources]]\nname = "a"\nurl = "https://a.eu/feed"\n'
                                       'enabled = false\n', encoding="utf-8")
    run = run_cli("crawl", "--sources", "off.toml", cwd=tmp_path)
    assert run.code == 78 and run.stderr == "policywire: no enabled source in off.toml\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["off.toml"]


# --- a reader that stops early --------------------------------------------------------------


@pytest.mark.parametrize("args", [["dedup", "in.jsonl"], ["dedup", "in.jsonl", "-o", "-"],
                                  ["export", "in.jsonl", "-o", "-"],
                                  ["export", "in.jsonl", "--format", "csv"],
                                  ["stories", "in.jsonl", "-o", "-"]])
def test_a_closed_stdout_ends_quietly_with_141(args: list[str], tmp_path: Path) -> None:
    # `policywire export ... | head -1` printed "policywire: Broken pipe" and exited 74.
    rows = (json.dumps({"url": f"https://a.eu/{n}", "title": f"Headline {n} on thing {n * 7}",
                        "story_id": f"s{n}"}) for n in range(3000))
    (tmp_path / "in.jsonl").write_text("".join(row + "\n" for row in rows), encoding="utf-8")
    with subprocess.Popen([sys.executable, "-m", "crawler.cli", *args], cwd=tmp_path,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.readline()  # like head -1: one line, then the pipe is closed
        proc.stdout.close()
        stderr = proc.stderr.read().decode()
        assert proc.wait(timeout=60) == 141  # as a filter SIGPIPE stopped: the output was cut
    assert stderr == ""  # neither "Broken pipe" nor Python's "Exception ignored ..."


def test_ctrl_c_outside_a_crawl_is_one_line_and_130(tmp_path: Path) -> None:
    # dedup waiting on stdin, then Ctrl-C: a KeyboardInterrupt traceback before.
    # A run started in the background (`cmd &`) ignores SIGINT, and an ignored signal stays
    # ignored across exec: the child would ignore it too. Handled here while the child
    # starts, it is the default there (exec resets handled signals), as under a terminal.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "dedup", "-", "-o",
                                 str(tmp_path / "o.jsonl")], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    finally:
        signal.signal(signal.SIGINT, previous)
    wait_blocked_in_read(proc.pid)  # past the imports, however loaded the machine
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert err.decode().splitlines() == ["policywire: interrupted"]


def test_ctrl_c_to_the_process_group_is_one_line_from_every_process(tmp_path: Path) -> None:
    # A terminal's Ctrl-C reaches the whole process group: the worker that reads and
    # prepares dedup's input printed its own KeyboardInterrupt traceback ("Process
    # policywire-dedup-prepare: ...") before the parent's one line.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "dedup", "-", "-o",
                                 str(tmp_path / "o.jsonl")], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
                                start_new_session=True)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert proc.stdin is not None
    for number in range(20):
        proc.stdin.write(json.dumps({"url": f"https://news.example/{number}",
                                     "title": f"Headline number {number} of the day"}
                                    ).encode() + b"\n")
    proc.stdin.flush()  # kept open: the input's worker waits for more
    children = _children(proc.pid, at_least=2)  # the stories' process and the input's
    for pid in (proc.pid, *children):
        wait_blocked_in_read(pid)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert err.decode().splitlines() == ["policywire: interrupted"]


def _children(pid: int, at_least: int, timeout: float = 60.0) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [int(child) for task in Path(f"/proc/{pid}/task").iterdir()
                 for child in (task / "children").read_text().split()]
        if len(found) >= at_least:
            return found
        time.sleep(0.05)
    raise AssertionError(f"process {pid} never had {at_least} children")


#: read(2) and readv(2) by machine.
_READ_CALLS = {"x86_64": {"0", "19"}, "aarch64": {"63", "65"}}


def wait_blocked_in_read(pid: int, timeout: float = 60.0) -> None:
    """Until the process waits in a read(2) or readv(2) of a pipe or socket (Linux:
    /proc/PID/syscall starts with the call's number, then the file descriptor; dedup's
    batches are read with readv, crawler.dedup.pipes): past its imports. A fixed sleep raced
    the imports on a loaded machine, and so did any read, as an import's read of a module
    file is one too (CI caught the interrupt there once)."""
    proc = Path(f"/proc/{pid}")
    reads = _READ_CALLS.get(platform.machine(), {"0", "19"})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            call = (proc / "syscall").read_text().split()[:2]
            waits_on_input = (call[:1] and call[0] in reads and len(call) == 2
                           and os.readlink(proc / "fd" / str(int(call[1], 16)))
                           .startswith(("pipe:", "socket:")))
        except (OSError, ValueError):
            waits_on_input = False
        if waits_on_input:
            return
        time.sleep(0.05)
    raise AssertionError(f"process {pid} never blocked in a read")

