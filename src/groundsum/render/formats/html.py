"""HTML: one self-contained file showing the summary beside its source, highlight on hover.

It is the web page's own CSS and JavaScript (``groundsum/server/static``) inlined, with the
result's JSON embedded as data, so the report and the page never drift apart. The file needs
no network, and its Content-Security-Policy admits only those two inlined blocks (by hash): a
document containing ``<script>`` renders as text and runs nothing.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from importlib.resources import files

from ...model import Summary
from .. import Result, renderer_registry
from ..schema import to_dict

_BRAND = (
    '<div class="brand"><span class="brand-name">groundsum</span>'
    '<span class="brand-tagline">every sentence cites its source</span></div>'
)

STATIC = files("groundsum.server") / "static"


def _asset(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def _hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode() + "'"


def _script_data(data: dict) -> str:
    """JSON that can't close its <script> element: <, > and & escaped as JSON unicode escapes."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


@renderer_registry.register("html")
def render_html(result: Result) -> str:
    css, js = _asset("app.css"), _asset("app.js")
    doc = result.document if isinstance(result, Summary) else result.source
    kind = "Summary" if isinstance(result, Summary) else "Check"
    title = f"{kind}: {doc.title or doc.source or 'document'} — groundsum"
    policy = (
        f"default-src 'none'; script-src {_hash(js)}; style-src {_hash(css)}; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="groundsum">
<title>{html.escape(title)}</title>
<link rel="icon" href="data:,">
<style>{css}</style>
</head>
<body class="report">
<header class="topbar">
{_BRAND}
<span class="report-note">Hover or click a sentence to see the passages it cites.</span>
</header>
<main id="report"><noscript>This report needs JavaScript to show the summary beside its source.</noscript></main>
<script type="application/json" id="groundsum-data">{_script_data(to_dict(result))}</script>
<script>{js}</script>
</body>
</html>
"""
