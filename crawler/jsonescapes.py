"""JSON text whose lone surrogate escapes (``"\\ud800"``) are replacement characters.

JSON may escape any UTF-16 code unit, so a page's JSON-LD or a JSON Feed can hold half of a
surrogate pair. ``json.loads`` returns it as a str no UTF-8 can encode: the record holding
it could not be written, and its entry ended as nothing (a traceback in the log, exit 0).
msgspec refuses such a document whole ("Input data was truncated"): every entry of a JSON
Feed with one was a ``feed_unparseable``. Each escape is read left to right, so an escaped
backslash before ``ud800`` (``"\\\\ud800"``, the six characters) stays text; a pair stays a
pair (one character outside the BMP, such as an emoji).
"""

from __future__ import annotations

import re

# One backslash escape: a surrogate pair, a lone surrogate, or any other escaped character.
_ESCAPE = (r"\\(?:u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}"
           r"|u[dD][89a-fA-F][0-9a-fA-F]{2}|[\s\S])")
_TEXT = re.compile(_ESCAPE)
_BYTES = re.compile(_ESCAPE.encode())
# The check before the rewrite: most documents hold no surrogate escape at all.
_ANY_TEXT = re.compile(r"\\u[dD][89a-fA-F]")
_ANY_BYTES = re.compile(rb"\\u[dD][89a-fA-F]")
_LONE = 6  # characters of one \uXXXX escape: a pair has 12, another escape 2


def lone_surrogates_replaced(text: str) -> str:
    """``text`` (JSON) with each lone surrogate escape written as ``\\ufffd``."""
    if not _ANY_TEXT.search(text):
        return text
    return _TEXT.sub(lambda m: "\\ufffd" if len(m.group()) == _LONE else m.group(), text)


def lone_surrogates_replaced_bytes(body: bytes) -> bytes:
    """:func:`lone_surrogates_replaced` for a JSON body still in bytes."""
    if not _ANY_BYTES.search(body):
        return body
    return _BYTES.sub(lambda m: b"\\ufffd" if len(m.group()) == _LONE else m.group(), body)


__all__ = ["lone_surrogates_replaced", "lone_surrogates_replaced_bytes"]
