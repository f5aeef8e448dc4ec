"""What a failure to fetch or read a page says of itself: its description (a record's
``page_error``, a reject's detail), the reject reason code it maps to, and whether it counts
as a page not fetched. Spiders write these descriptions; records, the merge and the report
read them.
"""

from __future__ import annotations

import re

from crawler.errors import StateError, StateUnavailable


def error_code(page_error: str) -> str:
    """The reject reason code of a fetch failure description."""
    for prefix, code in _CODES:
        if page_error.startswith(prefix):
            return code
    return "robots_disallowed" if "Forbidden by robots.txt" in page_error else "download_error"


#: A failure's description names the exception's class first (failure_reason): these are our
#: state's (the scale-out pacer's Redis), not the site's.
_STATE_FAULTS = tuple(f"{fault.__name__}: " for fault in (StateError, StateUnavailable))
#: (how a failure's description starts, its reason code), tried in order.
_CODES = (("http_", "http_error"), ("private_address", "private_address"),
          ("not_html", "not_html"), ("extraction_failed", "extraction_failed"),
          ("extract_timeout", "extract_timeout"),
          *((fault, "state_unavailable") for fault in _STATE_FAULTS))


# Failures Twisted raises without a message, and what they mean.
_QUIET_FAILURES = {
    "ResponseDataLossError": "the connection closed before the announced Content-Length",
    "ResponseFailed": "the connection failed while the response was read",
    "ConnectionLost": "the connection was lost",
}


def exception_reason(exception: BaseException) -> str:
    """``<ExceptionName>: <message>``, a quiet exception's meaning for its message."""
    name = type(exception).__name__
    message = str(exception).strip() or _QUIET_FAILURES.get(name, "no detail given")
    return f"{name}: {message}"[:300]


# A request not sent because its host failed to connect earlier in the run
# (crawler.giveup): the failure's own words first, so its reject code and cause stay the same.
_GIVEN_UP = re.compile(r"; host (\S+) given up for this run, not tried again$")


def given_up(reason: str, host: str) -> str:
    """The ``page_error`` (or reject detail) of a page not fetched: its host was given up."""
    return f"{reason}; host {host} given up for this run, not tried again"


def given_up_host(detail: str | None) -> str | None:
    """The host a :func:`given_up` detail names; None for any other failure."""
    found = _GIVEN_UP.search(detail) if detail else None
    return found.group(1) if found else None


# Page errors that are the site's choice, not a failure to fetch: a run would fail for them
# every time, with nothing the operator could mend.
_NOT_FAILURES = frozenset({"robots_disallowed", "not_html"})


def fetch_failed(page_error: str | None) -> bool:
    """Whether a record's ``page_error`` is a page that could not be fetched or read (DNS,
    TLS, HTTP errors, timeouts), not one robots.txt forbids or that is no HTML page."""
    return page_error is not None and error_code(page_error) not in _NOT_FAILURES


# Page errors that are the page's own, the same on every fetch: not fetched again
# (crawler.pageretry). Robots.txt's and a private address's answers are the site's choice.
_THE_PAGES_OWN = frozenset({"not_html", "extraction_failed", "extract_timeout",
                            "robots_disallowed", "private_address", "state_unavailable"})


def worth_retrying(page_error: str) -> bool:
    """Whether a later run may fetch the page: it failed to download (an HTTP error, a
    timeout, DNS, a refused connection, its host given up for the run), which an outage or
    a page announced before it was live explains. Not one that redirected off its source
    (``offsite``), is no HTML page, or could not be extracted: those answer the same again."""
    return not page_error.startswith("offsite:") and error_code(page_error) not in _THE_PAGES_OWN
