"""A story's picture, resized at build time into a few widths (Pillow), cached by source hash.

A post names a file under content/images/ in `image:` (with `image_alt:`, `image_credit:`). The
build makes one file per width in WIDTHS no wider than the source, written to images/sized/ and
kept in CACHE_PATH/digest-images/ keyed by the bytes of the source: a warm build (or a build after
`invoke clean`) resizes nothing. Pages get `srcset`, `width` and `height`, so nothing shifts as the
picture loads. No Pelican import: images.prepare() takes paths and returns data or a problem.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from dataclasses import dataclass, field

from common.files import atomic_write

WIDTHS = (480, 800, 1200)
JPEG_QUALITY = 82
FOLDER = "images/sized"  # under the output folder
MAX_PIXELS = 40_000_000  # a larger file is refused (a decompression bomb or a camera original)


@dataclass
class Picture:
    """What a page needs to show a picture: every variant by width, its text and its credit."""

    variants: list  # [(width, height, save_as)], narrowest first
    alt: str
    credit: str = ""
    alt_lang: str = ""  # set when the alternative is in another language than the page
    source: str = ""  # the file under content/ (for cards made from it)
    digest: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def width(self):
        return self.variants[-1][0]

    @property
    def height(self):
        return self.variants[-1][1]

    def cache_key(self):
        return f"{self.digest}\0{self.alt}\0{self.credit}\0{self.alt_lang}"


class ImageProblem(ValueError):
    """A picture that cannot be used: the message says why, `fix` what to do."""

    def __init__(self, message, fix):
        super().__init__(message)
        self.fix = fix


def source_path(content_root, name):
    """The file `name` (as written in `image:`) under content/images/, or ImageProblem: never a
    path that climbs out, never a link that points out of the folder."""
    folder = os.path.realpath(os.path.join(content_root, "images"))
    relative = name.replace("\\", "/").removeprefix("images/")
    path = os.path.realpath(os.path.join(folder, relative))
    if os.path.commonpath([folder, path]) != folder:
        raise ImageProblem(f"'{name}' is not inside content/images/",
                           "put the picture in content/images/ (not a link to elsewhere)")
    if not os.path.isfile(path):
        raise ImageProblem(f"there is no file content/images/{relative}",
                           "check the file name, or add the picture to content/images/")
    return path


def prepare(path, cache_dir, widths=WIDTHS):
    """[(width, height, file name, bytes or None)] of the variants of the picture at `path`, and the
    source digest. Cached variants are not read (bytes None): the page and the output manifest
    only need their names; `variant_bytes` reads one when it must be written."""
    with open(path, "rb") as fh:
        raw = fh.read()
    source_digest = hashlib.blake2b(raw, digest_size=10).hexdigest()
    index = os.path.join(cache_dir, f"{source_digest}.json") if cache_dir else None
    if index and os.path.exists(index):
        try:
            with open(index, encoding="utf-8") as fh:
                sizes = json.load(fh)
            if all(os.path.exists(os.path.join(cache_dir, name)) for _, _, name in sizes):
                return [(w, h, name, None) for w, h, name in sizes], source_digest
        except (OSError, ValueError):
            pass
    variants = resize(raw, source_digest, widths)
    if cache_dir:
        os.makedirs(cache_dir, exist_ok=True)
        for _, _, name, data in variants:
            atomic_write(os.path.join(cache_dir, name), data, durable=False)
        atomic_write(index, json.dumps([[w, h, n] for w, h, n, _ in variants]).encode(), durable=False)
    return variants, source_digest


def variant_bytes(cache_dir, name, variants):
    for _, _, own, data in variants:
        if own == name and data is not None:
            return data
    with open(os.path.join(cache_dir, name), "rb") as fh:
        return fh.read()


def resize(raw, source_digest, widths=WIDTHS):
    from PIL import Image, ImageOps  # here: a site without pictures never loads Pillow

    try:
        Image.MAX_IMAGE_PIXELS = MAX_PIXELS
        image = Image.open(io.BytesIO(raw))
        image.load()
    except Image.DecompressionBombError as exc:
        raise ImageProblem(f"the picture is too large ({exc})",
                           "save it at most 4000 pixels wide before adding it") from None
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds for a file it cannot read
        raise ImageProblem(f"the file is not a picture Pillow can read ({type(exc).__name__})",
                           "save it as JPEG, PNG or WebP") from None
    image = ImageOps.exif_transpose(image)  # a phone's portrait stays upright; EXIF is not kept
    alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if alpha else "RGB")
    ext = "png" if alpha else "jpg"
    out = []
    sizes = sorted({w for w in widths if w < image.width} | {min(image.width, max(widths))})
    for width in sizes:
        height = max(1, round(image.height * width / image.width))
        scaled = image if width == image.width else image.resize((width, height), Image.LANCZOS)
        buf = io.BytesIO()
        if alpha:
            scaled.save(buf, "PNG", optimize=True)
        else:
            scaled.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        out.append((width, height, f"{source_digest}-{width}.{ext}", buf.getvalue()))
    return out
