"""The aclsum papers: the data the extractive weights are tuned on, and the long-document benchmark set.

250 full ACL papers from the ``aclsum`` package. Each paper's source is its body text as Markdown
(``## Section`` headings over paragraphs), without the abstract, back matter or bibliography; its
reference summary is the abstract, and its word budget is the abstract's word count. Papers come
in file-name order, so ``papers(TUNED_ON)`` is always the same tuning subset and the rest stay
held out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from groundsum.segment import split_sentences

TUNED_ON = 100  # papers 0-99 tune the extractive weights; 100-249 are held out
MARKDOWN = "markdown"  # the reader groundsum uses for the sources


def sentences_of(text: str) -> list[str]:
    return [paragraph[start:end] for paragraph in text.split("\n\n") for start, end in split_sentences(paragraph)]


@dataclass(frozen=True)
class Paper:
    paper_id: str
    title: str
    markdown: str  # the source: body sections as Markdown
    abstract: str  # the reference summary

    @property
    def budget(self) -> int:
        """Summary length in words: the abstract's."""
        return len(self.abstract.split())

    @property
    def reference(self) -> str:
        """The abstract one sentence a line, as ROUGE-Lsum expects it."""
        return "\n".join(sentences_of(self.abstract))


def paper_paths() -> list[Path]:
    import aclsum

    return sorted((Path(aclsum.__file__).parent / "dataset" / "paper_jsons").glob("*.json"))


def body_markdown(body: list[dict], heading: str = "##") -> str:
    """S2ORC body paragraphs as Markdown: a heading line whenever the section name changes."""
    parts: list[str] = []
    section = None
    for paragraph in body:
        text = " ".join(paragraph["text"].split())
        if not text:
            continue
        name = " ".join((paragraph.get("section") or "").split())
        if name and name != section:
            parts.append(f"{heading} {name}")
        section = name or section
        parts.append(text)
    return "\n\n".join(parts) + "\n"


def load_paper(path: Path) -> Paper:
    data = json.loads(path.read_text(encoding="utf-8"))
    body = data["pdf_parse"]["body_text"]
    abstract = " ".join(data["abstract"].split())
    return Paper(path.stem, " ".join(data["title"].split()), body_markdown(body), abstract)


@cache
def papers(limit: int | None = None) -> tuple[Paper, ...]:
    """The first ``limit`` papers (all 250 when None), in file-name order."""
    return tuple(load_paper(path) for path in paper_paths()[:limit])


def long_document(words: int) -> str:
    """A Markdown document of about ``words`` words: distinct papers concatenated, each a section.

    Each paper becomes a ``## Title`` section with its own sections one level down; the last
    paper is cut at a paragraph boundary once the target is reached.
    """
    parts: list[str] = []
    total = 0
    for path in paper_paths():
        data = json.loads(path.read_text(encoding="utf-8"))
        parts.append(f"## {' '.join(data['title'].split())}")
        for block in body_markdown(data["pdf_parse"]["body_text"], heading="###").split("\n\n"):
            parts.append(block.strip())
            total += len(block.split())
            if total >= words:
                return "\n\n".join(parts) + "\n"
    raise ValueError(f"the aclsum papers hold fewer than {words} words")
