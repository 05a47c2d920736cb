"""A Ray head that asks for a token: joined with this machine's, or refused in one line saying what to give.

``ray start --head`` turns token authentication on where the head has a token
(``~/.ray/auth_token``); ``reelgen worker`` and ``serve`` with ``RAY_ADDRESS``
then printed "InvalidAuthToken" twenty times and ended in Ray's traceback or
"internal error (ConnectionError ...)", even with the head's token at hand.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import ray._raylet
from ray.exceptions import AuthenticationError
from typer.testing import CliRunner

from reelgen.cli import app
from reelgen.jobs import _ray_address, cluster
from tests.jobs.test_s44b_ray_address import GCS_SETTINGS, server

runner = CliRunner()
HEAD_TOKEN = "the-heads-token"


class _Head:
    """Ray's GCS client against a head that takes ``HEAD_TOKEN`` only (``wants_token``) or anyone."""

    wants_token = True

    @classmethod
    def standalone(cls, address: str, cluster_id: Any, timeout_ms: int) -> object:
        sent = os.environ.get("RAY_AUTH_TOKEN") if os.environ.get("RAY_AUTH_MODE") == "token" else None
        if cls.wants_token and sent != HEAD_TOKEN:
            raise AuthenticationError("RPC error: InvalidAuthToken")
        return object()


class _Loader:
    """Ray's token loader, reading only RAY_AUTH_TOKEN (never this account's ~/.ray)."""

    @staticmethod
    def instance() -> _Loader:
        return _Loader()

    def has_token(self, ignore_auth_mode: bool = False) -> bool:
        return bool(os.environ.get("RAY_AUTH_TOKEN"))

    def reset_cache(self) -> None:
        pass


class _Config:
    @staticmethod
    def initialize(config: str) -> None:
        pass


@pytest.fixture
def joined(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """`reelgen worker` against a fake head; returns the RAY_AUTH_MODE each started node inherited."""
    monkeypatch.setattr(ray._raylet, "InnerGcsClient", _Head)
    monkeypatch.setattr(ray._raylet, "AuthenticationTokenLoader", _Loader)
    monkeypatch.setattr(ray._raylet, "Config", _Config)
    monkeypatch.setattr(_ray_address, "_dialled", lambda host: host)
    for name in ("RAY_AUTH_MODE", "RAY_AUTH_TOKEN", "RAY_AUTH_TOKEN_PATH", "RAY_ADDRESS"):
        monkeypatch.delenv(name, raising=False)
    modes: list[str | None] = []
    monkeypatch.setattr(
        cluster, "run_worker_node", lambda address, gpus: modes.append(os.environ.get("RAY_AUTH_MODE")) or 0
    )
    monkeypatch.setattr(_Head, "wants_token", True)
    return modes


def _worker(monkeypatch: pytest.MonkeyPatch, **env: str) -> tuple[int, str]:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with server(GCS_SETTINGS) as port:
        result = runner.invoke(app, ["worker", "--address", f"127.0.0.1:{port}", "--num-gpus", "0"])
    return result.exit_code, " ".join(result.output.split())


def test_a_worker_joins_a_head_that_asks_for_the_token_this_machine_has(
    joined: list[str | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, said = _worker(monkeypatch, RAY_AUTH_TOKEN=HEAD_TOKEN)
    assert code == 0, said
    # The node's `ray start` sends the token: Ray's join by address did not, token file or not.
    assert joined == ["token"]


def test_a_head_without_tokens_is_joined_without_token_mode(
    joined: list[str | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A node in token mode refuses the calls of peers that are not: it is turned on only where asked."""
    monkeypatch.setattr(_Head, "wants_token", False)
    code, said = _worker(monkeypatch, RAY_AUTH_TOKEN=HEAD_TOKEN)
    assert code == 0, said
    assert joined == [None]


@pytest.mark.parametrize(
    ("env", "words"),
    [
        (
            {},
            "asks for a token and this machine has none; put the token `ray get-auth-token` prints on the head",
        ),
        ({"RAY_AUTH_TOKEN": "another"}, "does not take this machine's token (from RAY_AUTH_TOKEN,"),
        (
            {"RAY_AUTH_TOKEN": HEAD_TOKEN, "RAY_AUTH_MODE": "disabled"},
            "asks for a token, and RAY_AUTH_MODE=disabled here sends none; unset RAY_AUTH_MODE",
        ),
    ],
)
def test_a_head_that_will_not_take_this_machine_is_said_in_one_line(
    joined: list[str | None], monkeypatch: pytest.MonkeyPatch, env: dict[str, str], words: str
) -> None:
    code, said = _worker(monkeypatch, **env)
    assert code == 2, said
    assert said.startswith("error: the Ray head at --address 127.0.0.1:") and words in said
    assert "Traceback" not in said and joined == []
