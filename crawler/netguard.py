"""The SSRF guard's decision: may the crawler connect to this address?

Feeds are untrusted input: a link to ``http://169.254.169.254/`` or ``http://localhost:6379/``
must not make the crawler talk to the cloud metadata service or a local database. Only
globally routable unicast addresses are allowed unless the operator opts in.
"""

from __future__ import annotations

import ipaddress


def refusal(address: str) -> str | None:
    """Why ``address`` (an IP literal) is refused, or ``None`` when it is public."""
    try:
        ip = ipaddress.ip_address(address.strip("[]").split("%", 1)[0])
    except ValueError:
        return None  # not an IP literal: the resolver decides after DNS
    if isinstance(ip, ipaddress.IPv6Address):
        # IPv4 smuggled in IPv6 (::ffff:127.0.0.1, 64:ff9b::7f00:1) is judged as IPv4.
        embedded = ip.ipv4_mapped or _nat64(ip)
        if embedded is not None:
            return refusal(str(embedded))
    for label, flag in (
        ("loopback", ip.is_loopback), ("link-local", ip.is_link_local),
        ("private", ip.is_private), ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified), ("reserved", ip.is_reserved),
    ):
        if flag:
            return f"{ip} is a {label} address"
    if not ip.is_global:
        return f"{ip} is not a globally routable address"
    return None


def _nat64(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip in ipaddress.IPv6Network("64:ff9b::/96"):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None
