"""``transformers``: a local Hugging Face model directory (the ``transformers`` extra, torch on CPU).

Seq2seq summarizers (BART-CNN, T5, Pegasus) read the source and write its summary; they take no
instructions, so the summary's length is held by the budget after generation and repair is not
attempted. Causal models are prompted like chat models, through their chat template when they
have one. Nothing is downloaded: the directory must hold the weights and the tokenizer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from ...config import Settings
from ...errors import ConfigError, EngineError
from .. import engine_registry
from ..generative.backend import Completion, passive_openmp, split_options
from ..generative.engine import GenerativeEngine
from ..prompts import Prompt, chat_messages

DEFAULT_CONTEXT_CAP = 8192
UNBOUNDED = 1_000_000  # tokenizers without a known limit report a huge model_max_length


def _model_directory(model: str) -> Path:
    """A model directory, or a model name already in the local Hugging Face cache (never downloaded)."""
    path = Path(model).expanduser()
    if path.is_dir():
        return path
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(model, local_files_only=True))
    except Exception:
        raise ConfigError(
            f"model directory not found: {path} (nor '{model}' in the local Hugging Face cache)"
        ) from None


class TransformersBackend:
    concurrency = 1  # one model on the CPU's threads; torch parallelizes inside a call
    exact_tokens = True
    shown_settings: tuple[str, ...] = ("repair", "context", "max_tokens", "temperature", "seed", "threads")

    def __init__(self, settings: Settings) -> None:
        passive_openmp()
        try:
            import torch
            import transformers
            from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoTokenizer
        except ImportError:
            raise ConfigError("engine 'transformers' needs its extra: pip install 'groundsum[transformers]'") from None
        if not settings.model:
            raise ConfigError(
                "engine 'transformers' needs a model directory: --model path/to/model (or GROUNDSUM_MODEL)"
            )
        path = _model_directory(settings.model)
        transformers.logging.set_verbosity_error()
        try:
            config = AutoConfig.from_pretrained(path, local_files_only=True)
            self._tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
            self.seq2seq = bool(config.is_encoder_decoder)
            model_class = AutoModelForSeq2SeqLM if self.seq2seq else AutoModelForCausalLM
            self._model = model_class.from_pretrained(path, local_files_only=True).eval()
        except (OSError, ValueError, KeyError) as exc:
            raise EngineError(
                f"cannot load {path} as a transformers model: {' '.join(str(exc).split())[:300]}"
            ) from None
        if settings.threads:
            torch.set_num_threads(settings.threads)
        torch.manual_seed(settings.seed)
        self._torch = torch
        self.path = path
        self.settings = settings
        self.instructable = not self.seq2seq
        self.context = settings.context or min(self._trained_context(config), DEFAULT_CONTEXT_CAP)
        summarization = (getattr(config, "task_specific_params", None) or {}).get("summarization", {})
        self._prefix = summarization.get("prefix", "") if self.seq2seq else ""

    def _trained_context(self, config: Any) -> int:
        limits = [self._tokenizer.model_max_length]
        limits += [getattr(config, name, None) for name in ("max_position_embeddings", "n_positions")]
        known = [int(limit) for limit in limits if isinstance(limit, int) and 0 < limit < UNBOUNDED]
        return min(known, default=DEFAULT_CONTEXT_CAP)

    def count_tokens(self, text: str) -> int:
        return len(self._tokenizer(text, add_special_tokens=False)["input_ids"])

    def _input_ids(self, prompt: Prompt) -> Any:
        tokenizer = self._tokenizer
        if self.seq2seq:
            return tokenizer(self._prefix + prompt.document, return_tensors="pt")["input_ids"]
        messages = chat_messages(prompt)
        if tokenizer.chat_template:
            text = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        else:
            text = "\n\n".join(message["content"] for message in messages) + "\n\n"
        return tokenizer(text, return_tensors="pt", add_special_tokens=False)["input_ids"]

    def generate(self, prompt: Prompt) -> Completion:
        input_ids = self._input_ids(prompt)
        if input_ids.shape[1] > self.context:
            raise EngineError(f"a prompt of {input_ids.shape[1]} tokens exceeds the model's context of {self.context}")
        tokenizer = self._tokenizer
        sampling = (
            {"do_sample": True, "temperature": self.settings.temperature}
            if self.settings.temperature
            else {"do_sample": False}
        )
        with self._torch.inference_mode():
            output = self._model.generate(
                input_ids=input_ids,
                attention_mask=self._torch.ones_like(input_ids),
                max_new_tokens=prompt.max_tokens,
                pad_token_id=tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id,
                **sampling,
            )
        # A seq2seq output starts with the decoder's start token; a causal one repeats the prompt.
        new = output[0][1:] if self.seq2seq else output[0][input_ids.shape[1] :]
        ended = len(new) > 0 and int(new[-1]) == tokenizer.eos_token_id
        return Completion(
            cast(str, tokenizer.decode(new, skip_special_tokens=True)),  # one sequence decodes to one string
            truncated=not ended and len(new) >= prompt.max_tokens,
            prompt_tokens=int(input_ids.shape[1]),
            completion_tokens=len(new),
        )

    def describe(self) -> dict[str, Any]:
        return {"model": self.path.name, "context": self.context, "seq2seq": self.seq2seq}


@engine_registry.register("transformers")
def make_transformers(**options: Any) -> GenerativeEngine:
    settings, rest = split_options(options)
    return GenerativeEngine("transformers", TransformersBackend(settings), settings, rest)
