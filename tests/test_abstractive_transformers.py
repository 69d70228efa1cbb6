"""The ``transformers`` engine's plumbing, with tiny randomly initialised models built offline.

These check loading (seq2seq and causal, with and without a chat template), token counting with
the model's tokenizer, chunking to its context, map-reduce and the fallback, not summary quality:
a random model writes noise, which verify rejects and the extractive engine replaces.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("transformers")
pytest.importorskip("torch")

from groundsum.errors import ConfigError, EngineError
from groundsum.pipeline import summarize
from groundsum.summarize import get_engine
from groundsum.summarize.prompts import SYSTEM, Prompt

LETTERS = Path(__file__).parent / "fixtures" / "letters.md"
CONTEXT = 256
CHAT_TEMPLATE = "{% for m in messages %}<{{ m['role'] }}>{{ m['content'] }}\n{% endfor %}<assistant>"


def _tokenizer():
    """A word-level tokenizer trained on the letters: every word of the source is in its vocabulary."""
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tokenizer = Tokenizer(models.WordLevel(unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    specials = ["<pad>", "<s>", "</s>", "<unk>"]
    tokenizer.train_from_iterator(
        [LETTERS.read_text(encoding="utf-8")], trainers.WordLevelTrainer(special_tokens=specials)
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, pad_token="<pad>", bos_token="<s>", eos_token="</s>", unk_token="<unk>",
        model_max_length=CONTEXT,
    )


def _save(model, tokenizer, folder: Path) -> Path:
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def bart_dir(tmp_path_factory) -> Path:
    import torch
    from transformers import BartConfig, BartForConditionalGeneration

    torch.manual_seed(0)
    tokenizer = _tokenizer()
    ids = {name: tokenizer.convert_tokens_to_ids(name) for name in ("<pad>", "<s>", "</s>")}
    config = BartConfig(
        vocab_size=len(tokenizer), d_model=32, encoder_layers=1, decoder_layers=1,
        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64,
        max_position_embeddings=CONTEXT, pad_token_id=ids["<pad>"], bos_token_id=ids["<s>"],
        eos_token_id=ids["</s>"], decoder_start_token_id=ids["</s>"], forced_eos_token_id=None,
    )
    return _save(BartForConditionalGeneration(config), tokenizer, tmp_path_factory.mktemp("tiny-bart"))


@pytest.fixture(scope="module")
def gpt2_dir(tmp_path_factory) -> Path:
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(0)
    tokenizer = _tokenizer()
    tokenizer.chat_template = CHAT_TEMPLATE
    config = GPT2Config(
        vocab_size=len(tokenizer), n_positions=CONTEXT, n_embd=32, n_layer=1, n_head=2,
        bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
    )
    return _save(GPT2LMHeadModel(config), tokenizer, tmp_path_factory.mktemp("tiny-gpt2"))


def _check(engine, summary) -> None:
    assert engine.backend.context == CONTEXT  # read from the model and its tokenizer
    assert engine.usage.calls > len(summary.units), "a unit longer than the context is chunked and reduced"
    assert engine.usage.completion_tokens > 0
    assert summary.sentences, "the fallback fills every unit"
    for sentence in summary.sentences:
        assert sentence.label != "unsupported"
        assert sentence.origin in ("generated", "extracted")
    assert summary.engine.name == "transformers"


def test_a_seq2seq_model_directory_summarizes_through_the_engine(bart_dir):
    engine = get_engine("transformers", model=str(bart_dir), seed=0, quiet=True)
    assert engine.backend.seq2seq and not engine.backend.instructable
    assert engine.backend.count_tokens("Dear Comrade Khrushchev:") == 4  # the model's own tokenizer
    summary = summarize(LETTERS, per="document", engine=engine)
    _check(engine, summary)
    assert summary.engine.settings["seq2seq"] is True


def test_a_causal_model_is_prompted_through_its_chat_template(gpt2_dir):
    engine = get_engine("transformers", model=str(gpt2_dir), seed=0, quiet=True, repair=True)
    assert not engine.backend.seq2seq and engine.backend.instructable
    ids = engine.backend._input_ids(Prompt("Cuba.", "Summarize.", 8))
    assert ids.shape[1] > engine.backend.count_tokens(SYSTEM) + 2  # the system message and template are sent
    summary = summarize(LETTERS, per="section", engine=engine)
    _check(engine, summary)


def test_the_cli_runs_the_engine_and_reports_missing_models(run_cli, bart_dir, tmp_path):
    done = run_cli("summarize", LETTERS, "--engine", "transformers", "--model", bart_dir, "--format", "json", "--quiet")
    assert done.returncode == 0, done.stderr.decode()
    assert b'"name": "transformers"' in done.stdout
    missing = run_cli("summarize", LETTERS, "--engine", "transformers", "--model", tmp_path / "nope")
    assert missing.returncode == 1
    assert re.fullmatch(rb"groundsum: error: model directory not found: .*nope.*\n", missing.stderr)
    (tmp_path / "empty").mkdir()
    with pytest.raises(EngineError, match=r"cannot load .*empty as a transformers model"):
        get_engine("transformers", model=str(tmp_path / "empty"))
    with pytest.raises(ConfigError, match="needs a model directory"):
        get_engine("transformers")


def test_a_model_name_resolves_from_the_local_hugging_face_cache(bart_dir, tmp_path, monkeypatch):
    """A name such as ``org/model`` loads from the HF cache layout (refs/main → snapshots/<commit>), offline."""
    import shutil

    cache = tmp_path / "hub"
    repo = cache / "models--groundsum-test--tiny-bart"
    commit = "0" * 40
    shutil.copytree(bart_dir, repo / "snapshots" / commit)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_CACHE", str(cache))
    engine = get_engine("transformers", model="groundsum-test/tiny-bart", seed=0, quiet=True)
    assert engine.backend.seq2seq
    with pytest.raises(ConfigError, match="nor 'groundsum-test/absent' in the local Hugging Face cache"):
        get_engine("transformers", model="groundsum-test/absent")
