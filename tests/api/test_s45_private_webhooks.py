"""Private webhook targets, allowed on either settings object, are allowed by the create and the sender alike."""

from __future__ import annotations

from pathlib import Path

from reelgen.api.settings import ApiSettings
from reelgen.jobs.settings import JobSettings


def test_private_webhooks_allowed_on_the_job_settings_are_allowed_at_create(tmp_path: Path) -> None:
    # The sender would deliver to them, but the create refused every such URL first.
    settings = ApiSettings(jobs=JobSettings(data_dir=tmp_path, allow_private_webhooks=True))
    assert settings.allow_private_webhooks and settings.jobs.allow_private_webhooks
    plain = ApiSettings(jobs=JobSettings(data_dir=tmp_path))
    assert not plain.allow_private_webhooks and not plain.jobs.allow_private_webhooks
    api_only = ApiSettings(jobs=JobSettings(data_dir=tmp_path), allow_private_webhooks=True)
    assert api_only.jobs.allow_private_webhooks
