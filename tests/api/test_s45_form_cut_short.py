"""A multipart body cut off before its closing boundary is refused, not read as a whole form."""

from __future__ import annotations

from fastapi.testclient import TestClient

BOUNDARY = "XyZ"


def _part(name: str, value: str) -> str:
    return f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'


def test_a_form_cut_off_mid_field_is_refused_and_queues_nothing(client: TestClient) -> None:
    # The model's name stopped at "wan-ti": taken as whole, the job ran as that or the default model.
    cut = (
        _part("prompt", "a fox")
        + f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="model"\r\n\r\nwan-ti'
    )
    kind = {"content-type": f"multipart/form-data; boundary={BOUNDARY}"}
    resp = client.post("/v1/videos", content=cut.encode(), headers=kind)
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["message"] == (
        "the form body ends before its closing boundary line: it was cut short; send it whole"
    )
    assert client.get("/v1/videos").json()["data"] == []
    whole = _part("prompt", "a fox") + _part("model", "wan-tiny") + f"--{BOUNDARY}--\r\n"
    assert client.post("/v1/videos", content=whole.encode(), headers=kind).status_code == 202
