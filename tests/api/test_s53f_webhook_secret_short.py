"""A webhook secret short enough to guess from one signed delivery is used, with a warning that says so."""

from __future__ import annotations

import base64
import logging
from pathlib import Path

import pytest
from pydantic import SecretStr

from reelgen.jobs.settings import JobSettings
from reelgen.jobs.webhooks import load_secret


def _warnings(caplog: pytest.LogCaptureFixture) -> str:
    return " ".join(r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)


@pytest.mark.parametrize(
    ("secret", "size"),
    [("secret", 6), ("whsec_" + base64.b64encode(b"k" * 16).decode(), 16), ("x" * 23, 23)],
)
def test_a_short_variable_is_warned_of_and_still_used(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, secret: str, size: int
) -> None:
    # REELGEN_WEBHOOK_SECRET=secret signed every delivery without a word; an HMAC key that short is
    # found offline from any one delivery's signature.
    settings = JobSettings(data_dir=tmp_path, webhook_secret=SecretStr(secret))
    with caplog.at_level(logging.WARNING, logger="reelgen.jobs.webhooks"):
        assert load_secret(settings) == secret
    said = _warnings(caplog)
    assert f"REELGEN_WEBHOOK_SECRET is a key of {size} bytes" in said
    assert "give one of 24 random bytes or more, or unset it to have one made" in said
    assert secret not in said


def test_a_short_kept_file_is_warned_of(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    kept = tmp_path / "webhook-secret"
    kept.write_text("hunter2\n")
    kept.chmod(0o600)
    with caplog.at_level(logging.WARNING, logger="reelgen.jobs.webhooks"):
        assert load_secret(JobSettings(data_dir=tmp_path)) == "hunter2"
    said = _warnings(caplog)
    assert f"the webhook secret in {kept} is a key of 7 bytes" in said
    assert "empty the file to have one made there" in said and "hunter2" not in said


def test_a_long_enough_or_made_secret_is_used_quietly(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="reelgen.jobs.webhooks"):
        load_secret(JobSettings(data_dir=tmp_path / "a", webhook_secret=SecretStr("y" * 24)))
        made = load_secret(JobSettings(data_dir=tmp_path / "b"))
        assert load_secret(JobSettings(data_dir=tmp_path / "b")) == made  # read back from the file
    assert _warnings(caplog) == ""
