"""A query number past one of its bounds is refused naming the whole range it takes."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_a_list_limit_out_of_range_names_both_ends(client: TestClient) -> None:
    # ?limit=0 heard "greater than or equal to 1" and ?limit=500 "less than or equal to 100", never both.
    for limit in ("0", "500"):
        resp = client.get(f"/v1/videos?limit={limit}")
        assert resp.status_code == 400, resp.text
        said = resp.json()["error"]["message"]
        assert said.startswith(f"limit: {limit} is too "), said
        assert said.endswith("; it takes a whole number from 1 to 100"), said
    # Not a number at all gets the range too, as a body's number does (test_query_number_words).
    not_a_number = client.get("/v1/videos?limit=abc").json()["error"]["message"]
    assert not_a_number.endswith("; it takes a whole number from 1 to 100"), not_a_number
