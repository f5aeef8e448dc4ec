"""The Redis names a scale-out deployment uses, all under one namespace."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Keys:
    namespace: str = "policywire"

    @property
    def queue(self) -> str:
        """The RQ queue of crawl jobs."""
        return self.namespace

    @property
    def batches(self) -> str:
        """The stream of collected batches waiting for the merger."""
        return f"{self.namespace}:batches"

    @property
    def merge_lock(self) -> str:
        return f"{self.namespace}:lock:merge"

    @property
    def lsh_basename(self) -> bytes:
        return f"{self.namespace}:lsh".encode()

    def round(self, round_id: str) -> str:
        """A hash: the round's size (``expected``) and finished jobs (``done``)."""
        return f"{self.namespace}:round:{round_id}"

    def source_lock(self, source: str) -> str:
        return f"{self.namespace}:lock:source:{source}"
