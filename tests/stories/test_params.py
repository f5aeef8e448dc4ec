"""The story parameters' defaults and what a state made under earlier ones meets: the scene
rule on by default (issue 18) gives stories of the previous default another fingerprint, which
a crawl refuses (exit 78) until ``policywire reindex`` has remade them."""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, replace
from pathlib import Path

import pytest

from crawler.errors import IncompatibleState
from crawler.state import open_state
from crawler.stories import StoryParams
from crawler.stories.params import SCENE_BONUS
from crawler.storylayer import open_stories
from tests.conftest import run_cli
from tests.sitesrv import FixtureSite
from tests.test_crawl_e2e import crawl

#: The defaults before the scene rule was on: what a state of the previous version holds.
BEFORE = replace(StoryParams(), scene_bonus=0.0)


def test_the_scene_rule_is_on_by_default_and_0_turns_it_off() -> None:
    assert StoryParams().scene_bonus == SCENE_BONUS > 0
    assert StoryParams.overridden({"scene_bonus": 0}).scene_bonus == 0
    # Off, the bonus is not described: a state of the previous default keeps its fingerprint.
    assert StoryParams.overridden({"scene_bonus": 0}).fingerprint() == BEFORE.fingerprint()
    assert StoryParams().fingerprint() != BEFORE.fingerprint()


@pytest.mark.parametrize("kind", ["sqlite", "redis"])
def test_stories_of_the_previous_default_are_refused_naming_the_bonus(
        kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    spec = str(tmp_path / "state") if kind == "sqlite" else request.getfixturevalue("redis_url")
    state = open_state(spec, namespace=f"t{secrets.token_hex(4)}")
    try:
        state.set_story_params_fingerprint(BEFORE.fingerprint())
        state.set_story_params_values(json.dumps(asdict(BEFORE), sort_keys=True))
        open_stories(state, BEFORE)  # the previous default's run goes on as it was
        with pytest.raises(IncompatibleState) as refused:
            open_stories(state, StoryParams())
    finally:
        state.close()
    said = str(refused.value)
    assert f"scene_bonus=0 (this run: {SCENE_BONUS})" in said, said
    if kind == "sqlite":
        assert "`policywire reindex --output-dir DIR --state-dir DIR`" in said, said
    else:  # reindex rebuilds no Redis state: a new namespace
        assert "--namespace other than" in said, said


def _as_made_by_the_previous_default(state: Path) -> None:
    store = open_state(str(state))
    try:
        store.set_story_params_fingerprint(BEFORE.fingerprint())
        store.set_story_params_values(json.dumps(asdict(BEFORE), sort_keys=True))
    finally:
        store.close()


def test_a_cron_crawl_on_a_state_of_the_previous_default_exits_78_until_reindex(
        site: FixtureSite, tmp_path: Path) -> None:
    assert crawl(site, tmp_path, ["/feeds/atom.atom"]).code == 0
    state, out = tmp_path / "state", tmp_path / "out"
    _as_made_by_the_previous_default(state)

    refused = crawl(site, tmp_path, ["/feeds/atom.atom", "/feeds/rss10.xml"])
    assert refused.code == 78, refused.stderr
    assert "scene_bonus=0" in refused.stderr and "policywire reindex" in refused.stderr
    # The way on without remaking: the option that keeps the rule off, named in the refusal.
    assert "rerun with --story-scene-bonus 0 " in refused.stderr, refused.stderr
    kept = crawl(site, tmp_path, ["/feeds/atom.atom"], "--story-scene-bonus", "0")
    assert kept.code == 0, kept.stderr

    run = run_cli("reindex", "--output-dir", str(out), "--state-dir", str(state), "-q",
                  cwd=tmp_path)
    assert run.code == 0, run.stderr
    again = crawl(site, tmp_path, ["/feeds/atom.atom", "/feeds/rss10.xml"])
    assert again.code == 0, again.stderr
