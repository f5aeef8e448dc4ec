"""One feed of ``--entries`` entries (100,000 by default) crawled twice by the real CLI.

The feed is served from loopback (``tests/sitesrv.py``) with an ETag, answered 304 when sent
back, each article a small page. Prints, per run, the wall time, the exit code, the source's
counts from ``runs.jsonl`` (records, capped, rejects, not_modified), the reject lines
written so far and the peak resident set of any process so far. ``--max-requests`` and
``--max-entries`` go into the sources file: a small budget keeps the politeness delay
(0.25 s a page) from dominating.

    python benchmarks/bench_big_feed.py [--entries 100000] [--max-requests 10]
                                        [--max-entries 9] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Run as a script from the repository's root, the package `benchmarks` is not on the path.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests import sitesrv

ETAG = '"big-1"'
ARTICLE = (b"<html><head><title>Council meets on sanctions</title></head><body><h1>Council"
           b" meets on sanctions</h1><p>" + b"The council met. " * 30 + b"</p></body></html>")


def feed(base: str, count: int) -> bytes:
    items = "".join(
        f"<item><title>Sanctions update {i}</title><link>{base}/a/{i}</link><guid>g{i}</guid>"
        f"<pubDate>Thu, 01 Jan 2026 {i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i % 60:02d} GMT"
        "</pubDate></item>" for i in range(count))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>'
            f"<link>{base}/</link>{items}</channel></rss>").encode()


@contextmanager
def serve(count: int) -> Iterator[str]:
    """The feed at ``/feed.rss`` (ETag honoured) and each of its articles, on loopback."""
    site, server = sitesrv.serve()
    article = sitesrv.Route(200, ARTICLE, {"Content-Type": "text/html; charset=utf-8"})
    site.routes = {f"/a/{i}": article for i in range(count)}
    site.routes["/feed.rss"] = sitesrv.Route(200, feed(site.base, count),
                                             {"Content-Type": "application/rss+xml"})
    site.etags["/feed.rss"] = ETAG
    try:
        yield site.base
    finally:
        server.shutdown()
        server.server_close()


def crawl(folder: Path, sources: Path) -> dict[str, object]:
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "crawl", "-q", "--sources", str(sources),
         "--output-dir", str(folder / "out"), "--state-dir", str(folder / "state")],
        capture_output=True, text=True, check=False,
        env={**os.environ, "POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": "1"})
    seconds = time.perf_counter() - started
    runs = (folder / "out" / "runs.jsonl").read_text(encoding="utf-8").splitlines()
    counts = json.loads(runs[-1])["sources"].get("big", {})
    rejects = sum(len(p.read_text(encoding="utf-8").splitlines())
                  for p in (folder / "out").rglob("rejects-*.jsonl"))
    # The largest resident set of any process run so far (the crawl's main process or an
    # extraction worker): what the feed's parsed entries cost where they are held.
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    return {"seconds": round(seconds, 1), "exit": proc.returncode, "stderr": proc.stderr[-300:],
            "counts": counts, "reject_lines_so_far": rejects, "peak_rss_mib_so_far": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--max-requests", type=int)
    parser.add_argument("--max-entries", type=int)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, serve(args.entries) as base:
        folder = Path(tmp)
        sources = folder / "sources.toml"
        limits = "".join(f"{key} = {value}\n" for key, value in (
            ("max_requests", args.max_requests), ("max_entries", args.max_entries)) if value)
        sources.write_text(f'[[sources]]\nname = "big"\nurl = "{base}/feed.rss"\n{limits}',
                           encoding="utf-8")
        runs = [crawl(folder, sources) for _ in range(2)]
    if args.json:
        print(json.dumps({"entries": args.entries, "runs": runs}))
        return
    for number, run in enumerate(runs, 1):
        print(f"run {number}: {run['seconds']} s, exit {run['exit']}, {run['counts']}, "
              f"reject lines so far {run['reject_lines_so_far']}, "
              f"peak RSS so far {run['peak_rss_mib_so_far']} MiB")


if __name__ == "__main__":
    main()
