"""The roles a research paper's sentences play: stating its problem, its approach, or its outcome.

A focus such as "the method the authors propose" or "the main results" names a role, not a topic:
each paper words its problem, method and findings in its own terms, so lexical and embedding
relevance to the focus miss them. Where a focus asks for a role (``focus.role_asked``) and the
document is laid out as a paper (an introduction or a conclusion heading), the sentences are also
scored for the role by a logistic regression over what the role shows in: the sentence's
wordllama vector and its neighbours', its place in the document and its section, its section's
heading, and a few surface cues ("we", "this paper", digits).

The three models were fitted on the sentences aclsum's annotators highlighted for each aspect
(challenge, approach, outcome) in its train and val papers. The coefficients, with how they were
chosen, are data: ``roles.json`` beside this file, written by ``python -m training.roles``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from ..errors import ConfigError
from ..model import Document

ROLES = ("challenge", "approach", "outcome")
FITTED_PATH = Path(__file__).with_name("roles.json")
FIT_COMMAND = "python -m training.roles"
# Words a section heading is matched on (lower case, anywhere in it): one feature each.
HEADING_WORDS = tuple(
    "introduction conclusion related experiment result method model approach discussion evaluation future "
    "background".split()
)
PAPER_HEADING = re.compile(r"introduction|conclusion", re.I)
_WE = re.compile(r"\b(?:we|our)\b", re.I)
_THIS_PAPER = re.compile(r"\b(?:this|the present) (?:paper|work|article)\b", re.I)
_DIGIT = re.compile(r"\d")
LENGTH_CAP = 60  # words: longer sentences count as this long
WORDLLAMA_DIMENSIONS = 256
FEATURES = 2 * WORDLLAMA_DIMENSIONS + 5 + len(HEADING_WORDS) + 7  # the columns of ``features``


@dataclass(frozen=True)
class RoleModel:
    """One logistic regression per role over ``features``' columns, and how focus ranking uses them."""

    coefficients: dict[str, np.ndarray]
    intercepts: dict[str, float]
    cut: float  # log-odds at which a sentence counts as about the focus, whatever its words
    context: float  # weight of the plain (lexical and embedding) relevance beside the role's, both z-scored
    weight: float  # extractive engine: weight of that ranking next to its salience score

    def score(self, features: np.ndarray, role: str) -> np.ndarray:
        """Each row's log-odds of playing the role."""
        return features @ self.coefficients[role] + self.intercepts[role]


@cache
def fitted(path: Path = FITTED_PATH) -> RoleModel:
    """The shipped models; an unreadable or mismatched file says how to regenerate it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        coefficients = {role: np.asarray(data["roles"][role]["coefficients"], dtype=np.float64) for role in ROLES}
        intercepts = {role: float(data["roles"][role]["intercept"]) for role in ROLES}
        ranking = {name: float(data["ranking"][name]) for name in ("cut", "context", "weight")}
        if any(values.shape != (FEATURES,) for values in coefficients.values()):
            raise ValueError(f"expected {FEATURES} coefficients per role")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"role models {path} unreadable ({exc!r}); regenerate: {FIT_COMMAND}") from None
    return RoleModel(coefficients, intercepts, **ranking)


def laid_out_as_paper(doc: Document) -> bool:
    """Whether the document has an introduction or a conclusion heading, as the fitted papers do."""
    return any(section.title and PAPER_HEADING.search(section.title) for section in doc.sections)


def features(doc: Document, indices: Sequence[int], vectors: np.ndarray) -> np.ndarray:
    """One row per sentence ``doc.sentences[i]`` (``indices`` ascending; ``vectors`` their unit-length
    wordllama vectors): the columns the role models weigh, ``FEATURES`` of them."""
    count = len(doc.sentences)
    chosen = [doc.sentences[i] for i in indices]
    texts = [doc.text[s.start : s.end] for s in chosen]
    every_section = np.array([-1 if s.section is None else s.section for s in doc.sentences])
    sections = every_section[list(indices)]
    last_section = max(int(every_section.max()), 0)
    place = np.asarray(indices, dtype=np.float64) / max(count - 1, 1)
    starts_section = np.r_[True, every_section[1:] != every_section[:-1]][list(indices)]
    in_section = np.zeros(count)
    for section in np.unique(every_section):
        members = np.flatnonzero(every_section == section)
        in_section[members] = np.arange(len(members)) / max(len(members) - 1, 1)
    titles = [(doc.sections[s.section].title or "").lower() if s.section is not None else "" for s in chosen]
    heading = np.array([[word in title for word in HEADING_WORDS] for title in titles], dtype=np.float64)
    zeros = np.zeros((1, vectors.shape[1]), dtype=vectors.dtype)
    neighbours = (np.vstack([zeros, vectors[:-1]]) + np.vstack([vectors[1:], zeros])) / 2
    return np.column_stack(
        [
            vectors,
            place,
            place**2,
            np.where(sections >= 0, sections / max(last_section, 1), 0.0),
            starts_section,
            in_section[list(indices)],
            heading,
            [min(len(text.split()), LENGTH_CAP) / LENGTH_CAP for text in texts],
            [bool(_WE.search(text)) for text in texts],
            [bool(_THIS_PAPER.search(text)) for text in texts],
            [bool(_DIGIT.search(text)) for text in texts],
            sections == 0,
            sections == last_section,
            sections <= 1,
            neighbours,
        ]
    ).astype(np.float64)
