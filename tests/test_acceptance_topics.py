"""A user's own topic lexicon with a mistake in it: the message names the file and the line,
as it does for the sources file (README: exit 78, "the message names the file, the key and
its line")."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.errors import ConfigError
from crawler.topics import Lexicon
from tests.conftest import run_cli

MINE = """\
extends = "bundled"

[topics.drones]
label = "Drones"
en = ["drone*", "loitering munition*"]

[topics."air-defence"]
label = "Air defence"
de = ["Flugabwehr*"]
"""


@pytest.mark.parametrize(("change", "where"), [
    (('"loitering munition*"', "3"), "line 5: topic 'drones': key 'en'"),
    (('["drone*", "loitering munition*"]', '["EU*"]'), "line 5: topic 'drones': key 'en': term"),
    (('de = ["Flugabwehr*"]', 'de = ["P5+1"]'), "line 9: topic 'air-defence': key 'de': term"),
    (('label = "Drones"', 'label = 3'), "line 4: topic 'drones': key 'label'"),
    (('label = "Drones"\n', ""), "line 3: topic 'drones': key 'label' is required"),
    (('en = ["drone*"', 'english = ["drone*"'), "line 5: topic 'drones': unknown key 'english'"),
    (('[topics.drones]', '[topics.Drones]'), "line 3: topic 'Drones': an id may hold"),
    (('extends = "bundled"', 'extends = "bundeled"'), "line 1: key 'extends'"),
    (('extends = "bundled"', 'extends = "bundled"\nversion = 2'), "line 2: unknown key 'version'"),
])
def test_a_mistake_in_a_topics_file_names_its_line(change: tuple[str, str], where: str) -> None:
    # Before: "mine.toml: topic 'drones': key 'en' must be ...", no line.
    text = MINE.replace(*change)
    assert text != MINE
    with pytest.raises(ConfigError) as caught:
        Lexicon.parse(text, "mine.toml")
    assert str(caught.value).startswith(f"mine.toml:{where}")


def test_crawl_with_such_a_file_stops_naming_the_line(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text(MINE.replace('"loitering munition*"', "3"),
                                        encoding="utf-8")
    run = run_cli("crawl", "--topics", "mine.toml", cwd=tmp_path)
    assert run.code == 78
    assert run.stderr.startswith("policywire: mine.toml:line 5: topic 'drones': key 'en' must")
