"""A project file whose YAML text writes a NUL character (``"\\0"``) in its title is a 400 from ``POST`` and
``PUT /v1/projects``: it was a 201 that stored a project every later ``GET`` showed with no title, no scenes
and a ``problem``, and that no render or export could use."""

from __future__ import annotations

from fastapi.testclient import TestClient

GOOD = "title: Fine\ndefaults: {model: wan-tiny, width: 48, height: 32, fps: 8}\nscenes:\n  - {prompt: a fox, duration: 1}\n"
NUL_TITLE = GOOD.replace("title: Fine", 'title: "Fi\\0ne"')
NUL_PROMPT = GOOD.replace("prompt: a fox", 'prompt: "a f\\0ox"')
SAID = "holds a NUL character (\\0), which no file name or text may hold"


def test_a_nul_in_the_title_of_the_file_text_is_a_400_and_stores_nothing(client: TestClient) -> None:
    resp = client.post("/v1/projects", json={"project": NUL_TITLE})
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["param"] == "title"
    assert error["message"] == f"the project file: title {SAID}"
    assert client.get("/v1/projects").json()["data"] == []


def test_a_nul_in_a_multipart_project_file_is_a_400(client: TestClient) -> None:
    resp = client.post("/v1/projects", files={"project": ("project.yaml", NUL_PROMPT.encode())})
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["param"] == "scenes[0].prompt"
    assert SAID in resp.json()["error"]["message"]
    assert client.get("/v1/projects").json()["data"] == []


def test_an_update_with_a_nul_changes_nothing(client: TestClient) -> None:
    made = client.post("/v1/projects", json={"project": GOOD})
    assert made.status_code == 201, made.text
    project_id = made.json()["id"]
    resp = client.put(f"/v1/projects/{project_id}", json={"project": NUL_TITLE})
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["param"] == "title"
    after = client.get(f"/v1/projects/{project_id}").json()
    assert after["title"] == "Fine" and after["problem"] is None and len(after["scenes"]) == 1
