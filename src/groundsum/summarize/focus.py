"""Relevance of a document's sentences to a focus ("inspections"): what focused summaries draw on.

Relevance is judged on the document's own words and their neighbours, two ways together:
lexical (BM25 of the focus's stemmed content words over each sentence, with IDF from the
document's own sentences, scaled so that matching every focus word once scores about 1) and
embedding (cosine of the focus to the sentence). A sentence also takes part of its neighbours'
relevance within its section, for ranking: of two sentences that name the focus, the one in a
passage about it comes first. Retrieval goes by a sentence's own relevance, so that the neighbours
of a single mention never fill the budget.

A focus that asks for a paper's problem, approach or outcome ("the method the authors propose";
``ROLE_CUES``) names a role rather than a topic. In a document laid out as a paper, the role models
of ``roles`` then score each sentence too: one they judge to play the role is retrieved whatever
its words, and ranking goes mostly by their score.

Every engine sees the same evidence: the pipeline narrows each unit to the sentences whose own relevance
is at or above ``THRESHOLD`` (the extractive engine then ranks them by salience and relevance together, the
generative ones summarize only those), and a unit left with none says nothing about the focus.
The numbers (``LEXICAL``, ``NEIGHBOUR``, ``THRESHOLD``, ``WEIGHT``) are read from ``focus.json`` beside
this file, written with its provenance by ``bench/focus_bench.py --tune`` from aclsum's train and val splits.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path

import numpy as np
import snowballstemmer

from ..embed import get_embedder
from ..errors import ConfigError
from ..model import Document, Unit
from . import roles
from .salience import content_term, zscore

TUNED_PATH = Path(__file__).with_name("focus.json")
TUNE_COMMAND = "python bench/focus_bench.py --tune"


def _tuned(path: Path = TUNED_PATH) -> dict[str, float]:
    """The shipped numbers; an unreadable file says how to regenerate it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {name: float(data[name]) for name in ("LEXICAL", "NEIGHBOUR", "THRESHOLD", "WEIGHT")}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"focus numbers {path} unreadable ({exc!r}); regenerate: {TUNE_COMMAND}") from None


_TUNED = _tuned()
LEXICAL = _TUNED["LEXICAL"]  # weight of the lexical score next to the cosine
NEIGHBOUR = _TUNED["NEIGHBOUR"]  # share of the best neighbour's relevance a sentence takes
THRESHOLD = _TUNED["THRESHOLD"]  # relevance a sentence needs to be retrieved for the focus
WEIGHT = _TUNED["WEIGHT"]  # extractive engine: weight of the z-scored relevance next to its salience score
MAX_FOCUS_CHARS = 500
HELP = "Summarize only what the source says about this (e.g. 'inspections'); a part that says nothing of it says so."
K1, B = 1.2, 0.75  # BM25's usual term saturation and length normalisation

_WORD = re.compile(r"[a-z][a-z0-9]*(?:[-'][a-z0-9]+)*")
# Words by which a focus asks for one of a paper's roles (``roles``) rather than for a topic.
ROLE_CUES = {
    "challenge": "problem challenge motivation motivate limitation gap difficulty difficult fail failure issue "
    "shortcoming drawback weakness",
    "approach": "method approach propose technique algorithm model framework architecture introduce",
    "outcome": "result finding outcome conclusion conclude performance improve improvement outperform accuracy "
    "evaluation",
}


def require_focus(focus: str | None) -> str | None:
    """The focus stripped, or None; an empty or overlong one is the one error every interface shows."""
    if focus is None:
        return None
    focus = " ".join(focus.split())
    if not focus:
        raise ConfigError("--focus must name something, e.g. --focus inspections")
    if len(focus) > MAX_FOCUS_CHARS:
        raise ConfigError(f"--focus must be at most {MAX_FOCUS_CHARS} characters")
    return focus


_STEMMER = snowballstemmer.stemmer("english")


@cache
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def terms(text: str) -> list[str]:
    """The stemmed content words of a text, in order (stop words and scraps left out)."""
    return [_stem(term) for word in _WORD.findall(text.lower()) if (term := content_term(word))]


def lexical(texts: Sequence[str], focus: str) -> np.ndarray:
    """BM25 of the focus over each text, divided by what a text holding every focus term once would
    score, so 1 means "all the focus words are here" whatever the document."""
    query = sorted(set(terms(focus)))
    if not query or not texts:
        return np.zeros(len(texts))
    sentence_terms = [terms(text) for text in texts]
    lengths = np.array([len(found) for found in sentence_terms], dtype=np.float64)
    counts = np.array([[found.count(term) for term in query] for found in sentence_terms], dtype=np.float64)
    present = (counts > 0).sum(axis=0)
    idf = np.log1p((len(texts) - present + 0.5) / (present + 0.5))
    norm = K1 * (1 - B + B * lengths / max(lengths.mean(), 1.0))
    saturated = counts * (K1 + 1) / (counts + norm[:, None])
    return saturated @ idf / (idf.sum() * (K1 + 1) / (1 + K1))


def with_neighbours(scores: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Each score plus ``NEIGHBOUR`` times the better of its two neighbours' in the same group."""
    before = np.concatenate(([-np.inf], scores[:-1]))
    after = np.concatenate((scores[1:], [-np.inf]))
    before[1:][groups[1:] != groups[:-1]] = -np.inf
    after[:-1][groups[:-1] != groups[1:]] = -np.inf
    best = np.maximum(before, after)
    return scores + NEIGHBOUR * np.where(np.isfinite(best), np.maximum(best, 0.0), 0.0)


def role_asked(focus: str) -> str | None:
    """The paper role (``roles.ROLES``) whose cue words the focus uses most, or None: none or a tie."""
    found = set(terms(focus))
    counts = {role: len(found & {_stem(word) for word in cues.split()}) for role, cues in ROLE_CUES.items()}
    ranked = sorted(counts.values(), reverse=True)
    if not ranked or ranked[0] == 0 or (len(ranked) > 1 and ranked[0] == ranked[1]):
        return None
    return max(counts, key=counts.__getitem__)


def role_for(doc: Document, focus: str) -> str | None:
    """The role the focus asks for, where the document is laid out as a paper (the role models' ground)."""
    role = role_asked(focus)
    return role if role is not None and roles.laid_out_as_paper(doc) else None


def relevance(doc: Document, indices: Sequence[int], focus: str) -> tuple[np.ndarray, np.ndarray]:
    """How much each sentence ``doc.sentences[i]`` (``indices`` ascending) says about the focus: by
    itself (what retrieves it), and with its neighbours' share, or its role's score (what ranks it)."""
    if not indices:
        return np.zeros(0), np.zeros(0)
    sentences = [doc.sentences[i] for i in indices]
    texts = [doc.text[s.start : s.end] for s in sentences]
    vectors = get_embedder("wordllama").encode([*texts, focus])
    own = vectors[:-1] @ vectors[-1] + LEXICAL * lexical(texts, focus)
    groups = np.array([-1 if s.section is None else s.section for s in sentences])
    in_context = with_neighbours(own, groups)
    role = role_for(doc, focus)
    if role is None:
        return own, in_context
    model = roles.fitted()
    plays = model.score(roles.features(doc, indices, vectors[:-1]), role)
    retrieved = np.where(plays >= model.cut, np.maximum(own, THRESHOLD), own)
    return retrieved, zscore(plays) + model.context * zscore(in_context)


def focus_units(doc: Document, units: Sequence[Unit], focus: str) -> list[Unit]:
    """Each unit narrowed to its sentences about the focus, with what their relevance adds to their
    salience; a unit about nothing of it keeps no sentence (the renderers then say so)."""
    pool = sorted({i for unit in units for i in unit.sentences})
    own, in_context = relevance(doc, pool, focus)
    weight = WEIGHT if role_for(doc, focus) is None else roles.fitted().weight
    retrieved = {i for i, score in zip(pool, own.tolist()) if score >= THRESHOLD}
    rank_of = dict(zip(pool, in_context.tolist()))
    focused = []
    for unit in units:
        kept = tuple(i for i in unit.sentences if i in retrieved)
        added = weight * zscore(np.array([rank_of[i] for i in kept])) if kept else np.zeros(0)
        focused.append(replace(unit, sentences=kept, focus=focus, relevance=tuple(added.tolist())))
    return focused
