"""A loopback HTTP server for the fixture site: real sockets, real HTTP, no internet.

Serves ``tests/fixtures/site`` with ``{{BASE}}`` replaced by the server's own base URL;
``/missing.html`` answers 404 and ``/error.html`` 500. Extra routes can be registered by tests
(status, headers, body) for the fault cases, and a route can misbehave on the wire: announce a
wrong ``Content-Length``, drip its body a byte at a time, or reset the connection mid-body.
``scripts`` answer a path with a different route on each hit (503, 503, then 200).
The helpers at the bottom build hostile routes: gzip (whole, truncated, a bomb) and redirects.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SITE = Path(__file__).parent / "fixtures" / "site"
_TYPES = {
    ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".xml": "application/xml",
    ".html": "text/html",
    ".json": "application/json",
    ".gz": "application/gzip",
}


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    #: the Content-Length to announce instead of the body's real length (a lying server); the
    #: connection is closed after the body.
    content_length: int | None = None
    #: seconds to wait before each byte of the body (a slow-drip server).
    drip: float = 0.0
    #: reset the connection (TCP RST) after sending this many bytes of the body.
    reset_after: int | None = None
    #: each hit waits here before it is answered (a barrier of 2: the first hit is held until
    #: a second one has arrived, to make two clients' requests overlap).
    hold: threading.Barrier | None = None


@dataclass
class FixtureSite:
    root: Path
    routes: dict[str, Route] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)
    base: str = ""
    #: path -> ETag the server sends and honours with 304 on If-None-Match.
    etags: dict[str, str] = field(default_factory=dict)
    #: paths whose server answers 304 to any If-None-Match, changed or not (a lying server).
    lying: set[str] = field(default_factory=set)
    #: seconds to wait before answering an article page (to widen crash windows in tests).
    article_delay: float = 0.0
    #: request headers seen, per path, in order.
    requests: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    #: (time.monotonic(), path) of every request, in arrival order.
    arrivals: list[tuple[float, str]] = field(default_factory=list)
    #: every request's target as sent (path and query), in arrival order.
    targets: list[str] = field(default_factory=list)
    #: path -> routes answered in turn, one per hit; the last one answers every later hit.
    scripts: dict[str, list[Route]] = field(default_factory=dict)
    #: path -> called on each hit before the answer (a fault of another service injected
    #: mid-crawl, at a known point: a Redis stopped once the feed is asked for).
    on_hit: dict[str, Callable[[], object]] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


def _handler(site: FixtureSite) -> Callable[..., BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            site.hits[path] = site.hits.get(path, 0) + 1
            site.arrivals.append((time.monotonic(), path))
            site.targets.append(self.path)
            if site.article_delay and path.startswith("/articles/"):
                time.sleep(site.article_delay)
            site.requests.setdefault(path, []).append(dict(self.headers.items()))
            if path in site.on_hit:
                site.on_hit[path]()
            if self._not_modified(path):
                self.send_response(304)
                self.send_header("ETag", site.etags[path])
                self.end_headers()
                return
            route = self._scripted(path) or site.routes.get(path) or self._static(path)
            if path in site.etags:
                route = replace(route, headers={**route.headers, "ETag": site.etags[path]})
            if route.hold is not None:
                with contextlib.suppress(threading.BrokenBarrierError):  # timed out: .broken
                    route.hold.wait()
            self.send_response(route.status)
            for name, value in route.headers.items():
                self.send_header(name, value)
            length = len(route.body) if route.content_length is None else route.content_length
            self.send_header("Content-Length", str(length))
            self.end_headers()
            self._send_body(route)

        def _scripted(self, path: str) -> Route | None:
            script = site.scripts.get(path)
            if not script:
                return None
            return script[min(site.hits[path], len(script)) - 1]

        def _send_body(self, route: Route) -> None:
            body = route.body if route.reset_after is None else route.body[:route.reset_after]
            try:
                if route.drip:
                    for index in range(len(body)):
                        time.sleep(route.drip)
                        self.wfile.write(body[index:index + 1])
                else:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client gave up: stop dripping
                return
            if route.reset_after is not None:
                self._reset()
            elif route.content_length is not None:
                self.close_connection = True  # what follows the announced length is garbage

        def _reset(self) -> None:
            """Close with SO_LINGER 0: the peer gets a TCP RST, not an orderly FIN."""
            self.close_connection = True
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            # Close the descriptor now: the socket object's own close would wait for its
            # reader and writer files and send a FIN (shutdown_request) first.
            os.close(self.connection.detach())

        def _not_modified(self, path: str) -> bool:
            sent = self.headers.get("If-None-Match")
            if sent is None or path not in site.etags:
                return False
            return path in site.lying or sent == site.etags[path]

        def _static(self, path: str) -> Route:
            if path == "/missing.html":
                return Route(404, b"<html><body>Not found</body></html>",
                             {"Content-Type": "text/html"})
            if path == "/error.html":
                return Route(500, b"<html><body>Server error</body></html>",
                             {"Content-Type": "text/html"})
            file = (site.root / path.lstrip("/")).resolve()
            if path == "/":
                file = site.root / "index.html"
            if not file.is_file() or site.root.resolve() not in file.parents:
                return Route(404, b"not found", {"Content-Type": "text/plain"})
            body = file.read_bytes().replace(b"{{BASE}}", site.base.encode())
            ctype = _TYPES.get(file.suffix, "application/octet-stream")
            if file.suffix == ".html" and b"windows-1252" in body[:2048]:
                ctype = "text/html"  # let the page's own meta charset speak
            return Route(200, body, {"Content-Type": ctype})

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output clean

    return Handler


def serve(root: Path = SITE) -> tuple[FixtureSite, ThreadingHTTPServer]:
    site = FixtureSite(root=root)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return site, server


def gzip_route(body: bytes, content_type: str = "application/rss+xml",
               keep: float = 1.0) -> Route:
    """``body`` gzip-compressed with ``Content-Encoding: gzip``; ``keep`` < 1 truncates the
    compressed stream (the announced length matches what is sent: a well-framed, torn gzip)."""
    packed = gzip.compress(body, mtime=0)
    return Route(200, packed[:int(len(packed) * keep)],
                 {"Content-Type": content_type, "Content-Encoding": "gzip"})


def gzip_bomb(size: int, content_type: str = "application/rss+xml") -> Route:
    """``size`` zero bytes, gzip-compressed (about 1000:1) without ever holding them whole."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = bytes(1 << 20)
    parts = [packer.compress(chunk) for _ in range(size // len(chunk))]
    parts += [packer.compress(bytes(size % len(chunk))), packer.flush()]
    return Route(200, b"".join(parts),
                 {"Content-Type": content_type, "Content-Encoding": "gzip"})


def redirect(location: str, status: int = 302) -> Route:
    return Route(status, b"", {"Location": location})


def big_feed(base: str, count: int) -> Route:
    """An RSS feed of ``count`` entries listing its oldest first (some archive feeds do), a
    minute apart, each linking to ``/big/<n>.html``."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    items = "".join(
        f"<item><title>Sanctions update number {i}</title>"
        f"<link>{base}/big/{i}.html</link><guid>big-{i}</guid>"
        f"<pubDate>{format_datetime(start + timedelta(minutes=i))}</pubDate></item>"
        for i in range(count))
    body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>'
            f"<link>{base}/</link>{items}</channel></rss>").encode()
    return Route(200, body, {"Content-Type": "application/rss+xml"})


def pageless_feed(site: FixtureSite, path: str, pages: str, count: int = 3) -> str:
    """Serve at ``path`` an RSS feed of ``count`` dated entries whose links lie below
    ``pages`` (a closed port: no page can be fetched); its URL."""
    items = "".join(f"<item><title>Talks resume in round {n}</title><link>{pages}/a{n}.html"
                    f"</link><pubDate>Mon, 0{n} Dec 2026 10:00:00 GMT</pubDate></item>"
                    for n in range(1, count + 1))
    site.routes[path] = Route(
        body=f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode(),
        headers={"Content-Type": "application/rss+xml"})
    return site.url(path)


def feed_source(site: FixtureSite, folder: Path, path: str, items: str) -> Path:
    """Serve an RSS feed of ``items`` (``<item>`` elements) at ``path`` and write
    ``folder/s.toml``, a sources file of one source ("ministry") reading it."""
    site.routes[path] = Route(
        200, f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode(),
        {"Content-Type": "application/rss+xml"})
    sources = folder / "s.toml"
    sources.write_text(f'[[sources]]\nname = "ministry"\nurl = "{site.url(path)}"\n',
                       encoding="utf-8")
    return sources
