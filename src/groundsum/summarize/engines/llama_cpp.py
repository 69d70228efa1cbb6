"""``llama-cpp``: any GGUF model in-process through llama-cpp-python (the ``llama`` extra).

The context size comes from the model (capped, so a 128k-context model does not reserve memory
for 128k tokens unless ``context`` asks for it), the chat template from the GGUF itself, and token
counts from the model's own tokenizer.
"""

from __future__ import annotations

import io
import signal
import subprocess
import sys
from contextlib import redirect_stderr
from functools import cache
from pathlib import Path
from typing import Any

from ...config import Settings
from ...errors import ConfigError, EngineError
from .. import engine_registry
from ..generative.backend import Completion, passive_openmp, split_options
from ..generative.engine import GenerativeEngine
from ..prompts import Prompt, chat_messages

DEFAULT_CONTEXT_CAP = 8192
PORTABLE_REBUILD = (
    "CMAKE_ARGS='-DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON' "
    "pip install --force-reinstall --no-cache-dir --no-deps llama-cpp-python"
)
# Loads the model with a tiny context and decodes two tokens: the step where a build for the wrong
# CPU dies (illegal instruction or segfault in the matmul kernels), in a process we can lose.
PROBE = """
import sys
from llama_cpp import Llama
llm = Llama(model_path=sys.argv[1], n_ctx=64, n_batch=8, n_threads=1, verbose=False)
llm.eval(llm.tokenize(b"Hello", add_bos=True))
"""


@cache
def check_llama_runs(model: Path) -> None:
    """Raise a one-line EngineError if llama.cpp dies on this CPU; once per model and process.

    A llama.cpp built with ``-march=native`` on another CPU takes the whole process down at its
    first decode, so the first decode happens in a child process that can crash alone.
    """
    try:
        probe = subprocess.run(
            [sys.executable, "-c", PROBE, str(model)], capture_output=True, timeout=600, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired:
        raise EngineError(f"llama.cpp took over 10 minutes to load {model.name} and decode two tokens") from None
    if probe.returncode < 0:
        crash = signal.Signals(-probe.returncode).name
        raise EngineError(f"llama.cpp crashes on this CPU ({crash}); rebuild it portable: {PORTABLE_REBUILD}")
    if probe.returncode != 0:
        last = (probe.stderr.decode(errors="replace").strip().splitlines() or ["no message"])[-1]
        raise EngineError(f"llama.cpp cannot run {model.name}: {last}")


class LlamaCppBackend:
    concurrency = 1  # one llama.cpp context is not safe to share between threads
    instructable = True
    exact_tokens = True
    shown_settings: tuple[str, ...] = ("repair", "context", "max_tokens", "temperature", "seed", "threads")

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
        trained = self._trained_context(Llama, path)  # reads metadata only: safe on any build
        check_llama_runs(path.resolve())
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
