"""A model whose weights are not on the server is refused when the job is asked for, not failed later."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.conftest import files_under, png
from tests.api.openapi_once import openapi_of

MISSING = "wan-1.3b"


def give_weights(model: str) -> Path:
    """A diffusers folder for ``model`` in the models dir, as ``reelgen pull`` or a copy leaves it."""
    folder = Path(os.environ["REELGEN_MODELS_DIR"]) / model
    folder.mkdir(parents=True)
    # A whole folder names its parts: "{}" alone is a copy with none of them (partial).
    (folder / "model_index.json").write_text(
        '{"scheduler": ["diffusers", "FlowMatchEulerDiscreteScheduler"]}'
    )
    (folder / "scheduler").mkdir()
    (folder / "scheduler" / "scheduler_config.json").write_text("{}")
    return folder


def test_a_model_not_downloaded_is_a_400_naming_it_and_the_pull_command(
    client: TestClient, data_dir: Path
) -> None:
    """It was queued (202) and failed in the worker minutes later, after its place in the queue."""
    listed = {m["id"]: m for m in client.get("/v1/models").json()["data"]}
    assert listed[MISSING]["weights"]["present"] is False
    refused = client.post("/v1/videos", json={"prompt": "waves", "model": MISSING})
    assert refused.status_code == 400, refused.text
    error = refused.json()["error"]
    assert error["param"] == "model" and error["code"] == "model_not_available"
    assert f"'{MISSING}'" in error["message"] and f"reelgen pull {MISSING}" in error["message"]
    assert "\n" not in error["message"]
    # Image to video on a model not downloaded: no job, and its upload is not kept.
    image, before = {"input_reference": ("s.png", png())}, files_under(data_dir)
    i2v = client.post("/v1/videos", data={"prompt": "waves", "model": "wan-i2v-480p"}, files=image)
    assert i2v.status_code == 400 and "reelgen pull wan-i2v-480p" in i2v.json()["error"]["message"]
    assert client.get("/v1/videos").json()["data"] == []
    assert files_under(data_dir) == before
    # The planning documents' legacy route says the same.
    legacy = client.post("/api/video/generate", json={"prompt": "waves", "model": MISSING})
    assert legacy.status_code == 400 and legacy.json()["error"]["code"] == "model_not_available"
    # A request that is wrong in itself still says what is wrong with it first.
    bad = client.post("/v1/videos", json={"prompt": "waves", "model": MISSING, "size": "833x480"})
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "size"


def test_once_its_weights_are_there_it_is_queued_and_a_remix_after_they_went_is_refused(
    client: TestClient,
) -> None:
    folder = give_weights(MISSING)
    made = client.post("/v1/videos", json={"prompt": "waves", "model": MISSING})
    assert made.status_code == 202, made.text
    (folder / "model_index.json").unlink()
    remix = client.post(f"/v1/videos/{made.json()['id']}/remix", json={"prompt": "waves at night"})
    assert remix.status_code == 400 and f"reelgen pull {MISSING}" in remix.json()["error"]["message"]
    # Tiny and built-in models have no weights to fetch: never refused for it.
    for model in ("wan-tiny", "reelgen-micro"):
        assert client.post("/v1/videos", json={"prompt": "waves", "model": model}).status_code == 202


def test_a_server_whose_workers_are_on_a_ray_cluster_leaves_it_to_them(
    make_client: Callable[..., TestClient],
) -> None:
    """Its workers may run on other machines, holding weights this one does not."""
    client = make_client(jobs={"ray_address": "127.0.0.1:6380"})
    assert client.post("/v1/videos", json={"prompt": "waves", "model": MISSING}).status_code == 202


def test_a_talking_avatar_on_musetalk_not_downloaded_is_a_400_and_its_uploads_go(
    client: TestClient, data_dir: Path
) -> None:
    import io

    from PIL import Image
    from skimage import data

    photo = io.BytesIO()
    Image.fromarray(data.astronaut()).save(photo, format="PNG")
    files = {"image": ("face.png", photo.getvalue())}
    refused = client.post("/v1/avatars", data={"text": "Good morning.", "model": "musetalk"}, files=files)
    assert refused.status_code == 400, refused.text
    error = refused.json()["error"]
    assert error["param"] == "model" and "reelgen pull musetalk" in error["message"]
    assert client.get("/v1/videos").json()["data"] == [] and files_under(data_dir / "inputs") == []
    built_in = client.post(
        "/v1/avatars", data={"text": "Good morning.", "model": "musetalk-tiny"}, files=files
    )
    assert built_in.status_code == 202, built_in.text


def test_the_api_description_says_so(client: TestClient) -> None:
    schema = openapi_of(client)["components"]["schemas"]["VideoCreate"]
    assert "one whose weights are not on the server is a 400" in schema["properties"]["model"]["description"]


def test_a_model_downloaded_part_way_is_listed_partial_and_refused_as_such(client: TestClient) -> None:
    """It read as any model not downloaded: weights.present false and 'has no weights'."""
    folder = give_weights(MISSING)
    (folder / "model_index.json").write_text('{"transformer": ["diffusers", "WanTransformer3DModel"]}')
    (folder / "transformer").mkdir()
    (folder / "transformer" / "config.json").write_text("{}")  # its weight file never came
    listed = {m["id"]: m for m in client.get("/v1/models").json()["data"]}
    assert listed[MISSING]["weights"]["present"] is False and listed[MISSING]["weights"]["partial"] is True
    assert listed["wan-i2v-480p"]["weights"]["partial"] is False
    refused = client.post("/v1/videos", json={"prompt": "waves", "model": MISSING})
    assert refused.status_code == 400, refused.text
    assert (
        f"model '{MISSING}' has only part of its weights on this server" in refused.json()["error"]["message"]
    )


def test_a_folder_copied_in_part_says_what_is_missing_and_to_copy_the_rest_not_to_pull(
    client: TestClient,
) -> None:
    """The listing and the refusal said to run `reelgen pull`, which fills the Hugging Face cache: the part
    copy in the models folder, looked in first, was still refused after it."""
    folder = give_weights(MISSING)
    (folder / "model_index.json").write_text('{"transformer": ["diffusers", "WanTransformer3DModel"]}')
    (folder / "transformer").mkdir()
    (folder / "transformer" / "config.json").write_text("{}")
    held = client.get(f"/v1/models/{MISSING}").json()["weights"]
    assert held["partial"] is True and held["origin"] == "models-dir" and held["pull_command"] is None
    assert held["missing"] == ["transformer weights"]
    assert held["advice"] == (
        f"model '{MISSING}' is only partly copied into {folder} (missing: transformer weights); copy the rest "
        f"of {folder} from where it came, or remove that folder and run `reelgen pull {MISSING}`"
    )
    refused = client.post("/v1/videos", json={"prompt": "waves", "model": MISSING})
    assert refused.status_code == 400, refused.text
    assert refused.json()["error"]["message"].startswith(
        f"model '{MISSING}' has only part of its weights on this server (missing: transformer weights), so "
        f"its job could only fail; where the server runs, copy the rest of {folder} from where it came"
    )


def test_a_model_not_downloaded_or_pulled_in_part_is_told_to_pull(client: TestClient) -> None:
    held = client.get(f"/v1/models/{MISSING}").json()["weights"]
    assert held["pull_command"] == f"reelgen pull {MISSING}" and held["partial"] is False
    assert f"Fetch it with: reelgen pull {MISSING}" in held["advice"]
    assert client.get("/v1/models/wan-tiny").json()["weights"]["advice"] is None
