"""Pictures the .docx can hold: PNG, JPEG, GIF and BMP with a size, as python-docx reads them.

One judgement for both sides: an article's picture file (compose) and a picture inside a
department's Word submission (docx_reader).
"""
from __future__ import annotations

from bulletin.i18n import _

# content type → the file extension a picture of that type is saved under
PICTURE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/bmp": "bmp"}


def picture_type(data: bytes) -> tuple[str | None, str]:
    """The extension for a picture's bytes ('png', 'jpg', 'gif' or 'bmp') and "", or None and why it
    cannot go into the .docx: not a picture, a format Word does not show, or no size (the writer
    divides by it)."""
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
    return PICTURE_TYPES[content_type], ""


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
