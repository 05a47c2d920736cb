"""/openapi.json's request limits set to this server's own caps (priority, prompt length)."""

from __future__ import annotations

from typing import Any

from reelgen.api.settings import ApiSettings

#: Request bodies whose prompt (and negative prompt) the server holds to ``max_prompt_chars``
#: (``wire.check_text_limits``); the models alone allow 20 000 characters.
PROMPT_CAPPED = ("VideoCreate", "VideoCreateForm", "VideoRemix", "LegacyGenerate", "LegacyAnimateForm")


def request_bodies(spec: dict[str, Any]) -> set[str]:
    """The names of the component schemas some route takes as its request body."""
    names: set[str] = set()
    for path in spec.get("paths", {}).values():
        for operation in path.values():
            content = (operation.get("requestBody") or {}).get("content", {})
            for media in content.values():
                schema = media.get("schema", {})
                # An optional body (the project routes') is anyOf [its schema, null].
                for choice in schema.get("anyOf", [schema]):
                    ref = choice.get("$ref", "")
                    if ref.startswith("#/components/schemas/"):
                        names.add(ref.rsplit("/", 1)[1])
    return names


def _cap(field: dict[str, Any] | None, key: str, limit: int) -> None:
    """Lower ``key`` (``maximum``, ``maxLength``) of ``field``, and of each branch of its ``anyOf``, to ``limit``."""
    if field is None:
        return
    for branch in field.get("anyOf", [field]):
        if branch.get("type") in ("integer", "number", "string"):
            branch[key] = min(branch.get(key, limit), limit)


def apply_server_limits(spec: dict[str, Any], settings: ApiSettings) -> None:
    """Set the request bodies' limits in ``spec`` to what this server checks.

    The models say priority up to 1000 and prompts of 20 000 characters, but the server refuses
    a priority above ``REELGEN_MAX_PRIORITY`` (100) and a prompt over ``REELGEN_MAX_PROMPT_CHARS``
    (4000): a client built from the spec sent values it advertised and got 400s.
    """
    schemas = spec.get("components", {}).get("schemas", {})
    for name in request_bodies(spec):
        properties = schemas.get(name, {}).get("properties", {})
        _cap(properties.get("priority"), "maximum", settings.max_priority)
        if name in PROMPT_CAPPED:
            for text in ("prompt", "negative_prompt"):
                _cap(properties.get(text), "maxLength", settings.max_prompt_chars)
