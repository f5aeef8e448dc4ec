"""Embedded state: a SQLite database (WAL) and a process lock per state directory."""

from crawler.state.lock import StateLock
from crawler.state.store import SeenRow, SignatureRow, StateStore

__all__ = ["SeenRow", "SignatureRow", "StateLock", "StateStore"]
