"""The API's browsable documentation: a plain page made from its own OpenAPI schema.

Server-rendered like every other page (no script, so nothing for the Content Security Policy
to refuse, and accessible as the site's templates are); the schema itself is at /api/schema/.
"""

from dataclasses import dataclass
from functools import cache

from drf_spectacular.generators import SchemaGenerator


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    required: bool
    description: str


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    parameters: list[Field]
    responses: list[tuple[str, str, str]]  # (status, description, schema name)


def _kind(schema: dict, components: dict) -> str:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        # Objects are described below the requests; anything else (enums) is spelt out here.
        target = components.get(name, {})
        return name if target.get("type") == "object" else _kind(target, components)
    if "allOf" in schema:
        return " and ".join(_kind(part, components) for part in schema["allOf"])
    if "oneOf" in schema:
        return " or ".join(_kind(part, components) for part in schema["oneOf"])
    if "enum" in schema:
        return "one of: " + ", ".join(str(value) or "(empty)" for value in schema["enum"])
    kind = schema.get("type", "any")
    if kind == "array":
        return f"list of {_kind(schema.get('items', {}), components)}"
    if schema.get("format"):
        kind += f" ({schema['format']})"
    if schema.get("pattern"):
        kind += f", matching {schema['pattern']}"
    if "minimum" in schema or "maximum" in schema:
        kind += f", {schema.get('minimum', '')} to {schema.get('maximum', '')}"
    return kind + (" or null" if schema.get("nullable") else "")


@cache
def documentation() -> dict:
    """The schema's operations and components, ready for the template (once per process)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema.get("components", {}).get("schemas", {})
    operations = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            parameters = [
                Field(
                    f"{p['name']} ({p['in']})",
                    _kind(p.get("schema", {}), components),
                    p.get("required", False),
                    p.get("description", ""),
                )
                for p in operation.get("parameters", [])
            ]
            responses = []
            for status, response in operation.get("responses", {}).items():
                body = response.get("content", {}).get("application/json", {}).get("schema", {})
                responses.append(
                    (
                        status,
                        response.get("description", ""),
                        _kind(body, components) if body else "",
                    )
                )
            operations.append(
                Operation(method.upper(), path, operation.get("summary", ""), parameters, responses)
            )
    shapes = {
        name: [
            Field(
                field,
                _kind(spec, components),
                field in component.get("required", []),
                spec.get("description", ""),
            )
            for field, spec in component.get("properties", {}).items()
        ]
        for name, component in components.items()
        if component.get("type") == "object"
    }
    return {"info": schema["info"], "operations": operations, "shapes": shapes}
