"""The log's query rule hides key parameters by whole name, and leaves names that only contain a key word."""

from __future__ import annotations

import pytest

from reelgen.core.redact import hide_query_keys, hide_url_secrets


@pytest.mark.parametrize(
    "name",
    [
        "design",
        "author",
        "keyframes",
        "passage",
        "max_tokens",
        "monkey",
        "compass",
        "signed",
        "zip_code",
        "codec",
    ],
)
def test_a_harmless_name_that_contains_a_key_word_keeps_its_value(name: str) -> None:
    line = f'"GET /v1/videos?{name}=bold&page=2 HTTP/1.1" 200'
    assert hide_query_keys(line) == line


@pytest.mark.parametrize(
    "name",
    [
        "api_key",
        "api-key",
        "apikey",
        "apiKey",
        "APIKey",
        "key",
        "access_token",
        "accessToken",
        "refreshtoken",
        "token",
        "sig",
        "signature",
        "Signature",
        "secret",
        "client_secret",
        "clientSecret",
        "password",
        "passwd",
        "pass",
        "pwd",
        "auth",
        "authorization",
        "Authorization",
        "bearer",
        "credential",
        "session",
        "session_id",
        "sessionid",
        "code",
        "hmac",
        "jwt",
        "X-Amz-Signature",
        "X-Amz-Credential",
        "X-Amz-Security-Token",
        "X-Goog-Signature",
        "X%2DAmz%2DSignature",
        "subscription-key",
    ],
)
def test_every_key_name_is_still_hidden(name: str) -> None:
    line = f'"GET /v1/videos?limit=1&{name}=S3CRET HTTP/1.1" 401'
    assert hide_query_keys(line) == f'"GET /v1/videos?limit=1&{name}=[hidden] HTTP/1.1" 401'


def test_a_signed_s3_url_keeps_its_harmless_parameters() -> None:
    url = (
        "https://b.s3.amazonaws.com/k.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA1"
        "&X-Amz-Date=20260101T000000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=ab12"
    )
    assert hide_url_secrets(url) == (
        "https://b.s3.amazonaws.com/k.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=[hidden]"
        "&X-Amz-Date=20260101T000000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=[hidden]"
    )
