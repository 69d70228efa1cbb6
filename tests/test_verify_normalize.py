"""Normalization in the verifier: text compares equal however it was tokenized, cased or quoted,
and merged tokens still point at the characters as written."""

from __future__ import annotations

import pytest

import groundsum
from groundsum.verify.numbers import closest, describe, extract_quantities, is_supported
from groundsum.verify.tokens import embedding_text, tokenize

# CNN/DM style: tokenized (numbers and hyphens split), lowercased, PTB quotes and brackets.
TOKENIZED_SOURCE = (
    "liverpool have offered raheem sterling a new $ 100 , 000 - a - week contract , the club said on friday . "
    "the 20 - year - old has turned down two offers so far . "
    "about 3 , 700 fans signed a petition asking him to stay , and 26 , 000 watched the reserves on sunday . "
    "manager brendan rodgers said he `` would n't '' discuss sterling 's future on the u.s. tour "
    "-lrb- in july -rrb- ."
)
PLAIN_SOURCE = (
    "Liverpool have offered Raheem Sterling a new $100,000-a-week contract, the club said on Friday. "
    "The 20-year-old has turned down two offers so far. "
    "About 3,700 fans signed a petition asking him to stay, and 26,000 watched the reserves on Sunday. "
    "Manager Brendan Rodgers said he \u201cwouldn't\u201d discuss Sterling's future on the U.S. tour (in July)."
)


def norms(text: str) -> list[str]:
    return [t.norm for t in tokenize(text)]


def number_findings(result) -> list[str]:
    return [r for s in result.sentences for r in s.reasons if r.startswith(("number", "date"))]


@pytest.mark.parametrize(
    ("source", "summary"),
    [
        (TOKENIZED_SOURCE, "Raheem Sterling was offered a new $100,000-a-week contract by Liverpool."),
        (TOKENIZED_SOURCE, "raheem sterling was offered a new $ 100,000-a-week contract by liverpool ."),
        (TOKENIZED_SOURCE, "About 3,700 fans signed a petition and 26,000 watched the reserves."),
        (PLAIN_SOURCE, "about 3 , 700 fans signed a petition and 26 , 000 watched the reserves ."),
        (PLAIN_SOURCE, "liverpool offered sterling a $ 100 , 000 - a - week contract ."),
    ],
)
def test_numbers_match_however_either_side_was_tokenized(source, summary):
    result = groundsum.check(source, summary)
    assert number_findings(result) == []


def test_a_changed_number_is_still_found_and_the_source_named_plainly():
    result = groundsum.check(TOKENIZED_SOURCE, "Sterling was offered a new $200,000-a-week contract by Liverpool.")
    assert number_findings(result) == ["number '200,000' not in source (source has 100,000)"]


@pytest.mark.parametrize(
    ("tokenized", "plain"),
    [
        ("$ 100 , 000 - a - week", "$100,000-a-week"),
        ("3 , 700", "3,700"),
        ("26 , 000", "26,000"),
        ("1, 000 bottles", "1,000 bottles"),  # a detokenizer's spacing
        ("`` the big bopper ''", '"The Big Bopper"'),
        ("\u201cthe big bopper\u201d", '"The Big Bopper"'),
        ("` red flags '", "'red flags'"),
        ("mclean 's song", "McLean's song"),
        ("McLean\u2019s song", "McLean's song"),
        ("they did n't stop", "They didn't stop"),
        ("they ca n't stop", "They can't stop"),
        ("on u.s. highway 36", "on U.S. Highway 36"),
        ("the U.S team", "the U.S. team"),
        ("state - of - the - art", "state-of-the-art"),
        ("a personal service unit -lrb- psu -rrb-", "a personal service unit (PSU)"),
        ("-LSB- sic -RSB-", "[sic]"),
        ("he left -- quickly .", "He left \u2014 quickly."),
        ("a # 1.5m deal", "a # 1.5 m deal"),
    ],
)
def test_tokenized_and_plain_text_tokenize_alike(tokenized, plain):
    assert norms(tokenized) == norms(plain)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("on february 3 , 1959 , he saw", []),  # a date: its day and year stay apart
        ("liana barrientos , 39 , of the bronx", [39.0]),
        ("in 2005, 300 people", [2005.0, 300.0]),
        ("the 737 and the 100 , 000th visitor", [737.0, 100000.0]),
    ],
)
def test_only_digit_groups_of_three_join(text, values):
    quantities = extract_quantities(tokenize(text), text)
    assert [q.value for q in quantities if q.kind == "number" or q.kind == "year"] == values


def test_digits_glued_to_a_unit_keep_their_decimals():
    text = "a \u00a348.6m bid, a 1.30pm kick-off and a $1.2billion fund"
    assert [q.value for q in extract_quantities(tokenize(text), text)] == [48.6, 1.3, 1.2e9]


def test_merged_tokens_span_the_characters_as_written():
    offset = 1000  # the text's place in a document
    tokens = tokenize(TOKENIZED_SOURCE, offset)
    number = next(t for t in tokens if t.norm == "100000")
    assert (number.text, number.kind) == ("100 , 000", "number")
    assert TOKENIZED_SOURCE[number.start - offset : number.end - offset] == "100 , 000"
    bracket = next(t for t in tokens if t.norm == "(")
    assert TOKENIZED_SOURCE[bracket.start - offset : bracket.end - offset] == "-lrb-"
    quote = next(t for t in tokens if t.norm == '"')
    assert TOKENIZED_SOURCE[quote.start - offset : quote.end - offset] == "``"
    for token in tokens:
        assert TOKENIZED_SOURCE[token.start - offset : token.end - offset] == token.text


def test_quantities_of_a_tokenized_source_cite_its_own_characters():
    tokens = tokenize(TOKENIZED_SOURCE)
    quantities = extract_quantities(tokens, TOKENIZED_SOURCE)
    fans = next(q for q in quantities if q.value == 3700)
    assert TOKENIZED_SOURCE[fans.start : fans.end] == fans.text == "3 , 700"
    claim = extract_quantities(tokenize("3,700 fans"), "3,700 fans")[0]
    assert is_supported(claim, quantities)
    assert describe(closest(claim, [quantities])) == "3,700"


def test_citations_point_into_the_unchanged_source():
    result = groundsum.check(TOKENIZED_SOURCE, "About 3,700 fans signed a petition.")
    assert result.source.text == TOKENIZED_SOURCE
    (sentence,) = result.sentences
    assert any("3 , 700 fans" in TOKENIZED_SOURCE[c.start : c.end] for c in sentence.citations)


def test_embedding_text_is_written_plainly():
    text = embedding_text("he said `` the $ 100 , 000 deal -lrb- psu -rrb- '' was off .")
    assert "``" not in text and "''" not in text and "lrb" not in text
    assert "100,000" in text and "(psu)" in text and text.endswith("was off.")
