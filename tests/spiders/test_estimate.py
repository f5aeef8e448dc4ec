"""least_seconds() and notice(): the least time a listing's pages take at their hosts' delays."""

from __future__ import annotations

from crawler.spiders.estimate import least_seconds, notice


def test_the_slowest_host_decides() -> None:
    urls = [f"https://a.example/{n}" for n in range(3000)] + ["https://b.example/1"] * 2
    delays = {"a.example": 0.25, "b.example": 30.0}
    pages, hosts, seconds = least_seconds(urls, delays.__getitem__)
    assert (pages, hosts, seconds) == (3002, 2, 2999 * 0.25)
    assert notice(pages, hosts, seconds).startswith(
        "3,002 pages to fetch from 2 hosts: at least 12 min")


def test_one_page_a_host_takes_no_delay() -> None:
    assert least_seconds(["https://a.example/", "https://b.example/"], lambda host: 9.0) == (
        2, 2, 0.0)
    assert least_seconds([], lambda host: 9.0) == (0, 0, 0.0)
