"""The downloader middleware that fetches a URL carrying credentials
(``https://user:pass@host/feed.xml``, as a sources file may give a private feed): Twisted
refuses such a URL ("invalid hostname: user:pass@host"), so the credentials go in an
``Authorization: Basic`` header and the request goes to the URL without them. Its response's
URL, and so every record, log line and reject naming it, carries none (:mod:`crawler.redact`
covers what else may quote the original). Scrapy's redirect middleware drops the header on
a redirect to another scheme, host or port: the credentials reach only the host they name.
"""

from __future__ import annotations

from base64 import b64encode
from urllib.parse import unquote, urlsplit, urlunsplit

from scrapy import Request


class UrlCredentialsMiddleware:
    """First of the downloader middlewares: the requests after it never see userinfo."""

    def process_request(self, request: Request) -> Request | None:
        parts = urlsplit(request.url)
        if "@" not in parts.netloc:
            return None
        public = urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
        headers = request.headers.copy()
        # One the source set itself wins; an empty userinfo ("http://@host/") names no one.
        if b"Authorization" not in headers and (parts.username or parts.password):
            pair = f"{unquote(parts.username or '')}:{unquote(parts.password or '')}"
            headers[b"Authorization"] = b"Basic " + b64encode(pair.encode())
        return request.replace(url=public, headers=headers)


__all__ = ["UrlCredentialsMiddleware"]
