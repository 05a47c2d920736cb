"""A kept webhook secret other accounts can read is used, with a warning naming the file and the chmod that fixes it."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from reelgen.jobs.settings import JobSettings
from reelgen.jobs.webhooks import load_secret

SECRET = "whsec_" + "QUJD" * 8


def _kept(data_dir: Path, mode: int) -> Path:
    data_dir.mkdir(mode=0o700)
    path = data_dir / "webhook-secret"
    path.write_text(SECRET + "\n")
    path.chmod(mode)
    return path


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o606])
def test_a_secret_file_open_to_other_accounts_is_warned_of(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, mode: int
) -> None:
    # Copied in with cp (0644), it signed every webhook without a word, though any account on the
    # machine could read it and sign POSTs the receivers take as this server's.
    path = _kept(tmp_path / "server data", mode)
    with caplog.at_level(logging.WARNING, logger="reelgen.jobs.webhooks"):
        assert load_secret(JobSettings(data_dir=tmp_path / "server data")) == SECRET
    said = " ".join(r.getMessage() for r in caplog.records)
    assert f"the webhook secret {path} is open to other accounts (permissions {mode:04o})" in said
    assert f"run `chmod 600 '{path}'`" in said  # quoted: the folder's name holds a space


def test_a_secret_file_for_its_owner_alone_is_used_quietly(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _kept(tmp_path / "data", 0o600)
    with caplog.at_level(logging.WARNING, logger="reelgen.jobs.webhooks"):
        assert load_secret(JobSettings(data_dir=tmp_path / "data")) == SECRET
        made = load_secret(JobSettings(data_dir=tmp_path / "new"))  # one it makes is 0600 too
    assert made.startswith("whsec_")
    assert caplog.records == []
