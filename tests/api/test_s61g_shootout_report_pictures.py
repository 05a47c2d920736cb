"""A shoot-out report served over HTTP finds the clip pictures it links (past INLINE_CLIPS clips it links them,
sheets/<key>.png and previews/<key>.gif, in place of inlining them); nothing else in the folder is served."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.api.test_batches_api import api, events, server  # noqa: F401  (the live server and its client)


def test_the_reports_picture_links_resolve_beside_the_served_page(api: httpx.Client, tmp_path: Path) -> None:  # noqa: F811
    report = tmp_path / "report"
    body = {"models": ["jobtest-tiny"], "prompts": {"prompts": ["a red fox"]}, "output_folder": str(report)}
    resp = api.post("/v1/shootouts", json=body)
    assert resp.status_code == 202, resp.text
    shootout = resp.json()
    assert events(api, f"/v1/shootouts/{shootout['id']}/events")[-1][0] == "completed"
    page = api.get(shootout["urls"]["report"])
    sheet = api.get(str(page.url.join("sheets/jobtest-tiny--p1.png")))
    assert sheet.status_code == 200 and sheet.headers["content-type"] == "image/png"
    assert sheet.content == (report / "sheets" / "jobtest-tiny--p1.png").read_bytes()
    preview = api.get(str(page.url.join("previews/jobtest-tiny--p1.gif")))
    assert preview.status_code == 200 and preview.content.startswith(b"GIF8")
    for other in ("sheets/nothing.png", "sheets/..%2Fresults.json", "previews/.hidden.gif"):
        answer = api.get(str(page.url.join(other)))
        assert answer.status_code == 404, (other, answer.text)
