"""Segmentation: sentences, paragraphs, sections and letters, on real readers' output."""

from __future__ import annotations

import json
from dataclasses import replace
from itertools import pairwise

import pytest

from groundsum.model import Block, Budget, Document
from groundsum.read import read_path, read_text
from groundsum.segment import segment, split_sentences
from groundsum.segment.dates import date_line, parse_date
from groundsum.segment.letters import is_closing, is_salutation, letter_title, recipient_from_salutation
from groundsum.summarize import plan_units


def sentences_of(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


SENTENCES = [
    # abbreviations inside a sentence
    (
        "Mr. Smith met Dr. Jones on Oct. 26, 1962. They talked.",
        ["Mr. Smith met Dr. Jones on Oct. 26, 1962.", "They talked."],
    ),
    ("Use tools, e.g. hammers, i.e. heavy ones. Done.", ["Use tools, e.g. hammers, i.e. heavy ones.", "Done."]),
    ("See No. 5 and Fig. 3 for details. It is vs. that.", ["See No. 5 and Fig. 3 for details.", "It is vs. that."]),
    ("Smith et al. (2019) show this. We agree.", ["Smith et al. (2019) show this.", "We agree."]),
    (
        "The U.S.S.R. and the U.S. signed it. Then they left.",
        ["The U.S.S.R. and the U.S. signed it.", "Then they left."],
    ),
    ("They met the U.S. President on Jan. 5. He agreed.", ["They met the U.S. President on Jan. 5.", "He agreed."]),
    (
        "Prices rose approx. 5 percent, cf. Table 2. Sales fell.",
        ["Prices rose approx. 5 percent, cf. Table 2.", "Sales fell."],
    ),
    ("Acme Inc. sold it. Acme Inc. The company grew.", ["Acme Inc. sold it.", "Acme Inc.", "The company grew."]),
    # abbreviations that end the sentence
    ("He lives in the U.S. The next day he left.", ["He lives in the U.S.", "The next day he left."]),
    ("You cannot trust the U.S. Of course you are right.", ["You cannot trust the U.S.", "Of course you are right."]),
    ("We bought apples, pears, etc. The rest was sold.", ["We bought apples, pears, etc.", "The rest was sold."]),
    ("They left at 5 p.m. The next morning was cold.", ["They left at 5 p.m.", "The next morning was cold."]),
    # initials
    ("John F. Kennedy spoke. J. R. R. Tolkien wrote.", ["John F. Kennedy spoke.", "J. R. R. Tolkien wrote."]),
    ("The patients took vitamin D. The results improved.", ["The patients took vitamin D.", "The results improved."]),
    # numbers, versions, URLs, e-mails
    ("Version 3.5.1 is out. It costs $4.99 now.", ["Version 3.5.1 is out.", "It costs $4.99 now."]),
    ("Visit www.example.com. Mail a.b@c.org today.", ["Visit www.example.com.", "Mail a.b@c.org today."]),
    ("See https://example.com/a.html for more. Thanks.", ["See https://example.com/a.html for more.", "Thanks."]),
    ("It happened in 1962. 24 hours later it ended.", ["It happened in 1962.", "24 hours later it ended."]),
    # ellipses, quotes, brackets, ?!
    ("Wait... What happened? Nothing! Fine.", ["Wait...", "What happened?", "Nothing!", "Fine."]),
    ("He paused... and went on.", ["He paused... and went on."]),
    ('He said "Stop." Then he left.', ['He said "Stop."', "Then he left."]),
    ('"Stop." he said. We stopped.', ['"Stop." he said.', "We stopped."]),
    ("(This is it.) Next one.", ["(This is it.)", "Next one."]),
    ("“Really?” she asked. “Yes!” he said.", ["“Really?” she asked.", "“Yes!” he said."]),
    ("Is it? Really?! Yes.", ["Is it?", "Really?!", "Yes."]),
    ('You said: "Yesterday you shot down one of them."', ['You said: "Yesterday you shot down one of them."']),
    # tokenized model output
    (
        "against the United States . The missiles were placed by the Soviet Union .",
        ["against the United States .", "The missiles were placed by the Soviet Union ."],
    ),
    ("it 's over , they said . they did n't care .", ["it 's over , they said .", "they did n't care ."]),
    ("He said `` yes . '' Then he left .", ["He said `` yes . ''", "Then he left ."]),
    ("It ended . . . Nothing more .", ["It ended . . .", "Nothing more ."]),
    (
        "the missiles were placed against the U.S.\n Castro and his rebels won .",
        ["the missiles were placed against the U.S.", "Castro and his rebels won ."],
    ),
    (
        "the letters were written over 13 days\n Khrushchev agreed .",
        ["the letters were written over 13 days", "Khrushchev agreed ."],
    ),
    # lowercased text
    ("he visited the u.s. the next day. it was cold.", ["he visited the u.s. the next day.", "it was cold."]),
    ("mr. smith agreed. the rest did not.", ["mr. smith agreed.", "the rest did not."]),
    ("they met in the u.s. we never did.", ["they met in the u.s.", "we never did."]),
    # a lowercase sentence start after a plain word (a typo in the seed letters)
    ("It could be used against you. we ask you not to.", ["It could be used against you.", "we ask you not to."]),
    ("He counted approx. fifty planes.", ["He counted approx. fifty planes."]),
    # list items and line breaks
    ("Items:\n- first item\n- second item", ["Items:", "- first item", "- second item"]),
    ("1. Introduction\n2. Methods", ["1. Introduction", "2. Methods"]),
    (
        "This paragraph is wrapped at a fixed width so that its lines are long\n"
        "and the sentence runs on across the line break without stopping here.",
        [
            "This paragraph is wrapped at a fixed width so that its lines are long\n"
            "and the sentence runs on across the line break without stopping here."
        ],
    ),
    (
        "Mr. Nikita Khrushchev\nPrime Minister of the Union of Socialist Soviet Republics and more",
        ["Mr. Nikita Khrushchev", "Prime Minister of the Union of Socialist Soviet Republics and more"],
    ),
    ("Without a final period", ["Without a final period"]),
    ("", []),
    ("   \n  ", []),
]


@pytest.mark.parametrize(("text", "expected"), SENTENCES)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert sentences_of(text) == expected


def test_sentence_spans_are_exact_stripped_offsets_within_the_range() -> None:
    text = "  Head. First one here.  Second one!\n\nThird?  Tail"
    spans = split_sentences(text, 8, 44)
    assert [text[s:e] for s, e in spans] == ["First one here.", "Second one!", "Third?"]
    for start, end in spans:
        assert 8 <= start < end <= 44
        assert text[start:end] == text[start:end].strip()
    assert all(a[1] <= b[0] for a, b in pairwise(spans))


def test_case_signal_can_be_given() -> None:
    text = "the u.s. agreed. later they left."
    assert sentences_of(text) == ["the u.s. agreed.", "later they left."]
    assert [text[s:e] for s, e in split_sentences(text, cased=True)] == [text]


# --- paragraphs ---------------------------------------------------------------------------


def test_paragraphs_broken_mid_sentence_are_joined(letters_path) -> None:
    doc = segment(read_path(letters_path))
    sentences = [doc.cite(s.span) for s in doc.sentences]
    for broken in ("without reversing\n\nthe decision", "Those who\n\nsurvived", "We believe\n\nthat this"):
        joined = [s for s in sentences if broken in s]
        assert len(joined) == 1, broken
        paragraph = next(p for p in doc.paragraphs if broken in doc.cite(p.span))
        assert paragraph.role == "body"
    assert "We believe\n\nthat this is a great victory." in sentences


def test_joining_needs_a_missing_full_stop_and_a_lowercase_continuation() -> None:
    text = "One ends here.\n\nthen lowercase.\n\nNo stop here\n\nand then this.\n\nNo stop\n\nUpper Case Next."
    doc = segment(read_text(text, format="text"))
    bodies = [doc.cite(p.span) for p in doc.paragraphs]
    assert bodies == [
        "One ends here.",
        "then lowercase.",
        "No stop here\n\nand then this.",
        "No stop",
        "Upper Case Next.",
    ]


def test_code_tables_and_rules_get_no_sentences() -> None:
    text = "# Title\n\nProse here. More prose.\n\n```\nx = 1. y = 2.\n```\n\n| a | b |\n|---|---|\n| 1. | 2. |\n\n---\n"
    doc = segment(read_text(text, format="markdown"))
    roles = {p.kind: p.role for p in doc.paragraphs}
    assert roles["code"] == "code" and roles["table"] == "table"
    assert [doc.cite(s.span) for s in doc.sentences] == ["Prose here.", "More prose."]


def test_list_items_are_their_own_sentences() -> None:
    doc = segment(read_text("# Steps\n\n- mix the flour\n- add water\n- bake it. Then eat it\n", format="markdown"))
    assert [doc.cite(s.span) for s in doc.sentences] == ["mix the flour", "add water", "bake it.", "Then eat it"]
    assert {p.kind for p in doc.paragraphs if p.role == "body"} == {"list_item"}


# --- sections -------------------------------------------------------------------------------

PAPER = """# A Study of Things

Intro paragraph before sections. It sets the scene.

## Methods

We did things. Then we measured them (see Fig. 3).

### Data

The data came from the U.S. Census.

**Collection**

It was collected in 2020.

## References

- Smith, J. (2019). A paper. In Proc. of ACL.
- Jones, K. (2020). Another paper.
"""


def test_sections_follow_markdown_headings() -> None:
    doc = segment(read_text(PAPER, format="markdown"))
    shape = [(s.title, s.kind, s.level) for s in doc.sections]
    assert shape == [
        ("A Study of Things", "section", 1),
        ("Methods", "section", 2),
        ("Data", "section", 3),
        ("Collection", "section", 4),  # an implicit (bold) heading nests under the heading above
        ("References", "references", 2),
    ]
    for index, section in enumerate(doc.sections):
        assert doc.cite(section.span).startswith(section.title)
        for sentence in doc.sentences:
            if sentence.section == index:
                assert section.span.contains(sentence.span)
    assert not [s for s in doc.sentences if doc.sections[s.section].kind == "references"]
    assert all(a.end <= b.start for a, b in pairwise(doc.sections))


def test_a_document_without_headings_is_one_section() -> None:
    doc = segment(
        read_text("Just a paragraph. It has two sentences.\n\nAnother paragraph follows here.", format="text")
    )
    assert len(doc.sections) == 1
    section = doc.sections[0]
    assert (section.kind, section.start, section.end) == ("section", 0, len(doc.text))
    assert {s.section for s in doc.sentences} == {0}
    assert len(doc.sentences) == 3


def test_plain_text_headings_are_found_from_the_text() -> None:
    text = (
        "The Crisis in Review\n\nThe crisis began in October. It lasted thirteen days.\n\n"
        "Aftermath and Lessons\n\nBoth sides stepped back. A hotline was set up.\n"
    )
    doc = segment(read_text(text, format="text"))
    assert [(s.title, s.kind) for s in doc.sections] == [
        ("The Crisis in Review", "section"),
        ("Aftermath and Lessons", "section"),
    ]
    assert [p.role for p in doc.paragraphs] == ["heading", "body", "heading", "body"]


@pytest.mark.parametrize(
    "tail",
    [
        "Sources:\n\nhttp://example.com/a\nhttp://example.com/b",
        "References\n\nSmith, J. (2019). A paper about things.",
        "Bibliography:\n\nJones, K. 2020. Another paper.",
        "http://example.com/a\n\n<https://example.com/b>",
    ],
)
def test_references_are_a_section_with_no_sentences(tail: str) -> None:
    text = "Essay Title\n\nThe essay makes a claim. It backs it up with evidence.\n\n" + tail + "\n"
    doc = segment(read_text(text, format="text"))
    assert doc.sections[-1].kind == "references"
    assert not doc.sections[-1].summarizable
    assert [doc.cite(s.span) for s in doc.sentences] == ["The essay makes a claim.", "It backs it up with evidence."]


# --- letters ----------------------------------------------------------------------------------

LETTERS = [
    ("1962-10-26", "Fidel Castro", "Nikita Khrushchev"),
    ("1962-10-28", "Nikita Khrushchev", "Fidel Castro"),
    ("1962-10-28", "Fidel Castro", "Nikita Khrushchev"),
    ("1962-10-30", "Nikita Khrushchev", "Fidel Castro"),
]


def assert_seed_letters(doc: Document) -> None:
    with_sentences = sorted({s.section for s in doc.sentences})
    letters = [doc.sections[i] for i in with_sentences]
    assert [s.kind for s in letters] == ["letter"] * 4
    assert [(s.date, s.author, s.recipient) for s in letters] == LETTERS
    assert letters[0].title == "Letter to Nikita Khrushchev from Fidel Castro regarding defending Cuban air space"
    references = [s for s in doc.sections if s.kind == "references"]
    assert len(references) == 1 and references[0].title == "Sources"
    assert doc.cite(references[0].span).startswith("Sources:")
    assert doc.sections.index(references[0]) not in with_sentences
    formal = {"date", "salutation", "closing", "signature", "address", "title"}
    for paragraph in doc.paragraphs:
        text = doc.cite(paragraph.span)
        short = len(text) < 80
        if (
            (short
            and text.startswith(("Dear Comrade", "October 2", "Fraternally", "Faternally", "Mr. Nikita")))
            or text
            in (
                "Fidel Castro",
                "N. Khrushchev",
                "Nikita Krushchev",
            )
        ):
            assert paragraph.role in formal, text
    for sentence in doc.sentences:
        text = doc.cite(sentence.span)
        assert not text.startswith(("Dear Comrade Khrushchev", "October 2", "Fraternally", "Faternally"))
        assert not text.endswith(("Khrushchev:", "Castro:"))
        assert text != "Fidel Castro" and "Krushchev" not in text and "N. Khrushchev" not in text
        assert "Prime Minister of the Union" not in text
        assert doc.sections[sentence.section].span.contains(sentence.span)


def test_seed_letters_through_the_markdown_reader(letters_path) -> None:
    doc = segment(read_path(letters_path))
    assert doc.format == "markdown"
    assert_seed_letters(doc)
    roles = [p.role for p in doc.paragraphs if p.section == 4]  # the letter with an address
    assert roles[:5] == ["title", "date", "address", "address", "salutation"]
    assert roles[-2:] == ["closing", "signature"]
    units = plan_units(doc, "section", Budget(sentences=3))
    assert [doc.sections[u.section].date for u in units] == [d for d, _, _ in LETTERS]


def test_seed_letters_as_plain_text(letters_path, tmp_path) -> None:
    plain = tmp_path / "letters.txt"
    plain.write_text(read_path(letters_path).text, encoding="utf-8")
    doc = segment(read_path(plain))
    assert doc.format == "text"
    assert_seed_letters(doc)


def test_seed_letters_as_pdf(letters_path, tmp_path) -> None:
    """Through the PDF reader: titles wrap onto a second heading line, and each closing and
    signature come out on one line ("Fraternally, Fidel Castro")."""
    fpdf = pytest.importorskip("fpdf")
    source = read_path(letters_path)
    pdf = fpdf.FPDF()
    pdf.add_page()
    for block in source.blocks:
        text = source.cite(block.span).replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
        pdf.set_font("Helvetica", "B" if block.kind == "heading" else "", 15 if block.kind == "heading" else 11)
        pdf.multi_cell(0, 8, text)
        pdf.ln(4)
    path = tmp_path / "letters.pdf"
    pdf.output(str(path))
    doc = segment(read_path(path))
    assert doc.format == "pdf"
    assert_seed_letters(doc)
    closings = [doc.cite(p.span) for p in doc.paragraphs if p.role in ("closing", "signature")]
    assert closings[:2] == ["Fraternally,", "Fidel Castro"]


def test_bold_dates_and_signatures_are_letter_parts_not_headings(letters_path) -> None:
    """Markdown reads a bold line as an implicit heading; a bold date or signature is not one."""
    source = letters_path.read_text(encoding="utf-8")
    for date in ("October 26, 1962", "October 28, 1962", "October 30, 1962"):
        source = source.replace(f"\n{date}\n", f"\n**{date}**\n")
    source = source.replace("*N. Khrushchev*", "**N. Khrushchev**")
    doc = segment(read_text(source, format="markdown"))
    assert sum(block.kind == "heading" and block.level == 0 for block in doc.blocks) == 3 + 4 + 1
    assert_seed_letters(doc)
    roles = {doc.cite(p.span): p.role for p in doc.paragraphs if p.kind == "heading"}
    assert roles["October 26, 1962"] == "date" and roles["N. Khrushchev"] == "signature"


def test_wrapped_heading_lines_are_one_heading() -> None:
    text = "Letter to Fidel Castro from Nikita Khrushchev stating he will help to"
    doc = segment(
        Document(
            f"{text}\n\ndefend Cuba\n\nDear Comrade Fidel Castro:\n\n"
            "We have received your letter.\n\nResults\n\nsmall heading",
            blocks=(
                Block(0, len(text), "heading", 1),
                Block(len(text) + 2, len(text) + 13, "heading", 1),
                Block(len(text) + 15, len(text) + 41, "paragraph"),
                Block(len(text) + 43, len(text) + 72, "paragraph"),
                Block(len(text) + 74, len(text) + 81, "heading", 1),
                Block(len(text) + 83, len(text) + 96, "heading", 1),
            ),
        )
    )
    assert [s.title for s in doc.sections] == [
        "Letter to Fidel Castro from Nikita Khrushchev stating he will help to defend Cuba",
        "Results",  # a short heading does not wrap: the next one is a heading of its own
        "small heading",
    ]
    assert doc.sections[0].kind == "letter" and doc.sections[0].recipient == "Fidel Castro"


def test_summarize_per_section_gives_one_unit_per_letter(letters_path, run_cli) -> None:
    result = run_cli("summarize", letters_path, "--per", "section", "--format", "json")
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    sections = data["document"]["sections"]
    assert [sections[u["section"]]["kind"] for u in data["units"]] == ["letter"] * 4
    assert [sections[u["section"]]["author"] for u in data["units"]] == [a for _, a, _ in LETTERS]


UNTITLED_LETTERS = """Havana, October 26, 1962

Dear Comrade Khrushchev:

Given the analysis of the situation, we consider an attack to be almost imminent. We will resist.

We wish you success with the enormous task.

Fraternally,
Fidel Castro

October 28, 1962

Dear Comrade Fidel Castro:

Our message to President Kennedy allows for a solution of the problem in your favor. Show patience.

N. Khrushchev

http://www.pbs.org/a/
http://www.pbs.org/b/
"""


def test_plain_text_letters_without_titles() -> None:
    doc = segment(read_text(UNTITLED_LETTERS, format="text"))
    shape = [(s.kind, s.date, s.author, s.recipient) for s in doc.sections]
    assert shape == [
        ("letter", "1962-10-26", "Fidel Castro", "Khrushchev"),
        ("letter", "1962-10-28", "N. Khrushchev", "Fidel Castro"),
        ("references", None, None, None),
    ]
    roles = [(p.role, doc.cite(p.span)) for p in doc.paragraphs if p.role != "body"]
    assert roles[:5] == [
        ("date", "Havana, October 26, 1962"),
        ("salutation", "Dear Comrade Khrushchev:"),
        ("closing", "Fraternally,"),
        ("signature", "Fidel Castro"),
        ("date", "October 28, 1962"),
    ]
    assert [doc.cite(s.span) for s in doc.sentences][-2:] == [
        "Our message to President Kennedy allows for a solution of the problem in your favor.",
        "Show patience.",
    ]


def test_letter_under_a_collection_heading_with_an_introduction() -> None:
    text = (
        "## Correspondence\n\nThese letters were exchanged in 1962. They are short.\n\n"
        "26 October 1962\n\nDear Sir,\n\nWe write to you in haste. The matter is grave.\n\nYours truly,\n\nA. Writer\n"
    )
    doc = segment(read_text(text, format="markdown"))
    assert [(s.kind, s.title, s.level, s.date, s.author, s.recipient) for s in doc.sections] == [
        ("section", "Correspondence", 2, None, None, None),
        ("letter", None, 3, "1962-10-26", "A. Writer", "Sir"),
    ]


def test_segment_is_pure_and_idempotent(letters_path) -> None:
    read = read_path(letters_path)
    once = segment(read)
    assert not read.sentences and not read.sections and not read.paragraphs
    assert segment(once) is once
    again = segment(replace(once, sections=(), paragraphs=(), sentences=()))
    assert again == once


def test_documents_without_blocks_are_split_on_blank_lines() -> None:
    doc = segment(Document("First paragraph. Two sentences.\n\nSecond paragraph."))
    assert [doc.cite(p.span) for p in doc.paragraphs] == ["First paragraph. Two sentences.", "Second paragraph."]
    assert len(doc.sentences) == 3


def test_blocks_given_by_a_reader_are_respected() -> None:
    text = "Title Line\nBody text that belongs to a paragraph. And more."
    doc = segment(Document(text, blocks=(Block(0, 10, "heading", 1), Block(11, len(text)))))
    assert [(s.title, s.level) for s in doc.sections] == [("Title Line", 1)]
    assert [doc.cite(s.span) for s in doc.sentences] == ["Body text that belongs to a paragraph.", "And more."]


# --- letter parts and dates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "author", "recipient", "date"),
    [
        (
            "Letter to Nikita Khrushchev from Fidel Castro regarding defending Cuban air space",
            "Fidel Castro",
            "Nikita Khrushchev",
            None,
        ),
        (
            "Letter to Fidel Castro from Nikita Khrushchev advising him to remain firm",
            "Nikita Khrushchev",
            "Fidel Castro",
            None,
        ),
        ("From Fidel Castro to Nikita Khrushchev", "Fidel Castro", "Nikita Khrushchev", None),
        ("Khrushchev's letter to Kennedy, 26 October 1962", "Khrushchev", "Kennedy", "1962-10-26"),
        ("Castro to Khrushchev, October 28, 1962", "Castro", "Khrushchev", "1962-10-28"),
        ("Telegram from Ambassador Alekseev to Moscow", "Ambassador Alekseev", "Moscow", None),
        ("Letter from Castro regarding the threat to Cuba", "Castro", None, None),
    ],
)
def test_letter_titles(line: str, author: str | None, recipient: str | None, date: str | None) -> None:
    title = letter_title(line)
    assert title is not None
    assert (title.author, title.recipient, title.date) == (author, recipient, date)


@pytest.mark.parametrize(
    "line", ["Introduction to Machine Learning", "Note to self", "Letter to the editor", "Castro to Khrushchev"]
)
def test_lines_that_are_not_letter_titles(line: str) -> None:
    assert letter_title(line) is None


def test_salutations_and_closings() -> None:
    assert (
        is_salutation("Dear Comrade Khrushchev:") and is_salutation("Sir,") and is_salutation("To whom it may concern:")
    )
    assert not is_salutation("Mr. Nikita Khrushchev")
    assert not is_salutation("Dear Comrade Fidel Castro, I find your proposal to be wrong, even though I understand.")
    assert recipient_from_salutation("Dear Comrade Fidel Castro:") == "Fidel Castro"
    assert recipient_from_salutation("Dear Mr. President:") == "President"
    for closing in ("Fraternally,", "Faternally,", "Sincerely,", "Yours truly,", "Sincerely yours,", "Best regards,"):
        assert is_closing(closing), closing
    assert not is_closing("With warm wishes to all,")
    assert is_closing("With warm wishes to all,", generic=True)
    assert not is_closing("We send you, and your entire collective direction, our greetings.", generic=True)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("October 26, 1962", "1962-10-26"),
        ("Oct. 26, 1962", "1962-10-26"),
        ("Oct 26 1962", "1962-10-26"),
        ("26 October 1962", "1962-10-26"),
        ("26 Oct. 1962", "1962-10-26"),
        ("the 26th of October, 1962", "1962-10-26"),
        ("Friday, October 26th, 1962", "1962-10-26"),
        ("1962-10-26", "1962-10-26"),
        ("Sept. 3, 2001", "2001-09-03"),
        ("February 30, 1962", None),
        ("October 1962", None),
        ("no date here", None),
    ],
)
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


def test_date_lines_are_whole_lines() -> None:
    assert date_line("Havana, October 26, 1962") == "1962-10-26"
    assert date_line("October 26, 1962.") == "1962-10-26"
    assert date_line("We met on October 26, 1962 in Havana") is None
    assert parse_date("We met on October 26, 1962 in Havana") == "1962-10-26"
