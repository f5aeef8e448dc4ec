from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from crawler.state import State, StateStore
from crawler.state.redis_store import RedisStateStore

#: Opens (another handle on) the state under test; ``writer`` keys Redis' delivery journal.
Opener = Callable[..., State]


@pytest.fixture
def namespace() -> str:
    """A namespace of this test's own on the shared server."""
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture(params=["sqlite", "redis"])
def opener(request: pytest.FixtureRequest, tmp_path: Path, namespace: str) -> Iterator[Opener]:
    """The contract suite runs once per backend; every handle opens the same storage."""
    opened: list[State] = []

    def sqlite(writer: str = "") -> State:
        return StateStore(tmp_path / "state")

    def redis(writer: str = "") -> State:
        return RedisStateStore(url, namespace=namespace, writer=writer)

    if request.param == "redis":
        url = request.getfixturevalue("redis_url")
    backend = redis if request.param == "redis" else sqlite

    def tracked(writer: str = "") -> State:
        opened.append(backend(writer))
        return opened[-1]

    yield tracked
    for state in opened:
        state.close()


@pytest.fixture
def state(opener: Opener) -> State:
    return opener()
