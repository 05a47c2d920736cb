"""An empty model name is said to be empty: it was 'did you mean' followed by every built-in and tiny model."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from reelgen.core.errors import ModelNotAvailable
from reelgen.core.spec import registry


def test_an_empty_model_filter_on_the_list_is_said_to_be_empty(client: TestClient) -> None:
    resp = client.get("/v1/videos", params={"model": ""})
    assert resp.status_code == 400, resp.text
    message = resp.json()["error"]["message"]
    assert message.startswith("model: the model name '' is empty; give one such as reelgen-micro")
    assert "did you mean" not in message


@pytest.mark.parametrize("name", ["", "  "])
def test_an_empty_model_name_matches_no_model(name: str) -> None:
    with pytest.raises(ModelNotAvailable, match="is empty; give one such as reelgen-micro"):
        registry.resolve(name)
