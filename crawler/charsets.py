"""Which charset a page declares that is worth believing: the web's own, as browsers read them.

A page names its charset in its ``Content-Type`` header or a ``<meta>``, and Scrapy decodes
it with whatever Python codec answers to that name. Python's codecs are not all charsets:
``punycode`` decodes in quadratic time (a 2 MB page: minutes of CPU on the reactor thread,
where a page's text is decoded, outside the extraction's CPU limit), ``undefined``, ``idna``
and ``hex`` raise, ``unicode_escape`` reads backslashes as escapes. Browsers honour only the
labels of the WHATWG Encoding Standard and ignore any other, as this module does, for pages
and for feeds (whose XML declaration feedparser believes alike).

A page of ASCII markup declaring UTF-16 or UTF-32 without a byte-order mark lies too (a
template's copied ``<meta charset="utf-16">``; browsers read a ``<meta>``'s UTF-16 as UTF-8):
decoded as it says, every two bytes became one CJK character. Real UTF-16 markup has a zero
byte beside each ASCII character, so such a declaration without any zero byte is ignored.
"""

from __future__ import annotations

import codecs
import re

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

# The WHATWG Encoding Standard's encodings (https://encoding.spec.whatwg.org/#names-and-labels)
# by their Python codec names, and the few names w3lib (Scrapy's decoder) rewrites a declared
# one to (latin-1 -> cp1252, gbk -> gb18030, ...), plus UTF-32, which a byte-order mark names.
_WEB = frozenset(codecs.lookup(name).name for name in (
    "utf-8", "ibm866", "iso-8859-2", "iso-8859-3", "iso-8859-4", "iso-8859-5", "iso-8859-6",
    "iso-8859-7", "iso-8859-8", "iso-8859-10", "iso-8859-13", "iso-8859-14", "iso-8859-15",
    "iso-8859-16", "koi8-r", "koi8-u", "mac-roman", "cp874", "cp1250", "cp1251", "cp1252",
    "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "mac-cyrillic", "gbk",
    "gb18030", "gb2312", "big5", "big5hkscs", "euc-jp", "iso-2022-jp", "shift_jis", "cp932",
    "euc-kr", "cp949", "utf-16", "utf-16-be", "utf-16-le", "utf-32", "utf-32-be", "utf-32-le",
    "ascii", "latin-1", "iso-8859-9", "iso-8859-11", "tis-620",
))
_WIDE = frozenset(codecs.lookup(name).name for name in (
    "utf-16", "utf-16-be", "utf-16-le", "utf-32", "utf-32-be", "utf-32-le"))
# A feed's XML declaration, and the charset parameter of its Content-Type.
_XML_ENCODING = re.compile(rb"""^(\s*<\?xml[^>]{0,200}?\bencoding\s*=\s*["'])([^"']{0,64})["']""")
_CHARSET_PARAMETER = re.compile(r""";\s*charset\s*=\s*["']?([^;"'\s]*)[^;]*""", re.IGNORECASE)
# Enough of the markup to hold a zero byte where it is UTF-16 or UTF-32 (its first tag does).
_SNIFF = 1024


def overruled(content_type: str, body: bytes) -> str | None:
    """The charset to read a page in where the one it declares (its header's, else its
    ``<meta>``'s, as Scrapy takes them) is not :func:`believable`: the next declaration that
    is, else :func:`undeclared`'s; None where the page's own choice stands (a byte-order
    mark, which wins over both; a believable declaration; none at all)."""
    if read_bom(body)[0] is not None:
        return None
    declared = [e for e in (http_content_type_encoding(content_type),
                            html_body_declared_encoding(body)) if e]
    if not declared or believable(declared[0], body):
        return None
    return next((e for e in declared[1:] if believable(e, body)), None) or undeclared(body)


def feed_believed(body: bytes, content_type: str | None) -> tuple[bytes, str | None]:
    """A feed's bytes and Content-Type with a charset Python knows but no browser would
    believe taken out of both (feedparser decodes with whatever codec is named: ``undefined``
    and ``punycode`` made the whole feed ``feed_unparseable``): the header's parameter
    dropped, the XML declaration naming :func:`undeclared`'s guess instead."""
    # The parameter as written, not w3lib's reading of it: w3lib >= 2.6 no longer names a
    # label outside the web's, and feedparser would still decode with it.
    header = _CHARSET_PARAMETER.search(content_type or "")
    if content_type and header and _known(header.group(1).encode()) \
            and not believable(header.group(1), body):
        content_type = _CHARSET_PARAMETER.sub("", content_type)
    declared = _XML_ENCODING.match(body)
    if declared and _known(declared.group(2)) and not believable(declared.group(2).decode(), body):
        guess = undeclared(body).encode()
        body = body[:declared.end(1)] + guess + body[declared.end(2):]
    return body, content_type


def _known(name: bytes) -> bool:
    try:
        codecs.lookup(name.decode("ascii"))
    except (LookupError, UnicodeDecodeError):
        return False
    return True


def believable(encoding: str | None, body: bytes) -> bool:
    """Whether ``body`` may be decoded as the declared ``encoding``: one of the web's
    charsets, and not a UTF-16 or UTF-32 that the body's bytes contradict."""
    if not encoding:
        return False
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    if name in _WIDE:
        return b"\x00" in body[:_SNIFF]
    return name in _WEB


def undeclared(body: bytes) -> str:
    """The charset of a body whose declaration is not believed, as Scrapy guesses one that
    declares none: UTF-8 where it decodes so, else windows-1252 (which decodes any byte)."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


__all__ = ["believable", "feed_believed", "overruled", "undeclared"]
