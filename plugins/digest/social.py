"""Social cards: a 1200x630 PNG title card per article and language, for og:image.

The card shows the headline, the site name, the date and the company's monogram on the company's
brand colour (the post's own picture on the right when it has one). It is drawn in one channel
and saved as a 16-colour palette PNG (the brand colour to white in 16 steps) written without
Pillow's encoder: that is what keeps a cold build of a large site cheap, a fraction of the time of
a full-colour card and a third of its size. A card with a photograph needs colour: it is drawn in RGB and quantised, the slower path.
Cards are cached in CACHE_PATH/digest-cards/ by a digest of what they show, so only new or
changed posts make one. They are made when the site has an absolute SITEURL (a publish build):
og:image must be an absolute URL, so a local build (SITEURL "") would only pay for cards no
crawler can use. DIGEST_SOCIAL_CARDS = True or False decides otherwise. No Pelican import.
"""

from __future__ import annotations

import io
import os
import struct
import zlib

from common.files import atomic_write

from .config import setting

WIDTH, HEIGHT = 1200, 630
VERSION = "2"  # bump when the drawing changes: every cached card is made again
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu")
MARGIN = 72


def _font(bold, size):
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        path = os.path.join(folder, name)
        if os.path.exists(path):
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)  # Pillow's own font: the card still has every text


_FONTS: dict = {}


def font(bold, size):
    key = (bold, size)
    if key not in _FONTS:
        _FONTS[key] = _font(bold, size)
    return _FONTS[key]


def wrap(text, fnt, width, draw):
    """Lines of `text` no wider than `width` pixels, cut between words."""
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if line and draw.textlength(trial, font=fnt) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    if line:
        lines.append(line)
    return lines


def fit_headline(title, width, draw):
    """The largest size (from 64 px down) at which the headline takes at most 4 lines; at the
    smallest size, lines past the fifth end in an ellipsis."""
    for size in (64, 56, 48):
        fnt = font(True, size)
        lines = wrap(title, fnt, width, draw)
        if len(lines) <= 4:
            return fnt, lines
    lines = lines[:5]
    lines[-1] = lines[-1].rstrip(",;:") + "…"
    return fnt, lines


def hex_rgb(colour):
    colour = colour.lstrip("#")
    return tuple(int(colour[i:i + 2], 16) for i in (0, 2, 4))


_BASES: dict = {}
WHITE = 15  # the mask is drawn in 16 levels (0 = brand colour, 15 = white): the palette's indices


def base(site_name):
    """What every card of the site shares (its name and rule), drawn once per process."""
    from PIL import Image, ImageDraw

    if site_name not in _BASES:
        mask = Image.new("L", (WIDTH, HEIGHT), 0)
        draw = ImageDraw.Draw(mask)
        draw.text((MARGIN, 56), site_name, font=font(True, 32), fill=WHITE)
        draw.rectangle((MARGIN, 106, MARGIN + 64, 112), fill=WHITE)
        _BASES[site_name] = mask
    return _BASES[site_name]


def card_png(*, title, site_name, date_label, colour, initials, picture=None):
    """The card's PNG bytes. `colour`: '#rrggbb' (dark enough for white text, see companies.yaml);
    `picture`: the path of a resized picture of the post, or None."""
    from PIL import Image, ImageDraw

    text_width = WIDTH - 2 * MARGIN - (470 if picture else 170)
    mask = base(site_name).copy()
    draw = ImageDraw.Draw(mask)
    fnt, lines = fit_headline(title, text_width, draw)
    step = round(fnt.size * 1.2)
    y = 150
    for line in lines:
        draw.text((MARGIN, y), line, font=fnt, fill=WHITE)
        y += step
    draw.text((MARGIN, HEIGHT - 56 - 30), date_label, font=font(False, 30), fill=13)
    if initials:
        box = (WIDTH - MARGIN - 120, HEIGHT - MARGIN - 120, WIDTH - MARGIN, HEIGHT - MARGIN)
        if picture:
            box = (MARGIN + text_width - 96, HEIGHT - 56 - 100, MARGIN + text_width, HEIGHT - 56 - 4)
        draw.ellipse(box, fill=WHITE)
        centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
        draw.text(centre, initials, font=font(True, 44 if not picture else 36), fill=0, anchor="mm")
    brand = hex_rgb(colour)
    if picture is None:
        palette = []
        for i in range(16):
            palette += [round(c + (255 - c) * i / 15) for c in brand]
        # Antialiased text on 0 drawn with 15 lands on 0..15: the mask's bytes are palette indices.
        return png_4bit(Image.frombytes("P", mask.size, mask.tobytes()), palette)
    card = Image.composite(Image.new("RGB", mask.size, (255, 255, 255)),
                           Image.new("RGB", mask.size, brand), mask.point(lambda v: v * 17))
    with Image.open(picture) as photo:
        photo = photo.convert("RGB")
        side = (430, HEIGHT)
        scale = max(side[0] / photo.width, side[1] / photo.height)
        photo = photo.resize((max(side[0], round(photo.width * scale)),
                              max(side[1], round(photo.height * scale))), Image.LANCZOS)
        left = (photo.width - side[0]) // 2
        top = (photo.height - side[1]) // 2
        card.paste(photo.crop((left, top, left + side[0], top + side[1])), (WIDTH - side[0], 0))
    buf = io.BytesIO()
    card.quantize(colors=128, method=Image.Quantize.FASTOCTREE).save(buf, "PNG", compress_level=3)
    return buf.getvalue()


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_4bit(image, palette):
    """A 16-colour PNG of a "P" image whose indices are all below 16, written here: each row
    unfiltered, zlib at its fastest level. Pillow's encoder gives the same picture for four times
    the time (its filters buy little on flat colour), and cards are made by the thousand."""
    width, height = image.size
    packed = image.tobytes("raw", "P;4")
    stride = (width + 1) // 2
    rows = b"".join(b"\0" + packed[y * stride:(y + 1) * stride] for y in range(height))
    return b"".join((
        b"\x89PNG\r\n\x1a\n",
        _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 4, 3, 0, 0, 0)),
        _chunk(b"PLTE", bytes(palette[:48])),
        _chunk(b"IDAT", zlib.compress(rows, 1)),
        _chunk(b"IEND", b""),
    ))


def cached_card(cache_dir, key, make):
    """The card for `key` from the cache, else make() it and keep it."""
    path = os.path.join(cache_dir, f"{key}.png") if cache_dir else None
    if path and os.path.exists(path):
        with open(path, "rb") as fh:
            return fh.read()
    data = make()
    if path:
        os.makedirs(cache_dir, exist_ok=True)
        atomic_write(path, data, durable=False)  # a cache: the next build can draw it again
    return data


def wanted(settings):
    """Whether this build makes social cards (see the module's docstring)."""
    choice = setting(settings, "DIGEST_SOCIAL_CARDS")
    if choice == "auto":
        return str(settings.get("SITEURL") or "").startswith(("http://", "https://"))
    return bool(choice)
