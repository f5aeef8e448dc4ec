"""Safe HTML building: everything is escaped unless it is already :class:`Markup`.

The report shows text that came from the web (titles, summaries, URLs, author names), so the
rule is inverted from string formatting: a value is text until proven markup. Only fragments
built here, from escaped parts, are ever :class:`Markup`; nothing from a record can become one.

>>> html("<b>{name}</b>", name="<script>")
Markup('<b>&lt;script&gt;</b>')
"""

from __future__ import annotations

import html as _html
from collections.abc import Iterable
from urllib.parse import urlsplit


class Markup(str):
    """A string known to be safe HTML: built by :func:`html` or :func:`join`, never by hand."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Markup({str.__repr__(self)})"


def escape(value: object) -> Markup:
    """``value`` as HTML text, safe in element content and in quoted attribute values."""
    if isinstance(value, Markup):
        return value
    return Markup(_html.escape(str(value), quote=True))


def html(template: str, /, **values: object) -> Markup:
    """Fill a ``str.format`` template; every value not already :class:`Markup` is escaped.

    The template itself is trusted code (a literal in this package), never data. Numbers stay
    numbers so format specs such as ``{x:.1f}`` work; their text is digits, signs and dots.
    """
    return Markup(template.format(**{key: _safe(v) for key, v in values.items()}))


def _safe(value: object) -> object:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return escape(value)


def isolated(value: object) -> Markup:
    """``value`` as text in a ``<bdi>``: a right-to-left title or source name keeps its own
    direction without reordering the text around it (a trailing "!" or a badge after an Arabic
    title moved to its other side, " · matched" after a Hebrew source name swapped places)."""
    return html("<bdi>{text}</bdi>", text=value)


def isolated_text(value: str) -> str:
    """``value`` between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: :func:`isolated`
    for where no element can stand, an SVG label or a tooltip's ``<title>``."""
    return f"\u2068{value}\u2069"


def join(parts: Iterable[Markup], separator: str = "") -> Markup:
    return Markup(separator.join(escape(part) for part in parts))


def safe_href(url: str | None) -> str | None:
    """``url`` when a browser will treat it as an absolute http(s) link, else ``None``.

    Checked on the raw string, not after stripping: a leading space, tab or control character
    would be dropped by the browser and could turn ``" javascript:..."`` into a script URL.
    """
    if not url or any(ord(ch) <= 0x20 or ord(ch) == 0x7F for ch in url):
        return None
    if not url.lower().startswith(("http://", "https://")):
        return None
    try:
        return url if urlsplit(url).hostname else None
    except ValueError:  # an invalid IPv6 literal or port: not a link a reader can follow
        return None


def link(url: str | None, label: object) -> Markup:
    """An outbound link when ``url`` is http(s); otherwise the URL shown as plain text."""
    href = safe_href(url)
    if href is None:
        return html('<span class="nolink">{text}</span>', text=url or "")
    return html('<a href="{href}" rel="noopener noreferrer nofollow">{label}</a>',
                href=href, label=label)


__all__ = ["Markup", "escape", "html", "isolated", "isolated_text", "join", "link", "safe_href"]
