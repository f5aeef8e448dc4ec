"""Secrets in URLs: credentials a sources file may carry (``https://user:pass@host/feed``,
``?token=...``), kept out of everything policywire writes or prints.

A private feed's URL is the only place many services put its key, so the crawl must use
it; but records, rejects, ``runs.jsonl``, the state, log lines and the report are read by
others (analysts, a log shipper, a web server), and a password copied there is leaked for
good. The fetch takes the user name and password from the URL as an ``Authorization:
Basic`` header (:mod:`crawler.middlewares`); what is written shows the URL without them, and
with the values of the query keys below replaced by ``REDACTED``.

Pure functions on strings: for a URL (:func:`redact`) and for free text that may quote one
(an exception's message, a log line): the same function, since both are found by pattern.
A state server's URL is shown otherwise (:func:`mask_password`): its user name kept, so
that a refused login says which user was refused.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

REDACTED = "REDACTED"

# A URL's userinfo: "user:pass@" or "user@" after "://" (RFC 3986 3.2.1: no "/", "?" or
# "#" inside it). Quoted text may hold a URL anywhere, so the "://" anchors it; not the
# scheme before it: "[a-zA-Z][a-zA-Z0-9+.-]*://" tried from each word of a run like "b-b-b-"
# scanned the run from each (quadratic: a 200 KB link of an invalid_link reject took 32 s).
# Up to the authority's last "@": a password with an "@" left unencoded ("p@ss") is what
# the fetch sends (urllib splits at the last one), so all of it goes.
_USERINFO = re.compile(r"(?<=://)[^/?#\s\"'<>]*@")

# Query keys whose value is a credential by the names services give them: tokens and keys
# of private feeds (Feedly, Inoreader, GitLab's private_token, Google's key), signed URLs'
# signatures and credentials (S3 presigned: X-Amz-Signature, X-Amz-Credential,
# X-Amz-Security-Token), passwords. Matched whole, case-insensitive: "page" or "monkey"
# are no secret.
_SECRET_KEYS = (r"[\w.-]*token|[\w.-]*secret|[\w.-]*passw(?:or)?d|pwd|pass|api[_-]?key|key"
                r"|[\w.-]*signature|sig|[\w.-]*credential|auth|session(?:id)?")
_SECRET_QUERY = re.compile(rf"([?&;](?:{_SECRET_KEYS})=)([^&#\s\"'<>]*)", re.IGNORECASE)


def redact(text: str) -> str:
    """``text`` (a URL, or words quoting URLs) without credentials: userinfo dropped, the
    values of secret query keys replaced by ``REDACTED``. Text without either comes back
    unchanged (the same object: the common case costs a scan)."""
    if "@" in text:
        text = _USERINFO.sub("", text)
    if "=" in text:
        text = _SECRET_QUERY.sub(_redacted_value, text)
    return text


def _redacted_value(match: re.Match[str]) -> str:
    """The key with ``REDACTED`` for its value, and the closing brackets (and a full stop or
    comma after them) that end the URL kept, as in "(see http://h/f?token=abc)." A bracket
    with more of the value after it is the value's, and goes with it. Plain string methods:
    a pattern with a lookahead for them rescanned a run of brackets from each of its places."""
    value = match[2]
    stop = value[-1:] if value[-1:] in {".", ",", ";", ":"} else ""
    core = value[:len(value) - len(stop)].rstrip(")]")
    ending = value[len(core):] if len(core) < len(value) - len(stop) else ""
    return f"{match[1]}{REDACTED}{ending}"


def mask_password(url: str) -> str:
    """A state server's ``url`` (``redis://user:pw@host``, ``unix://...?password=pw``) with
    its password, if any, replaced by ``***`` and the rest as given, for messages and logs."""
    url = re.sub(r"(?i)([?&]password=)[^&#]*", r"\1***", url)  # unix://...?password=
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:  # unparseable: mask whatever sits between "user:" and the last "@"
        return re.sub(r"^([^:/]*://[^:/@]*:).*@", r"\1***@", url)
    if not password:
        return url
    netloc = parts.netloc.replace(f":{password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


__all__ = ["REDACTED", "mask_password", "redact"]
