"""On a model that makes sound, the Create form has a Sound box: unticked, the video is made silent.

LTX-2 makes a sound track with every video, so "Text to video" and "Video with sound" made the same clip
(both with sound) and the form had no way to ask for a silent one (audio false), which the API takes.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, press_generate


def test_unticking_sound_makes_a_silent_video_and_reelgen_micro_has_no_sound_box(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    t = tab()
    page = t.open(quiet_server.url)
    sound = page.get_by_label("Sound", exact=True)
    page.select_option("#f-model", "reelgen-micro")
    expect(sound).to_be_hidden()  # it makes no sound: nothing to turn off
    page.select_option("#f-model", "ltx2-tiny")
    page.locator('label[for="task-t2v"]').click()
    expect(sound).to_be_visible()
    expect(sound).to_be_checked()
    sound.uncheck()
    page.fill("#f-prompt", "waves, silent")
    status, video = press_generate(page)
    assert status == 202 and video["parameters"]["audio"] is False
    page.get_by_role("button", name="Model defaults").click()
    expect(sound).to_be_checked()  # the model's own way: with sound
    # "Video with sound" is sound by definition: no box to contradict it.
    page.locator('label[for="task-audio"]').click()
    expect(sound).to_be_hidden()
    assert t.errors == []
    quiet_server.http.post(f"/v1/videos/{video['id']}/cancel")
