"""JSON: everything, in the shape documented in docs/json-schema.md."""

from __future__ import annotations

import json

from .. import Result, renderer_registry
from ..schema import to_dict


@renderer_registry.register("json")
def render_json(result: Result) -> str:
    return json.dumps(to_dict(result), ensure_ascii=False, indent=2)
