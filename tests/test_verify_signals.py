"""Each verify signal on its own: tokens, names, numbers, content, polarity, roles."""

from __future__ import annotations

import pytest

from groundsum.verify.content import coverage, novel_words
from groundsum.verify.entities import SourceNames, spelling_variant
from groundsum.verify.numbers import closest, describe, extract_quantities, is_supported
from groundsum.verify.polarity import WORDNET, flips
from groundsum.verify.roles import DIRECTION, Relation, order_flips, relations, swapped
from groundsum.verify.tokens import stem, tokenize

SOURCE = (
    "Mr. Nikita Khrushchev, Prime Minister of the Union of Socialist Soviet Republics, wrote to Fidel Castro. "
    "The United States promised not to invade Cuba. The Central Intelligence Agency watched. "
    "Cuban forces mobilized fifty anti-aircraft batteries on October 24, 1962."
)


def names_of(text: str) -> SourceNames:
    return SourceNames.build(tokenize(text))


def mentions(text: str, names: SourceNames):
    tokens = tokenize(text)
    return tokens, names.mentions(tokens, text)


# --- tokens -------------------------------------------------------------------------------


def test_tokens_normalize_model_output_spelling():
    cased = [t.norm for t in tokenize("Khrushchev didn't agree with the U.S.")]
    printed = [t.norm for t in tokenize("khrushchev did n't agree with the u.s .")]
    assert cased[:5] == printed[:5] == ["khrushchev", "did", "not", "agree", "with"]
    assert [t.kind for t in tokenize("U.S.S.R. and USSR")] == ["acronym", "word", "acronym"]
    assert {t.norm for t in tokenize("U.S.S.R. and USSR") if t.kind == "acronym"} == {"ussr"}
    assert [t.norm for t in tokenize("they ca n't")] == ["they", "can", "not"]


# --- names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "claim",
    ["The U.S. promised it.", "America promised it.", "The USA promised it.", "The United States promised it."],
)
def test_aliases_of_the_united_states_match(claim):
    names = names_of(SOURCE)
    tokens, found = mentions(claim, names)
    statuses = [names.match(m, tokens)[0] for m in found]
    assert statuses and all(s in ("alias", "exact") for s in statuses)
    assert "United States" in {names.match(m, tokens)[1] for m in found}


@pytest.mark.parametrize(
    "claim", ["The USSR agreed.", "The Soviets agreed.", "The U.S.S.R. agreed.", "The Soviet Union agreed."]
)
def test_aliases_of_the_soviet_union_match(claim):
    names = names_of(SOURCE)
    tokens, found = mentions(claim, names)
    assert [names.match(m, tokens)[:2] for m in found] == [("alias", "Soviet Union")]


def test_britain_is_not_in_a_source_that_never_names_it():
    names = names_of(SOURCE)
    tokens, found = mentions("Britain and the UK agreed.", names)
    assert [names.match(m, tokens)[0] for m in found] == ["missing", "missing"]
    uk_source = names_of("The United Kingdom signed the treaty.")
    tokens, found = mentions("Britain and the U.K. agreed.", uk_source)
    assert [uk_source.match(m, tokens)[:2] for m in found] == [("alias", "United Kingdom")] * 2


@pytest.mark.parametrize("variant", ["Krushchev", "Khrushche", "Kruschev"])
def test_spelling_variants_of_a_name_match(variant):
    names = names_of(SOURCE)
    tokens, found = mentions(f"{variant} wrote a letter.", names)
    assert [names.match(m, tokens)[:2] for m in found] == [("fuzzy", "khrushchev")]


def test_spelling_variant_is_strict_for_short_and_different_names():
    assert spelling_variant("khrushchev", "krushchev")
    assert not spelling_variant("kennedy", "kenny")
    assert not spelling_variant("castro", "cuba")


@pytest.mark.parametrize("mangled", ["U.K.R.", "U.S.R.", "u.k.r."])
def test_mangled_acronyms_match_nothing(mangled):
    names = names_of(SOURCE)
    tokens, found = mentions(f"The agreement between the U.S. and {mangled} held.", names)
    assert [(m.text, names.match(m, tokens)[0]) for m in found][-1] == (mangled, "missing")


def test_acronym_of_a_multiword_name_matches():
    names = names_of(SOURCE)
    tokens, found = mentions("The CIA watched.", names)
    assert [names.match(m, tokens)[0] for m in found] == ["exact"]


def test_names_in_lowercased_text_come_from_the_source_vocabulary():
    names = names_of(SOURCE)
    tokens, found = mentions("castro wrote to khrushchev about the missiles .", names)
    assert [m.text for m in found] == ["castro", "khrushchev"]
    tokens, found = mentions("brezhnev wrote to castro .", names)
    assert [m.text for m in found] == ["castro"]  # an unknown lowercased word is not known to be a name
    assert [t.text for t in novel_words(tokens, names.words, names.stems)] == ["brezhnev"]


def test_a_title_alone_is_not_a_name_and_first_names_count_as_partial():
    names = names_of(SOURCE)
    tokens, found = mentions("Then the President of the Soviet Union and President John Khrushchev met.", names)
    matched = {m.text: names.match(m, tokens) for m in found}
    assert "President" not in matched
    assert matched["President John Khrushchev"][2] == ("john",)


# --- numbers and dates --------------------------------------------------------------------


def quantities(text: str):
    return extract_quantities(tokenize(text), text)


@pytest.mark.parametrize(
    "text, fields",
    [
        ("October 26, 1962", ("date", 10, 26, 1962)),
        ("Oct. 26", ("date", 10, 26, None)),
        ("26 October 1962", ("date", 10, 26, 1962)),
        ("the 26th of October", ("date", 10, 26, None)),
        ("May 1962", ("date", 5, None, 1962)),
    ],
)
def test_dates_normalize(text, fields):
    [q] = quantities(text)
    assert (q.kind, q.month, q.day, q.year) == fields


@pytest.mark.parametrize(
    "text, kind, value",
    [
        ("fifty batteries", "number", 50),
        ("forty-two men", "number", 42),
        ("two hundred and fifty", "number", 250),
        ("1,000 troops", "number", 1000),
        ("1.2 million people", "number", 1_200_000),
        ("3.5% growth", "percent", 3.5),
        ("twelve percent", "percent", 12),
        ("in 1962", "year", 1962),
    ],
)
def test_numbers_normalize(text, kind, value):
    [q] = quantities(text)
    assert (q.kind, q.value) == (kind, value)


def test_one_alone_is_not_a_number_and_may_is_a_month_only_with_a_day():
    assert quantities("one of them may come") == []
    assert [q.text for q in quantities("one million and May 5")] == ["one million", "May 5"]


def test_decades_and_their_parts():
    early, sixties = quantities("the early 1950s and the 1960s")
    assert (early.low, early.high) == (1950, 1953)
    assert (sixties.low, sixties.high) == (1960, 1969)
    source = quantities("On October 26, 1962 Castro wrote.")
    assert is_supported(sixties, source) and not is_supported(early, source)
    assert describe(closest(early, [source])) == "October 26, 1962"
    assert describe(closest(early, [source]), early) == "1962"


def test_number_support_across_spellings_and_rounding():
    source = quantities("fifty batteries, 24 to 72 hours, 3.47 points, 1,190,000 people, on October 24, 1962")
    assert is_supported(quantities("50 batteries")[0], source)
    assert is_supported(quantities("seventy-two hours")[0], source)
    assert is_supported(quantities("3.5 points")[0], source)
    assert is_supported(quantities("1.2 million people")[0], source)
    assert is_supported(quantities("on Oct. 24")[0], source)
    assert is_supported(quantities("in 1962")[0], source)
    assert not is_supported(quantities("forty batteries")[0], source)
    assert not is_supported(quantities("on October 16, 1962")[0], source)
    assert not is_supported(quantities("in 1956")[0], source)
    forty = quantities("forty batteries")[0]
    assert describe(closest(forty, [source])) == "fifty"


# --- content ------------------------------------------------------------------------------


def test_coverage_weights_rare_words():
    weights = {"castro": 3.0, "letter": 1.0}
    assert coverage(weights, {"castro"}) == 0.75
    assert coverage({}, set()) == 1.0


def test_novel_words_skip_names_the_source_spells_otherwise():
    names = names_of(SOURCE)
    tokens, found = mentions("Krushchev secretly mobilized fifty batteries.", names)
    recognized = {k for m in found for k in range(m.first, m.last)}
    assert [t.text for t in novel_words(tokens, names.words, names.stems)] == ["Krushchev", "secretly"]
    assert [t.text for t in novel_words(tokens, names.words, names.stems, skip=recognized)] == ["secretly"]


# --- polarity -----------------------------------------------------------------------------

POLARITY_SOURCE = (
    "Previously, there were isolated violations with no particular military purpose. "
    "Nevertheless, we agree to avoid an incident at this moment. We will resist with determination."
)


def claim_flips(claim: str):
    source = tokenize(POLARITY_SOURCE)
    return [
        (f.kind, POLARITY_SOURCE[source[f.source_start].start : source[f.source_end].end])
        for f in flips(tokenize(claim), source)
    ]


def test_negation_added_or_removed_is_a_flip():
    assert claim_flips("They did not agree to avoid an incident.") == [("negation", "we agree to avoid")]
    assert claim_flips("The violations had a particular military purpose.") == [("negation", "no particular military")]
    assert claim_flips("castro said they would n't resist with determination .") == [
        ("negation", "We will resist with determination")
    ]


def test_same_polarity_is_no_flip():
    assert claim_flips("The violations had no military purpose.") == []
    assert claim_flips("They agreed to avoid an incident.") == []
    assert claim_flips("Castro did not resist the talks.") == []  # not anchored: the source resists something else


def test_antonyms_are_flips():
    assert claim_flips("They disagree about avoiding an incident.") == [("antonym", "we agree to avoid")]


def _flips_against(source_text: str, claim: str, elsewhere: str = "") -> list[tuple[str, str]]:
    """Flips of ``claim`` against ``source_text``, in a source that also says ``elsewhere``."""
    source = tokenize(source_text)
    used = {t.stem for t in tokenize(source_text + " " + elsewhere)}
    return [
        (f.kind, source_text[source[f.source_start].start : source[f.source_end].end])
        for f in flips(tokenize(claim), source, used)
    ]


def test_wordnet_antonyms_are_flips():
    """Pairs the hand list lacks come from WordNet (training/wordnet_antonyms.py)."""
    source = "The model learns visual concepts from implicit feedback. The parts are sorted by an automatic process."
    assert WORDNET[stem("explicit")] >= {stem("implicit")}
    assert _flips_against(source, "The model learns visual concepts from explicit feedback.") == [
        ("antonym", "concepts from implicit feedback")
    ]
    assert _flips_against(source, "The parts are sorted by a manual process.") == [
        ("antonym", "by an automatic process")
    ]
    # a source that uses "manual" itself, elsewhere: the claim may be about that other process
    other_process = "Labels are checked by manual review."
    assert _flips_against(source, "The parts are sorted by a manual process.", other_process) == []


def test_without_negates_the_one_word_after_it():
    source = "The model learns words without explicit supervision, without compromising the quality of its parses."
    assert _flips_against(source, "The model learns words with explicit supervision.") == [
        ("negation", "without explicit")
    ]
    assert _flips_against(source, "The model learns words with good quality.") == []


# --- roles --------------------------------------------------------------------------------


def claim_relations(text: str, names: SourceNames) -> list[Relation]:
    tokens, found = mentions(text, names)
    return relations(tokens, [(m, names.match(m, tokens)[1]) for m in found], text)


@pytest.mark.parametrize(
    "text",
    [
        "Castro wrote to Khrushchev.",
        "Castro's letter to Khrushchev arrived.",
        "A letter to Khrushchev from Castro arrived.",
        "Khrushchev received a letter from Castro.",
        "a letter from castro to khrushchev arrived .",
    ],
)
def test_directed_relations_find_the_writer(text):
    names = names_of("Fidel Castro wrote to Nikita Khrushchev.")
    [relation] = claim_relations(text, names)
    assert (relation.agent, relation.patient) == ("castro", "khrushchev")
    assert DIRECTION in relation.cues


def test_passive_voice_points_back_and_coordination_has_no_direction():
    names = names_of("The Army attacked the Navy.")
    [relation] = claim_relations("The Navy was attacked by the Army.", names)
    assert (relation.agent, relation.patient) == ("army", "navy")
    assert claim_relations("The Army and the Navy met.", names) == []


def test_swapped_roles_against_the_nearest_source_relation():
    source = [
        Relation("castro", "khrushchev", frozenset({DIRECTION}), 0, 10, "Castro", "Khrushchev"),
        Relation("khrushchev", "castro", frozenset({DIRECTION}), 500, 510, "Khrushchev", "Castro"),
    ]
    claim = Relation("khrushchev", "castro", frozenset({"write", DIRECTION}), 0, 0, "Khrushchev", "Castro")
    same = str.__eq__
    assert swapped(claim, source, (100, 200), same) is source[0]  # the heading before the passage governs
    assert swapped(claim, source, (600, 700), same) is None
    unrelated = Relation("khrushchev", "castro", frozenset({"attack"}), 0, 0, "Khrushchev", "Castro")
    assert swapped(unrelated, source, (100, 200), same) is None


def test_order_flips_catch_swapped_arguments_but_not_moved_phrases():
    source = tokenize("In this paper, our parser outperforms the CRF baseline on NER.")
    assert order_flips(tokenize("The CRF baseline outperforms our parser on NER."), source)
    assert not order_flips(tokenize("Our parser outperforms the CRF baseline on NER in this paper."), source)
    assert not order_flips(tokenize("our parser beats the baseline ."), source)
