"""/openapi.json as an app of given settings serves it, built once per test process for each such settings."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

#: (the settings of an app, less its folders; the /openapi.json body that app served), in the order asked.
_SERVED: list[tuple[dict[str, Any], bytes]] = []


def _schema_key(client: TestClient) -> dict[str, Any]:
    """``client``'s app's settings, less the folders each test gives it anew: the job store's (tmp_path) and
    the LoRA folder (under each test's REELGEN_HOME). Neither is in the schema, which ``_openapi`` in
    src/reelgen/api/app.py builds from the routes and the settings' limits; any other setting that differs
    (a prompt cap, a key) is another key, so that app's schema is built and read from that app itself."""
    settings = client.app.state.settings  # type: ignore[attr-defined]
    key: dict[str, Any] = settings.model_dump(exclude={"lora_dir": True, "jobs": {"data_dir"}})
    return key


def openapi_of(client: TestClient) -> dict[str, Any]:
    """What ``client.get("/openapi.json").json()`` answers, the schema fetched once per process for apps of
    the same settings: an app builds it in some 0.6 CPU-s, and about 25 tests read the one a default app
    serves. Each call parses the body anew, so a test that changes what it gets changes only its copy."""
    key = _schema_key(client)
    for settings, body in _SERVED:
        if settings == key:
            spec: dict[str, Any] = json.loads(body)
            return spec
    answer = client.get("/openapi.json")
    assert answer.status_code == 200, answer.text
    _SERVED.append((key, answer.content))
    served: dict[str, Any] = json.loads(answer.content)
    return served
