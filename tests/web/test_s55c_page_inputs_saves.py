"""What the page says of a finished video: the name it saves under, the end image it was made with, and
why "Notify me" cannot work where the browser allows no notifications."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Served, Tab, listing
from tests.web.test_page_delete import CLIP, finished

UNPLAYABLE = "This browser cannot play this video; Download it to watch it in a player."


def test_download_saves_the_video_under_its_prompts_words_not_video_id(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    # Saved as video_182d6c53306e4c1180c34336024bdc0e.mp4, the server's name (its Content-Disposition
    # wins over a link's download name): ten of them in Downloads said nothing of which was which.
    video = finished(quiet_server, "A red fox, trotting through fresh snow at dawn / soft light")
    short = video["id"].removeprefix("video_")[:8]
    name = f"a-red-fox-trotting-through-fresh-snow-at-dawn-{short}.mp4"
    t = tab()
    page = t.open(quiet_server.url)
    card = page.locator(f'.card[data-id="{video["id"]}"]')
    # Clicked as a person does: the card's buttons stay where they were drawn (the player's box keeps its
    # size when a line replaces it, and the line above the cards is right from the start; see
    # test_s58g_buttons_stay_put.py). When they moved, a click pressed before a move and released after
    # it ended on the card below: no download (one full run in five).
    with page.expect_download() as saved:
        card.get_by_role("button", name="Download").click()
    assert saved.value.suggested_filename == name
    with open(saved.value.path(), "rb") as file:
        assert file.read() == CLIP
    expect(card.get_by_role("button", name="Download")).not_to_have_attribute("aria-disabled", "true")

    page.locator("#tab-gallery").click()
    item = page.locator(f'.gallery-item[data-id="{video["id"]}"]')
    # Its player gives way to this line (the clip is no real video), in the player's own box.
    expect(item.locator(".card-error.gone")).to_have_text(UNPLAYABLE)
    with page.expect_download() as again:
        item.get_by_role("button", name="Download").click()
    assert again.value.suggested_filename == name
    assert t.errors == []


def test_a_gallery_card_says_the_video_was_made_with_an_end_image(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    # Its LoRAs, keyframes and source video were listed; an end image that fixed its last frame was not.
    pinned = quiet_server.create(model="reelgen-micro", prompt="ends on a given picture")
    plain = quiet_server.create(model="reelgen-micro", prompt="ends where it ends")
    done = [{**pinned, "parameters": {**pinned["parameters"], "end_image": True}}, plain]
    done = [{**v, "status": "completed", "progress": 100, "completed_at": v["created_at"]} for v in done]
    t = tab()
    t.context.route(lambda url: "/v1/videos?status=completed" in url, listing(done))
    page = t.open(quiet_server.url + "/#gallery")
    params = page.locator(f'.gallery-item[data-id="{pinned["id"]}"] .params')
    expect(params).to_contain_text("End imagepinned the last frame")
    plain_params = page.locator(f'.gallery-item[data-id="{plain["id"]}"] .params')
    expect(plain_params).to_contain_text("Seed")
    expect(plain_params).not_to_contain_text("End image")
    assert t.errors == []


def test_notify_me_on_a_plain_http_page_says_no_browser_allows_it_there(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    # A page served on a LAN address over http:// is no secure context: the browser answers every
    # request "denied", and the page sent the person to site settings where nothing turns them on.
    # (The test's page is on loopback, a secure context; the browser's flag is set as a LAN page has it.)
    t = tab()
    t.context.add_init_script("Object.defineProperty(window, 'isSecureContext', { get: () => false })")
    page = t.open(quiet_server.url)
    page.locator("#notify").click()
    expect(page.locator("#notify-note")).to_have_text(
        "Browsers show notifications only for pages on https:// or on this computer (localhost), not for "
        f"{quiet_server.url}: open the page through HTTPS or an SSH tunnel to localhost to have them."
    )
    expect(page.locator("#notify")).to_have_attribute("aria-pressed", "false")
    assert t.errors == []


def test_notify_me_in_a_browser_without_notifications_says_so(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    # The button was left hidden: nothing said why this page, unlike another, offered no notifications.
    t = tab()
    t.context.add_init_script("delete window.Notification")
    page = t.open(quiet_server.url)
    page.locator("#notify").click()
    expect(page.locator("#notify-note")).to_have_text(
        "This browser shows no notifications for web pages; the queue here still says when each video is done."
    )
    assert t.errors == []


def test_a_number_past_its_range_reads_as_the_range_it_takes(
    quiet_server: Served, tab: Callable[..., Tab]
) -> None:
    # Guards words.js after its pattern for the server's old words ("Input should be greater than 1; it
    # takes ...", no longer sent) went: the words the server sends now still read plainly.
    page = tab().open(quiet_server.url)
    said = page.evaluate(
        """async () => { const { plainBounds } = await import("./js/words.js");
        return [plainBounds("upscale: 0 is too small; it takes a number above 1 and at most 8"),
                plainBounds("seconds: too large; it takes a number above 0 and at most 3600"),
                plainBounds("Input should be greater than or equal to 0")]; }"""
    )
    assert said == [
        "upscale: must be a number above 1 and at most 8",
        "seconds: must be a number above 0 and at most 3600",
        "must be 0 or more",
    ]
