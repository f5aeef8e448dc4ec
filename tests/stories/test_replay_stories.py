"""benchmarks/replay_stories.py: the story clusterer replayed on the batches `policywire
dedup` handed it finds the stories the command wrote."""

from __future__ import annotations

import gc
import json
import pickle
from pathlib import Path

from benchmarks.bench_dedup import Corpus
from benchmarks.replay_stories import capture, replay, same


def _input(path: Path, records: int) -> Path:
    """Generated articles (bench_dedup's corpus: a fifth are rewrites of earlier ones)."""
    with path.open("w") as out:
        for number, doc in enumerate(Corpus(3).docs(records, bodies=True)):
            out.write(json.dumps({**doc.__dict__, "id": f"{doc.id}-{number}"}) + "\n")
    return path


def test_a_replay_finds_the_stories_the_command_wrote(tmp_path: Path) -> None:
    where = tmp_path / "batches"
    assert capture(_input(tmp_path / "in.jsonl", 400), where) == 0
    assert replay(where, tmp_path / "stories.pkl", profile=False) == 0
    assert gc.isenabled()  # the replay pauses the collector only while it runs
    answers = pickle.loads((tmp_path / "stories.pkl").read_bytes())
    batches = [pickle.loads(path.read_bytes()) for path in sorted(where.glob("*.pkl"))]
    replayed = {record_id: story_id
                for (_, copies), (story_ids, _) in zip(batches, answers, strict=True)
                for (record_id, _), story_id in zip(copies, story_ids, strict=True)}
    written = {row["id"]: row["story_id"] for row in map(
        json.loads, (where / "out.jsonl").read_text().splitlines())}
    assert replayed == written
    assert len(set(written.values())) < len(written)  # some stories hold several records


def test_two_replays_compare_same_and_a_changed_story_differs(tmp_path: Path) -> None:
    where = tmp_path / "batches"
    capture(_input(tmp_path / "in.jsonl", 50), where)
    first, second = tmp_path / "a.pkl", tmp_path / "b.pkl"
    replay(where, first, profile=False)
    replay(where, second, profile=False)
    assert same(first, second) == 0
    answers = pickle.loads(second.read_bytes())
    answers[0][0][0] = "s0000000000000000"
    second.write_bytes(pickle.dumps(answers))
    assert same(first, second) == 1
