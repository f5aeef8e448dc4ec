"""benchmarks/fit_story_feeds.py: the logistic regression behind the learned summary score
(crawler.stories.learned) is deterministic and recovers what the data say, and the model it
writes into crawler/stories/params.py reads back as the one it fitted."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from benchmarks import fit_story_feeds
from crawler.stories.learned import probability


def _data(seed: int) -> tuple[np.ndarray, np.ndarray]:
    # Two features: the first decides (weight 2 per unit), the second is noise of a wide
    # scale; labels drawn from the logistic model itself.
    rng = np.random.default_rng(seed)
    x = np.column_stack([rng.normal(0.0, 1.0, 4000), rng.normal(5.0, 30.0, 4000)])
    y = (rng.random(4000) < 1.0 / (1.0 + np.exp(-(0.5 + 2.0 * x[:, 0])))).astype(float)
    return x, y


def test_the_fit_recovers_a_known_logistic_model_and_is_deterministic() -> None:
    x, y = _data(7)
    model = fit_story_feeds.fit(x, y, l2=1.0)
    assert model == fit_story_feeds.fit(x, y, l2=1.0)
    # Standardised weights: back on the features' own scale.
    slope = model.weights[0] / model.scale[0]
    assert slope == pytest.approx(2.0, abs=0.15)
    assert abs(model.weights[1]) < 0.1
    # At x = 0 the probability is the model's own: 1 / (1 + e^-0.5).
    assert probability(model, (0.0, 5.0)) == pytest.approx(1 / (1 + math.exp(-0.5)), abs=0.05)


def test_a_stronger_penalty_shrinks_the_weights() -> None:
    x, y = _data(11)
    loose, tight = fit_story_feeds.fit(x, y, l2=0.1), fit_story_feeds.fit(x, y, l2=3000.0)
    assert abs(tight.weights[0]) < abs(loose.weights[0]) / 2


def test_the_written_model_reads_back_as_fitted(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    source = Path(fit_story_feeds.PARAMS_FILE).read_text()
    copy = tmp_path / "params.py"
    copy.write_text(source)
    # The file the script writes, pointed at a copy (not a stand-in for any of our code).
    monkeypatch.setattr(fit_story_feeds, "PARAMS_FILE", copy)
    x, y = _data(3)
    model = fit_story_feeds.fit(np.column_stack([x, x[:, :1] ** 2]), y, l2=1.0)
    fit_story_feeds.write(model)
    namespace: dict[str, object] = {}
    exec(compile(copy.read_text(), str(copy), "exec"), namespace)
    written = namespace["SUMMARY_MODEL"]
    fields = ("mean", "scale", "weights", "intercept")
    assert [getattr(written, f) for f in fields] == [getattr(model, f) for f in fields]
