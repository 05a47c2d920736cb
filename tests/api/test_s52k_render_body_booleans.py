"""A project render's or export's yes/no fields take true or false only, as the other request bodies do."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

CARDS = {"title": "Cards", "scenes": [{"id": "one", "title_card": {"text": "One"}, "duration": 1.0}]}


@pytest.mark.parametrize(
    ("route", "field", "value"),
    [
        ("render", "force", "yes"),
        ("render", "export", "true"),
        ("render", "allow_stale", 1),
        ("export", "allow_stale", "no"),
    ],
)
def test_a_yes_no_field_given_other_than_true_or_false_is_a_400_naming_it(
    client: TestClient, tmp_path: Path, route: str, field: str, value: object
) -> None:
    made = client.post("/v1/projects", data={"project": yaml.safe_dump(CARDS)})
    project_id = made.json()["id"]
    sent = client.post(f"/v1/projects/{project_id}/{route}", json={field: value})
    assert sent.status_code == 400, sent.text
    error = sent.json()["error"]
    assert error["param"] == field
    assert error["message"].endswith("is not true or false; give true or false (JSON, no quotes)"), error
    assert error["message"].startswith(f"{field}: "), error
    assert client.get(f"/v1/projects/{project_id}").json().get("jobs") in (None, [])
