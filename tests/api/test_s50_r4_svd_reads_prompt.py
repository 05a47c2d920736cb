"""Stable Video Diffusion reads no text, yet GET /v1/models' card did not say so: a client could not
tell that an SVD video's prompt and negative prompt never steer it. The card now has reads_prompt."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_the_model_card_says_whether_the_model_reads_its_prompt(client: TestClient) -> None:
    listed = {m["id"]: m for m in client.get("/v1/models").json()["data"]}
    for model in ("svd", "svd-xt", "svd-tiny"):
        assert listed[model]["reads_prompt"] is False, model
    for model in ("ltx-tiny", "ltx2-tiny", "reelgen-micro", "wan-tiny"):
        assert listed[model]["reads_prompt"] is True, model
    assert client.get("/v1/models/svd-xt").json()["reads_prompt"] is False
