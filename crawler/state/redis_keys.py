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
