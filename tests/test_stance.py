"""Tests for tradelib.stance (issue 5): modifiers, the seed's hard sentences, API contract, model file."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import REUTERS, TEST_DATA, needs_reuters

import tradelib
from tradelib import _stance_rules as rules
from tradelib.errors import DataFileError, InputError
from tradelib.evaluate import cross_validate_stance, evaluate_stance
from tradelib.stance import LABELS, StanceClassifier, load_labels, score_stance, stance_by_side


def _rules(text: str) -> rules.Analysis:
    return rules.analyse(text)


def _cue(analysis: rules.Analysis, word: str) -> dict:
    hits = [c for c in analysis.cues if word.lower() in c["text"].lower()]
    assert hits, f"no cue containing {word!r} in {[c['text'] for c in analysis.cues]}"
    return hits[0]


# ----------------------------------------------------------------------------- modifiers, one short case each

@pytest.mark.parametrize(
    "text, stance",
    [
        # plain moves in both directions
        ("China imposed tariffs on $60 billion of U.S. goods.", "escalation"),
        ("The two sides agreed to a 90-day truce.", "de-escalation"),
        ("Exports rose 5 percent in March from a year earlier.", "neutral"),
        # negation / absence (guide rule 3: an absence of threats is de-escalation)
        ("The ministry's statement lacked any threat of retaliation.", "de-escalation"),
        ("China did not retaliate against the new duties.", "de-escalation"),
        ("The White House said there were no plans to impose further tariffs.", "de-escalation"),
        # double negation stays escalatory
        ("The Treasury secretary is not ruling out the use of countermeasures.", "escalation"),
        ("Washington refused to lift the sanctions.", "escalation"),
        # a negated de-escalatory move is escalation
        ("Beijing has offered no indication of a full reversal.", "escalation"),
        ("Trump suggested he might not meet with Xi.", "escalation"),
        # conditionals (guide rule 2)
        ("China will take countermeasures if the U.S. raises tariffs.", "escalation"),
        # avoidance and hope
        ("Officials are trying to avoid an immediate escalation.", "de-escalation"),
        ("Firms are hopeful that both sides will avoid another round of tariffs.", "de-escalation"),
        # refusal / rejection
        ("The refusal to rescind the policy injects uncertainty.", "escalation"),
        ("Beijing rejected the U.S. demands.", "escalation"),
        ("China rejected the proposed deal.", "escalation"),
        # demands absorb the concession demanded
        ("The U.S. will demand that China rescind the export rule.", "escalation"),
        # concessive clause: the main clause decides
        ("Despite conciliatory signals, Washington will demand that Beijing rescind the rule.", "escalation"),
        # opposing protectionism is against escalation; accusing a partner of it is escalation
        ("REAGAN WARNS CONGRESS ON PROTECTIONISM", "de-escalation"),
        ("The president warned Congress in his radio address against passing protectionist trade legislation.",
         "de-escalation"),
        ("The proposal is a step by the government to head off U.S. protectionism.", "de-escalation"),
        ("Japan accused the United States of protectionism.", "escalation"),
        # names and phrases whose words are no moves: the OECD's "Cooperation", "in respect to"; "no letup in the
        # dumping" is no negation of the charge
        ("Japan's trade surplus is likely to grow, the Organization for Economic Cooperation and Development said.",
         "neutral"),
        ("The corporations are free to use their buying power in respect to bulk commodities.", "neutral"),
        ("U.S. officials have said their monitoring showed no letup in the dumping.", "escalation"),
        # a cue word capitalised inside a name is no move ("Morgan Guaranty Trust Co."), while a word Reuters
        # capitalises after "U.S." still is; economic senses of "productive", "tender offer", "increase demand"
        ("Rimmer de Vries of Morgan Guaranty Trust Co. said the U.S. trade deficit is a problem of growth.", "neutral"),
        ("Armacost said the U.S. Hopes Japan will take steps to open its market.", "de-escalation"),
        ("He said the answer is to switch resources to other more productive areas.", "neutral"),
        ("Roderick proposed that tender offers must be made for all cash.", "neutral"),
        ("John Makin suggested foreign tax cuts to increase demand and pick up the slack.", "neutral"),
        ("The talks were productive, officials said.", "de-escalation"),
        # from synth7's misses: "put off raising tariffs" is a delay; "turning down an invitation to talks" a refusal;
        # "the accusations were groundless" and "denied committing any of the alleged violations" bare rebuttals;
        # a cue inside a quoted title in a body sentence is no move
        ("Washington has put off raising tariffs on $200 billion of Chinese goods.", "de-escalation"),
        ("Beijing was considering turning down an invitation to fresh talks.", "escalation"),
        ("Hua Chunying said the accusations were groundless.", "neutral"),
        ("Huawei said it denied committing any of the alleged violations.", "neutral"),
        ("The State Council Information Office on Monday published a white paper titled \"The Facts and China's "
         "Position on China-US Trade Friction\".", "neutral"),
        # arguing against tariffs (no object before "against") opposes them; warning the partner is a warning
        ("Businesses line up to warn against tariffs on $200 billion of Chinese goods", "de-escalation"),
        ("China warned Washington against new tariffs.", "escalation"),
        # criticism
        ("Denman also took exception to U.S. efforts to seek reciprocity in specific sectors.", "escalation"),
        ("EC OFFICIAL FAULTS U.S. TRADE BILL", "escalation"),
        # a pact named with when it was made is background, not a move
        ("Under a pact reached last July, Japan sells chips at set prices.", "neutral"),
        ("Under the accord, Japan sells chips at set prices.", "de-escalation"),  # without a date: a mention
        ("The two sides reached a pact on Tuesday.", "de-escalation"),
        # words whose market or everyday sense is no move
        ("The minister told a press conference that exports rose.", "neutral"),
        ("Officials expect domestic demand to grow 4 pct this year.", "neutral"),
        ("Quotas on frozen boneless beef remain at 50,000 tonnes.", "escalation"),  # the quota, not "frozen"
        ("Money supply grew faster than the government's target for 1987.", "neutral"),
        ("Soviet trade fell last year, a drop of 7.8 pct.", "neutral"),
        ("The accord runs to the end of 1989.", "de-escalation"),
        ("China vowed to fight to the end.", "escalation"),
        ("We need a surplus because we have to reduce our debt.", "neutral"),
        ("Such policies are likely to hurt the productive capabilities of the economy.", "neutral"),
        # an adjective before "tariff cuts"; raised quotas and extended accords ease
        ("TAIWAN PLANS NEW TARIFF CUTS", "de-escalation"),
        ("The quota on Hilton beef will be raised by 4,500 tonnes.", "de-escalation"),
        ("The textile accord has been extended by one year.", "de-escalation"),
        # vetoing a protectionist bill opposes protectionism, and what the bill holds is no threat
        ("Reagan said he would veto a trade bill requiring mandatory retaliation.", "de-escalation"),
        ("REAGAN SAYS TRADE BILL FACES VETO IN PRESENT FORM", "de-escalation"),
        # a call for talks or cooperation is no demand; a demand for a concession is
        ("GATT experts urged Washington to resist protectionism.", "de-escalation"),
        ("The EU urged China to hold talks.", "de-escalation"),
        ("Washington pressed Tokyo to open its markets.", "escalation"),
        ("Gephardt wants Japan to slash its trade surplus.", "escalation"),
        # cooperation, arbitration, offers and warding off action
        ("Tokyo will propose a joint investigation.", "de-escalation"),
        ("The EC asked GATT to arbitrate on the fish dispute.", "de-escalation"),
        ("NAKASONE INTERVENES IN MICROCHIP DISPUTE", "de-escalation"),
        ("Japan's main offers were better terms for citrus fruit.", "de-escalation"),
        ("To ward off U.S. action, Japan ordered a cutback in chip output.", "de-escalation"),
        ("The U.S. agreed to forego antidumping duties on Japanese chips.", "de-escalation"),
        # inability and interest
        ("Ministers were unable to resolve the fish claims.", "escalation"),
        ("It is not in the interests of either country to get in an escalating conflict.", "de-escalation"),
        ("He said the Japanese concessions were not enough.", "escalation"),
        # solving trade problems, limiting a surplus, import relief, messages, and "asked if" is no condition
        ("Japan detailed a plan to stave off trade problems with the U.S.", "de-escalation"),
        ("Seoul will limit its trade surplus with the United States.", "de-escalation"),
        ("The bill would help U.S. industries win relief from surges of imports.", "escalation"),
        ("We want to send a message to Japan.", "escalation"),
        ("Asked if there is a rising danger of a trade war, he said yes.", "escalation"),
        ("The U.S. urges surplus nations to boost growth.", "escalation"),
        ("The Chamber urged both governments to return to the negotiating table.", "de-escalation"),
        # pressure without a cue word; buying from the partner; market senses of purchase, freeze, press, drop
        ("Patience is beginning to be very much frayed in Washington.", "escalation"),
        ("Our major trading partners could still do more to stimulate domestic growth.", "escalation"),
        ("JAPAN CONSIDERING BUYING U.S. SUPERCOMPUTERS", "de-escalation"),
        ("The increase came from the bank's purchases of more than one billion U.S. Dlrs.", "neutral"),
        ("The wage freeze decree will expire on April 1.", "neutral"),
        ("He told the National Press Club that Japan had a large export balance.", "neutral"),
        ("The National Bank said the drop was due to lower exports.", "neutral"),
        # a far modifier stops at the comma after its own object
        ("By avoiding inflammatory rhetoric, China is building itself an off-ramp.", "de-escalation"),
        # a bare denial of the partner's charge is neutral (project decision); declining to comment is no refusal
        ("The ministry rejected U.S. accusations that Beijing had backtracked on its commitments.", "neutral"),
        ("China Rejects U.S. Charge It Reneged On Trade Commitments", "neutral"),
        ("China rejected the U.S. demands and vowed to retaliate.", "escalation"),
        ("Lyng rejected suggestions the U.S. and EC agree a freeze in export subsidies.", "escalation"),
        ("A spokeswoman for the trade representative's office declined to comment.", "neutral"),
        ("The ministry declined to say whether it would retaliate.", "escalation"),
        # session 6: threats of "necessary measures", halving a tariff, commitments to buy, opposing decoupling
        ("China would take necessary measures to defend its legitimate rights.", "escalation"),
        ("It will also halve the tariff rate on $120 billion of Chinese imports.", "de-escalation"),
        ("China had committed to buying an additional $200 billion of American goods.", "de-escalation"),
        ("Chinese officials said they oppose decoupling and want to keep markets open.", "de-escalation"),
        # quoted "necessary measures"; exemptions from tariffs; talks ending without progress; "end uses"; "delays"
        ('The ministry said it was ready to take "necessary measures" to protect Chinese firms.', "escalation"),
        ("China Exempts 16 Types of US Products From Additional Tariffs", "de-escalation"),
        ("Two days of talks in Washington ended on Thursday with no major progress.", "escalation"),
        ("The entities built supercomputers for military end uses that threatened US security.", "escalation"),
        ("US Delays Tariffs on Chinese Laptops, Phones Until December", "de-escalation"),
        # two easing verbs joined by "or" ease the same object; "slow to approve" holds a move back
        ("China said it would suspend or remove the countermeasures.", "de-escalation"),
        ("Chinese authorities have been slow to approve export licences for the magnets.", "escalation"),
        ("The paper accused the United States of delaying approval of high-technology sales.", "escalation"),
        # a licence requirement is an export control; cutting a firm off, clamping down, prohibiting
        ("China to Require Export Licenses for Gallium and Germanium", "escalation"),
        ("Foreign manufacturers will need a license before shipping chips designed by Huawei.", "escalation"),
        ("Beijing approved export licences for rare-earth magnets.", "de-escalation"),
        ("US moves to cut Huawei off from global chip suppliers", "escalation"),
        ("Biden Administration Clamps Down on China's Access to Chip Technology", "escalation"),
    ],
)
def test_rule_modifiers(text, stance):
    assert _rules(text).label == stance


def test_reported_versus_enacted_moves_are_marked():
    enacted = _cue(_rules("China imposed tariffs on U.S. soybeans."), "imposed")
    reported = _cue(_rules("China said it would impose tariffs on U.S. soybeans."), "impose")
    assert enacted["direction"] == reported["direction"] == "escalation"
    assert enacted["modifier"] is None
    assert reported["modifier"] in {"hedged", "reported"}
    assert reported["weight"] <= enacted["weight"]


def test_condition_clause_is_down_weighted_and_main_clause_marked_conditional():
    a = _rules("If the U.S. insists on its own way, China will resolutely take corresponding measures.")
    main = _cue(a, "corresponding measures")
    assert main["direction"] == "escalation" and main["modifier"] == "conditional"
    assert main["side"] == "China"
    cond = _rules("Beijing threatened retaliation if Trump sticks to his tariff threat.")
    inside = _cue(cond, "threat.") if any(c["text"].endswith("threat.") for c in cond.cues) else cond.cues[-1]
    assert inside["modifier"] == "condition" and inside["weight"] < _cue(cond, "threatened")["weight"]


def test_double_negation_is_recorded():
    cue = _cue(_rules("He is not ruling out the use of countermeasures."), "countermeasures")
    assert cue["direction"] == "escalation" and cue["modifier"] == "double-negated"


@pytest.mark.parametrize("text, word", [
    ('"We do not want protectionism ... We do not want a trade war," he said.', "trade war"),
    ("Both nations privately expressed desire to de-escalate and to quell tensions.", "tensions"),
])
def test_a_flip_with_its_own_object_does_not_double_the_next_one(text, word):
    # the nearer flip of the same kind governs; two flips of one cue stay a double negation (test above)
    cue = _cue(_rules(text), word)
    assert cue["direction"] == "de-escalation" and cue["modifier"] == "avoided"


def test_not_wanting_protectionism_is_no_accusation():
    cue = _cue(_rules("We do not want protectionism, the minister said."), "protectionism")
    assert cue["direction"] == "de-escalation" and cue["modifier"] == "avoided"


def test_lifting_is_one_move_not_two():
    a = _rules("The U.S. lifted sanctions on ZTE.")
    assert a.label == "de-escalation"
    assert _cue(a, "sanctions")["weight"] < _cue(a, "lifted")["weight"]


# ----------------------------------------------------------------------------- the seed's hard sentences

SEED_HARD = [
    # (substring of the seed sentence, cue word, cue direction, cue modifier or None for "any")
    ("lacked any specific threats of retaliation", "threats", "de-escalation", "absence"),
    ("not ruling out the use of countermeasures", "countermeasures", "escalation", "double-negated"),
    ("offered no indication of a full reversal", "reversal", "escalation", "negated"),
    ("China will resolutely take corresponding measures", "corresponding measures", "escalation", "conditional"),
    ("trying to avoid an immediate escalation", "escalation", "de-escalation", "avoided"),
    ("hopeful that both sides will avoid another round", "tariffs", "de-escalation", "avoided"),
    ("The refusal to rescind the policy", "rescind", "escalation", "refused"),
]


@pytest.mark.parametrize("needle, word, direction, modifier", SEED_HARD)
def test_seed_hard_sentences_cues(seed_sentences, needle, word, direction, modifier):
    rows = seed_sentences[seed_sentences["text"].str.contains(needle, regex=False)]
    assert len(rows) == 1
    out = score_stance(rows, model="rules")
    cue = [c for c in out["cues"].iloc[0] if word in c["text"]][0]
    assert cue["direction"] == direction
    assert cue["modifier"] == modifier


@pytest.mark.parametrize(
    "needle, stance",
    [
        ("If the U.S. insists on its own way", "escalation"),
        ("Beijing has threatened retaliation if", "escalation"),
        ("hopeful that both sides will avoid", "de-escalation"),
        ("The refusal to rescind the policy", "escalation"),
        ("In the end, Trump, Bessent", "de-escalation"),
        ("didn’t respond to requests for comment", "neutral"),
        # the guide's own example of "mixed": a contrast lets the weaker direction count at a quarter of the other
        ("publicly ease tensions with China to soothe markets while privately keeping up pressure", "mixed"),
    ],
)
def test_seed_sentence_labels_by_rules(seed_sentences, needle, stance):
    rows = seed_sentences[seed_sentences["text"].str.contains(needle, regex=False)]
    assert score_stance(rows.head(1), model="rules")["stance"].iloc[0] == stance


def test_seed_mixed_sentence_has_both_directions(seed_sentences):
    rows = seed_sentences[seed_sentences["text"].str.contains("while privately keeping up pressure", regex=False)]
    for cues in score_stance(rows, model="rules")["cues"]:
        assert {c["direction"] for c in cues} == {"escalation", "de-escalation"}


# ----------------------------------------------------------------------------- API contract

def test_score_stance_columns_keys_and_ranges(seed_sentences):
    for model in ("default", "rules"):
        out = score_stance(seed_sentences, model=model)
        assert list(out.columns[:4]) == ["article_id", "section", "para_idx", "sent_idx"]
        assert {"stance", "stance_score", "side", "cues"} <= set(out.columns)
        assert len(out) == len(seed_sentences)
        assert out["stance"].isin(LABELS).all()
        assert out["side"].isin(["US", "China", "both", "other", "none"]).all()
        assert out["stance_score"].between(-1, 1).all()
        assert (out.loc[out["stance"] == "neutral", "side"] == "none").all()
        assert out["sent_idx"].tolist() == seed_sentences["sent_idx"].tolist()
        for cues in out["cues"]:
            assert isinstance(cues, list)
            for c in cues:
                assert {"text", "direction", "weight", "modifier"} <= set(c)
                assert c["direction"] in ("escalation", "de-escalation")
        # escalation sentences score above de-escalation ones on average
        means = out.groupby("stance")["stance_score"].mean()
        assert means.get("escalation", 1) > means.get("de-escalation", -1)


def test_score_stance_on_strings_and_empty():
    out = score_stance(["China will retaliate.", "The talks were productive."])
    assert out["stance"].tolist() == ["escalation", "de-escalation"]
    assert out["stance_score"].iloc[0] > 0 > out["stance_score"].iloc[1]
    assert len(score_stance([])) == 0


@pytest.mark.parametrize("bad", ["just a string", 42, [1, 2], pd.DataFrame({"x": [1]})])
def test_score_stance_rejects_bad_input(bad):
    with pytest.raises(InputError):
        score_stance(bad)


def test_score_stance_rejects_unknown_model():
    with pytest.raises(InputError):
        score_stance(["China will retaliate."], model="bert")


def test_mentions_decide_the_agent():
    sents = pd.DataFrame({"article_id": ["a"], "section": ["body"], "para_idx": [0], "sent_idx": [0],
                          "start": [0], "end": [40], "text": ["The ministry threatened retaliation."]})
    assert score_stance(sents, model="rules")["side"].iloc[0] == "none"
    mentions = pd.DataFrame({"article_id": ["a"], "sent_idx": [0], "start": [0], "end": [12],
                             "text": ["The ministry"], "actor": ["China's Ministry of Commerce"], "side": ["China"]})
    assert score_stance(sents, mentions, model="rules")["side"].iloc[0] == "China"
    with pytest.raises(InputError):
        score_stance(sents, pd.DataFrame({"x": [1]}))


def test_fallback_actor_side_skips_prepositional_targets():
    a = _rules("Washington imposed new tariffs on Chinese goods.")
    assert a.side == "US"
    b = _rules("Beijing announced retaliatory tariffs against the United States.")
    assert b.side == "China"
    c = _rules("JAPAN WARNS U.S. IT MAY RETALIATE IN TRADE DISPUTE")  # the object of "warns" is no agent
    assert c.side == "other"


def test_side_of_charges_is_the_accuser():
    # the charge of a broken promise is the speaker's move, not the accused's
    assert _rules("Tai said China had not lived up to its purchase pledges.").side == "US"
    assert _rules("Japan has failed to implement the semiconductor agreement, Yeutter said.").side == "US"
    a = _rules("The U.S. Treasury designated China a currency manipulator.")
    assert (a.label, a.side) == ("escalation", "US")


def test_stance_by_side_counts():
    st = pd.DataFrame({
        "article_id": ["a", "a", "a", "b"], "sent_idx": [0, 1, 2, 0],
        "stance": ["escalation", "de-escalation", "escalation", "neutral"],
        "stance_score": [0.8, -0.6, 0.4, 0.0], "side": ["US", "China", "US", "none"],
    })
    out = stance_by_side(st)
    assert list(out.columns) == ["article_id", "side", "n_escalation", "n_de_escalation", "n_mixed", "n_neutral",
                                 "n_sentences", "mean_score"]
    us = out[(out.article_id == "a") & (out.side == "US")].iloc[0]
    assert (us.n_escalation, us.n_de_escalation, us.n_sentences) == (2, 0, 2)
    assert us.mean_score == pytest.approx(0.6)
    assert out["n_sentences"].sum() == len(st)
    with pytest.raises(InputError):
        stance_by_side(pd.DataFrame({"x": [1]}))


def test_stance_by_side_uses_mentions_for_agentless_sentences():
    st = pd.DataFrame({"article_id": ["a"], "sent_idx": [3], "stance": ["escalation"], "stance_score": [0.5],
                       "side": ["none"]})
    mentions = pd.DataFrame({"article_id": ["a", "a"], "sent_idx": [3, 3], "start": [0, 10], "end": [5, 15],
                             "text": ["China", "China"], "actor": ["China", "China"], "side": ["China", "China"]})
    assert stance_by_side(st, mentions)["side"].tolist() == ["China"]
    assert stance_by_side(st)["side"].tolist() == ["none"]


# ----------------------------------------------------------------------------- model file and evaluation

TOY = pd.DataFrame({
    "article_id": ["a", "a", "b", "b", "c", "c", "d", "d"],
    "text": ["China will retaliate against the tariffs.", "The talks were productive.",
             "Washington imposed sanctions.", "The two sides reached a deal.",
             "Beijing threatened countermeasures.", "Trump praised the truce.",
             "Exports rose 3 percent.", "Imports fell in March."],
    "stance": ["escalation", "de-escalation", "escalation", "de-escalation", "escalation", "de-escalation",
               "neutral", "neutral"],
    "side": ["China", "both", "US", "both", "China", "US", "none", "none"],
})


def test_classifier_json_round_trip_is_exact_and_not_pickle():
    clf = StanceClassifier(min_df=1).fit(TOY["text"], TOY["stance"], TOY["side"])
    data = json.loads(json.dumps(clf.to_json()))
    back = StanceClassifier.from_json(data)
    np.testing.assert_allclose(back.predict_proba(TOY["text"]), clf.predict_proba(TOY["text"]), atol=1e-5)
    assert list(back.predict(TOY["text"])) == list(clf.predict(TOY["text"]))
    out = score_stance(list(TOY["text"]), model=back)
    assert out["stance"].isin(LABELS).all()


@pytest.mark.parametrize("bad", [{}, {"format": "tradelib-stance-model/1"}, {"format": "other"}])
def test_malformed_model_raises(bad):
    with pytest.raises(DataFileError):
        StanceClassifier.from_json(bad)


def test_shipped_model_loads():
    from tradelib.stance import default_model

    clf = default_model()
    assert clf is not None and set(clf.classes_) <= set(LABELS)


def test_evaluate_stance_figures():
    ev = evaluate_stance(["escalation", "neutral", "mixed", "neutral"], ["escalation", "neutral", "neutral", "neutral"],
                         gold_side=["US", "none", "US", "none"], pred_side=["US", "none", "China", "none"])
    assert ev["accuracy"] == pytest.approx(0.75)
    assert ev["side_accuracy"] == pytest.approx(0.75)
    assert ev["confusion"].loc["mixed", "neutral"] == 1
    assert ev["confusion"].to_numpy().sum() == 4
    # macro-F1 over labels present: escalation 1, mixed 0, neutral 0.8
    assert ev["macro_f1"] == pytest.approx((1 + 0 + 0.8) / 3)
    with pytest.raises(InputError):
        evaluate_stance([], [])


def test_cross_validation_is_grouped_by_article():
    cv = cross_validate_stance(TOY, n_splits=4, params={"min_df": 1})
    assert (cv.groupby("article_id")["fold"].nunique() == 1).all()
    assert (cv["fold"] >= 0).all()
    assert cv["pred_stance"].isin(LABELS).all()
    with pytest.raises(InputError):
        cross_validate_stance(TOY[TOY.article_id == "a"])


def test_label_files_follow_the_guide():
    paths = sorted(TEST_DATA.glob("stance_labels*.jsonl"))
    assert len(paths) >= 6
    seen: set[str] = set()
    for path in paths:
        raw = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        assert all(r["stance"] in LABELS for r in raw)
        assert all(r.get("side", "none") in ("US", "China", "both", "other", "none") for r in raw)
        assert all(r["side"] == "none" for r in raw if r["stance"] == "neutral"), path.name
        ids = {r["id"] for r in raw}
        assert len(ids) == len(raw) and not ids & seen, path.name  # no sentence labelled twice
        seen |= ids
    extra = load_labels(TEST_DATA / "stance_labels_extra.jsonl")
    assert (extra["source"] == "synthetic").all()


@pytest.mark.parametrize("name", ["fresh10", "synth9"])
def test_second_annotator_files_cover_the_same_sentences(name):
    first = [json.loads(x) for x in (TEST_DATA / f"stance_labels_{name}.jsonl").read_text(encoding="utf-8").splitlines()]
    second = [json.loads(x) for x in
              (TEST_DATA / f"stance_agreement_{name}.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["text"]) for r in first] == [(r["id"], r["text"]) for r in second]
    assert all(r["stance"] in LABELS and r["side"] in ("US", "China", "both", "other", "none") for r in second)


def test_heldout_sets_are_labelled_by_the_guide_and_kept_out_of_training():
    paths = sorted(TEST_DATA.glob("stance_heldout_*.jsonl"))
    assert [p.name for p in paths] == ["stance_heldout_fresh11.jsonl", "stance_heldout_synth11.jsonl"]
    training = {json.loads(x)["id"] for p in TEST_DATA.glob("stance_labels*.jsonl")
                for x in p.read_text(encoding="utf-8").splitlines()}
    for path in paths:
        raw = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
        assert all(r["stance"] in LABELS and r["side"] in ("US", "China", "both", "other", "none") for r in raw)
        assert all(r["side"] == "none" for r in raw if r["stance"] == "neutral")
        assert not {r["id"] for r in raw} & training, path.name
    assert "heldout" not in (TEST_DATA.parent.parent / "scripts" / "fit_stance.py").read_text(encoding="utf-8")


def test_same_input_same_output(seed_sentences):
    a = score_stance(seed_sentences)
    b = score_stance(seed_sentences)
    pd.testing.assert_frame_equal(a.drop(columns="cues"), b.drop(columns="cues"))
    assert a["cues"].tolist() == b["cues"].tolist()


@needs_reuters
@pytest.mark.slow
def test_reuters_trade_sentences_get_both_directions():
    arts = tradelib.load_articles(sorted(REUTERS.glob("reut2-00[0-1].sgm"))).articles
    arts = arts[arts["meta"].map(lambda m: "trade" in (m.get("TOPICS") or []))]
    out = score_stance(tradelib.split_sentences(arts))
    counts = out["stance"].value_counts()
    assert counts.get("escalation", 0) > 0 and counts.get("de-escalation", 0) > 0
    assert counts.get("neutral", 0) > counts.get("mixed", 0)
    assert stance_by_side(out)["n_sentences"].sum() == len(out)


# ----------------------------------------------------------------------------- speed-ups that must not change results

_SAMPLES = [
    "China will take corresponding measures and cancel the talks; the U.S. raised tariffs on 25 percent of goods.",
    "They called for dialogue, and officials stopped the 90-day truce, holding new talks in 2019.",
    "It scrapped, banned and froze quotas; tariffs took effect as 10% duties were cut.",
    "Both sides agreed to meet again, the ministry did not retaliate, and Washington's envoy met Liu He.",
    "\u201cWe won\u2019t back down,\u201d he said \u2014 US officials denied access to the market.",
]


@pytest.mark.parametrize(
    "items, text, expected",
    [
        # an alternative that must match more characters is tried first, whatever the patterns' lengths
        ([("press(?:es|ed|ing|ure|ured|uring)?", "verb"), (r"press\s+club", "name")], "at the press club", "name"),
        ([("tariff(?:s|es|ing|ed)?", "mention"), (r"tariffs?\s+cut", "cut")], "new tariff cut", "cut"),
        # a leading group of plain words (with "?") is split, so its words compete with the other alternatives
        ([("concessions?", "agree"), (r"(?:concessions?|offers?)\s+were\s+not\s+enough", "accuse"),
          (r"countervailing\s+duties\s+on\s+imported\s+semiconductors", "impose")],
         "the concessions were not enough", "accuse"),
    ],
)
def test_matcher_prefers_the_longer_match_at_one_position(items, text, expected):
    from tradelib._regex import Matcher

    found = Matcher(items).finditer(text)
    assert [meta for _, _, meta in found][:1] == [expected]


@pytest.mark.parametrize("name", ["cues", "mods", "actors"])
def test_grouped_matchers_find_the_same_matches(name):
    """The regrouped alternation (_dispatch) matches exactly where the plain trie does."""
    import re

    matcher = getattr(rules.vocabulary(), name)
    plain = re.compile(matcher.plain)
    assert name == "actors" or plain.pattern != matcher.rx.pattern  # (the actors have nothing to regroup)
    text = rules.lower_same_length("\x00".join(_SAMPLES * 2))
    assert [m.span() for m in plain.finditer(text)] == [m.span() for m in matcher.rx.finditer(text)]


@pytest.mark.parametrize(
    "alternation, text",
    [
        ("(?:cancel(?:s|led)?|cut)\\s+talks|call\\w*\\s+off|\\d+\\s?%|cut", "they cancelled talks, cut 5 % and call it off"),
        ("abc|ab|(?:a|b)c?|\\w+x|b", "abc ab a b bc wx abx"),
        ("(?:ab|a)(?:c|)|a", "abc ac a ab"),
        ("x(?:y|z)*|xy|(?:x|y)y", "xyzzy xy yy xx"),
    ],
)
def test_dispatch_keeps_every_match(alternation, text):
    import re

    grouped = rules._dispatch(alternation)
    assert "|".join(rules._split_top(alternation)) == alternation
    for a, b in [(alternation, grouped)]:
        ra, rb = re.compile(f"(?<!\\w)(?:{a})"), re.compile(f"(?<!\\w)(?:{b})")
        assert [m.span() for m in ra.finditer(text)] == [m.span() for m in rb.finditer(text)]
        for i in range(len(text)):  # and the same match at every position
            ma, mb = ra.match(text, i), rb.match(text, i)
            assert (ma and ma.span()) == (mb and mb.span())


def test_stance_with_mentions_equals_sentence_by_sentence(seed_sentences):
    """Batched scans and shared analyses give what analysing each sentence alone gives."""
    mentions = tradelib.find_actors(seed_sentences)
    out = score_stance(seed_sentences, mentions=mentions, model="rules")
    doubled = pd.concat([seed_sentences, seed_sentences.assign(article_id="copy")], ignore_index=True)
    twice = score_stance(doubled, mentions=tradelib.find_actors(doubled), model="rules")
    assert twice["stance"].tolist() == out["stance"].tolist() * 2
    assert twice["cues"].tolist() == out["cues"].tolist() * 2
    voc, n_joint = rules.vocabulary(), 0
    for sent, row in zip(seed_sentences.itertuples(), out.itertuples()):
        # the spans as documented: find_actors mentions, with joint subjects from the fallback list over them
        own = mentions[(mentions["article_id"] == sent.article_id) & (mentions["sent_idx"] == sent.sent_idx)]
        spans = [(m.start - sent.start, m.end - sent.start, m.side) for m in own.itertuples()]
        joint = [j for j in voc.actors.finditer(rules.lower_same_length(sent.text)) if j[2] == "both"]
        spans = sorted([s for s in spans if not any(j[0] <= s[0] and s[1] <= j[1] for j in joint)] + joint)
        n_joint += bool(joint)
        alone = rules.analyse(sent.text, spans)
        assert (row.stance, row.side, row.cues) == (alone.label, alone.side, alone.cues)
    assert (out["stance"] != "neutral").sum() >= 5 and n_joint >= 1


def test_stance_by_side_empty_table_has_integer_counts():
    empty = score_stance(pd.DataFrame({"article_id": [], "sent_idx": [], "text": []}).astype(
        {"article_id": str, "sent_idx": "int64", "text": str}))
    out = stance_by_side(empty)
    assert list(out.columns) == ["article_id", "side", "n_escalation", "n_de_escalation", "n_mixed", "n_neutral",
                                 "n_sentences", "mean_score"]
    assert len(out) == 0 and out["n_escalation"].dtype == "int64"


def test_ngram_vectoriser_fast_path_equals_general_path():
    """The numpy path over pre-lowered texts gives the same matrix as the per-sentence path (uni- and bigrams)."""
    from tradelib import _stance_rules as rules
    from tradelib._stance_model import NgramVectoriser

    texts = ["Trade war fears grow as the U.S. raises tariffs", "The trade war is over, officials said.",
             "Tariffs of 25 pct on 200 bln dlrs of goods", "", "war trade war trade"]
    with_sep = texts + ["a\x00b trade war"]  # a separator inside a text: the general path
    for batch in (texts, with_sep):
        norms = [a.norm for a in rules.analyse_many(batch)]
        for n_max in (1, 2):
            vec = NgramVectoriser(n_max, 1).fit(batch)
            general, fast = vec.transform(batch), vec.transform(batch, norms)
            assert general.shape == fast.shape and (general != fast).nnz == 0 and general.nnz > len(batch)
            assert n_max == 1 or "trade war" in vec.vocabulary
    odd = NgramVectoriser(2, 1, ["trade war", "zz war"])  # a bigram whose words are not both in the vocabulary
    norms = [a.norm for a in rules.analyse_many(texts)]
    assert (odd.transform(texts) != odd.transform(texts, norms)).nnz == 0 and odd.transform(texts).nnz == 3
