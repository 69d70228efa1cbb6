"""Errors as RFC 9457 problem details: ``{"type", "title", "status", "detail"}``.

Every error the server sends has this shape and the ``application/problem+json`` media type,
whether it comes from a route, the request-size guard or an unexpected failure.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException

from ..errors import ConfigError, EngineError, InputError

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("groundsum.server")


def problem_response(status: int, detail: str, headers: Mapping[str, str] | None = None, **extra: Any) -> JSONResponse:
    """A problem-details response; ``type`` is about:blank, so ``title`` is the status phrase."""
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, headers=dict(headers or {}), media_type=MEDIA_TYPE)


def validation_problem(exc: ValidationError | RequestValidationError) -> JSONResponse:
    """422 naming each bad field, e.g. ``words: Input should be greater than or equal to 1``."""
    errors = [
        {"field": ".".join(str(part) for part in error["loc"] if part != "body"), "message": error["msg"]}
        for error in exc.errors()
    ]
    detail = "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors)
    return problem_response(422, detail or "invalid request", errors=errors)


def install_problem_handlers(app: FastAPI) -> None:
    """Route every error to a problem response, so clients only ever parse one error shape."""

    @app.exception_handler(HTTPException)
    async def http_problem(request: Request, exc: HTTPException) -> JSONResponse:
        detail = str(exc.detail)
        if detail == HTTPStatus(exc.status_code).phrase:  # Starlette's own 404/405: say what was asked
            detail = f"{request.method} {request.url.path}: {detail.lower()}; the API is described at /docs"
        return problem_response(exc.status_code, detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def request_validation_problem(request: Request, exc: RequestValidationError) -> JSONResponse:
        return validation_problem(exc)

    @app.exception_handler(ValidationError)
    async def validation_error_problem(request: Request, exc: ValidationError) -> JSONResponse:
        return validation_problem(exc)

    @app.exception_handler(InputError)
    @app.exception_handler(ConfigError)
    async def unprocessable(request: Request, exc: InputError | ConfigError) -> JSONResponse:
        return problem_response(422, str(exc))

    @app.exception_handler(EngineError)
    async def engine_failed(request: Request, exc: EngineError) -> JSONResponse:
        log.error("engine error: %s", exc)
        return problem_response(500, f"the summarization engine failed: {exc}")

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        # Starlette re-raises after sending this, so the server logs the traceback once.
        return problem_response(500, "unexpected server error; the server log has the details")
