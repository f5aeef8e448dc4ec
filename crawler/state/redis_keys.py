"""The Redis state's key names, in one place (the layout is drawn in
:mod:`crawler.state.redis_store`'s docstring)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RedisKeys:
    """The keys of one namespace (and one writer's delivery journal)."""

    namespace: str
    writer: str = ""

    @property
    def meta(self) -> str:
        return f"{self.namespace}:meta"

    @property
    def entries(self) -> str:
        return f"{self.namespace}:entries"

    @property
    def feeds(self) -> str:
        return f"{self.namespace}:feeds"

    @staticmethod
    def feed_field(source: str, url: str) -> str:
        """A feed's field in :attr:`feeds`: per source and URL (layout 3). A source name
        holds no space and a URL none, so the space parts them unambiguously."""
        return f"{source} {url}"

    @staticmethod
    def feed_pattern(url: str) -> str:
        """An HSCAN pattern of every source's field of ``url`` (its glob characters escaped:
        a URL's ``?`` is literal)."""
        return "* " + "".join(f"\\{c}" if c in "*?[]\\" else c for c in url)

    @property
    def signatures(self) -> str:
        return f"{self.namespace}:signatures"

    @property
    def signatures_by_ts(self) -> str:
        return f"{self.namespace}:signatures:by_ts"

    @property
    def stories(self) -> str:
        return f"{self.namespace}:stories"

    @property
    def stories_by_seen(self) -> str:
        return f"{self.namespace}:stories:by_seen"

    @property
    def commits(self) -> str:
        return f"{self.namespace}:commits"

    @property
    def deliveries(self) -> str:
        return f"{self.namespace}:deliveries:{self.writer}"

    @property
    def delivered(self) -> str:
        return f"{self.namespace}:delivered:{self.writer}"
