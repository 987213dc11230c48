"""extract_quotes: quote marks, attribution patterns, speakers, sides, channels; the labelled Reuters set."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import TEST_DATA, needs_reuters

import tradelib
from tradelib.errors import InputError
from tradelib.quotes import QUOTE_COLUMNS

LABELS = TEST_DATA / "reuters_quotes_labelled.jsonl"

# The seed read by hand: nine quoted passages from five speakers.
# (text, speaker, side, cue, partial, channel)
SEED_QUOTES = [
    ("Don\u2019t worry about China! It will all be fine", "Donald Trump", "US", "read", False, "social media"),
    ("I imagine I will have some contact with my counterpart and then the two leaders will meet",
     "Scott Bessent", "US", "said", False, "interview/TV"),
    ("The relationship, despite this announcement last week, is good.", "Scott Bessent", "US", "said", False,
     "interview/TV"),
    ("prudential and moderate manner", "China's Ministry of Commerce", "China", "promised", True, "statement"),
    ("China\u2019s export controls are not export bans", "China's Ministry of Commerce", "China", "said", False,
     "statement"),
    ("All applications for compliant export for civil use can get approval, so that relevant businesses have no "
     "need to worry", "China's Ministry of Commerce", "China", "said", False, "statement"),
    ("If the U.S. insists on its own way, China will resolutely take corresponding measures to safeguard its "
     "legitimate rights and interests", "Lin Jian", "China", "said", False, "briefing"),
    ("The U.S. and China can choose to spur another cycle of action and retaliation, or they can choose a path "
     "that leads to de-escalation and negotiation", "Sean Stein", "US", "said", False, "unknown"),
    ("For the good of the economy, U.S. companies are hoping for the latter.", "Sean Stein", "US", "said", False,
     "unknown"),
]


def _one(body: str, article_id: str = "t") -> pd.DataFrame:
    return tradelib.extract_quotes(pd.DataFrame({"article_id": [article_id], "body": [body]}))


def test_seed_table(seed_articles):
    q = tradelib.extract_quotes(seed_articles)
    assert list(q.columns) == QUOTE_COLUMNS
    got = [tuple(r) for r in q[["text", "speaker", "speaker_side", "cue", "partial", "channel"]].itertuples(index=False)]
    assert got == SEED_QUOTES
    assert q["speaker"].nunique() == 5
    assert list(q["quote_idx"]) == list(range(9))
    body = seed_articles.iloc[0].body
    assert all(body[r.start:r.end] == r.text for r in q.itertuples())


def test_he_said_skips_the_anonymous_source_on_a_public_channel(seed_articles):
    # "A person close to Bessent said ..." then "“…,” he said Monday on Fox Business Network."
    q = tradelib.extract_quotes(seed_articles)
    row = q[q["text"].str.startswith("I imagine")].iloc[0]
    assert row["speaker"] == "Scott Bessent"


@pytest.mark.parametrize("body, speaker, side, cue", [
    ('"We will fight to the end," Lin Jian said.', "Lin Jian", "China", "said"),
    ("Trump wrote on Truth Social: \u201cTariffs are a beautiful thing.\"", "Donald Trump", "US", "wrote"),
    ('"Talks went well," said Sean Stein, president of the U.S.-China Business Council.', "Sean Stein", "US", "said"),
    ('"The talks were useful," said one Japanese official.', "one Japanese official", "other", "said"),
    ("Treasury Secretary Scott Bessent said, \u201cWe are not looking to escalate.\u201d", "Scott Bessent", "US", "said"),
    ("\u2018We will win,\u2019 Xi Jinping said.", "Xi Jinping", "China", "said"),
    ('Prime Minister Yasuhiro Nakasone met reporters. "Japan will open its markets," he said.',
     "Yasuhiro Nakasone", "other", "said"),
    ("China\u2019s Ministry of Commerce issued a statement. \u201cWe firmly oppose this,\u201d it said.",
     "China's Ministry of Commerce", "China", "said"),
    ('"Prices will rise," according to Richard Loewy, an analyst at Prudential-Bache.', "Richard Loewy", "other",
     "according to"),
    ('Commerce Secretary Malcolm Baldrige spoke first.\n\n"The deficit will fall," the commerce secretary said.',
     "Malcolm Baldrige", "US", "said"),
    # "American" opening a firm's name is not the US government
    ('"Markets are nervous," said Richard O\'Brien, economist at American Express International Bank in London.',
     "Richard O'Brien", "other", "said"),
    ('"We will decide soon," said Robert Ortner, Commerce undersecretary for economic affairs.',
     "Robert Ortner", "US", "said"),  # a title after the name
    ('New York analyst William Raferty, of Smith Barney said "We are still in a bull market."',
     "William Raferty", "other", "said"),  # the person, not the firm after ", of"
    ('Analyst Mary Hill said "Prices will hold," adding that demand was firm.', "Mary Hill", "other", "said"),
    ('Finance Minister Dilson Funaro spoke on Monday.\n\nSpeaking to a conference he said "Brazil will not pay."',
     "Dilson Funaro", "other", "said"),
    # "Name of Body": the person, with the body's side
    ('"The trade data will decide it," said Jim McGroarty of Discount Corp.', "Jim McGroarty", "other", "said"),
    ('Pat Carney of Canada said "We are meeting in a time of great trade tension."', "Pat Carney", "other", "said"),
    ('"We will act," said John Smith of the Commerce Department.', "John Smith", "US", "said"),
    ('"It is a lose-lose situation," said Wang Jun, chief economist at Zhongyuan Bank in Beijing.', "Wang Jun",
     "other", "said"),  # where the employer sits is no side
    ('One Western commercial attache here said: "Devaluation of itself will not change anything."',
     "One Western commercial attache", "other", "said"),  # "here" is no part of the speaker
    # "States" in "the United States" is no reporting verb
    ('Beryl Sprinkel spoke.\n\nHowever, he said that "sole reliance on a cheap dollar is not desirable," as it risks '
     'inflation in the United States and recession abroad.', "Beryl Sprinkel", "US", "said"),
    ('Paul Volcker spoke.\n\nHe recommended "we should not lock ourselves into formal procedures" on rates.',
     "Paul Volcker", "US", "recommended"),
    # a word the speaker used, even after "as", when the attribution follows at once
    ('Describing the estimate as "nebulous," one diplomat said it was too high.', "one diplomat", "other", "said"),
    # a definite description that refers back to a person named with that title
    ('Later, White House spokesman Marlin Fitzwater defended the sanctions.\n\n"It is nothing to be alarmed about," '
     'the presidential spokesman added.', "Marlin Fitzwater", "US", "added"),
    ('Robert Crandall, an analyst at the Brookings Institution, disagreed.\n\n"It will backfire," the analyst said.',
     "Robert Crandall", "other", "said"),
    ('House Speaker Jim Wright dismissed the charges.\n\n"That is utterly ridiculous," the Texas Democrat told '
     'reporters.', "Jim Wright", "US", "told"),
    # an acronym the article has spelled out
    ('The Economist Intelligence Unit (EIU) said the dollar would fall.\n\n"This is not a crash scenario," the EIU '
     'said.', "Economist Intelligence Unit", "other", "said"),
    # ... or whose initials end the acronym (the country's letters left unspelt)
    ('Rates will fall, the Institute of Economic Research (NZIER) said.\n\n"Inflation will ease," the NZIER '
     'said.', "Institute of Economic Research", "other", "said"),
    # a newspaper is press, whatever city it is named after; "the newspaper" is the one named
    ('The Washington Post said the department revised the figure.\n\nThe newspaper said: "The report went '
     'unnoticed."', "Washington Post", "other", "said"),
    ('Earlier the newspaper La Repubblica cited the central bank.\n\n"Capital has flowed abroad," said the '
     'newspaper.', "La Repubblica", "other", "said"),
    # a relative clause between the speaker and the verb
    ('Japan will resist, a senior ministry official said.\n\n"Imports would drop," the official, who declined to be named, '
     'said.', "a senior ministry official", "other", "said"),
    # a second reporting verb joined by "and" keeps the subject of the first
    ('Buttrose said he expected a deficit of 900 mln dlrs, and added "Any figure under a billion will be '
     'acceptable."', "Buttrose", "other", "added"),
    # "saying" takes the subject of its clause, after an opening participle phrase
    ('Speaking last night, Chirac set out the French position saying: "Any agreement should mention short-range '
     'missiles."', "Jacques Chirac", "other", "saying"),  # in the actor lexicon
    # an inverted subject followed by "of" and no body's name
    ('"Prices are inching up," said Merrill Lynch analyst Thomas Kurlack of the two key memory chips.',
     "Thomas Kurlack", "other", "said"),
    # a lower-case title before a surname named in full earlier
    ('Analyst Drew Peck of Donaldson Lufkin spoke.\n\nBut analyst Peck said, "it will take a few weeks."',
     "Drew Peck", "other", "said"),
    # the quoted sentence goes on after the closing mark, then an inverted subject
    ('Stanley Collander of Touche Ross spoke.\n\n"For political reasons, 35 billion dlrs is about the most" out of '
     "Congress at the present time, said Touche Ross's Collander.", "Stanley Collander", "other", "said"),
    # a colon introduces the quote after a longer stretch from the cue
    ('Danish Foreign Minister Uffe Ellemann-Jensen said in an interview with the daily Berlingske Tidende: "Denmark '
     'will not accept a ban."', "Uffe Ellemann-Jensen", "other", "said"),
    # "but said" keeps the subject of the verb before
    ('Marlin Fitzwater spoke.\n\nHe noted high level meetings are underway but said, "I cannot report anything."',
     "Marlin Fitzwater", "US", "said"),
    # "X quoted Y as telling": Y speaks
    ('Kyodo quoted Nakasone as telling reporters after meeting the envoy, "I entirely accept what he recommended."',
     "Yasuhiro Nakasone", "other", "quoted"),  # in the actor lexicon
    # "Rep." and a party label mark a US legislator
    ('Rep. Don Bonker, chairman of the International Economic Policy subcommittee, spoke.\n\n"This is Congress\' '
     'number one opportunity," the Washington Democrat said.', "Don Bonker", "US", "said"),
    # wire copy misspells a surname; the person named before is meant
    ('"The economy is moving between extremes," said Jason Benderly of Goldman Sachs.\n\n"Some reports will look '
     'bad," Benderley said.', None, None, None),
])
def test_attribution_patterns(body, speaker, side, cue):
    q = _one(body)
    if speaker is None:  # the misspelt-surname case: two quotes, one speaker
        assert q["speaker"].tolist() == ["Jason Benderly", "Jason Benderly"]
        return
    assert len(q) == 1
    row = q.iloc[0]
    assert (row["speaker"], row["speaker_side"], row["cue"]) == (speaker, side, cue)
    assert body[row["start"]:row["end"]] == row["text"]


def test_contextual_alias_takes_the_country_named_most_recently_among_its_candidates():
    # "the Ministry of Commerce" after "China ... U.S. soybeans": the US has no such ministry, so it is China's
    body = ('China hit back with tariffs on U.S. soybeans. The Ministry of Commerce announced the duties hours after '
            'the office of the U.S. Trade Representative published its list.\n\n'
            '\u201cThis is a legitimate response,\u201d the ministry said in a statement.')
    assert _one(body)["speaker"].tolist() == ["China's Ministry of Commerce"]


def test_curly_apostrophe_demonym_in_an_appositive():
    # "China\u2019s" in an appositive once raised KeyError (the demonym table is keyed with a straight apostrophe)
    q = _one("\u201cWe will respond,\u201d said Gao Feng, China\u2019s commerce ministry spokesman.")
    assert list(zip(q["speaker"], q["speaker_side"])) == [("Gao Feng", "China")]


def test_he_after_a_person_who_opens_the_sentence_before():
    body = ('But a Western economist said "This will not work."\n\nNevertheless, Polish National Bank head Wladyslaw '
            'Baka, in talks in Washington, made it clear that Poland wanted help.\n\n'
            '"We need a lead from the United States," he said.')
    q = _one(body)
    assert q["speaker"].tolist() == ["a Western economist", "Wladyslaw Baka"]


def test_the_newspaper_is_not_the_body_named_last():
    body = ('The Commerce Department revised the deficit on Tuesday.\n\n'
            'The newspaper said: "News of the deficit helped batter the dollar."')
    assert _one(body)["speaker"].tolist() == [None]
    two = ('The Washington Post and the New York Times both covered the Commerce Department figures.\n\n'
           '"The dollar fell," said the newspaper.')
    assert _one(two)["speaker"].tolist() == [None]  # two papers named: which one is not guessed


def test_quote_across_sentences_is_one_quote():
    q = _one('"We are ready. We will not back down. Never," Xi Jinping said.')
    assert q["text"].tolist() == ["We are ready. We will not back down. Never"]
    assert q["speaker"].tolist() == ["Xi Jinping"]


def test_nested_quote_stays_inside():
    q = _one("\u201cHe told me \u2018no deal\u2019 yesterday,\u201d Bessent said.")
    assert q["text"].tolist() == ["He told me \u2018no deal\u2019 yesterday"]
    assert q["speaker"].tolist() == ["Scott Bessent"]


def test_follow_on_paragraph_and_follow_on_sentence():
    body = ('Yeutter said "Capital and trade flows are linked.\n\n'
            '"Unless we cut the budget deficit, the trade deficit stays."\n\n'
            '"It is a long road," Yeutter said. "But we will get there."')
    q = _one(body)
    assert q["speaker"].tolist() == ["Clayton Yeutter"] * 4


@pytest.mark.parametrize("body", [
    'The so-called "phase one" deal was signed on Wednesday.',
    'He appeared on "Face the Nation" on Sunday and said little.',
    'Officials described the talks as productive, and the "Made in China 2025" plan was not discussed.',
])
def test_scare_quotes_and_titles_have_no_speaker(body):
    q = _one(body)
    assert len(q) == 1
    assert q["speaker"].isna().all() and q["cue"].isna().all() and q["partial"].all()


@pytest.mark.parametrize("body", [
    '"This is unacceptable."',
    '"It will fail," he said.',  # no antecedent anywhere
    '"We oppose it," the official said.',  # which official? none named before
])
def test_unclear_attribution_gives_none(body):
    q = _one(body)
    assert len(q) == 1 and q["speaker"].isna().all()


def test_partial_quote_takes_the_subject_of_the_sentence():
    body = "Commerce Secretary Malcolm Baldrige warned that Japan's practices were \"simply unfair\" to U.S. firms."
    row = _one(body).iloc[0]
    assert (row["text"], row["speaker"], row["cue"], bool(row["partial"])) == (
        "simply unfair", "Malcolm Baldrige", "warned", True)


def test_no_quotes_and_bad_input():
    q = _one("No quotation marks here. None at all.")
    assert list(q.columns) == QUOTE_COLUMNS and q.empty
    with pytest.raises(InputError):
        tradelib.extract_quotes(pd.DataFrame({"article_id": ["x"]}))


def test_labelled_set_is_well_formed():
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 60
    for r in rows:
        assert r["article_id"].startswith("reuters-") and r["text"].strip()
        assert r["side"] in ("US", "China", "other", None)
        assert (r["speaker"] is None) == (r["side"] is None) or r["speaker"] is not None


@pytest.mark.parametrize("pred, gold, ok", [
    ("Clayton Yeutter", "Yeutter", True),
    ("Stephens", "Malcolm Stephens", True),
    ("a Hitachi Ltd <HIT.T> spokesman", "a Hitachi Ltd spokesman", True),
    (None, None, True),
    (None, "Yeutter", False),
    ("James Baker", "Malcolm Baldrige", False),
    ("one U.S. official", "one Japanese official", False),
])
def test_speaker_matching(pred, gold, ok):
    from tradelib.evaluate import speaker_matches

    assert speaker_matches(pred, gold) is ok


def test_quote_accuracy_by_set_equals_one_call_per_set():
    from tradelib.evaluate import quote_accuracy

    arts = pd.DataFrame({"article_id": ["a", "b"], "body": ['"We will respond," Lin Jian said.',
                                                            '"Talks went well," a trader said. "Maybe," he said.']})
    labels = pd.DataFrame({"article_id": ["a", "b", "b"], "text": ["We will respond", "Talks went well", "Maybe"],
                           "speaker": ["Lin Jian", "Xi Jinping", "a trader"], "side": ["China", "China", "other"],
                           "set": ["x", "y", "y"]})
    table = quote_accuracy(labels, arts, by="set").set_index("set")
    assert list(table.index) == ["all", "x", "y"]
    for name, group in [("all", labels), *labels.groupby("set")]:
        one = quote_accuracy(group, arts).set_index("metric")["value"]
        assert table.loc[name].to_dict() == one.to_dict()
    assert table.loc["y", "speaker_accuracy"] == 0.5
    with pytest.raises(tradelib.TradelibError):
        quote_accuracy(labels, arts, by="nope")


def test_quote_accuracy_scores_the_quote_that_matches_the_label_best():
    from tradelib.evaluate import quote_accuracy

    body = ('Some traders bet on the "TACO trade" this summer.\n\n'
            '"The TACO trade works until it doesn\'t," said Daniel Reyes, a portfolio manager.')
    arts = pd.DataFrame({"article_id": ["a"], "body": [body]})
    labels = pd.DataFrame({"article_id": ["a", "a"], "text": ["The TACO trade works until it doesn't,", "TACO trade"],
                           "speaker": ["Daniel Reyes", None], "side": ["other", None]})
    table = quote_accuracy(labels, arts, details=True)
    # the label's own quote is scored, not the shorter "TACO trade" held in its text, which comes first
    assert table["speaker"].iloc[0] == "Daniel Reyes" and pd.isna(table["speaker"].iloc[1])
    assert table["speaker_ok"].all()


@needs_reuters
@pytest.mark.slow
def test_reuters_labelled_speaker_accuracy():
    from tradelib.evaluate import quote_accuracy

    labels = pd.read_json(LABELS, lines=True)
    figures = quote_accuracy(labels).set_index("metric")["value"]
    assert figures["coverage"] >= 0.95
    assert figures["speaker_precision"] >= 0.95  # a speaker given is nearly always right
    assert figures["speaker_accuracy"] >= 0.90
    assert figures["side_accuracy"] >= 0.90
    # the sets whose misses were read and fixed stay fixed (a regression guard, not the unseen-text figure)
    tuned = labels[labels["set"].isin(["dev", "heldout", "heldout2", "fresh_a"])]
    assert quote_accuracy(tuned).set_index("metric")["value"]["speaker_accuracy"] >= 0.95


# ----------------------------------------------------------------------------- speed-ups that must not change results

@pytest.mark.parametrize(
    "text",
    [
        "Trade officials SAID on Monday, according to people familiar with the matter, that talks will resume.",
        "\u201cNo,\u201d said the spokesman, who declined to comment; a senior U.S. official told Reuters.",
        "Sources Say the ministry didn\u2019t immediately respond, ADDING that it Warned of retaliation.",
        "The \u212aorea delegation (K with a Kelvin sign) said nothing; officials \u017fay it is over.",
        "",
    ],
)
def test_caseless_cues_match_like_ignorecase(text):
    """Cue regexes run on lower-cased text give the matches of the case-insensitive originals."""
    import re

    from tradelib._attribution import cues

    cs = cues()
    for rx in [cs.verb, cs.no_comment, cs.anonymous, cs.according] + [c for _, c in cs.channels]:
        plain = re.compile(rx.pattern, re.IGNORECASE)
        assert [m.span() for m in rx.finditer(text)] == [m.span() for m in plain.finditer(text)]
        got, want = rx.search(text), plain.search(text)
        assert (got and (got.span(), got.group(0))) == (want and (want.span(), want.group(0)))


@pytest.mark.parametrize("body, speakers", [
    # a sentence opening with "The senior official" makes that official the antecedent of "he"
    ('A senior Foreign Ministry official told Reuters the threats hurt.\n\nThe senior official sounded pessimistic '
     'about Prime Minister Yasuhiro Nakasone defusing the anger.\n\n"Friction will not be solved soon," he said.',
     [("A senior Foreign Ministry official", "other")]),
    # "a spokesman for <body>" is a person speaking for the body: "he" and "the spokesman" find him
    ('"We abide by the agreement," a spokesman for the International Trade and Industry Ministry told Reuters.\n\n'
     'He said prices were high. "We are aiming to reduce production," he said.\n\nThe spokesman added: "It is only a '
     'matter of time."', [("a spokesman for the International Trade and Industry Ministry", "other")] * 3),
    # a party label in the appositive makes a US legislator
    ('"We are losing our semiconductors," subcommittee chairman James Florio, a New Jersey Democrat said.',
     [("James Florio", "US")]),
    # the title at the first mention gives the side of the name used later
    ('The call by U.S. Deputy Trade Representative Michael Smith follows a series of rows.\n\n"The GATT must be '
     'strengthened," Smith said.', [("Michael Smith", "US")]),
    # "X's colleague, Name, said": the colleague, not X
    ('Li Ta-hai spoke first.\n\nLi\'s colleague, Wang Chien-shien, said Taiwan will send missions.\n\n"We hope to '
     'cut our surplus," he said.', [("Wang Chien-shien", "other")]),  # Taiwan's side
    # "Name, R-MI., said": a US legislator
    ('Bill Frenzel, R-MI., said the bill was not one "that a free trader like me could endorse," but he emphasized '
     'a consensus.', [("Bill Frenzel", "US")]),
    ('Reagan spoke.\n\nRepublican Bill Frenzel of Michigan said the bill was not one "that a free trader like me '
     'could endorse," but he emphasized a consensus.', [("Bill Frenzel", "US")]),  # a party label before the name
    # "..., but he added": the subject of the reporting verb earlier in the sentence, not the last person named
    ('Reagan opposed the bill.\n\nWhite House spokesman Marlin Fitzwater told reporters that the administration '
     'disliked some provisions, but he added, "Generally we feel very good."', [("Marlin Fitzwater", "US")]),
    # ... but only after "but"/"and": here "he" is the Treasury secretary of the sentence before
    ('Treasury Secretary James Baker said curbs were certain.\n\nAsked what the chance was for Reagan to cancel '
     'the tariffs, he said "slim to none."', [("James Baker", "US")]),
    # "Name, <title> ... said" with no comma closing the title; and a stray comma after a titled name
    ('In testimony today, Tom Cook, director of industry affairs for the National Cattlemens Association said "we '
     'mean business."', [("Tom Cook", "other")]),
    ('U.S. assistant trade representative Suzanne Earley, replied "we are not going to let Japan off the hook."',
     [("Suzanne Earley", "US")]),
    # modern-news shapes (session 6): a full stop after the closing mark ends the sentence, so the next
    # sentence's "He said:" opens the next quote
    ('At the weekly briefing, spokesman Gao Feng said China would \u201cnever bow to threats\u201d. He said: '
     '\u201cIf the US goes ahead, it will open fire.\u201d', [("Gao Feng", "China")] * 2),
    # "In a later post, he added:" after a quote that ended its sentence introduces the next quote
    ('Wang Shouwen spoke first.\n\nHu Xijin, editor-in-chief of the Global Times, wrote on Weibo that China was '
     '"more united than Washington imagines." In a later post, he added: "The US has miscalculated."',
     [("Hu Xijin", "China")] * 2),
    # a party label in parentheses; "Sen." ends no sentence
    ('\u201cIt should not be a bargaining chip,\u201d Sen. Marco Rubio (R., Fla.) wrote on Twitter.',
     [("Marco Rubio", "US")]),
    # a family name first: "Wang" after "Vice Commerce Minister Wang Shouwen" is him (and the lexicon's)
    ('Vice Commerce Minister Wang Shouwen told a news conference that talks could go on.\n\n\u201cHow can '
     'negotiations proceed?\u201d Wang said.', [("Wang Shouwen", "China")]),
    # a person introduced mid-sentence is the antecedent of a later "she", not the speaker quoted before
    ('Spokesman Gao Feng said purchases would go ahead.\n\nFor growers like Julie Brandt, who raises soybeans near '
     'Carroll, Iowa, the news was small.\n\n\u201cWe have heard that for a year,\u201d she said.',
     [("Julie Brandt", "other")]),
    # a participle clause between subject and cue; a second quoted phrase of one sentence keeps the first's speaker
    ('Commerce Secretary Wilbur Ross, speaking at an event in Washington, said he would look at \u201calternative '
     'remedies\u201d to the ban, but added that the violations were \u201cnot trivial.\u201d',
     [("Wilbur Ross", "US")] * 2),
    ('U.S. Trade Representative Katherine Tai called the tariffs \u201ca significant piece of leverage\u201d and '
     'said she would not give them up \u201cfor nothing.\u201d', [("Katherine Tai", "US")] * 2),
    # "... 'friendly and candid' and that the two leaders had agreed": the clause after is no attribution
    ('Foreign Minister Wang Yi told reporters the talks had been \u201cfriendly and candid\u201d and that the two '
     'leaders had agreed to stop new tariffs.', [("Wang Yi", "China")]),
    # a participle cue takes the sentence's subject
    ('Trump signed a memorandum directing Lighthizer to consider the probe, telling reporters that it was '
     '\u201ca very big move.\u201d', [("Donald Trump", "US")]),
    # a relative clause with a place name inside it; then a paragraph that is only a quote
    ('Tom Ricker, who owns a dealership in Spencer, Iowa, said sales had halved.\n\n\u201cFarmers aren\u2019t buying '
     'anything.\u201d', [("Tom Ricker", "other")]),
    # a clause with its own subject and no reporting verb before a colon: the words are no one's we can name
    ('Zippy Duvall said the move was \u201ca step in the right direction.\u201d Outside a grain elevator, a sign '
     'summed up the mood: \u201cPray for rain and a trade deal.\u201d', [("Zippy Duvall", "other"), (None, None)]),
    # a body with "and" in its name, an acronym in parentheses and an appositive
    ('The National Development and Reform Commission (NDRC), China\'s top economic planner, said it would '
     '"earnestly study" public suggestions.', [("National Development and Reform Commission", "China")]),
    # "the statement said": the statement of the body that made it
    ('China\u2019s Ministry of Commerce responded. In a statement, the ministry said Beijing had been \u201cforced to '
     'fight back.\u201d \u201cChina promised not to fire the first shot,\u201d the statement said.',
     [("China's Ministry of Commerce", "China")] * 2),
    # a book's title in an appositive is no one's words, and the comma inside its marks closes the appositive
    ('White House trade adviser Peter Navarro, author of the book "Death by China," said in an interview with Fox '
     'Business Network that Beijing was "underestimating the resolve" of Trump.', [(None, None), ("Peter Navarro", "US")]),
    # British style: single marks as quotation marks, apostrophes inside them, "the commissioner added"
    ('Marcus Pellegrino, whose family makes shiraz, said he lost 60% of his turnover.\n\n\u2018We had containers '
     'on the water. You don\u2019t get those years back.\u2019', [("Marcus Pellegrino", "other")]),
    # a relative clause holds the first quoted phrase; a "writing" participle; a preposition is no subject
    ('U.S. Trade Representative Katherine Tai, who told lawmakers that the United States would not "go back to a '
     'broken system," said in a speech that reform had to tackle "the fundamental problems."',
     [("Katherine Tai", "US")] * 2),
    ('Trump defended them on Twitter, writing that the United States had been "taken advantage of" by friends.',
     [("Donald Trump", "US")]),
    ('A Canadian official, speaking on condition of anonymity, said whiskey had been picked "for maximum political '
     'effect" in Republican-held states.', [("A Canadian official", "other")]),
    # a quoted phrase that ends its sentence is not attributed to the next sentence's speaker
    ('Katherine Tai said the administration would use tariffs \u201cstrategically, not as a blunt instrument.\u201d '
     'Commerce Secretary Gina Raimondo told reporters the measures were \u201ctargeted.\u201d',
     [("Katherine Tai", "US"), ("Gina Raimondo", "US")]),
    # "according to a statement from the White House"
    ('China agreed to make \u201cvery substantial\u201d purchases of farm products, according to a statement from '
     'the White House.', [("White House", "US")]),
    # an unnamed speaker opening a sentence after a place ("In Tokyo, a senior trade official was blunter") is "he"
    ('Samsung said it was watching.\n\nIn Tokyo, a senior trade official was blunter. Speaking on condition of '
     'anonymity, he said Seoul had \u201cnot responded sincerely.\u201d', [("a senior trade official", "other")]),
    # a lone surname opening a sentence ("Meng, who ...") is the antecedent of a later "she"
    ('Meng Wanzhou, Huawei\u2019s finance chief, did not speak.\n\n\u201cIt would be a crime,\u201d lawyer Robert '
     'Frater said.\n\nMeng, who is free on bail, wore a monitor. In a letter, she wrote that she had \u201clearned to '
     'face the unknown.\u201d', [("Robert Frater", "other"), ("Meng Wanzhou", "other")]),
    # a document with its author after "by"; "a video posted on Weibo" is no reporting verb
    ('Prices were stable. An editorial published by the Global Times on Tuesday said the controls were "a reminder '
     'that cooperation is a two-way street".', [("China state media", "China")]),
    ('Hu Xijin, the editor in chief of the Global Times, said in a video posted on Weibo that the move amounted to '
     '"robbery dressed up as policy."', [("Hu Xijin", "China")]),
    # two people with one surname: "Ms. Brandt" is the Brandt named last before her words
    ('Gary Brandt grows soybeans. "It hurts," Mr. Brandt said.\n\nHis wife, Linda Brandt, keeps the books. "We '
     'can\'t eat promises," Ms. Brandt said.', [("Gary Brandt", "other"), ("Linda Brandt", "other")]),
    # a name in apposition before a verb, and "Back in Humboldt, Mr. Brandt plans", are antecedents of "he"
    ('Trump attacked Canada. \u201cVery unfair,\u201d he wrote.\n\nCanada\u2019s agriculture minister, Lawrence '
     'MacAulay, pushed back. \u201cProducers have access,\u201d he said.',
     [("Donald Trump", "US"), ("Lawrence MacAulay", "other")]),
    ('Gary Brandt farms here. Gao Feng said talks could not proceed. \u201cWe need sincerity,\u201d he said.\n\n'
     'Back in Humboldt, Mr. Brandt plans to store what he can. "You plant on faith," he said.',
     [("Gao Feng", "China"), ("Gary Brandt", "other")]),
    # "she told reporters" makes Raimondo a "she": a later "he" is the man named after her
    ('Commerce Secretary Gina Raimondo spoke. \u2018This is a big win,\u2019 she told reporters.\n\nValdis Dombrovskis, '
     'the trade chief, welcomed the deal. In a post on Twitter, he said the sides had \u2018paused the steel '
     'dispute\u2019 for now.', [("Gina Raimondo", "US"), ("Valdis Dombrovskis", "other")]),
    # straight single marks as quotation marks, with straight apostrophes inside ("member's", "isn't")
    ("Adam Hodge, a spokesman, said the US 'firmly rejects the reasoning' and would keep the tariffs.\n\n'A panel "
     "cannot second-guess a member's judgment,' he said. 'That isn't going to change.'", [("Adam Hodge", "other")] * 3),
    # "X, which agreed to ... in December 2023, said"; ", while Y said" starts another clause with its own speaker
    ('Nippon Steel lost the deal. U.S. Steel, which agreed to the sale in December 2023, said that the president had '
     '\u201cviolated the law.\u201d', [("U.S. Steel", "US")]),
    ('Japan\u2019s trade minister, Yoji Muto, told reporters the decision was \u201cincomprehensible,\u201d while Prime '
     'Minister Shigeru Ishiba said he would press Washington.', [("Yoji Muto", "other")]),
    # "A lawyer who represents drugmakers, speaking on condition of anonymity, said" and then "the lawyer said"
    ('A senior executive at a chip maker said tools mattered.\n\nA Washington trade lawyer who represents foreign '
     'drugmakers, speaking on condition of anonymity, said the probes were wide. "It covers everything," the lawyer '
     'said.', [("A Washington trade lawyer", "US")]),
    # a document's owner before a colon; "but declined to say" is no subject; a role-only speaker; "briefing ..."
    ('Drugmakers responded. PhRMA\'s statement was measured but pointed: "Tariffs on medicines could reduce '
     'access."', [("PhRMA", "other")]),
    ('A senior official said rates were high.\n\nThe official said countries could "come to the table" but '
     'declined to say more.', [("A senior official", "other")]),
    ('\u201cWe hire 1,200 workers,\u201d said the company\u2019s general manager, who asked not to be named.',
     [("the company\u2019s general manager", "other")]),
    ('A senior Biden administration official, briefing journalists on condition of anonymity, said the deal would '
     '\u2018restrict access for dirty steel\u2019 for now.', [("A senior Biden administration official", "US")]),
    # "... did not refer to the US but said:": the subject of the sentence's first clause
    ('Prime Minister Narendra Modi, speaking in Ahmedabad, did not refer to the US by name but said: \u201cThe '
     'interests of farmers are supreme.\u201d', [("Narendra Modi", "other")]),
    # "what she called '...'" is the words of the sentence's speaker; "what X described as" needs a known X
    ('President Trump spoke first.\n\nThe US commerce secretary, Gina Raimondo, said the two sides could work '
     'together against what she called \u2018the global scourge of overcapacity\u2019.', [("Gina Raimondo", "US")]),
    ('The G7 met. Sun Weidong summoned the ambassador to lodge what the ministry described as \u201cstern '
     'representations.\u201d', [(None, None)]),
    # "described ... as" after a real subject is the describer's phrase, not a scare quote
    ('Officials at the European Commission met. The Commission said its filing described the measures as "a threat '
     'to the single market".', [("European Commission", "other")]),
    # session 7, from modern_f's misses. After a leading clause ("Asked ... whether he had urged Trump to pause,"),
    # the main clause's subject is the antecedent of a later "he", not the first name in the sentence
    ('Treasury Secretary Scott Bessent spoke on Monday. Asked on "Squawk Box" whether he had personally urged Trump '
     'to pause, Bessent declined to say.\n\n"The president makes the decisions," he said, "and I think he made a '
     'very good one."', [(None, None), ("Scott Bessent", "US"), ("Scott Bessent", "US")]),
    # a partial quote belongs to the clause it stands in, not to the next clause's speaker; a perfect after a
    # full name is a report
    ('Treasury Secretary Steven Mnuchin has said the remaining tariffs \u201cwill stay in place\u201d until a deal '
     'is reached, and U.S. Trade Representative Robert Lighthizer has argued that the agreement\u2019s enforcement '
     'has \u201creal teeth.\u201d', [("Steven Mnuchin", "US"), ("Robert Lighthizer", "US")]),
    # a capital "He" after a quote ending in a comma is the family name of a He named before
    ('Commerce ministry spokesman He Yadong spoke on Thursday. Chen Liwei, an analyst, agreed.\n\n\u201cThe door '
     'to dialogue remains open,\u201d He said.', [("He Yadong", "China")]),
    # "one of those people" is one of the unnamed group just named
    ('Two people briefed on the negotiations said the team had come ready.\n\n"They came prepared to move on '
     'tariffs," one of those people said.', [("one of two people briefed on the negotiations", "other")]),
    # "the company" is the latest firm, not a commission named since
    ('Lakeshore Steel Holdings took the opposite view in its report to the Securities and Exchange Commission. '
     '\u201cWe believe the tariffs remain important,\u201d the company said.', [("Lakeshore Steel Holdings", "other")]),
    # a time or place before the subject ("In late August, Dale Fenstermaker climbed"): he is a later "he"; after
    # '"...," said Wendell Armistead, an economist. He does not expect ...', a paragraph of quotation only is his
    ('In late August, Dale Fenstermaker climbed the ladder of a grain bin. His grandchildren call it \u201cthe '
     'Vault.\u201d\n\n\u201cThat\u2019s forty thousand dollars of beans,\u201d he said.\n\n\u201cBrazil plants '
     'more acres every year,\u201d said Wendell Armistead, an agricultural economist. He does not expect a quick '
     'recovery.\n\n\u201cThere\u2019s a real risk of permanent damage here.\u201d',
     [(None, None), ("Dale Fenstermaker", "other"), ("Wendell Armistead", "other"), ("Wendell Armistead", "other")]),
    # "said in an editorial" has no subject after the verb (it once resolved, as a phrase, to the last person named)
    ('In the media, Jose Sarney has to contend with criticism.\n\nOne of Sao Paulo\'s leading news magazines, Senhor, '
     'said in an editorial this week: "The government has failed."', [(None, None)]),
    # "X calls <object> '...'": the subject's words; a name after "called", "so-called", "called for a 'summit'" and
    # naming verbs ("branded the 'Clean Network'") are no one's
    ('Japanese Prime Minister Shigeru Ishiba calls the 24% rate on Japan "extremely regrettable" and says he will press '
     'for an exemption.', [("Shigeru Ishiba", "other")]),
    ('Officials met. China unveiled a plan called "Made in China 2025" in 2015.', [(None, None)]),
    ('Officials met. Democratic leaders have called for a "summit" with the White House.', [(None, None)]),
    ('Officials met. It is part of a push the State Department has branded the "Clean Network."', [(None, None)]),
    # from modern_g's misses: "from what she described as" after a partial quote is no attribution of it
    ('President Biden spoke on Monday. In a speech in Washington, Katherine Tai, the U.S. trade representative, said '
     'the administration would use \u201cthe full range of tools we have\u201d to defend workers from what she '
     'described as unfair practices.', [("Katherine Tai", "US")]),
    # an opening phrase's last noun is no subject with an appositive
    ('Vantorra Systems makes chips. In its quarterly report filed with the Securities and Exchange Commission, the '
     'company said it "cannot predict" whether licenses will be granted.', [("Vantorra Systems", "other")]),
    # "White House press secretary Karoline Leavitt also pushed back ..., telling reporters": the titled name
    ('White House press secretary Karoline Leavitt also pushed back, telling reporters they had \u201cclearly '
     'missed\u201d the strategy.', [("Karoline Leavitt", "US")]),
    # nicknames and book titles after a comma are no one's words; the object of "urged ... to" is no speaker
    ('The EU\u2019s Anti-Coercion Instrument, nicknamed the \u201cbazooka,\u201d was never deployed, in part because '
     'several member states feared retaliation.', [(None, None)]),
    ('She pointed to his 1987 bestseller, \u201cThe Art of the Deal.\u201d', [(None, None)]),
    ('A parliamentary motion, signed by 98 MPs, today urged the U.K. Government to "coordinate action with the '
     'United States" against Japan.', [(None, None)]),
    # "an official statement" names no official: "the official" is the State Department official
    ('Secretary of State George Shultz will not oppose the subsidy, a State Department official said.\n\nIn an '
     'official statement clarifying Shultz\'s remarks, the State Department said the decision was not his.\n\n'
     'There remain obstacles, the State Department official said.\n\n"Everyone in the government agrees."',
     [("a State Department official", "US")]),
    # from modern_h's misses: "X of <state>, the top Democrat ..., said"; the subject before an appositive that holds
    # "at the Centre for ..."; "Ms. He" after "He Yanping" (not the lexicon's He Lifeng); a cue in an "if" clause
    # after a partial quote; "The spokesperson did not answer directly" as the antecedent of "she"
    ('"The administration started this fight," Sen. Amy Klobuchar of Minnesota, the top Democrat on the Agriculture '
     'Committee, said in a statement, "and now it wants taxpayers to foot the bill."',
     [("Amy Klobuchar", "US"), ("Amy Klobuchar", "US")]),
    ('Rosalind Acheson, a trade fellow at the Centre for Open Markets, a London thinktank, said the deal was easy. '
     '\u2018Both companies had every reason to stop fighting,\u2019 she said.', [("Rosalind Acheson", "other")]),
    ('Vice Premier He Lifeng led the talks. He Yanping, chief China economist at Pinecrest Securities, said the cut '
     'was deep. \u201cThirty percent is still a heavy burden,\u201d Ms. He said.', [("He Yanping", "other")]),
    ('Beijing showed no sign of backing down. China\'s Commerce Ministry said Thursday it would "fight to the end" if '
     'Washington insisted on escalating.', [("China's Ministry of Commerce", "China")]),
    ('BEIJING \u2014 China will act, foreign ministry spokesperson Hua Chunying said, after President Donald Trump '
     'signed an order.\n\nA reporter asked about retaliation.\n\nThe spokesperson did not answer directly. '
     '\u201cChina firmly opposes unilateral sanctions,\u201d she said.', [("Hua Chunying", "China")]),
    ('When NYMEX announced its proposed rule change in December, NYMEX President Rosemary McFadden, said, "Expansion '
     'of the provision will add to globalization."', [("Rosemary McFadden", "other")]),
    # from modern_i's misses: capitals in a post are shouting, not a title; "said Sen. X (R-Iowa), a farmer"; "has
    # called it"; "what Xi Jinping, China's leader, has called"
    ('President Trump, writing on Truth Social, said the talks had produced \u201cGREAT PROGRESS\u201d today.',
     [("Donald Trump", "US")]),
    ('Some Republicans were uneasy. \u201cFarmers would rather have markets,\u201d said Sen. Charles Grassley (R-Iowa), '
     'a farmer himself, adding that the aid should be \u201ctemporary and targeted.\u201d',
     [("Charles Grassley", "US"), ("Charles Grassley", "US")]),
    ('The deal was signed. Robert Lighthizer, America\u2019s trade representative, has called it \u2018a totally '
     'enforceable agreement\u2019.', [("Robert Lighthizer", "US")]),
    ('Diplomats were urged to display what Xi Jinping, China\u2019s leader, has called a \u201cfighting spirit\u201d.',
     [("Xi Jinping", "China")]),
    ('Please read at end of first para of item "FRENCH MINISTER RENEWS ECONOMIC CONTROVERSY" the new text.',
     [(None, None)]),
    # a capitalised title opens the sentence ("Treasury Secretary Scott Bessent on Thursday defended ..., telling");
    # the subject of the last clause before a participle; a titled person before a colon, then a quote paragraph
    ('Treasury Secretary Scott Bessent on Thursday defended the pause, telling reporters that the reversal was "the '
     'strategy all along" and not a reaction.', [("Scott Bessent", "US")]),
    ('Treasury Secretary James Baker went out of his way to reassure markets, and French Finance Minister Edouard '
     'Balladur underscored that by saying: "I don\'t believe the Americans want a weaker dollar."',
     [("Edouard Balladur", "other")]),
    ('Commerce Secretary Gina Raimondo, on a call with reporters, framed the package as maintenance:\n\n'
     '\u201cOur goal has been the same since day one.\u201d', [("Gina Raimondo", "US")]),
    # "Carney" after "Mark Carney" is him, not the lexicon's Pat Carney of 1987
    ('Canadian Prime Minister Mark Carney said Ottawa would respond. "We are going to fight these tariffs," Carney '
     'said.', [("Mark Carney", "other")]),
    # "the person said" after an anonymous "A person familiar with ..." is that source (its describing noun, not
    # the last word of the phrase, is its head)
    ('A person familiar with Commerce\u2019s licensing process said licences were issued. \u201cThe licenses are '
     'real,\u201d the person said.', [("A person familiar with Commerce\u2019s licensing process", "other")]),
    # reporters' questions at a briefing; "asks"; an unnamed person speaking for or in a body or place the lexicon
    # does not know
    ('Another reporter asked about the talks. "Is the deal dead, or only sleeping?" the reporter asked.',
     [("Another reporter", "other")]),
    ('A reader in Laredo asks: "Can we start claiming now?"', [("A reader in Laredo", "other")]),
    ('A correspondent for Chinese state broadcaster CGTN asked whether the two were drawing closer. "Would the '
     'spokesperson agree that the US is pushing India and China together?"',
     [("A correspondent for Chinese state broadcaster CGTN", "China")]),
    # a surname named before in full opens a sentence with a verb in the past: a later "she" may be her
    ('Joanne Pellegrini runs the winery. Don Farrell, the trade minister, called it "a great day".\n\n'
     'Pellegrini shipped one container that spring. \u201cThey want us back,\u201d she says.',
     [("Don Farrell", "other"), ("Joanne Pellegrini", "other")]),
    # arbitrageurs are unnamed sources; "Another said" after "A third arbitrageur" is another arbitrageur
    ('A third arbitrageur noted the bidder was determined. "They\'re not beginners," he said.\n\n'
     'Another said the target might have trouble. "It\'s a hodge-podge," he said.',
     [("A third arbitrageur", "other"), ("another arbitrageur", "other")]),
    # a post on a platform is its author's, not the platform's
    ('Trump said the date would not move. His post on Truth Social read in part: "THE DEADLINE STANDS STRONG."',
     [("Donald Trump", "US")]),
    # a title with "and" before a name ("Commerce and Industry Minister Piyush Goyal"); "the minister" is him
    ('Commerce and Industry Minister Piyush Goyal had struck a more defiant note earlier in the week.\n\n'
     '"We will neither bow down nor appear weak," the minister said.', [("Piyush Goyal", "other")]),
    # the subject before an auxiliary after an appositive: "Xu Feihong, ..., had said ... that Beijing 'firmly opposes'"
    ('China\'s ambassador to India, Xu Feihong, had said last week that Beijing "firmly opposes" the tariffs.',
     [("Xu Feihong", "China")]),
    # "continued to grow" reports no words, so "Belt and Road Initiative" is no speaker for a later "He"
    ('Commerce ministry spokesman He Yadong spoke on Thursday.\n\nTrade with countries in the Belt and Road '
     'Initiative continued to grow.\n\nAsked whether a delegation would attend, He said MOFCOM would release '
     'information "in a timely manner."', [("He Yadong", "China")]),
    # the describer's words, which an agency reports
    ('He Lifeng led the Chinese side. Mr. He described the discussions as \u201ccandid, in-depth and '
     'constructive,\u201d according to Xinhua, the state news agency.', [("He Lifeng", "China")]),
    # a spokesperson for "the <Body>" the lexicon does not know, and for "the ministry" named before
    ('"The U.S. side has ignored our representations," a spokesperson for the Ministry of Transport said.',
     [("a spokesperson for the Ministry of Transport", "other")]),
    ('China\'s Ministry of Commerce announced the measures. "We oppose it," a spokesperson for the ministry said.',
     [("a spokesperson for the ministry", "China")]),
    # a two-letter family name opens a sentence ("Li did not answer directly. He said"); a reporter "from" a body
    ('China\'s trade representative, Li Chenggang, gave a briefing.\n\nA reporter from Hong Kong-based Lion Rock '
     'Television asked: "Was this one-sided?"\n\nLi did not answer directly. "China will not seek an advantage," he '
     'said.', [("A reporter from Hong Kong-based Lion Rock Television", "other"), ("Li Chenggang", "China")]),
    # a person who is the subject of a sentence that ends in a colon, with no reporting verb
    ('Greer and Scott Bessent briefed reporters.\n\nBessent interjected: "I\'d just say to the farmers, they have a '
     'friend in the president."', [("Scott Bessent", "US")]),
    # "the lobbyist" after "A lobbyist for a major chip company"; "the mayor" after "Mayor Carla Benitez-Hoyt"
    ('A lobbyist for a major chip company predicted the provision would be stripped. \u201cThe White House usually '
     'wins these,\u201d the lobbyist said.', [("A lobbyist for a major chip company", "other")]),
    ('Mayor Carla Benitez-Hoyt said receipts are down.\n\n"Every dollar a farmer doesn\'t earn is a dollar that '
     'doesn\'t get spent," the mayor said.', [("Mayor Carla Benitez-Hoyt", "other")]),
    # "which he called" and "measures that the Ministry of Commerce (MOFCOM) called": the caller's words
    ('Gros said the decision, which he called a "standstill" arrangement, will be communicated to the banks.',
     [("Gros", "other")]),
    ('China acted in response to U.S. measures that the Ministry of Commerce (MOFCOM) called \u201cdiscriminatory.\u201d',
     [("China's Ministry of Commerce", "China")]),
    # a verb with no subject of its own after a quote of the same sentence goes on with that quote's speaker
    ('Trump, in a post on Truth Social late Thursday, called the ad "FAKE" and wrote: "ALL TRADE NEGOTIATIONS WITH '
     'CANADA ARE HEREBY TERMINATED."', [("Donald Trump", "US"), ("Donald Trump", "US")]),
    # ... but not after words that are only named by someone ('what the State Department calls "..."')
    ('Pompeo announced new efforts under what the State Department calls its "Clean Network" program, saying they '
     'were needed to protect Americans from "hostile actors like the Chinese Communist Party."',
     [("State Department", "US"), ("Mike Pompeo", "US")]),
    # "the United States," is no cue and "10,000" no clause break before a subject
    ('Sheinbaum said on X that Mexico would "immediately reinforce" its border with 10,000 members of the National '
     'Guard to stop drug trafficking into the United States, "in particular fentanyl."',
     [("Sheinbaum", "other"), ("Sheinbaum", "other")]),
    # a surname's full name leaves out demonyms and countries before it
    ('Chinese Premier Li Qiang spoke on Monday. Noting that relations have "got back on the right track," Li said the '
     'partnership has shown broad prospects.', [("Li Qiang", "China")]),
    ('The ambassador to Japan Wu Jianghao spoke last week. "Our industrial chains are deeply integrated," Wu said.',
     [("Wu Jianghao", "other")]),  # (the side is the title's country: the sentence does not say whose envoy he is)
    # "By Sunday, ..." opens no name; "But Wyss pointed out" is the Wyss named before
    ('In a Truth Social post, Trump called the move "a moral disgrace."\n\nBy Sunday, his tone had softened. '
     '"Don\'t worry about China," he wrote.', [("Donald Trump", "US"), ("Donald Trump", "US")]),
    ('David Wyss of DRI said jobs rose. Steve Slifer said construction fell.\n\nBut Wyss pointed out that the labor '
     'force fell.\n\n"This just means that there were fewer people looking for work," he said.',
     [("David Wyss", "other")]),
])
def test_speakers_described_or_titled_before(body, speakers):
    q = _one(body).astype(object).where(lambda d: d.notna(), None)
    assert list(zip(q["speaker"], q["speaker_side"])) == speakers


def test_modern_labelled_sets_speaker_accuracy():
    """The labelled quotes of 183 helper-written 2017-2025 articles (tests/data, no third-party data needed).

    First scored blind (session 6) at 0.774 (modern_a, 148 quotes), 0.801 (modern_b, 201 quotes), 0.723
    (modern_c, 189 quotes), 0.837 (modern_d, 155 quotes) and 0.798 (modern_e, 165 quotes) speaker accuracy, and
    (session 7) 0.735 (modern_f, 232 quotes), 0.845 (modern_g, 218 quotes), 0.744 (modern_h, 208 quotes), 0.843
    (modern_i, 200 quotes), 0.904 (modern_j, 200 quotes) and 0.878 (modern_k, 141 quotes), and (session 8) 0.819
    (modern_l, 281 quotes; 0.826 with the matching that scores the best-matching quote), 0.778 (modern_m, 284
    quotes), 0.810 (modern_n, 305 quotes) and 0.790 (modern_o, 210 quotes), each scored after the fixes made on the
    sets before it; the rules were fixed on the misses of a, b, c, f, g, h, i, l, m and o (never on d, e, j, k or n),
    so this is a regression guard, not an estimate for unseen news.
    """
    from tradelib.evaluate import quote_accuracy

    table = quote_accuracy(TEST_DATA / "quotes_modern_labels.jsonl", TEST_DATA / "quotes_modern_articles.jsonl",
                           by="set").set_index("set")
    assert table["labelled"].to_dict() == {"all": 3137, "modern_a": 148, "modern_b": 201, "modern_c": 189,
                                           "modern_d": 155, "modern_e": 165, "modern_f": 232, "modern_g": 218,
                                           "modern_h": 208, "modern_i": 200, "modern_j": 200, "modern_k": 141,
                                           "modern_l": 281, "modern_m": 284, "modern_n": 305, "modern_o": 210}
    assert (table["coverage"] >= 0.97).all()
    assert table.loc["modern_a", "speaker_accuracy"] >= 0.92 and table.loc["modern_b", "speaker_accuracy"] >= 0.90
    assert table.loc["modern_c", "speaker_accuracy"] >= 0.84 and table.loc["modern_d", "speaker_accuracy"] >= 0.84
    assert table.loc["modern_e", "speaker_accuracy"] >= 0.80 and table.loc["modern_f", "speaker_accuracy"] >= 0.78
    assert table.loc["modern_g", "speaker_accuracy"] >= 0.85 and table.loc["modern_h", "speaker_accuracy"] >= 0.78
    assert table.loc["modern_i", "speaker_accuracy"] >= 0.87 and table.loc["modern_j", "speaker_accuracy"] >= 0.89
    assert table.loc["modern_k", "speaker_accuracy"] >= 0.87 and table.loc["modern_l", "speaker_accuracy"] >= 0.86
    assert table.loc["modern_m", "speaker_accuracy"] >= 0.82 and table.loc["modern_n", "speaker_accuracy"] >= 0.80
    assert table.loc["modern_o", "speaker_accuracy"] >= 0.82
    assert (table["speaker_precision"] >= 0.89).all()


@pytest.mark.parametrize("body, quoted", [
    ("The farmers' group and the companies' lawyers met. It's the workers' choice.", []),
    ("Exports rose in the '80s, and the 'big three' firms' profits too.", ["big three"]),
])
def test_apostrophes_make_no_straight_single_quotation(body, quoted):
    assert _one(body)["text"].tolist() == quoted


@pytest.mark.parametrize("body, quoted", [
    # a curly single quotation of one word is a quotation; a possessive or an elision is not
    ("Dombrovskis said the measures were \u2018proportionate\u2019 and the carmakers\u2019 worries overdone.",
     ["proportionate"]),
    ("Sales rose in the \u201880s and the workers\u2019 union agreed.", []),
    # British style: a quotation that runs on into a paragraph that opens with \u2018 again
    ("\u2018The door is closing,\u2019 said Graham Ashworth.\n\n\u2018It is bad news for Sunderland.\n\n"
     "\u2018And for Swindon,\u2019 he said.",
     ["The door is closing", "It is bad news for Sunderland.", "And for Swindon"]),
])
def test_curly_single_quotations(body, quoted):
    q = _one(body)
    assert q["text"].tolist() == quoted
    if quoted[1:]:
        assert set(q["speaker"]) == {"Graham Ashworth"}
