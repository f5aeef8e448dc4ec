"""A read-only look at a SQLite state's meta table, for checks made before a run takes the
state lock (``scrapy crawl``'s check of the stories' parameters, :mod:`crawler.commands`).

Why no lock: the value read is one meta row, and SQLite gives a read-only connection a
committed snapshot (``reindex`` stores both parameter fingerprints in one transaction, so
a reader sees the old pair or the new one). The check is advisory: the merge stage checks
again under the lock (:func:`crawler.storylayer.open_stories`), so a reindex that lands
between the two is still caught. Taking the lock here instead would mean holding it across
the crawl, whose pipeline takes it itself (a second acquisition in one process refuses), or
releasing it just before, which guards nothing more than the read-only look does.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

STATE_FILE = "state.sqlite3"
#: Meta keys (SQLite's meta table, Redis' meta hash) of the parameters' fingerprints.
DEDUP_PARAMS_KEY = "dedup_params"
STORY_PARAMS_KEY = "story_params"
#: ... and the story parameters' values (JSON, field -> value), so that a refusal can name
#: the ones that differ; a state of a version before them has the fingerprint only.
STORY_VALUES_KEY = "story_params_values"


class ParamsMeta:
    """The parameters' records a state keeps in its meta rows, read through ``get_meta``:
    one definition for the SQLite and Redis states and the read-only look below."""

    def get_meta(self, key: str) -> str | None:
        raise NotImplementedError

    def params_fingerprint(self) -> str | None:
        return self.get_meta(DEDUP_PARAMS_KEY)

    def story_params_fingerprint(self) -> str | None:
        return self.get_meta(STORY_PARAMS_KEY)

    def story_params_values(self) -> str | None:
        return self.get_meta(STORY_VALUES_KEY)


class ParamsMetaWriter(ParamsMeta):
    """... and written through ``set_meta`` (the states a run opens)."""

    def set_meta(self, key: str, value: str) -> None:
        raise NotImplementedError

    def set_params_fingerprint(self, fp: str) -> None:
        self.set_meta(DEDUP_PARAMS_KEY, fp)

    def set_story_params_fingerprint(self, fp: str) -> None:
        self.set_meta(STORY_PARAMS_KEY, fp)

    def set_story_params_values(self, values: str) -> None:
        self.set_meta(STORY_VALUES_KEY, values)


class StoredMeta(ParamsMeta):
    """The meta rows of ``<state_dir>/state.sqlite3`` as they are now, read without
    creating, migrating or locking anything; a missing state has none (a new one is made
    with this run's parameters)."""

    def __init__(self, state_dir: Path) -> None:
        self._values: dict[str, str] = {}
        path = state_dir / STATE_FILE
        if not path.is_file():
            return
        try:
            db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
            try:
                rows = db.execute("SELECT key, value FROM meta").fetchall()
                self._values = {str(key): str(value) for key, value in rows}
            finally:
                db.close()
        except sqlite3.Error:
            # A damaged or unreadable state: the crawl's own opening reports it (one line,
            # with its exit code); this look has nothing to add.
            self._values = {}

    def get_meta(self, key: str) -> str | None:
        return self._values.get(key)

    #: A state directory, not a shared Redis namespace.
    namespace: str | None = None
