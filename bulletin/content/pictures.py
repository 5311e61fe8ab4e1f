"""Pictures the .docx can hold: PNG, JPEG, GIF and BMP with a size, as python-docx reads them, and
the Picture a composed issue carries (bytes, format, pixel size, resolution).

One judgement for both sides: an article's picture file (compose) and a picture inside a
department's Word submission (intake/docx_body.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from bulletin.i18n import _

# content type → the file extension a picture of that type is saved under
PICTURE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/bmp": "bmp"}


@dataclass(frozen=True)
class Picture:
    """A picture as composing read it: its bytes and what a writer needs to place it, so no writer
    opens the file (or parses the header) again."""

    data: bytes
    type: str                          # the extension of its format: 'png', 'jpg', 'gif' or 'bmp'
    px_width: int
    px_height: int
    dpi: tuple[float, float] | None    # the resolution it names for itself; None: shown at 96 dpi
    name: str = ""                     # the file name it was read from

    @property
    def content_type(self) -> str:
        return next(ct for ct, ext in PICTURE_TYPES.items() if ext == self.type)


def read_picture(data: bytes, name: str = "") -> tuple[Picture | None, str]:
    """The picture in `data` and "", or None and why it cannot go into the .docx: not a picture, a
    format Word does not show, or no size (a writer divides by it). The one reader of picture headers."""
    try:
        from docx.image.image import (
            Image as DocxImage,  # only pictures pay for this import
        )

        img = DocxImage.from_blob(data)
        content_type, width, height = img.content_type, img.px_width, img.px_height
    except Exception:  # python-docx raises anything from struct errors to bare Exception on bad data
        return None, _("is not a picture file (damaged, or not PNG, JPEG, GIF or BMP inside)")
    if content_type not in PICTURE_TYPES:
        return None, _("is not PNG, JPEG, GIF or BMP inside")
    if not (width > 0 and height > 0):
        return None, _("has no size (0 pixels wide or high)")
    return Picture(data, PICTURE_TYPES[content_type], width, height, picture_dpi(data), name), ""


def picture_type(data: bytes) -> tuple[str | None, str]:
    """The extension for a picture's bytes ('png', 'jpg', 'gif' or 'bmp') and "", or None and why it
    cannot go into the .docx (see read_picture)."""
    picture, problem = read_picture(data)
    return (picture.type if picture else None), problem


def picture_dpi(data: bytes) -> tuple[float, float] | None:
    """The resolution a picture names for itself (PNG pHYs in metres, JPEG JFIF density in inches or
    centimetres, BMP pixels per metre), or None when it names none (then it is shown at 96 dpi)."""
    import struct

    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        pos = 8
        while pos + 8 <= len(data):
            length, kind = struct.unpack(">I4s", data[pos:pos + 8])
            if kind == b"pHYs" and length >= 9 and pos + 17 <= len(data):
                x, y, unit = struct.unpack(">IIB", data[pos + 8:pos + 17])
                return (x * 0.0254, y * 0.0254) if unit == 1 and x and y else None
            if kind in (b"IDAT", b"IEND"):  # pHYs comes before the image data
                return None
            pos += 12 + length
        return None
    if data.startswith(b"\xff\xd8"):
        pos = 2
        while pos + 4 <= len(data) and data[pos] == 0xFF:
            marker, length = data[pos + 1], struct.unpack(">H", data[pos + 2:pos + 4])[0]
            if marker == 0xE0 and data[pos + 4:pos + 9] == b"JFIF\x00" and pos + 16 <= len(data):
                unit, x, y = struct.unpack(">BHH", data[pos + 11:pos + 16])
                if x and y and unit in (1, 2):
                    return (x, y) if unit == 1 else (x * 2.54, y * 2.54)
                return None
            if marker in (0xDA, 0xD9):  # the image data starts: no JFIF header before it
                return None
            pos += 2 + length
        return None
    if data.startswith(b"BM") and len(data) >= 46:
        x, y = struct.unpack("<ii", data[38:46])
        return (x * 0.0254, y * 0.0254) if x > 0 and y > 0 else None
    return None
