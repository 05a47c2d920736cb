"""The multipart schema of POST /v1/videos lists every field a form takes: webhook and options were
taken from a form but missing from its schema, whose additionalProperties: false forbade them."""

from __future__ import annotations

import json
from collections.abc import Callable

from fastapi.testclient import TestClient


def test_the_form_schema_lists_every_field_of_the_json_body(make_client: Callable[..., TestClient]) -> None:
    client = make_client(allow_private_webhooks=True)
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    form = schemas["VideoCreateForm"]
    assert form["additionalProperties"] is False
    assert set(schemas["VideoCreate"]["properties"]) <= set(form["properties"])
    for name, bracket in (("webhook", "webhook[url]"), ("options", "options[flow_shift]")):
        assert f"as JSON text, or bracket fields such as {bracket}" in form["properties"][name]["description"]
    # What the schema now allows, the server takes: each as JSON text and as bracket fields.
    hook = "http://127.0.0.1:9/hook"
    for fields in (
        {"webhook": json.dumps({"url": hook}), "options": '{"flow_shift": 3}'},
        {"webhook[url]": hook, "options[flow_shift]": "3"},
    ):
        resp = client.post("/v1/videos", data={"prompt": "a fox", "model": "wan-tiny", **fields})
        assert resp.status_code == 202, resp.text
