"""A state whose stories were made with other profile features is refused (reindex), even
when every parameter, the payload and the normalisation are this version's."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import asdict
from pathlib import Path

import pytest

from crawler.dedup.tokens import NORMALISATION_VERSION
from crawler.errors import IncompatibleState
from crawler.state import open_state
from crawler.stories import StoryParams
from crawler.stories.params import PAYLOAD_VERSION
from crawler.storylayer import open_stories


def _before_features_version(params: StoryParams) -> str:
    """The fingerprint a version without a features version stored for ``params`` (its
    German function words and teaser rule made other profiles under the same hash)."""
    described = {**asdict(params), "payload": PAYLOAD_VERSION,
                 "normalisation": NORMALISATION_VERSION}
    return hashlib.sha1(json.dumps(described, sort_keys=True).encode()).hexdigest()[:16]


@pytest.mark.parametrize("kind", ["sqlite", "redis"])
def test_stories_of_the_previous_features_are_refused(kind: str, tmp_path: Path,
                                                      request: pytest.FixtureRequest) -> None:
    params = StoryParams()
    spec = str(tmp_path / "state") if kind == "sqlite" else request.getfixturevalue("redis_url")
    state = open_state(spec, namespace=f"t{secrets.token_hex(4)}")
    try:
        state.set_story_params_fingerprint(_before_features_version(params))
        state.set_story_params_values(json.dumps(asdict(params), sort_keys=True))
        with pytest.raises(IncompatibleState) as refused:
            open_stories(state, params)
    finally:
        state.close()
    said = str(refused.value)
    assert "another version's story matching (the same parameters" in said, said
    if kind == "sqlite":
        assert "`policywire reindex --output-dir DIR --state-dir DIR`" in said, said
    else:  # reindex rebuilds no Redis state: a new namespace
        assert "--namespace other than" in said, said
