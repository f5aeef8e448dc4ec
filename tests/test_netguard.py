from __future__ import annotations

import pytest

from crawler.netguard import name_refusal, refusal, spelled_host


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0",
     "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "64:ff9b::7f00:1", "[::1]", "224.0.0.1",
     "100.64.0.1", "fd00:ec2::254"],
)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert refusal(address) is not None


@pytest.mark.parametrize("address", ["8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_pass(address: str) -> None:
    assert refusal(address) is None


def test_names_are_left_to_the_resolver() -> None:
    assert refusal("example.org") is None


@pytest.mark.parametrize(
    ("host", "reason"),
    [("2130706433", "2130706433 is 127.0.0.1, a loopback address"),
     ("127.1", "127.1 is 127.0.0.1, a loopback address"),
     ("0x7f.1", "0x7f.1 is 127.0.0.1, a loopback address"),
     ("0177.0.0.1", "0177.0.0.1 is 127.0.0.1, a loopback address"),
     ("0xa9fea9fe", "0xa9fea9fe is 169.254.169.254, a link-local address")],
)
def test_shorthand_ipv4_literals_are_judged_as_the_address_they_spell(host: str,
                                                                      reason: str) -> None:
    assert refusal(host) == reason


@pytest.mark.parametrize("host", ["134744072", "999.1.1.1.1", "1.example", "0x"])
def test_public_shorthands_and_names_pass_the_literal_check(host: str) -> None:
    assert refusal(host) is None


def test_a_name_is_refused_when_any_of_its_addresses_is_private() -> None:
    assert name_refusal("db.example", ["8.8.8.8", "10.0.0.7"]) == (
        "db.example resolves to 10.0.0.7, a private address")
    assert name_refusal("example.org", ["93.184.215.14", "2606:4700:4700::1111"]) is None


@pytest.mark.parametrize("address", ["192.0.0.8", "2002:7f00:1::", "2002:a00:7::1", "3fff::1",
                                     "fec0::1", "[fec0::1%25eth0]"])
def test_ranges_older_pythons_took_for_public_are_refused(address: str) -> None:
    # Python 3.11.7's ipaddress calls these global (CVE-2024-4032); fec0::/10 every version.
    assert refusal(address) == (f"{address.strip('[]').split('%')[0]} is not a globally "
                                "routable address")


@pytest.mark.parametrize(("host", "written", "named"), [
    # w3lib >= 2.6 hands the guard 127.0.0.1 for a feed's http://127.1/: the message names 127.1.
    ("127.0.0.1", "http://127.1:6379/feed", "127.1"),
    ("127.0.0.1", "http://2130706433/", "2130706433"),
    ("127.0.0.1", "http://0x7f.1/", "0x7f.1"),
    # A spelling of another address, or a name, is never what is judged or named.
    ("127.0.0.1", "http://127.2/", "127.0.0.1"),
    ("127.0.0.1", "http://localhost/", "127.0.0.1"),
    ("127.0.0.1", None, "127.0.0.1"),
    ("10.0.0.1", "http://10.1/", "10.1"),
    ("10.0.0.1", "http://10.2/", "10.0.0.1"),
])
def test_a_refusal_names_the_host_as_written_only_for_the_same_address(
        host: str, written: str | None, named: str) -> None:
    assert spelled_host(host, written) == named
    reason = refusal(spelled_host(host, written))
    assert reason is not None and reason.startswith(named) and host in reason
