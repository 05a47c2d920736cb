"""``GET /v1/projects`` pages as ``GET /v1/videos`` does: limit, order and after, with the same refusals."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.openapi_once import openapi_of

#: A project of one title card: made with no uploads and no model.
CARD = {"title": "Card", "scenes": [{"id": "card", "title_card": {"text": "hi"}, "duration": 1.0}]}


def make(client: TestClient, count: int) -> list[str]:
    made = []
    for i in range(count):
        resp = client.post("/v1/projects", json={"project": {**CARD, "title": f"Card {i}"}})
        assert resp.status_code == 201, resp.text
        made.append(resp.json()["id"])
    return made


def test_the_list_pages_newest_first_and_follows_after(client: TestClient) -> None:
    ids = make(client, 5)
    page = client.get("/v1/projects", params={"limit": 2}).json()
    assert page["object"] == "list"
    assert [p["id"] for p in page["data"]] == [ids[4], ids[3]]  # it listed all five
    assert (page["first_id"], page["last_id"], page["has_more"]) == (ids[4], ids[3], True)
    rest = client.get("/v1/projects", params={"limit": 10, "after": page["last_id"]}).json()
    assert [p["id"] for p in rest["data"]] == [ids[2], ids[1], ids[0]] and not rest["has_more"]
    oldest = client.get("/v1/projects", params={"order": "asc", "limit": 2}).json()
    assert [p["id"] for p in oldest["data"]] == ids[:2] and oldest["has_more"]
    assert oldest["data"][0]["title"] == "Card 0"  # whole project objects, as before
    following = client.get("/v1/projects", params={"order": "asc", "after": ids[1]}).json()
    assert [p["id"] for p in following["data"]] == ids[2:]


def test_an_updated_project_keeps_its_place(client: TestClient) -> None:
    ids = make(client, 3)
    changed = client.put(f"/v1/projects/{ids[0]}", json={"project": {**CARD, "title": "Changed"}})
    assert changed.status_code == 200, changed.text
    assert [p["id"] for p in client.get("/v1/projects").json()["data"]] == ids[::-1]


def test_an_empty_list_has_no_ids(client: TestClient) -> None:
    assert client.get("/v1/projects").json() == {
        "object": "list",
        "data": [],
        "first_id": None,
        "last_id": None,
        "has_more": False,
    }


def test_bad_paging_is_refused_as_the_videos_list_refuses_it(client: TestClient) -> None:
    make(client, 1)
    cases: list[tuple[dict[str, str | int], str]] = [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "lots"}, "limit"),
        ({"order": "sideways"}, "order"),
    ]
    for params, param in cases:
        projects = client.get("/v1/projects", params=params)
        videos = client.get("/v1/videos", params=params)
        assert projects.status_code == videos.status_code == 400, projects.text
        assert projects.json()["error"] == videos.json()["error"]
        assert projects.json()["error"]["param"] == param
    assert "give asc or desc" in client.get("/v1/projects?order=x").json()["error"]["message"]
    gone = client.get("/v1/projects", params={"after": "proj_" + "f" * 32})
    assert gone.status_code == 400
    assert gone.json()["error"] == {
        "message": f"after: no project {'proj_' + 'f' * 32!r} to continue from; list again without after, "
        "or from a project that still exists",
        "type": "invalid_request_error",
        "param": "after",
        "code": "invalid_value",
    }


def test_the_paging_parameters_are_documented(client: TestClient) -> None:
    operation = openapi_of(client)["paths"]["/v1/projects"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert set(params) == {"after", "limit", "order"}
    assert params["limit"]["schema"]["maximum"] == 100 and params["order"]["schema"]["enum"] == [
        "asc",
        "desc",
    ]
    assert "after naming no project" in operation["responses"]["400"]["description"]
