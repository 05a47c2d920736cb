"""/openapi.json lists the refusals every route gives: a 400 for an unknown query parameter, and on a
route with a body the 413 of a body over the limit and the 415 of a content type it does not take."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.api.openapi_once import openapi_of


def test_every_route_documents_the_refusals_it_gives(make_client: Callable[..., TestClient]) -> None:
    client = make_client(max_upload_bytes=10_000)
    paths = openapi_of(client)["paths"]
    for path, item in paths.items():
        for method, operation in item.items():
            responses = operation["responses"]
            assert "400" in responses, (method, path)
            if "requestBody" in operation:
                assert {"413", "415"} <= set(responses), (method, path)
                assert responses["413"]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/ErrorEnvelope"
                }
    # Each was answered and not listed: what is now listed is what comes.
    assert client.get("/healthz", params={"x": "1"}).status_code == 400
    assert client.get("/v1/models", params={"x": "1"}).status_code == 400
    assert (
        client.post("/v1/batches", content=b"manifest", headers={"content-type": "text/plain"}).status_code
        == 415
    )
    big = client.post(
        "/v1/batches", content=b"[" + b"0," * 6000 + b"0]", headers={"content-type": "application/json"}
    )
    assert big.status_code == 413 and big.json()["error"]["code"] == "payload_too_large"
    assert client.post("/v1/system/free", data={"idle_seconds": "5"}).status_code == 415
