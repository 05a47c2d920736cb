"""Pictures the export lays over or between scenes, drawn with Pillow: title cards, text, the watermark.

FFmpeg's ``drawtext`` is missing from many builds (PyAV's wheels among them),
so text is drawn here into PNGs the filter graph overlays; one way for every build.
"""

from __future__ import annotations

import importlib.util
import unicodedata
from functools import cache
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFont

from reelgen.core.errors import InvalidRequest
from reelgen.core.export.graph import Layer
from reelgen.core.export.settings import Position, TextOverlay, TitleCard, Watermark
from reelgen.core.media import load_image

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


#: The smallest letters drawn, in pixels.
_SMALLEST = 6


def font(path: str | None, size: int, param: str) -> Font:
    """The font at ``path`` (a .ttf/.otf), else Pillow's built-in scalable one, at ``size`` pixels."""
    size = max(_SMALLEST, size)
    if path is None:
        return ImageFont.load_default(size=size)
    try:
        return ImageFont.truetype(path, size)
    except OSError:
        raise InvalidRequest(f"{param}: {path} is not a readable .ttf/.otf font", param=param) from None


def _installed_with_matplotlib() -> tuple[str, ...]:
    """The DejaVu Sans that matplotlib (a dependency) ships, found without importing it (slow)."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or spec.origin is None:
        return ()
    return (str(Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"),)


#: Tried in turn for text Pillow's built-in font cannot draw: it has ASCII only (no é, no —), and a
#: missing letter would be drawn as an empty box in the film. DejaVu Sans first (most Linux systems),
#: and last the copy inside matplotlib, there on every install of reelgen, whatever the system has.
FALLBACK_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/arial.ttf",
    *_installed_with_matplotlib(),
)


def _glyph(face: Font, char: str) -> tuple[tuple[int, int], tuple[int, ...]]:
    mask = face.getmask(char)
    return mask.size, tuple(mask)


def missing_glyphs(face: Font, text: str) -> list[str]:
    """The characters of ``text`` that ``face`` has no glyph for (it would draw its empty box)."""
    nothing = _glyph(face, "\uffff")  # a non-character: every font draws its "no glyph" box for it
    chars = dict.fromkeys(c for c in unicodedata.normalize("NFC", text) if not c.isspace())
    return [c for c in chars if _glyph(face, c) == nothing]


def letters(chars: list[str]) -> str:
    """Up to ten of ``chars`` as an error shows them: an invisible one by its code point (``U+0001``),
    which printed as itself left the message saying "has a glyph for ;"."""
    shown = [c if c.isprintable() else f"U+{ord(c):04X}" for c in chars[:10]]
    return " ".join(shown) + (" ..." if len(chars) > 10 else "")


@cache
def _fallback(size: int, chars: str) -> str | None:
    """The first fallback font on this machine that has every one of ``chars``."""
    for path in FALLBACK_FONTS:
        if Path(path).is_file() and not missing_glyphs(ImageFont.truetype(path, size), chars):
            return path
    return None


def font_for(path: str | None, size: int, text: str, param: str) -> Font:
    """A font that can draw ``text``: ``path``, else the built-in one, else a fallback found on this machine.

    A character no font here has is refused, naming it: drawn, it would be an empty box in the film.
    """
    field = f"{param.rpartition('.')[0]}.font"
    face = font(path, size, field)
    missing = missing_glyphs(face, text)
    if not missing:
        return face
    if path is None:
        other = _fallback(max(6, size), "".join(missing))
        if other is not None:
            return ImageFont.truetype(other, max(6, size))
        # Name the letters no font here has: "שלום 🎬" said no font drew ש, which DejaVu Sans does.
        missing = [c for c in missing if _fallback(max(6, size), c) is None] or missing
    which = (
        f"the font {path} has no glyph"
        if path
        else "neither the built-in font nor a fallback font on this machine has a glyph"
    )
    raise InvalidRequest(
        f"{param}: {which} for {letters(missing)}; give {field}: a .ttf/.otf file that has them "
        "(a Noto Sans for the script, say)",
        param=param,
    )


def _pieces(draw: ImageDraw.ImageDraw, word: str, face: Font, width: int) -> list[str]:
    """``word`` cut into pieces no wider than ``width`` (a long word, or a line of a script without spaces)."""
    pieces, piece = [], ""
    for char in word:
        if piece and draw.textlength(piece + char, font=face) > width:
            pieces.append(piece)
            piece = char
        else:
            piece += char
    return [*pieces, piece]


def _wrap(draw: ImageDraw.ImageDraw, text: str, face: Font, width: int) -> str:
    """``text`` broken into lines no wider than ``width`` pixels: at spaces, and inside a word wider than
    a line (else it ran off both sides of the frame)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            trial = f"{line} {word}".strip()
            if draw.textlength(trial, font=face) <= width:
                line = trial
                continue
            if line:
                lines.append(line)
            *full, line = _pieces(draw, word, face, width)
            lines += full
        lines.append(line)
    return "\n".join(lines)


def _anchor_xy(
    position: Position, size: tuple[int, int], box: tuple[int, int], margin: int
) -> tuple[int, int]:
    """Top-left corner of a ``box``-sized thing placed at ``position`` inside ``size``, ``margin`` in."""
    (width, height), (w, h) = size, box
    name = position.value
    x = margin if "left" in name else width - w - margin if "right" in name else (width - w) // 2
    y = (
        margin
        if name.startswith("top")
        else height - h - margin
        if name.startswith("bottom")
        else (height - h) // 2
    )
    return x, y


#: Each step a text too tall for its frame is drawn smaller by, until it fits.
_SHRINK = 0.85


def _letters(words: str) -> str:
    """``words``' length as "N letters", counted as written (an é made of two code points is one)."""
    count = len(unicodedata.normalize("NFC", words))
    return f"{count} letter{'s' * (count != 1)}"


def _too_long(param: str, width: int, height: int, words: str) -> InvalidRequest:
    """A text that fills more than the frame even in the smallest letters drawn."""
    return InvalidRequest(
        f"{param}: the text ({_letters(words)}) does not fit in a {width}x{height} frame even at the "
        "smallest size drawn; shorten the text, or export a larger film (a greater width and height)",
        param=param,
    )


def _card_too_long(card: TitleCard, size: tuple[int, int], title_fits: bool, param: str) -> InvalidRequest:
    """A title card that fills more than the frame even in the smallest letters drawn, blamed on the
    field that does not fit: the title alone, else the subtitle under it."""
    width, height = size
    if not title_fits or not card.subtitle:
        return _too_long(f"{param}.text", width, height, card.text)
    return InvalidRequest(
        f"{param}.subtitle: the subtitle ({_letters(card.subtitle)}) does not fit under the text "
        f"({_letters(card.text)}) in a {width}x{height} frame even at the smallest size drawn; "
        "shorten the subtitle or the text, or export a larger film (a greater width and height)",
        param=f"{param}.subtitle",
    )


def _card_blocks(
    draw: ImageDraw.ImageDraw, card: TitleCard, size: tuple[int, int], scale: float, param: str
) -> list[tuple[str, Font]]:
    """The title (and subtitle) wrapped to the card's width, in letters ``scale`` times the usual size."""
    width, height = size
    title = unicodedata.normalize("NFC", card.text)  # é as one letter, not e and a combining accent
    title_face = font_for(card.font, round(height * 0.12 * scale), title, f"{param}.text")
    blocks = [(_wrap(draw, title, title_face, round(width * 0.85)), title_face)]
    if card.subtitle:
        subtitle = unicodedata.normalize("NFC", card.subtitle)
        sub_face = font_for(card.font, round(height * 0.06 * scale), subtitle, f"{param}.subtitle")
        blocks.append((_wrap(draw, subtitle, sub_face, round(width * 0.85)), sub_face))
    return blocks


def title_card(card: TitleCard, width: int, height: int, param: str) -> Image.Image:
    """A full frame: the title (and subtitle) centred on the card's background, made smaller until it fits."""
    image = Image.new("RGB", (width, height), ImageColor.getrgb(card.background))
    draw = ImageDraw.Draw(image)
    gap, scale = round(height * 0.03), 1.0
    while True:
        # A title of many lines ran off the top and bottom of the card, and the film showed it cut.
        blocks = _card_blocks(draw, card, (width, height), scale, param)
        sizes = [draw.multiline_textbbox((0, 0), t, font=f, align="center") for t, f in blocks]
        total = sum(b[3] - b[1] for b in sizes) + gap * (len(blocks) - 1)
        # Wider too, where one letter is wider than a narrow frame (64x1024) and no line break helps.
        if total <= height * 0.9 and max(b[2] - b[0] for b in sizes) <= width:
            break
        if round(height * 0.12 * scale) <= _SMALLEST:
            title_fits = sizes[0][3] - sizes[0][1] <= height * 0.9 and sizes[0][2] - sizes[0][0] <= width
            raise _card_too_long(card, (width, height), title_fits, param)
        scale *= _SHRINK
    y = (height - total) // 2
    for (text, face), box in zip(blocks, sizes, strict=True):
        x = (width - (box[2] - box[0])) // 2
        draw.multiline_text((x - box[0], y - box[1]), text, font=face, fill=card.colour, align="center")
        y += box[3] - box[1] + gap
    return image


def text_layer(overlay: TextOverlay, width: int, height: int, param: str) -> Image.Image:
    """A transparent full frame with the overlay's text (on a translucent box) at its position; a text
    taller than the frame at its ``size`` is drawn smaller until it fits."""
    layer = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    words = unicodedata.normalize("NFC", overlay.text)
    margin, letters_px = round(height * 0.04), round(height * overlay.size)
    while True:
        face = font_for(overlay.font, letters_px, words, f"{param}.text")
        text = _wrap(draw, words, face, round(width * 0.9))
        left, top, right, bottom = (
            round(v) for v in draw.multiline_textbbox((0, 0), text, font=face, align="center")
        )
        pad = max(2, round(letters_px * 0.3))
        box = (right - left + 2 * pad, bottom - top + 2 * pad)
        if box[1] <= height - 2 * margin and box[0] <= width:
            break
        if letters_px <= _SMALLEST:
            raise _too_long(f"{param}.text", width, height, words)
        letters_px = max(_SMALLEST, round(letters_px * _SHRINK))
    x, y = _anchor_xy(overlay.position, (width, height), box, margin)
    if overlay.box:
        draw.rectangle((x, y, x + box[0], y + box[1]), fill=(0, 0, 0, round(255 * overlay.box)))
    draw.multiline_text((x + pad - left, y + pad - top), text, font=face, fill=overlay.colour, align="center")
    return layer


def watermark_layer(mark: Watermark, width: int, height: int, param: str) -> Image.Image:
    """A transparent full frame with the watermark scaled, faded to its opacity and placed."""
    if not Path(mark.image).is_file():
        raise InvalidRequest(f"{param}.image: file {mark.image} does not exist", param=f"{param}.image")
    load_image(mark.image, f"{param}.image")  # refuses unknown formats and oversized images
    with Image.open(mark.image) as opened:
        logo = opened.convert("RGBA")  # keeps the logo's own transparency
    w = max(1, round(width * mark.width))
    h = max(1, round(logo.height * w / logo.width))
    logo = logo.resize((w, h), Image.Resampling.LANCZOS)
    alpha = logo.getchannel("A").point(lambda a: round(a * mark.opacity))
    logo.putalpha(alpha)
    margin = round(width * mark.margin)
    x, y = _anchor_xy(mark.position, (width, height), (w, h), margin)
    if x < 0 or y < 0 or x + w > width or y + h > height:
        # Drawn anyway, it hung off the frame: width 1.0 with margin 0.4 at bottom_right showed at the top left, cut off.
        raise InvalidRequest(
            f"{param}: the logo, {mark.width:g} of the film's width, is {w}x{h} pixels with a margin of {margin}, "
            f"and does not fit the {width}x{height} film at {mark.position.value}; give a smaller "
            f"{param}.width or {param}.margin",
            param=f"{param}.width",
        )
    layer = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    layer.alpha_composite(logo, (x, y))
    return layer


#: Clear pixels kept around what a layer shows (see ``cropped``).
_BORDER = 8


def cropped(layer: Image.Image, path: Path) -> Layer | None:
    """A full-frame ``layer`` saved to ``path`` as only the part it shows, and where that goes; None if
    it shows nothing. The filter graph holds each layer whole for the length of the film: as full
    frames, a film with 200 captions at 1280x720 took 2 GB."""
    box = layer.getbbox()  # by alpha: the transparent rest is left out
    if box is None:
        return None
    # With a clear border on even edges: colour is scaled to half size with a filter that reads a few
    # pixels around each, and the overlay filter moves an odd corner a pixel. So it is drawn as the
    # whole frame was.
    x, y = max(0, box[0] - _BORDER) & ~1, max(0, box[1] - _BORDER) & ~1
    right, bottom = (
        min(layer.width, (box[2] + _BORDER + 1) & ~1),
        min(layer.height, (box[3] + _BORDER + 1) & ~1),
    )
    layer.crop((x, y, right, bottom)).save(path)
    return Layer(path, x, y)
