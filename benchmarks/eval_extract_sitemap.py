"""Extraction quality the way issue 21's hidden evaluation measures it: a one-off
``policywire scrape`` of a sitemap of labelled pages, scored on the records it writes.

The 166 pages of ``../shared/data/pages`` are served on loopback, each under its own host and
path (``/www.example.de/2020/01/a.html``: a URL's date stays in its path), listed in one
sitemap without dates; the records' title, date (day) and text are scored as
``eval_extract.py`` scores ``extract_page``, over all pages and per half. What this adds: the
record pipeline between extraction and output (the sitemap entry, headline stripping against
the record's title, the future-date check), and the real command.

    python benchmarks/eval_extract_sitemap.py [--data ../shared/data/pages] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import escape

# Run as a script from the repository's root, the package `benchmarks` is not on the path.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import eval_extract as labels
from benchmarks.eval_extract import Score, default_data, local_day, pages, score_page
from crawler.normalize import canonical_url


def served_path(url: str) -> str:
    """Where a labelled page is served: its host and path (labels of pages without a URL
    get one from their key)."""
    parts = urlsplit(url.strip())
    if not parts.netloc:
        return "/pages/" + "".join(c if c.isalnum() or c in ".-" else "-" for c in url)
    return f"/{parts.netloc}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")


@contextmanager
def serve(routes: dict[str, bytes]) -> Iterator[str]:
    """The routes and ``/sitemap.xml`` listing them, on a loopback port; yields the base."""
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/sitemap.xml":
                base = f"http://127.0.0.1:{self.server.server_address[1]}"
                locs = "".join(f"<url><loc>{escape(base + path)}</loc></url>" for path in routes)
                body, kind = (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.'
                              f'sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>').encode(), \
                    "application/xml"
            elif (path := _route(self.path, routes)) is not None:
                body, kind = routes[path], "text/html; charset=utf-8"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _route(asked: str, routes: dict[str, bytes]) -> str | None:
    """The route a request asks for: as it came (a label's URL that is itself
    percent-encoded, "mercurial%27s-journey"), else decoded (the scraper encodes an umlaut
    in a file's name as UTF-8 percent escapes), else the one whose canonical form it is (the
    crawl asked for "spip.php?article8532" as "spip.php?article8532=" before it kept a bare
    query key bare)."""
    found = next((path for path in (asked, unquote(asked)) if path in routes), None)
    if found is None:
        wanted = canonical_url(f"http://mirror{asked}")
        found = next((path for path in routes if canonical_url(f"http://mirror{path}") == wanted),
                     None)
    return found


def evaluate(data: Path, hand: labels.DateScore | None = None) -> dict[str, Score]:
    """Scores of the scraped records, keyed ``all`` and by half; pages without a record
    count as empty (no title, no date, no text). ``hand``: given, the records' dates are
    also scored against ``benchmarks/data/page_dates.jsonl``."""
    labelled = {served_path(url): (half, label, markup) for half, url, label, markup
                in pages(data)}
    routes = {path: markup.encode("utf-8") for path, (_, _, markup) in labelled.items()}
    with serve(routes) as base, tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "records.jsonl"
        env = {**os.environ, "POLICYWIRE_ALLOW_PRIVATE_ADDRESSES": "1"}
        subprocess.run([sys.executable, "-m", "crawler.cli", "scrape", f"{base}/sitemap.xml",
                        "-o", str(out), "--output-dir", str(Path(tmp) / "o"), "-q"],
                       env=env, check=False)
        lines = out.read_text(encoding="utf-8").splitlines() if out.exists() else []
        records = {canonical_url(r["url"]): r for r in map(json.loads, lines)}
        scores: dict[str, Score] = {}
        for path, (half, label, _) in labelled.items():
            record = records.get(canonical_url(base + path), {})
            for group in ("all", half):
                score_page(scores.setdefault(group, Score()), label, record.get("title"),
                           local_day(record.get("published"), record.get("published_raw")),
                           record.get("text") or "")
        for want in labels.page_date_labels() if hand is not None else ():
            record = records.get(canonical_url(base + served_path(str(want["url"]))), {})
            hand.add(str(want["url"]), want["date"], local_day(
                record.get("published"), record.get("published_raw")) or None)
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_data())
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    hand = labels.DateScore()
    rows = {group: score.row() for group, score in evaluate(args.data, hand).items()}
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"{'group':<20} {'pages':>5} {'title':>6} {'date':>6} {'with':>6} {'without':>8} "
          f"{'body':>6}")
    for group in sorted(rows, key=lambda g: (g != "all", g)):
        row = rows[group]
        print(f"{group:<20} {row['pages']:5.0f} {row['title']:6.3f} {row['date']:6.3f} "
              f"{row['with']:6.3f} {row['without']:8.3f} {row['body']:6.3f}")
    labels.print_page_dates({"policywire": hand}, misses=True)


if __name__ == "__main__":
    main()
