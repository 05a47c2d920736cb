"""An image URL httpx cannot send (a control character, too long) is a 400 naming the field, not a 500."""

from __future__ import annotations

import pytest

from reelgen.api import security
from reelgen.api.errors import ApiError
from reelgen.api.security import FetchPolicy, fetch_url


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://images.example/fox\x01.png", "non-printable"),
        ("https://images.example/fox.png?x=\x7f", "non-printable"),
        ("https://images.example/" + "a" * 70_000, "URL too long"),
    ],
)
def test_a_url_httpx_refuses_is_a_400_naming_the_field(
    url: str, reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The name resolved (here: as if to a public address), then httpx.InvalidURL, which is no
    # httpx.HTTPError, escaped as "internal error (InvalidURL)".
    monkeypatch.setattr(security, "_resolve_public", lambda host, port, param: "93.184.216.34")
    with pytest.raises(ApiError) as raised:
        fetch_url(url, FetchPolicy(timeout_s=1.0, max_bytes=1000))
    error = raised.value
    assert error.status == 400 and error.param == "input_reference.image_url"
    assert reason in error.message and "cannot be fetched" in error.message
    assert "position" not in error.message  # counted in the pinned address's URL, not the one sent
