"""Synthetic OpenAPI documents of any size: objects, enums, references, arrays and patterns."""

from __future__ import annotations

from typing import Any


def synthetic_spec(count: int, *, variant: str = "") -> dict[str, Any]:
    """A spec with ``count`` component schemas; ``variant`` changes every description (a different output)."""
    schemas: dict[str, Any] = {}
    for i in range(count):
        kind = i % 5
        name = f"Item{i}"
        if kind == 0:
            schemas[name] = {
                "type": "string",
                "enum": [f"A{i}", f"B{i}", f"C{i}"],
                "description": f"Enum {i}{variant}.",
            }
            continue
        properties: dict[str, Any] = {
            "id": {"type": "string", "pattern": "^[0-9a-f]{8}$", "description": f"Id of {i}{variant}."},
            "count": {"type": "integer", "minimum": 0, "maximum": 1000 + i},
            "tags": {"type": "array", "maxItems": 50, "items": {"type": "string", "maxLength": 20}},
            "label": {"type": "string", "minLength": 1, "nullable": True},
        }
        if i >= 5:
            properties["ref"] = {"$ref": f"#/components/schemas/Item{i - 5 + (1 if kind == 0 else 0)}"}
            properties["refs"] = {"type": "array", "items": {"$ref": f"#/components/schemas/Item{i - 1}"}}
        schemas[name] = {
            "type": "object",
            "required": ["id"],
            "properties": properties,
            "description": f"Object {i}{variant}.",
        }
    return {
        "openapi": "3.0.1",
        "info": {"title": "Synthetic", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }
