"""Host and origin lists that could never match a request stop the server with one line, not silently."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from reelgen.api.settings import ApiSettings


@pytest.mark.parametrize("hosts", ["*", "reelgen.lan,*", "*.example.com", "app example"])
def test_a_wildcard_or_spaced_host_name_is_refused(hosts: str) -> None:
    # ALLOWED_HOSTS=* (as Django takes it) matched no Host: a server bound to 0.0.0.0 then refused every
    # name but loopback, "set REELGEN_ALLOWED_HOSTS to serve it" though it was set.
    with pytest.raises(ValidationError) as raised:
        ApiSettings(allowed_hosts=hosts)
    said = str(raised.value)
    assert "wildcards are not taken" in said or "is not a host name" in said
    if "*" in hosts:
        assert "leave REELGEN_ALLOWED_HOSTS unset" in said


@pytest.mark.parametrize(
    "origins", ["https://*.example.com", "https://app.example?x=1", "https://app.example#top", "http://a b"]
)
def test_an_origin_no_browser_sends_is_refused(origins: str) -> None:
    with pytest.raises(ValidationError) as raised:
        ApiSettings(allowed_origins=origins)
    assert "wildcards are not taken" in str(raised.value) or "is not an origin" in str(raised.value)


def test_names_addresses_and_ports_as_requests_carry_them_are_taken() -> None:
    settings = ApiSettings(
        allowed_hosts="reelgen.lan,REELGEN.LAN:9,10.0.0.5,[::1]:80,fe80::1,studio_box",
        allowed_origins="https://studio.example,http://localhost:3000/,http://[::1]:8000",
    )
    assert len(settings.allowed_hosts) == 6 and len(settings.allowed_origins) == 3


def test_an_image_pixel_cap_above_what_workers_read_is_refused() -> None:
    # REELGEN_MAX_IMAGE_PIXELS=100000000 took an 80 MP upload, and its job failed in the worker on
    # the core's own cap of 64 MP.
    from reelgen.core.media import MAX_IMAGE_PIXELS

    with pytest.raises(ValidationError) as raised:
        ApiSettings(max_image_pixels=MAX_IMAGE_PIXELS + 1)
    assert f"at most {MAX_IMAGE_PIXELS}, the most pixels a worker reads" in str(raised.value)
    assert ApiSettings(max_image_pixels=MAX_IMAGE_PIXELS).max_image_pixels == MAX_IMAGE_PIXELS


def test_a_bracketed_ipv6_host_is_listened_on_as_its_address() -> None:
    # --host [::1], as URLs write it, was "not an address of this machine": sockets take ::1.
    assert ApiSettings(host="[::1]").host == "::1"
    assert ApiSettings(host=" [::] ").host == "::"
    assert ApiSettings(host="[not-an-address]").host == "[not-an-address]"  # said by serve as before


def test_a_video_length_cap_no_upload_could_be_checked_against_is_refused() -> None:
    # 1e307 started the server; every upload's frame cap (seconds x 240) was infinite: a 500 each time.
    with pytest.raises(ValidationError, match="less than or equal to 1000000000"):
        ApiSettings(max_video_seconds=1e307)
    assert ApiSettings(max_video_seconds=86_400).max_video_seconds == 86_400
