"""A loopback HTTP server for the fixture site: real sockets, real HTTP, no internet.

Serves ``tests/fixtures/site`` with ``{{BASE}}`` replaced by the server's own base URL;
``/missing.html`` answers 404 and ``/error.html`` 500. Extra routes can be registered by tests
(status, headers, body) for the fault cases.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
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

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


def _handler(site: FixtureSite) -> Callable[..., BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            site.hits[path] = site.hits.get(path, 0) + 1
            if site.article_delay and path.startswith("/articles/"):
                time.sleep(site.article_delay)
            site.requests.setdefault(path, []).append(dict(self.headers.items()))
            if self._not_modified(path):
                self.send_response(304)
                self.send_header("ETag", site.etags[path])
                self.end_headers()
                return
            route = site.routes.get(path) or self._static(path)
            if path in site.etags:
                route = Route(route.status, route.body, {**route.headers, "ETag": site.etags[path]})
            self.send_response(route.status)
            for name, value in route.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

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
