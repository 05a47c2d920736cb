"""GET /v1/models says each model's own options, the ones a request that sets none is made with, so a
client (the page's "Use these settings") can tell them from options a person chose."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.test_model_weights import give_weights


def test_a_models_options_are_those_a_video_that_sets_none_is_made_with(client: TestClient) -> None:
    listed = {m["id"]: m for m in client.get("/v1/models").json()["data"]}
    # Before, no options were listed: LTX's own (tuned per checkpoint) could not be told from a user's.
    assert listed["ltx-2b"]["options"]["decode_timestep"] == 0.05
    assert listed["ltx-tiny"]["options"]["max_sequence_length"] == 128
    assert listed["reelgen-micro"]["options"] == {"flow_shift": None}
    assert client.get("/v1/models/ltx-distilled").json()["options"] == listed["ltx-distilled"]["options"]
    for model in ("ltx-2b", "ltx-distilled", "ltx-tiny", "reelgen-micro", "wan-tiny"):
        if not listed[model]["weights"]["present"]:
            give_weights(model)
        made = client.post("/v1/videos", json={"prompt": "waves", "model": model})
        assert made.status_code == 202, made.text
        assert made.json()["parameters"]["options"] == listed[model]["options"], model
    chosen = client.post(
        "/v1/videos", json={"prompt": "waves", "model": "ltx-tiny", "options": {"max_sequence_length": 64}}
    ).json()["parameters"]["options"]
    assert chosen == {**listed["ltx-tiny"]["options"], "max_sequence_length": 64}
