"""Write the antonym pairs of WordNet 3.0 that the polarity check reads: ``python -m training.wordnet_antonyms``.

Reads WordNet's database files as Debian's ``wordnet-base`` installs them (``apt-get install
wordnet-base``: /usr/share/wordnet) and writes ``src/groundsum/verify/antonyms_wordnet.txt``, one
pair a line, with the licence notice WordNet asks every copy to carry. Only WordNet's direct
antonym links between single words are kept ("increase"/"decrease", "explicit"/"implicit"), not
the indirect ones through similar adjectives, which pair words that are merely different.
"""

from __future__ import annotations

import argparse
from pathlib import Path

WORDNET = Path("/usr/share/wordnet")
OUT = Path(__file__).resolve().parent.parent / "src" / "groundsum" / "verify" / "antonyms_wordnet.txt"
COMMAND = "python -m training.wordnet_antonyms"
NOTICE = """WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved.
THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR
WARRANTIES, EXPRESS OR IMPLIED. BY WAY OF EXAMPLE, BUT NOT LIMITATION, PRINCETON UNIVERSITY MAKES NO
REPRESENTATIONS OR WARRANTIES OF MERCHANTABILITY OR FITNESS FOR ANY PARTICULAR PURPOSE OR THAT THE USE
OF THE LICENSED SOFTWARE, DATABASE OR DOCUMENTATION WILL NOT INFRINGE ANY THIRD PARTY PATENTS,
COPYRIGHTS, TRADEMARKS OR OTHER RIGHTS. The name of Princeton University or Princeton may not be used
in advertising or publicity pertaining to distribution of the software and/or database. Title to
copyright in this software, database and any associated documentation shall at all times remain with
Princeton University and LICENSEE agrees to preserve same."""


def _synsets(path: Path) -> dict[str, tuple[list[str], list[str]]]:
    """Offset → (the synset's words, its fields), from one ``data.<pos>`` file."""
    synsets = {}
    for line in path.read_text(encoding="latin-1").splitlines():
        if line.startswith("  "):  # the licence header
            continue
        fields = line.split(" | ")[0].split()
        count = int(fields[3], 16)
        synsets[fields[0]] = ([fields[4 + 2 * k] for k in range(count)], fields)
    return synsets


def _word(lemma: str) -> str | None:
    """A lemma as a plain lowercase word (adjective markers like "(a)" cut); None for phrases."""
    word = lemma.split("(")[0].lower()
    return word if word.isalpha() else None


def antonym_pairs(wordnet: Path) -> list[tuple[str, str]]:
    pairs = set()
    for part in ("adj", "adv", "noun", "verb"):
        synsets = _synsets(wordnet / f"data.{part}")
        for words, fields in synsets.values():
            at = 4 + 2 * len(words)
            for k in range(int(fields[at])):
                symbol, target, _, source_target = fields[at + 1 + 4 * k : at + 5 + 4 * k]
                if symbol != "!" or target not in synsets:
                    continue
                mine, theirs = int(source_target[:2], 16), int(source_target[2:], 16)
                a, b = _word(words[mine - 1]), _word(synsets[target][0][theirs - 1])
                if a and b and a != b:
                    pairs.add((min(a, b), max(a, b)))
    return sorted(pairs)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.split("\n")[0])
    parser.add_argument("--wordnet", type=Path, default=WORDNET, help="folder of WordNet's data.* files")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if not (args.wordnet / "data.adj").is_file():
        raise SystemExit(f"no WordNet database in {args.wordnet} (apt-get install wordnet-base)")
    pairs = antonym_pairs(args.wordnet)
    title = f"Antonym pairs from WordNet 3.0 (direct antonym links between single words), written by {COMMAND}."
    header = [title, *NOTICE.splitlines()]
    lines = [f"# {line}" for line in header] + [f"{a} {b}" for a, b in pairs]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(pairs)} pairs to {args.out}")


if __name__ == "__main__":
    main()
