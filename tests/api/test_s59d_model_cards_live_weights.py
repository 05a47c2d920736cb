"""GET /v1/models says whether each model's weights are here as they are now, listing after listing: a
model copied in (or pulled) while the server runs is listed present at once; the rest of its card (sizes,
memory, options), the same whatever the disk holds, stays as it was."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from reelgen.api.models import card
from reelgen.core.spec import registry
from tests.api.test_model_weights import MISSING, give_weights


def cards(client: TestClient) -> dict[str, dict[str, Any]]:
    return {m["id"]: m for m in client.get("/v1/models").json()["data"]}


def test_weights_copied_in_while_the_server_runs_are_listed_at_once(client: TestClient) -> None:
    before = cards(client)
    assert before[MISSING]["weights"]["present"] is False
    folder = give_weights(MISSING)
    after = cards(client)
    assert after[MISSING]["weights"]["present"] is True
    assert client.get(f"/v1/models/{MISSING}").json()["weights"]["present"] is True
    assert {k: v for k, v in after[MISSING].items() if k != "weights"} == {
        k: v for k, v in before[MISSING].items() if k != "weights"
    }
    (folder / "model_index.json").unlink()  # gone again: listed as not here
    assert cards(client)[MISSING]["weights"]["present"] is False


def test_a_card_changed_by_its_caller_leaves_the_next_card_as_it_was() -> None:
    # The parts every listing shares are worked out once (api/models.py): a caller that edits the card it
    # got (the list route, a test, a plugin) must not change what the next listing says.
    spec, preset = registry.presets()["wan-tiny"]
    first = card(spec, preset)
    first.choices.fps.append(1000.0)
    first.choices.sizes.clear()
    first.options["flow_shift"] = -1
    first.vram.full_gib = -1.0
    again = card(spec, preset)
    assert 1000.0 not in again.choices.fps and again.choices.sizes
    assert again.options.get("flow_shift") != -1 and again.vram.full_gib > 0
