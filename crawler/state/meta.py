"""The parameters' records a state keeps in its meta rows (SQLite's meta table, Redis' meta
hash): the fingerprints of the signatures' and the stories' parameters, and the story
parameters' values, read and written one way for both kinds of state.
"""

from __future__ import annotations

STATE_FILE = "state.sqlite3"
#: Meta keys (SQLite's meta table, Redis' meta hash) of the parameters' fingerprints.
DEDUP_PARAMS_KEY = "dedup_params"
STORY_PARAMS_KEY = "story_params"
#: ... and the story parameters' values (JSON, field -> value), so that a refusal can name
#: the ones that differ; a state of a version before them has the fingerprint only.
STORY_VALUES_KEY = "story_params_values"


class ParamsMeta:
    """The parameters' records a state keeps in its meta rows, read through ``get_meta``:
    one definition for the SQLite and Redis states."""

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
