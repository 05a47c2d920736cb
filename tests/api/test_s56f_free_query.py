"""``POST /v1/system/free`` refuses a query string rather than ignore it and unload every model."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient


def test_idle_seconds_in_the_query_is_refused_not_ignored(make_client: Callable[..., TestClient]) -> None:
    # ?idle_seconds=600 was ignored, as any unknown query is: idle_seconds stayed 0 and every model
    # not in use on every worker was unloaded, the opposite of what was asked.
    client = make_client()
    asked: list[float] = []

    def free(idle: float) -> dict[str, list[str]]:
        asked.append(idle)
        return {}

    client.app.state.service.free = free  # type: ignore[attr-defined]
    resp = client.post("/v1/system/free?idle_seconds=600")
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"] == {
        "message": "POST /v1/system/free takes no query parameters (got 'idle_seconds'); send idle_seconds "
        'in a JSON body, such as {"idle_seconds": 600}, or no body to unload every model not in use',
        "type": "invalid_request_error",
        "param": "idle_seconds",
        "code": "invalid_value",
    }
    assert asked == []  # nothing unloaded
    assert client.post("/v1/system/free", json={"idle_seconds": 600}).status_code == 200
    assert asked == [600.0]
