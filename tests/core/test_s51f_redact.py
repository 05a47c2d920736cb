"""One rule hides keys in URLs: key-like query values, a user and password, secret path segments."""

from __future__ import annotations

import pytest

from reelgen.core.redact import hide_query_keys, hide_url_secrets

SLACK = "https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX"
DISCORD = "https://discord.com/api/webhooks/123456789012345678/Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z_-Q7"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (SLACK, "https://hooks.slack.com/services/T0000/B0000/[hidden]"),
        (DISCORD, "https://discord.com/api/webhooks/123456789012345678/[hidden]"),
        ("https://h.example/hooks/reelgen", "https://h.example/hooks/reelgen"),
        ("https://h.example/hooks/a1b2c3d4e5f6g7h8/in", "https://h.example/hooks/[hidden]/in"),
        ("https://h.example/hooks/reelgen-notifications", "https://h.example/hooks/reelgen-notifications"),
        ("https://h.example/r/report-2024-05-01x.json", "https://h.example/r/report-2024-05-01x.json"),
        ("https://a1b2c3d4e5f6g7h8i9.example/x", "https://a1b2c3d4e5f6g7h8i9.example/x"),
        (
            "https://u:pw@h.example/s/a1b2c3d4e5f6g7h8?sig=S1&page=2",
            "https://***@h.example/s/[hidden]?sig=[hidden]&page=2",
        ),
    ],
)
def test_secret_looking_path_segments_are_hidden_and_the_rest_is_kept(url: str, shown: str) -> None:
    assert hide_url_secrets(url) == shown


def test_a_url_inside_a_sentence_is_hidden_and_the_sentence_kept() -> None:
    said = f"HTTP 308: redirects are not followed; give the webhook the URL it points to ({SLACK})."
    assert hide_url_secrets(said) == (
        "HTTP 308: redirects are not followed; give the webhook the URL it points to "
        "(https://hooks.slack.com/services/T0000/B0000/[hidden])."
    )


@pytest.mark.parametrize(
    "name", ["api_key", "token", "sig", "signature", "secret", "code", "X-Amz-Signature", "X-Amz-Credential"]
)
def test_the_query_rule_covers_both_former_lists(name: str) -> None:
    line = f'127.0.0.1:5 - "GET /v1/videos?limit=1&{name}=S3CRET HTTP/1.1" 401'
    assert hide_query_keys(line) == f'127.0.0.1:5 - "GET /v1/videos?limit=1&{name}=[hidden] HTTP/1.1" 401'


def test_the_query_rule_leaves_paths_alone() -> None:
    # The server's own paths hold 32-character ids: the access log's rule hides query values only.
    line = '"GET /v1/videos/video_0123456789abcdef0123456789abcdef/content HTTP/1.1" 200'
    assert hide_query_keys(line) == line
