"""A webhook goes to the address the system resolver prefers, as every other client on the machine does."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from reelgen.core.net import pin_url


def test_the_resolvers_first_address_is_the_one_sent_to(monkeypatch: pytest.MonkeyPatch) -> None:
    # The resolver puts IPv4 first on a machine with no IPv6 route; sorted as text, IPv6 came first.
    answers = [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 443)),
        (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", 443, 0, 0)),
    ]

    def resolve(*args: Any, **kwargs: Any) -> list[Any]:
        return answers

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    target, host, name = pin_url("https://hooks.example.com/in?x=1")
    assert target == "https://93.184.215.14:443/in?x=1"
    assert (host, name) == ("hooks.example.com", "hooks.example.com")
    answers.reverse()  # and where the resolver prefers IPv6, it is IPv6
    assert (
        pin_url("https://hooks.example.com/in")[0]
        == "https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]:443/in"
    )
