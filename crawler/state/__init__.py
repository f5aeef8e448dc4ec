"""Embedded state: a SQLite database (WAL) and a process lock per state directory."""

from crawler.state.lock import StateLock
from crawler.state.store import SeenRow, StateStore

__all__ = ["SeenRow", "StateLock", "StateStore"]
