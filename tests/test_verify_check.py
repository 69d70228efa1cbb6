"""verify and check end to end on the seed letters: paraphrases pass, invented claims are caught."""

from __future__ import annotations

from pathlib import Path

import pytest

import groundsum
from groundsum.errors import ConfigError, InputError
from groundsum.model import Draft, Span
from groundsum.pipeline import apply_policy, check
from groundsum.verify import summary_score, summary_sentences, verify
from groundsum.verify.combine import load_model

FIXTURES = Path(__file__).parent / "fixtures"
DISTILBART = FIXTURES / "distilbart-per-paragraph-summary.txt"

# Honest paraphrases of the letters: reworded, never copied.
PARAPHRASES = [
    "Castro believed an attack on Cuba was almost imminent and expected it within 24 to 72 hours.",
    "Castro told Khrushchev that the morale of the Cuban people was extremely high and that they would face "
    "aggression heroically.",
    "Khrushchev advised Castro to show patience and firmness and not to fall for provocations.",
    "According to Khrushchev, Kennedy's answer guaranteed that the United States would not invade Cuba.",
    "On October 24, Cuba mobilized fifty anti-aircraft batteries, its entire reserves, to support the Soviet forces.",
    "Castro said that Cuba was opposed in principle to inspections of its territory.",
    "Khrushchev found Castro's proposal that the Soviets be the first to carry out a nuclear strike to be wrong.",
    "Khrushchev wrote that the United States had publicly committed itself not to attack Cuba.",
    "Castro agreed to avoid an incident that could harm the negotiations, and Cuban batteries would hold their fire "
    "while the negotiations lasted.",
    "The Soviets promised to withdraw the missile bases from Cuba in exchange for a U.S. promise to abandon plans "
    "to invade Cuba.",
]

# (claim, the start of the reason that must explain it)
CORRUPTIONS = [
    (
        "Cuban forces mobilized forty anti-aircraft batteries on October 24 to support the Soviet forces.",
        "number 'forty' not in source (source has fifty)",
    ),
    (
        "On October 19, 1962 Castro wrote that an attack was almost imminent, within the next 24 to 72 hours.",
        "date 'October 19, 1962' not in source (source has October 26, 1962)",
    ),
    (
        "Castro told Khrushchev that Brezhnev had ordered the anti-aircraft batteries to hold their fire.",
        "'Brezhnev' matches no name in the source",
    ),
    (
        "Castro wrote that the Cuban people would not resist aggression with determination.",
        "negation flipped: source says",
    ),
    (
        "Khrushchev wrote to Castro that the morale of the Cuban people was extremely high and that they would "
        "confront aggression heroically.",
        "roles swapped: source has Fidel Castro → Nikita Khrushchev",
    ),
]


@pytest.fixture(scope="module")
def paraphrase_check(letters):
    return check(letters, "\n".join(PARAPHRASES))


@pytest.fixture(scope="module")
def corruption_check(letters):
    return check(letters, "\n".join(claim for claim, _ in CORRUPTIONS))


@pytest.mark.parametrize("k", range(len(PARAPHRASES)))
def test_paraphrases_of_the_letters_are_never_unsupported_and_outrank_every_corruption(
    paraphrase_check, corruption_check, letters, k
):
    """"supported" is set for 90% precision on human-labelled summaries, so a faithful paraphrase
    may land in "uncertain" (the judge's work), but never in "unsupported", and it scores above
    every corrupted claim."""
    sentence = paraphrase_check.sentences[k]
    assert sentence.text == PARAPHRASES[k]
    assert sentence.label != "unsupported", (sentence.score, sentence.reasons)
    assert sentence.score > max(s.score for s in corruption_check.sentences)
    assert sentence.citations and all(0 <= c.start < c.end <= len(letters.text) for c in sentence.citations)


def test_paraphrases_are_labelled_by_the_shipped_cuts_and_a_copy_is_supported(paraphrase_check, letters):
    """"supported" is set for precision on FRANK CNN/DM dev summaries, above most reworded sentences:
    a paraphrase is labelled by where its score falls, and a sentence the source states (here tokenized
    and lowercased, so it is scored rather than matched) is supported."""
    model = load_model()
    for sentence in paraphrase_check.sentences:
        assert sentence.label == model.label(sentence.score)
    tokenized_copy = "the cuban people 's morale is extremely high and the people will confront aggression heroically ."
    assert [s.label for s in check(letters, tokenized_copy).sentences] == ["supported"]


def test_paraphrases_cite_the_passage_they_restate(paraphrase_check, letters):
    cited = " ".join(letters.cite(c) for c in paraphrase_check.sentences[4].citations)
    assert "fifty anti-aircraft batteries" in cited
    cited = " ".join(letters.cite(c) for c in paraphrase_check.sentences[5].citations)
    assert "opposed, by principle, to inspections" in cited


@pytest.mark.parametrize("k", range(len(CORRUPTIONS)))
def test_invented_claims_are_unsupported_with_the_reason(corruption_check, k):
    sentence = corruption_check.sentences[k]
    claim, reason = CORRUPTIONS[k]
    assert sentence.text == claim
    assert sentence.label == "unsupported", (sentence.score, sentence.reasons)
    assert any(r.startswith(reason) for r in sentence.reasons), sentence.reasons


def test_summary_score_is_pulled_down_by_the_weakest_sentence(paraphrase_check, corruption_check):
    assert paraphrase_check.score > 0.5
    assert corruption_check.score < 0.2
    mixed = summary_score([s.score for s in paraphrase_check.sentences] + [corruption_check.sentences[0].score])
    mean = (sum(s.score for s in paraphrase_check.sentences) + corruption_check.sentences[0].score) / (
        len(PARAPHRASES) + 1
    )
    assert mixed < mean - 0.2


def test_summary_score_formula():
    assert summary_score([1.0, 1.0]) == pytest.approx(1.0)
    assert summary_score([0.95] * 9 + [0.01]) == pytest.approx(0.24, abs=0.01)
    assert min([0.2, 0.9]) <= summary_score([0.2, 0.9]) <= 0.55
    assert summary_score([]) == 0.0


def distilbart_check(letters, tmp_path, marker: str):
    lines = [line for line in DISTILBART.read_text(encoding="utf-8").splitlines() if marker in line]
    path = tmp_path / "summary.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = check(letters, path)
    return [s for s in result.sentences if marker in s.text]


@pytest.mark.parametrize(
    "marker, reason",
    [
        ("U.K.R.", "'U.K.R.' matches no name in the source"),
        ("U.S.R.", "'U.S.R.' matches no name in the source"),
        ("early 1950s", "date 'early 1950s' not in source (source has"),
        ("in 1956", "date '1956' not in source (source has 1962)"),
        ("in the 1950s", "date '1950s' not in source"),
    ],
)
def test_distilbart_mangled_names_and_invented_dates_are_flagged(letters, tmp_path, marker, reason):
    flagged = distilbart_check(letters, tmp_path, marker)
    assert flagged
    for sentence in flagged:
        assert sentence.label != "supported", (sentence.text, sentence.score)
        assert any(r.startswith(reason) for r in sentence.reasons), sentence.reasons


def test_exact_extractive_drafts_are_supported_with_their_span(letters):
    drafts = []
    for sentence in letters.sentences[:40:4]:
        span = Span(sentence.start, sentence.end)
        drafts.append(Draft(letters.cite(span), (span,), sentence.section))
    verdicts = verify(letters, drafts)
    assert [v.label for v in verdicts] == ["supported"] * len(drafts)
    assert [v.score for v in verdicts] == [1.0] * len(drafts)
    assert [v.citations for v in verdicts] == [d.evidence for d in drafts]


def test_a_draft_copied_with_other_line_breaks_is_still_exact(letters):
    sentence = letters.sentences[5]
    text = letters.text[sentence.start : sentence.end].replace(" ", "\n", 1).replace(" ", "  ", 1)
    [verdict] = verify(letters, [Draft(text, ())])
    assert verdict.label == "supported" and verdict.score == 1.0
    assert verdict.citations == (Span(sentence.start, sentence.end),)


def test_generated_drafts_are_scored_and_cited(letters):
    evidence = (Span(0, len(letters.text)),)
    drafts = [
        Draft(PARAPHRASES[4], evidence, origin="generated"),
        Draft(CORRUPTIONS[0][0], evidence, origin="generated"),
    ]
    good, bad = verify(letters, drafts)
    assert good.label != "unsupported" and bad.label == "unsupported"
    assert 0.0 <= bad.score < good.score < 1.0
    assert (good.citations and not good.reasons) or all(isinstance(r, str) for r in good.reasons)


def test_check_reads_tokenized_lowercased_model_output(letters):
    result = check(
        letters,
        "cuban forces mobilized fifty anti-aircraft batteries on october 24 to support the soviet forces .\n"
        "castro said the u.k.r. would never allow an invasion .",
    )
    good, bad = result.sentences
    assert good.label == "supported"
    assert bad.label == "unsupported" and "'u.k.r.' matches no name in the source" in bad.reasons


def test_unsupported_policies(letters, corruption_check):
    dropped = apply_policy(corruption_check, "drop")
    assert all(s.label != "unsupported" for s in dropped.sentences)
    assert dropped.score == corruption_check.score  # the score still counts them
    assert apply_policy(corruption_check, "keep") == corruption_check == apply_policy(corruption_check, "flag")
    with pytest.raises(ConfigError):
        apply_policy(corruption_check, "hide")


def test_check_is_exported_and_takes_text_paths_and_documents(letters, tmp_path):
    path = tmp_path / "s.txt"
    path.write_text(PARAPHRASES[0] + "\n", encoding="utf-8")
    by_path = groundsum.check(FIXTURES / "letters.md", str(path))
    by_text = groundsum.check(letters, PARAPHRASES[0])
    assert [s.score for s in by_path.sentences] == pytest.approx([s.score for s in by_text.sentences])
    assert by_text.source is letters


def test_check_rejects_bad_input(letters, tmp_path):
    with pytest.raises(InputError):
        check(letters, "   \n  ")
    with pytest.raises(InputError):
        check(tmp_path / "missing.md", "A claim.")
    with pytest.raises(ConfigError):
        check(letters, "A claim.", unsupported="maybe")


def test_summary_sentences_one_paragraph_per_line():
    text = (
        " First line of a summary . It goes on .\n- A bullet point\n\n"
        "A wrapped line with no end\nwhich continues here.\n"
    )
    assert summary_sentences(text) == [
        "First line of a summary .",
        "It goes on .",
        "A bullet point",
        "A wrapped line with no end which continues here.",
    ]
