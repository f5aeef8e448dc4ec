from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import msgspec
import pytest

from crawler.models import Record, record_schema, reject_schema
from crawler.stories import MemoryStoryState, StoryClusterer, StoryParams
from tests.stories.test_shown_names import _doc

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schema"


@pytest.mark.parametrize(("name", "build"), [("record", record_schema), ("reject", reject_schema)])
def test_shipped_json_schema_is_generated_from_the_models(name: str, build: object) -> None:
    shipped = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
    assert shipped == build(), (  # type: ignore[operator]
        f"schema/{name}.schema.json is stale: run `policywire schema --write schema/`"
    )


def test_record_round_trips_through_json() -> None:
    record = Record(id="a", url="https://x/a", source="s", title="T", title_raw="T (VIDEO)",
                    media=["VIDEO"], fetched_at="2026-11-29T00:00:00Z", content_hash="h")
    line = msgspec.json.encode(record)
    assert msgspec.json.decode(line, type=Record) == record
    assert json.loads(line)["schema_version"] == 2


def _undescribed(schema: dict[str, object]) -> list[str]:
    """Every property of every object in ``schema`` (its ``$defs`` too) with no description."""
    objects = {"": schema, **schema.get("$defs", {})}  # type: ignore[dict-item]
    return [f"{name}.{field}" for name, body in objects.items()
            for field, spec in body.get("properties", {}).items() if "description" not in spec]


@pytest.mark.parametrize("build", [record_schema, reject_schema])
def test_every_field_of_the_shipped_schema_says_what_it_holds(build: object) -> None:
    # A reader of the JSONL looks a field up in the schema: a bare type does not say that
    # `published` is UTC or that `text` is null, never "", when the page failed.
    assert _undescribed(build()) == []  # type: ignore[operator]


def test_a_story_matchs_similarity_is_described_with_the_range_it_takes() -> None:
    # trial2: the schema said 0-1, but a content match is the cosine plus title_bonus times
    # the titles' similarity: a page and its unmarked copy scored past 1 (a revised article
    # against its first revision wrote 1.1153).
    page = _doc("en-nato-summit")
    _, copy = StoryClusterer(StoryParams(), MemoryStoryState()).assign(
        [page, replace(page, id="own-telling", source="wire")])
    assert copy.link is not None and copy.link.rule == "content"
    assert copy.link.similarity > 1
    said = record_schema()["$defs"]["StoryMatch"]["properties"]["similarity"]["description"]
    assert f"up to {1 + StoryParams().title_bonus}" in said
