"""/openapi.json states the priority and prompt limits this server enforces, not looser ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.api.openapi_once import openapi_of


def _field(spec: dict[str, Any], schema: str, name: str) -> dict[str, Any]:
    field: dict[str, Any] = spec["components"]["schemas"][schema]["properties"][name]
    return field.get("anyOf", [field])[0]


def test_a_create_at_the_advertised_limits_is_taken_and_one_past_them_is_refused(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(max_priority=7, max_prompt_chars=50)
    spec = client.get("/openapi.json").json()
    top = _field(spec, "VideoCreate", "priority")["maximum"]
    longest = _field(spec, "VideoCreate", "prompt")["maxLength"]
    assert (top, longest) == (7, 50)

    taken = client.post("/v1/videos", json={"prompt": "a" * longest, "priority": top})
    assert taken.status_code == 202, taken.text
    refused = client.post("/v1/videos", json={"prompt": "a fox", "priority": top + 1})
    assert refused.status_code == 400
    assert refused.json()["error"]["param"] == "priority"
    too_long = client.post("/v1/videos", json={"prompt": "a" * (longest + 1)})
    assert (
        too_long.json()["error"]["message"]
        == "prompt: it has 51 characters, and at most 50 are taken; shorten it"
    )


def test_every_request_body_with_a_priority_says_the_servers_cap(client: TestClient) -> None:
    spec = openapi_of(client)
    schemas = spec["components"]["schemas"]
    takes = [name for name in schemas if name.endswith(("Create", "Form", "Body", "Remix", "Enhance"))]
    caps = {
        name: _field(spec, name, "priority").get("maximum")
        for name in takes
        if "priority" in schemas[name].get("properties", {})
    }
    assert {"VideoCreate", "VideoRemix", "BatchCreate", "RenderBody", "AvatarCreateForm"} <= set(caps)
    assert set(caps.values()) == {100}  # REELGEN_MAX_PRIORITY's default; the models said 1000 or nothing
    assert _field(spec, "LegacyGenerate", "prompt")["maxLength"] == 4000
    # Responses describe stored jobs, not what a request may send: left alone.
    assert "maximum" not in _field(spec, "VideoObject", "priority")
