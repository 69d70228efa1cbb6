"""Contradictions in the source's own words: reversed stance, swapped letter roles, flipped
comparisons, changed time spans and certainty. Each false claim about the letters is caught with
a reason that quotes the passage; its faithful paraphrase is not flagged."""

from __future__ import annotations

import pytest

from groundsum.pipeline import check
from groundsum.verify.durations import durations
from groundsum.verify.numbers import extract_quantities
from groundsum.verify.stance import stances
from groundsum.verify.tokens import tokenize

NEW_REASONS = ("stance reversed", "comparison reversed", "certainty differs", "time span differs", "roles swapped")

# (false claim, the start of its reason, faithful paraphrase of the same passage)
CASES = [
    (
        "Castro agreed to allow inspections on Cuban territory.",
        "stance reversed: source says 'we are opposed, by principle, to inspections",
        "Castro refused to allow inspections on Cuban territory.",
    ),
    (
        "Comrade Fidel Castro, we have decided to send a letter to Nikita Khrushchev, and it is a very important "
        "document.",
        "roles swapped: the letter is from Nikita Khrushchev to Fidel Castro",
        "Comrade Fidel Castro, we have decided to send you this answer as quickly as possible.",
    ),
    (
        "Castro wrote that a full invasion was the most probable variant.",
        "comparison reversed: source says 'less probable, still possible, is a full invasion'",
        "Castro thought an air attack was the most probable variant and a full invasion less probable but still "
        "possible.",
    ),
    (
        "Khrushchev advised Castro to show patience, firmness and less firmness.",
        "comparison reversed: source says 'more firmness'",
        "Khrushchev advised Castro to show patience, firmness and more firmness.",
    ),
    (
        "Castro considered an attack to be almost imminent, within the next two weeks.",
        "time span differs: source says '24 to 72 hours' (1–3 days), this says 'two weeks'",
        "Castro considered an attack almost imminent, within one to three days.",
    ),
    (
        "Khrushchev wrote that Kennedy's answer refused U.S. guarantees that they would not invade Cuba.",
        "stance reversed: source says 'offers U.S. guarantees'",
        "Khrushchev wrote that Kennedy's answer offered U.S. guarantees that the United States would not invade "
        "Cuba.",
    ),
    (
        "Castro said the Cuban people might resist with determination, whatever the case.",
        "certainty differs: source says 'sure that we will resist with determination'",
        "Castro said the Cuban people will resist with determination whatever the case.",
    ),
    (
        "Khrushchev was certain that such feelings exist among the people.",
        "certainty differs: source says 'possible that such feelings exist",
        "Khrushchev thought it possible that such feelings exist among the people.",
    ),
    (
        "Castro considered an attack to be certain and imminent within the next 24 to 72 hours.",
        "certainty differs: source says 'almost imminent",
        "Castro considered an attack to be almost imminent, within the next 24 to 72 hours.",
    ),
]


@pytest.fixture(scope="module")
def false_claims(letters):
    return check(letters, "\n".join(claim for claim, _, _ in CASES))


@pytest.fixture(scope="module")
def paraphrases(letters):
    return check(letters, "\n".join(paraphrase for _, _, paraphrase in CASES))


@pytest.mark.parametrize("k", range(len(CASES)))
def test_false_claims_are_unsupported_with_the_clash_quoted(false_claims, k):
    sentence = false_claims.sentences[k]
    claim, reason, _ = CASES[k]
    assert sentence.text == claim
    assert sentence.label == "unsupported", (sentence.score, sentence.reasons)
    assert any(r.startswith(reason) for r in sentence.reasons), sentence.reasons


@pytest.mark.parametrize("k", range(len(CASES)))
def test_faithful_paraphrases_are_not_flagged(paraphrases, k):
    sentence = paraphrases.sentences[k]
    assert sentence.text == CASES[k][2]
    assert not [r for r in sentence.reasons if r.startswith(NEW_REASONS)], sentence.reasons
    assert sentence.label != "unsupported", (sentence.score, sentence.reasons)


def spans(text: str) -> list[tuple[str, float, float]]:
    tokens = tokenize(text)
    return [(d.text, d.low, d.high) for d in durations(tokens, extract_quantities(tokens, text), text)]


def test_time_spans_are_read_with_their_units():
    assert spans("within the next 24 to 72 hours") == [("24 to 72 hours", 24, 72)]
    assert spans("one to three days") == [("one to three days", 24, 72)]
    assert spans("within two weeks") == [("two weeks", 336, 336)]
    assert spans("a 10-year-old boy") == []  # an age, left to the numbers


def test_a_negation_or_a_second_verb_of_will_turns_a_stance_round():
    def signs(text: str) -> list[int]:
        return [s.sign for s in stances(tokenize(text))]

    assert signs("They agreed to allow inspections.") == [1]
    assert signs("They refused to allow inspections.") == [-1]
    assert signs("They did not oppose inspections.") == [1]
