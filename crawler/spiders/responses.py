"""What a response is: its kind (feed, sitemap or page), content type, headers, a gzip file
unpacked, and why a request failed, in words a reject can carry."""

from __future__ import annotations

import html

from scrapy.http import Response, TextResponse
from scrapy.utils.gz import gunzip as _gunzip
from twisted.python.failure import Failure

from crawler.errors import ExtractionTimeout
from crawler.failures import exception_reason
from crawler.giveup import HostGivenUp
from crawler.jsonfeed import is_json_feed
from crawler.middlewares import PrivateAddressRefused
from crawler.sitemaps import is_sitemap
from crawler.sources import Kind

_GZIP_MAGIC = b"\x1f\x8b"


def detect(response: Response) -> Kind:
    ctype = content_type(response)
    head = response.body[:4096].lstrip().lower()
    if is_sitemap(response.body):
        return "sitemap"
    if any(m in head for m in (b"<rss", b"<feed", b"<rdf:rdf", b"<channel")):
        return "feed"
    if is_json_feed(response.body) or "feed+json" in ctype:
        return "feed"
    if "html" in ctype or head.startswith((b"<!doctype html", b"<html")):
        return "page"
    if "xml" in ctype or "rss" in ctype or "atom" in ctype:
        return "feed"
    return "auto"


def gunzipped(response: Response, max_size: int) -> Response:
    """A gzip file served as such (``sitemap.xml.gz`` as ``application/gzip``, without
    Content-Encoding, so Scrapy left it packed), unpacked; any other response as it is.
    Unpacked at most to ``DOWNLOAD_MAXSIZE``, as Scrapy's own decoding is: a gzip bomb is
    refused, never inflated whole."""
    if not response.body.startswith(_GZIP_MAGIC):
        return response
    limit = response.meta.get("download_maxsize", max_size)
    return response.replace(body=_gunzip(response.body, max_size=limit))


def content_type(response: Response) -> str:
    raw = response.headers.get(b"Content-Type") or b""
    return raw.decode("latin-1").lower()


def page_markup(response: TextResponse) -> str:
    """An article page's markup for extraction: a plain-text page (``text/plain``, which a
    browser shows in a ``<pre>``) wrapped so, whose body trafilatura then keeps (before:
    none found, "parsed tree length: 0" logged as an error, the record's text null)."""
    if content_type(response).startswith("text/plain"):
        return f"<html><body><pre>{html.escape(response.text, quote=False)}</pre></body></html>"
    return response.text


def failure_reason(failure: Failure) -> str:
    """``http_<status>``, ``private_address: ...``, ``<ExceptionName>: <message>``, or for a
    host given up, its failure's reason naming the host (:func:`crawler.failures.given_up`)."""
    response = getattr(failure.value, "response", None)
    if response is not None:
        return f"http_{response.status}"
    if isinstance(failure.value, PrivateAddressRefused):
        return f"private_address: {failure.getErrorMessage()}"
    if isinstance(failure.value, HostGivenUp):
        return failure.getErrorMessage()
    return exception_reason(failure.value) if failure.value is not None else "no detail given"


def header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


#: Redirects that say the resource has a new URL for good (RFC 9110 15.4.2, RFC 9111 15.4.9).
PERMANENT_REDIRECTS = frozenset({301, 308})


def moved_to(response: Response) -> str | None:
    """The URL the first redirects of ``response``'s request sent it to for good: the end
    of the unbroken run of permanent ones (301, 308) from the URL asked for; ``None`` when
    the first was temporary (302, 307: the source's URL stays right) or there was none."""
    hops = [*response.meta.get("redirect_urls", ()), response.url]
    reasons = response.meta.get("redirect_reasons", ())
    permanent = 0
    while permanent < len(reasons) and reasons[permanent] in PERMANENT_REDIRECTS:
        permanent += 1
    return str(hops[permanent]) if permanent else None


def extract_failure(exc: BaseException) -> str:
    """``<ExceptionName>: <message>`` of a page whose extraction raised (a bug met by a page
    no test foresaw), the detail of an ``extraction_failed`` reject: the class names the bug."""
    return f"{type(exc).__name__}: {exc}"


def unparsed(exc: Exception, kind: str, url: str) -> tuple[str, str]:
    """The reject reason code and detail of a feed, a sitemap or a page source's page whose
    parse took too long (``extract_timeout``), killed its worker twice
    (:class:`~crawler.errors.ExtractionCrashed`) or raised. The last two are an article page's
    ``extraction_failed`` (:func:`extract_failure`) naming what was parsed, as the detail is
    read alone: in a log line, a mail, ``policywire stats``' ``latest_error``."""
    if isinstance(exc, ExtractionTimeout):
        return "extract_timeout", str(exc)
    return "extraction_failed", f"{type(exc).__name__}: parsing the {kind} {url}, {exc}"
