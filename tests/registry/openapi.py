"""Validate API responses against the generated OpenAPI 3.0 schema (drf-spectacular) with
jsonschema: OpenAPI's ``nullable`` becomes a JSON Schema ``null`` alternative."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012


def _to_json_schema(node: Any) -> Any:
    if isinstance(node, list):
        return [_to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _to_json_schema(v) for k, v in node.items() if k != "nullable"}
    if node.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


class Contract:
    def __init__(self, client: Any) -> None:
        response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
        self.schema = _to_json_schema(json.loads(response.content))
        resource = Resource.from_contents(self.schema, default_specification=DRAFT202012)
        self.registry = Registry().with_resource("urn:api", resource)

    def check(self, template: str, method: str, response: Any) -> None:
        """Validate ``response`` against the schema of ``template`` (e.g. ``/api/registry/instruments/``)."""
        operation = self.schema["paths"][template][method.lower()]
        spec = operation["responses"][str(response.status_code)]
        content = spec.get("content", {})
        media = content.get("application/json") or next(iter(content.values()), None)
        assert media is not None, f"{method} {template} {response.status_code}: no body in the schema"
        ref = json.dumps(media["schema"]).replace('"#/', '"urn:api#/')
        validator = jsonschema.Draft202012Validator(json.loads(ref), registry=self.registry)
        validator.validate(response.json())
