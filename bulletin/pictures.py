"""Pictures the .docx can hold: PNG, JPEG, GIF and BMP with a size, as python-docx reads them.

One judgement for both sides: an article's picture file (compose) and a picture inside a
department's Word submission (docx_reader).
"""
from __future__ import annotations

# content type → the file extension a picture of that type is saved under
PICTURE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/bmp": "bmp"}


def picture_type(data: bytes) -> tuple[str | None, str]:
    """The extension for a picture's bytes ('png', 'jpg', 'gif' or 'bmp') and "", or None and why it
    cannot go into the .docx: not a picture, a format Word does not show, or no size (the writer
    divides by it)."""
    try:
        from docx.image.image import Image as DocxImage  # only pictures pay for this import

        img = DocxImage.from_blob(data)
        content_type, width, height = img.content_type, img.px_width, img.px_height
    except Exception:  # python-docx raises anything from struct errors to bare Exception on bad data
        return None, "is not a picture file (damaged, or not PNG, JPEG, GIF or BMP inside)"
    if content_type not in PICTURE_TYPES:
        return None, "is not PNG, JPEG, GIF or BMP inside"
    if not (width > 0 and height > 0):
        return None, "has no size (0 pixels wide or high)"
    return PICTURE_TYPES[content_type], ""
