"""``llama-cpp``: any GGUF model in-process through llama-cpp-python (the ``llama`` extra).

The context size comes from the model (capped, so a 128k-context model does not reserve memory
for 128k tokens unless ``context`` asks for it), the chat template from the GGUF itself, and token
counts from the model's own tokenizer.
"""

from __future__ import annotations

import io
from contextlib import redirect_stderr
from pathlib import Path
from typing import Any

from ...config import Settings
from ...errors import ConfigError, EngineError
from .. import engine_registry
from ..abstractive import Completion, GenerativeEngine, passive_openmp, split_options
from ..prompts import Prompt, chat_messages

DEFAULT_CONTEXT_CAP = 8192


class LlamaCppBackend:
    concurrency = 1  # one llama.cpp context is not safe to share between threads
    instructable = True
    exact_tokens = True
    shown_settings = ("repair", "context", "max_tokens", "temperature", "seed", "threads")

    def __init__(self, settings: Settings) -> None:
        passive_openmp()
        try:
            from llama_cpp import Llama
        except ImportError:
            raise ConfigError("engine 'llama-cpp' needs the llama extra: pip install 'groundsum[llama]'") from None
        if not settings.model:
            raise ConfigError("engine 'llama-cpp' needs a model: --model path/to/model.gguf (or GROUNDSUM_MODEL)")
        path = Path(settings.model).expanduser()
        if not path.is_file():
            raise ConfigError(f"model file not found: {path}")
        self.path = path
        self.settings = settings
        trained = self._trained_context(Llama, path)
        self.context = settings.context or min(trained or DEFAULT_CONTEXT_CAP, DEFAULT_CONTEXT_CAP)
        self._llm = self._load(
            Llama, path, n_ctx=self.context, n_threads=settings.threads, seed=settings.seed, verbose=False
        )

    @staticmethod
    def _load(llama: Any, path: Path, **options: Any) -> Any:
        """llama.cpp writes load chatter to stderr even when not verbose; keep it unless loading fails."""
        chatter = io.StringIO()
        try:
            with redirect_stderr(chatter):
                return llama(model_path=str(path), **options)
        except (ValueError, RuntimeError, OSError) as exc:
            raise EngineError(f"cannot load {path} as a GGUF model: {exc}") from None

    @classmethod
    def _trained_context(cls, llama: Any, path: Path) -> int | None:
        """The context length the model was trained with, read from its metadata (vocabulary only: fast)."""
        vocab = cls._load(llama, path, vocab_only=True, verbose=False)
        architecture = vocab.metadata.get("general.architecture", "")
        value = vocab.metadata.get(f"{architecture}.context_length")
        return int(value) if value else None

    def count_tokens(self, text: str) -> int:
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def generate(self, prompt: Prompt) -> Completion:
        try:
            reply = self._llm.create_chat_completion(
                messages=chat_messages(prompt),
                max_tokens=prompt.max_tokens,
                temperature=self.settings.temperature,
                seed=self.settings.seed,
            )
        except ValueError as exc:  # e.g. the prompt exceeds the context window
            raise EngineError(f"llama.cpp could not complete a prompt: {exc}") from None
        choice = reply["choices"][0]
        usage = reply.get("usage") or {}
        return Completion(
            choice["message"].get("content") or "",
            choice.get("finish_reason") == "length",
            usage.get("prompt_tokens", 0),
            usage.get("completion_tokens", 0),
        )

    def describe(self) -> dict[str, Any]:
        return {"model": self.path.name, "context": self.context}


@engine_registry.register("llama-cpp")
def make_llama_cpp(**options: Any) -> GenerativeEngine:
    settings, rest = split_options(options)
    return GenerativeEngine("llama-cpp", LlamaCppBackend(settings), settings, rest)
