"""The SSRF guard's decision: may the crawler connect to this address?

Feeds are untrusted input: a link to ``http://169.254.169.254/`` or ``http://localhost:6379/``
must not make the crawler talk to the cloud metadata service or a local database. Only
globally routable unicast addresses are allowed unless the operator opts in.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

IP = ipaddress.IPv4Address | ipaddress.IPv6Address

# The shorthand IPv4 forms inet_aton (and so curl, browsers and proxies) accept: one to four
# parts, decimal, octal (leading 0) or hex (0x): 2130706433, 127.1, 0x7f.1, 0177.0.0.1.
_IPV4_SHORTHAND = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+)){0,3}\.?",
                             re.IGNORECASE)


def ip_literal(host: str) -> IP | None:
    """The address ``host`` spells as an IP literal (in any form a URL may carry), or
    ``None`` when it is a name."""
    text = host.strip("[]").split("%", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    if not _IPV4_SHORTHAND.fullmatch(text):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(text.rstrip(".")))
    except OSError:
        return None  # e.g. 999.1: no address; the resolver decides


# The request meta key holding a URL as its feed or sources file wrote it. w3lib >= 2.6 (Scrapy's
# URL cleaner) rewrites an IPv4 shorthand to the address it spells as the Request is made
# (http://127.1/ -> http://127.0.0.1/), so a refusal could no longer name what was written.
WRITTEN_URL = "policywire_written_url"


def spelled_host(host: str, written: str | None) -> str:
    """``host`` as ``written`` (the URL before Scrapy cleaned it) spells it, where that spelling
    is an IP literal for the same address; else ``host`` itself. Only the name in a message
    changes: the address judged is the same either way."""
    if not written:
        return host
    spelled = urlsplit(written).hostname or ""
    ip = ip_literal(spelled)
    return spelled if ip is not None and ip == ip_literal(host) else host


def refusal(address: str) -> str | None:
    """Why ``address`` (an IP literal) is refused, or ``None`` when it is public or a name
    (names: :func:`name_refusal` once they are resolved)."""
    ip = ip_literal(address)
    kind = None if ip is None else _kind(ip)
    if ip is None or kind is None:
        return None
    spelled = address.strip("[]")
    # A shorthand (2130706433) is named with the address it stands for.
    return f"{ip} is {kind}" if _plain(spelled) else f"{spelled} is {ip}, {kind}"


def name_refusal(host: str, addresses: Iterable[str]) -> str | None:
    """Why the name ``host``, resolving to ``addresses``, is refused: any one of them
    non-public is enough (a connection may go to any of them)."""
    for address in addresses:
        ip = ip_literal(address)
        kind = None if ip is None else _kind(ip)
        if kind is not None:
            return f"{host} resolves to {ip}, {kind}"
    return None


def _plain(text: str) -> bool:
    try:
        ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return False
    return True


# Not globally routable, whatever this Python's ipaddress says: before 3.11.10 and 3.12.4
# (CVE-2024-4032) it took most of 192.0.0.0/24, 6to4's 2002::/16 (which carries an IPv4
# address, 2002:7f00:1:: is 127.0.0.1's) and 3fff::/20 for public; and no version counts
# the deprecated site-local fec0::/10 as private, though old intranets still route it.
_NOT_GLOBAL = tuple(ipaddress.ip_network(net) for net in (
    "192.0.0.0/24", "2002::/16", "3fff::/20", "fec0::/10"))


def _kind(ip: IP) -> str | None:
    """What makes ``ip`` non-public ("a loopback address"), or ``None`` when it is public."""
    if isinstance(ip, ipaddress.IPv6Address):
        # IPv4 smuggled in IPv6 (::ffff:127.0.0.1, 64:ff9b::7f00:1) is judged as IPv4.
        embedded = ip.ipv4_mapped or _nat64(ip)
        if embedded is not None:
            return _kind(embedded)
    for label, flag in (
        ("loopback", ip.is_loopback), ("link-local", ip.is_link_local),
        ("private", ip.is_private), ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified), ("reserved", ip.is_reserved),
    ):
        if flag:
            return f"a {label} address"
    global_ = ip.is_global and not any(ip in net for net in _NOT_GLOBAL)
    return None if global_ else "not a globally routable address"


def _nat64(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip in ipaddress.IPv6Network("64:ff9b::/96"):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None
