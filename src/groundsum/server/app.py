"""The HTTP API and the web page, on the same core as the CLI.

``POST /v1/summarize`` (JSON text or a multipart file upload) and ``POST /v1/check`` answer with
the JSON of ``--format json``; errors are RFC 9457 problem details. ``/`` is the page that shows a
summary beside its evidence; ``/docs`` the OpenAPI docs, served
with their assets so that they work offline.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import PureWindowsPath
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from .. import __version__
from ..model import Per
from ..pipeline import Policy
from ..read import reader_for_extension, reader_registry, unsupported_file_type
from ..summarize import engine_registry
from ..summarize.focus import HELP as FOCUS_HELP
from ..summarize.focus import MAX_FOCUS_CHARS
from ..summarize.options import RequestEngineOptions
from . import jobs
from .limits import BodySizeLimit, WorkerPool
from .problems import MEDIA_TYPE, install_problem_handlers
from .security import SecurityHeaders, check_api_key
from .settings import Limits

STATIC = ("groundsum.server", "static")


class SummarizeOptions(RequestEngineOptions):
    """The options of ``groundsum summarize``, with the engine options a request may set (unset: the
    server's own settings); give at most one of words, sentences, ratio."""

    per: Per = "document"
    words: int | None = Field(None, ge=1, description="Length budget in words, per unit.")
    sentences: int | None = Field(None, ge=1, description="Length budget in sentences, per unit.")
    ratio: float | None = Field(None, gt=0, le=1, description="Length budget as a share of each unit's words.")
    engine: str = Field("extractive", description=f"Summarization engine: {', '.join(engine_registry.names())}.")
    unsupported: Policy = "drop"
    focus: str | None = Field(None, max_length=MAX_FOCUS_CHARS, description=FOCUS_HELP)
    format: str | None = Field(
        None,
        description=(
            f"Input format (a reader: {', '.join(reader_registry.names())}). Default: by file name, else sniffed."
        ),
    )


class SummarizeText(SummarizeOptions):
    text: str = Field(description="The document itself (never read as a path).")


class CheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str = Field(description="The source document's text.")
    summary: str = Field(description="The summary to audit against it.")
    format: str | None = Field(None, description="Input format of the source. Default: sniffed.")


class Problem(BaseModel):
    """RFC 9457 problem details, sent as application/problem+json."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str


PROBLEMS = {
    401: "Missing or wrong API key.",
    413: "Request body over the size limit.",
    415: "Unsupported media type or file type.",
    422: "Invalid options, or a document that can't be read (empty, binary, encrypted).",
    503: "At the concurrency limit; retry shortly.",
    504: "Over the time limit.",
}
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"description": why, "content": {MEDIA_TYPE: {"schema": Problem.model_json_schema()}}}
    for status, why in PROBLEMS.items()
}


RESULT_JSON: dict[int | str, dict[str, Any]] = {
    200: {"description": "The result, in the JSON shape of `--format json`.", "content": {"application/json": {}}}
}
UPLOAD_SCHEMA = {
    **SummarizeOptions.model_json_schema(),
    "title": "SummarizeUpload",
    "required": ["file"],
}
UPLOAD_SCHEMA["properties"] = {"file": {"type": "string", "format": "binary"}, **UPLOAD_SCHEMA["properties"]}


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").partition(";")[0].strip().lower()


def is_json(media: str) -> bool:
    return media == "application/json" or media.endswith("+json")


def unsupported_media(media: str, accepted: str) -> HTTPException:
    return HTTPException(415, f"unsupported media type '{media or 'none'}': send {accepted}")


def upload_name(upload: UploadFile) -> str | None:
    """The upload's base name (a label and a reader hint; never opened)."""
    name = PureWindowsPath(upload.filename or "").name  # splits on both / and \
    return name or None


def check_file_type(name: str | None) -> None:
    suffix = PureWindowsPath(name or "").suffix
    if suffix and reader_for_extension(suffix) is None:
        raise HTTPException(415, unsupported_file_type(suffix))


def create_app(limits: Limits | None = None, *, api_key: str | None = None) -> FastAPI:
    """The app; with ``api_key`` set, every /v1 request must present it."""
    limits = limits or Limits()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pool = WorkerPool(limits)
        pool.start()
        app.state.pool = pool
        try:
            yield
        finally:
            pool.close()

    def authorize(request: Request) -> None:
        if api_key:
            check_api_key(request, api_key)

    app = FastAPIOffline(  # /docs assets ship in the package: no CDN
        title="groundsum",
        redoc_url=None,  # ReDoc's bundle fetches its logo from its CDN; /docs is Swagger UI
        version=__version__,
        summary="Summaries of long documents in which every sentence cites its source.",
        lifespan=lifespan,
    )
    install_problem_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=limits.max_bytes)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(packages=[STATIC]), name="static")
    index_html = (files(STATIC[0]) / STATIC[1] / "index.html").read_text(encoding="utf-8")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def page() -> HTMLResponse:
        return HTMLResponse(index_html)

    @app.get("/healthz")
    async def healthz(request: Request) -> dict[str, Any]:
        """Liveness and load: how many requests are in flight against the limit."""
        pool: WorkerPool = request.app.state.pool
        return {
            "status": "ok",
            "version": __version__,
            "workers": limits.workers,
            "max_concurrency": limits.max_concurrency,
            "in_flight": pool.in_flight,
            "api_key_required": bool(api_key),
        }

    @app.post(
        "/v1/summarize",
        dependencies=[Depends(authorize)],
        responses=RESULT_JSON | PROBLEM_RESPONSES,
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": SummarizeText.model_json_schema()},
                    "multipart/form-data": {"schema": UPLOAD_SCHEMA},
                },
            }
        },
    )
    async def summarize(request: Request) -> Response:
        """Summarize pasted text (JSON) or an uploaded file (multipart: `file` plus the options)."""
        media = media_type(request)
        if is_json(media):
            given = SummarizeText.model_validate_json(await request.body())
            options = given.model_dump(exclude={"text"}, exclude_none=True)
            source: str | bytes = given.text
            name = None
        elif media == "multipart/form-data":
            form = await request.form(max_files=1, max_fields=len(SummarizeOptions.model_fields) + 1)
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise HTTPException(422, "a multipart request needs the document as a file in the 'file' field")
            name = upload_name(upload)
            check_file_type(name)
            fields = {key: value for key, value in form.multi_items() if key != "file" and value != ""}
            options = SummarizeOptions.model_validate(fields).model_dump(exclude_none=True)
            source = await upload.read()
        else:
            raise unsupported_media(media, "application/json or multipart/form-data")
        pool: WorkerPool = request.app.state.pool
        return Response(await pool.run(jobs.summarize_document, source, name, options), media_type="application/json")

    @app.post(
        "/v1/check",
        dependencies=[Depends(authorize)],
        responses=RESULT_JSON | PROBLEM_RESPONSES,
        openapi_extra={
            "requestBody": {
                "required": True, "content": {"application/json": {"schema": CheckRequest.model_json_schema()}}
            }
        },
    )
    async def check(request: Request) -> Response:
        """Audit a summary against its source: each sentence's verdict, score and citations."""
        media = media_type(request)
        if not is_json(media):
            raise unsupported_media(media, "application/json")
        given = CheckRequest.model_validate_json(await request.body())
        pool: WorkerPool = request.app.state.pool
        payload = await pool.run(jobs.check_summary, given.source, given.summary, given.format)
        return Response(payload, media_type="application/json")

    return app
