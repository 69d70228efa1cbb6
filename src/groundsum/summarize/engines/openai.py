"""``openai``: any OpenAI-compatible chat endpoint (Ollama, vLLM, llama.cpp server, LM Studio, OpenAI).

Plain httpx, no SDK. The map step sends up to ``max_concurrency`` requests at once; each waits at
most ``timeout`` seconds for its reply; 429, 5xx and connection errors are retried with exponential
backoff and jitter (a server's Retry-After wins). The model is checked against ``/models`` before
any work, because some servers (llama-cpp-python's among them) answer any model name with whatever
they serve. Every failure reaches the user as one line; the API key is never part of it.
"""

from __future__ import annotations

import email.utils
import random
import re
import time
from typing import Any

import httpx

from ...config import Settings
from ...errors import ConfigError, EngineError
from .. import engine_registry
from ..generative.backend import Completion, split_options
from ..generative.chunking import estimate_tokens
from ..generative.engine import GenerativeEngine
from ..prompts import Prompt, chat_messages

DEFAULT_CONTEXT = 4096  # when neither the settings nor /models say; set `context` to the server's
BACKOFF_BASE = 0.5  # seconds before the first retry; doubles each time
BACKOFF_CAP = 30.0
RETRY_AFTER_CAP = 60.0
CONNECT_TIMEOUT = 10.0  # seconds; `timeout` is for the model's reply, not for reaching the server
CONTEXT_FIELDS = ("max_model_len", "context_length", "context_window", "max_context_length")


def endpoint(base_url: str) -> str:
    """The API root: a bare host gets OpenAI's ``/v1``; no trailing slash."""
    url = httpx.URL(base_url.strip())
    if url.scheme not in ("http", "https") or not url.host:
        raise ConfigError(f"--base-url must be an http(s) URL such as http://127.0.0.1:11434/v1, not '{base_url}'")
    if url.path in ("", "/"):
        url = url.copy_with(path="/v1")
    return str(url).rstrip("/")


def _shown(url: str) -> str:
    """A URL fit for messages: without a user:password part or query, either of which may hold a key."""
    return str(httpx.URL(url).copy_with(username=None, password=None, query=None))


def _reason(exc: Exception) -> str:
    """'connection refused' rather than '[Errno 111] Connection refused'."""
    text = re.sub(r"^\[Errno -?\d+\]\s*", "", str(exc).strip()).rstrip(".") or type(exc).__name__
    return text[0].lower() + text[1:]


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return None
    return min(max(seconds, 0.0), RETRY_AFTER_CAP)


def _backoff(attempt: int) -> float:
    return min(BACKOFF_CAP, BACKOFF_BASE * 2**attempt) * (0.5 + random.random())


class OpenAIBackend:
    instructable = True
    exact_tokens = False  # the server's tokenizer is out of reach: chars/4, with a safety margin
    shown_settings: tuple[str, ...] = (
        "timeout", "max_concurrency", "retries", "repair", "context", "max_tokens", "temperature", "seed"
    )

    def __init__(self, settings: Settings) -> None:
        if not settings.base_url:
            raise ConfigError(
                "engine 'openai' needs an endpoint: --base-url http://HOST:PORT/v1 (or GROUNDSUM_BASE_URL)"
            )
        self.settings = settings
        self.url = endpoint(settings.base_url)
        self.shown_url = _shown(self.url)
        self.concurrency = settings.max_concurrency
        self._secret = settings.api_key.get_secret_value() if settings.api_key else ""
        headers = {"Authorization": f"Bearer {self._secret}"} if self._secret else {}
        self._client = httpx.Client(
            base_url=self.url,
            headers=headers,
            timeout=httpx.Timeout(settings.timeout, connect=CONNECT_TIMEOUT),
            limits=httpx.Limits(max_connections=settings.max_concurrency),
        )
        served = self._served()
        self.model = self._choose(settings.model, served)
        entry = (served or {}).get(self.model, {})
        window = next((entry[f] for f in CONTEXT_FIELDS if isinstance(entry.get(f), int)), None)
        self.context = settings.context or window or DEFAULT_CONTEXT

    # -- HTTP

    def _request(self, method: str, path: str, payload: dict[str, Any] | None = None) -> httpx.Response:
        """One request, retried on 429, 5xx and connection errors; read timeouts are not retried."""
        for attempt in range(self.settings.retries + 1):
            last = attempt == self.settings.retries
            try:
                response = self._client.request(method, path, json=payload)
            except httpx.ReadTimeout:
                raise EngineError(
                    f"{self.shown_url} sent no reply within {self.settings.timeout:g}s (raise --timeout)"
                ) from None
            except httpx.TransportError as exc:  # refused, reset, DNS, connect timeout, dropped mid-reply
                if last:
                    raise EngineError(f"cannot reach {self.shown_url}: {self._scrub(_reason(exc))}") from None
                time.sleep(_backoff(attempt))
                continue
            if (response.status_code == 429 or response.status_code >= 500) and not last:
                wait = _retry_after(response)
                time.sleep(_backoff(attempt) if wait is None else wait)
                continue
            return response
        raise AssertionError("unreachable")

    def _scrub(self, text: str) -> str:
        """One line, and never the key, whatever a server echoes back."""
        text = " ".join(text.split())
        return text.replace(self._secret, "***") if self._secret else text

    def _message(self, response: httpx.Response) -> str:
        """The error a server put in its body: OpenAI's ``{"error": {"message": ...}}`` and the usual variants."""
        try:
            body = response.json()
        except ValueError:
            return self._scrub(response.text[:300]) or response.reason_phrase
        error = body.get("error", body) if isinstance(body, dict) else body
        if isinstance(error, dict):
            error = error.get("message") or error.get("detail") or error
        return self._scrub(str(error)[:300])

    def _fail(self, response: httpx.Response, what: str) -> EngineError:
        status = response.status_code
        message = self._message(response)
        if status in (401, 403):
            return EngineError(
                f"{self.shown_url} refused {what} (HTTP {status}: {message}); "
                "check the API key (OPENAI_API_KEY or GROUNDSUM_ENGINE_API_KEY)"
            )
        if status == 404 and "model" in message.lower():
            served = self._served() or {}
            listing = f" (served: {', '.join(sorted(served))})" if served else ""
            return EngineError(f"model '{self.model}' not found at {self.shown_url}: {message}{listing}")
        if status == 400 and re.search(r"context|too long|exceed", message, re.IGNORECASE):
            return EngineError(
                f"{self.shown_url} rejected {what}: {message}; set `context` (GROUNDSUM_CONTEXT) to the server's "
                f"context window (now {self.context} tokens)"
            )
        return EngineError(f"{self.shown_url} failed {what} (HTTP {status}): {message}")

    # -- models

    def _served(self) -> dict[str, dict[str, Any]] | None:
        """The served models by id, or None when the server does not list them."""
        response = self._request("GET", "/models")
        if response.status_code in (404, 405, 501):
            return None
        if response.status_code != 200:
            raise self._fail(response, "the model list")
        try:
            return {entry["id"]: entry for entry in response.json()["data"]}
        except (ValueError, KeyError, TypeError):
            raise EngineError(f"{self.shown_url}/models did not answer like an OpenAI-compatible server") from None

    def _choose(self, model: str | None, served: dict[str, dict[str, Any]] | None) -> str:
        listing = ", ".join(sorted(served or {})) or "none listed"
        if model is None:
            if served and len(served) == 1:
                return next(iter(served))
            raise ConfigError(
                f"engine 'openai' needs --model (or GROUNDSUM_MODEL); served at {self.shown_url}: {listing}"
            )
        if served is not None and model not in served and f"{model}:latest" not in served:
            raise EngineError(f"model '{model}' is not served at {self.shown_url} (served: {listing})")
        return model

    # -- Backend

    def count_tokens(self, text: str) -> int:
        return estimate_tokens(text)

    def generate(self, prompt: Prompt) -> Completion:
        payload = {
            "model": self.model,
            "messages": chat_messages(prompt),
            "max_tokens": prompt.max_tokens,
            "temperature": self.settings.temperature,
            "seed": self.settings.seed,
        }
        response = self._request("POST", "/chat/completions", payload)
        if response.status_code != 200:
            raise self._fail(response, "a chat request")
        try:
            reply = response.json()
            choice = reply["choices"][0]
            text = choice["message"].get("content") or ""
        except (ValueError, KeyError, IndexError, TypeError):
            raise EngineError(
                f"{self.shown_url} answered a chat request with something other than a chat completion"
            ) from None
        usage = reply.get("usage") or {}
        return Completion(
            text,
            choice.get("finish_reason") == "length",
            usage.get("prompt_tokens", 0),
            usage.get("completion_tokens", 0),
        )

    def describe(self) -> dict[str, Any]:
        return {"model": self.model, "base_url": self.shown_url, "context": self.context}


@engine_registry.register("openai")
def make_openai(**options: Any) -> GenerativeEngine:
    settings, rest = split_options(options)
    return GenerativeEngine("openai", OpenAIBackend(settings), settings, rest)
