"""A cron operator reads one line: which sources failed, and why each did, without opening
the rejects file."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli
from tests.redisrv import free_port
from tests.sitesrv import FixtureSite


def test_the_last_line_names_each_failed_sources_cause(fresh_site: FixtureSite,
                                                       tmp_path: Path) -> None:
    # Before: "nothing but rejects from s0, s1, s2; rejects download_error 2, http_error 1":
    # which source failed how, only the rejects file said.
    urls = [fresh_site.url("/missing.rss"), "http://policywire-test.invalid/feed.xml",
            f"http://127.0.0.1:{free_port()}/feed.xml",
            fresh_site.url("/feeds/rss20.rss").replace("http:", "https:"),  # TLS to plain HTTP
            fresh_site.url("/feeds/rss20.rss")]
    (tmp_path / "sources.toml").write_text(
        "".join(f'[[sources]]\nname = "s{i}"\nurl = "{url}"\nkind = "feed"\n\n'
                for i, url in enumerate(urls)), encoding="utf-8")
    common = ["crawl", "--sources", "sources.toml", "--output-dir", "out", "--state-dir", "st"]
    run = run_cli(*common, "-q", cwd=tmp_path)
    assert run.code == 1
    [line] = run.stderr.splitlines()
    assert ("nothing but rejects from s0 (HTTP 404), s1 (DNS lookup failed),"
            " s2 (connection refused), s3 (TLS handshake failed); gave up on host ") in line
    as_json = run_cli(*common, "-q", "--log-format", "json", cwd=tmp_path)
    said = json.loads(as_json.stderr.splitlines()[-1])
    assert said["failed_sources"] == ["s0", "s1", "s2", "s3"]
    assert said["failed_causes"] == {"s0": "HTTP 404", "s1": "DNS lookup failed",
                                     "s2": "connection refused", "s3": "TLS handshake failed"}


def test_with_json_logs_a_run_that_cannot_start_says_why_in_json(tmp_path: Path) -> None:
    # systemd's ExecStart (docs/operations.md) logs JSON lines; a bad sources file, a missing
    # one or a held lock ended with a plain "policywire: ..." line among them.
    (tmp_path / "bad.toml").write_text('[[sources]]\nname = "x"\nurl = "http://a.example/"\n'
                                       "bogus = 1\n", encoding="utf-8")
    for sources, code in (("bad.toml", 78), ("none.toml", 66)):
        run = run_cli("crawl", "--log-format", "json", "--sources", sources, cwd=tmp_path)
        assert run.code == code
        [line] = run.stderr.splitlines()
        said = json.loads(line)
        assert (said["level"], said["exit_code"]) == ("error", code)
        assert said["message"].startswith(sources)
    text = run_cli("crawl", "--sources", "bad.toml", cwd=tmp_path)
    assert text.stderr.startswith("policywire: bad.toml:line 4: unknown key 'bogus'")


def test_a_torn_last_line_of_runs_jsonl_stops_the_crawl_not_its_manifest(
        site: FixtureSite, tmp_path: Path) -> None:
    # runs.jsonl cut short by something else than a crawl (a copy or a restore cut off, an
    # editor): the next crawl appended its manifest to the torn line, one corrupt line of
    # both, and stats, the dead-after streaks and the last line lost that run, silently.
    (tmp_path / "sources.toml").write_text(
        f'[[sources]]\nname = "rss"\nurl = "{site.url("/feeds/rss20.rss")}"\nkind = "feed"\n',
        encoding="utf-8")
    common = ["crawl", "-q", "--sources", "sources.toml", "--output-dir", "out",
              "--state-dir", "st"]
    assert run_cli(*common, cwd=tmp_path).code == 0
    runs = tmp_path / "out" / "runs.jsonl"
    with runs.open("ab") as handle:
        handle.write(b'{"run_id": "x", "sta')
    torn = runs.read_bytes()
    refused = run_cli(*common, cwd=tmp_path)
    assert refused.code == 65
    assert refused.stderr == (f"policywire: {Path('out') / 'runs.jsonl'}:2: corrupt line in an"
                              " output file (no newline at its end); move the file away or"
                              " repair that line, then run again\n")
    assert runs.read_bytes() == torn
    runs.write_bytes(torn[:torn.rindex(b"\n") + 1])  # repaired: the crawl goes on
    assert run_cli(*common, cwd=tmp_path).code == 0
    assert [json.loads(line)["exit_code"] for line in runs.read_text().splitlines()] == [0, 0]


def test_stats_says_which_line_of_runs_jsonl_it_could_not_read(tmp_path: Path) -> None:
    # A corrupt line in runs.jsonl was skipped without a word: its run vanished from the
    # counts, the failing streaks and the report.
    out = tmp_path / "out"
    out.mkdir()
    good = {"run_id": "r1", "started": "2026-12-01T00:00:00Z", "exit_code": 0,
            "sources": {"a": {"records": 1, "rejects": 0}}}
    (out / "runs.jsonl").write_text(json.dumps(good) + "\n{not json\n", encoding="utf-8")
    run = run_cli("stats", "out", "--json", cwd=tmp_path)
    assert run.code == 0
    assert f"{Path('out') / 'runs.jsonl'}:2: skipping an unreadable line" in run.stderr
