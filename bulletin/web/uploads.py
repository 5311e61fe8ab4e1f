"""Reading an upload's form with a cap on each file, counted while it streams: a file past the cap stops
the reading at once (what was spooled of it is closed and removed), so no oversized file is ever kept
whole, in memory or on disk. The request as a whole is capped by the guard (web/guard.py)."""
from __future__ import annotations

from contextlib import aclosing

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request


class FileTooLarge(Exception):
    def __init__(self, filename: str, limit: int):
        super().__init__(filename)
        self.filename, self.limit = filename, limit


class _CappedParser(MultiPartParser):
    def __init__(self, *args, max_file_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_file_bytes = max_file_bytes
        self._file_bytes = 0

    def on_part_begin(self) -> None:
        super().on_part_begin()
        self._file_bytes = 0

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._current_part.file is not None:
            self._file_bytes += end - start
            if self._file_bytes > self.max_file_bytes:
                raise FileTooLarge(self._current_part.file.filename or "", self.max_file_bytes)
        super().on_part_data(data, start, end)


async def upload_form(request: Request, *, max_files: int, max_fields: int, max_file_bytes: int) -> FormData:
    """The request's form; FileTooLarge as soon as one file passes `max_file_bytes`."""
    if not request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        return await request.form(max_files=max_files, max_fields=max_fields)
    try:
        async with aclosing(request.stream()) as stream:
            return await _CappedParser(request.headers, stream, max_files=max_files, max_fields=max_fields,
                                       max_file_bytes=max_file_bytes).parse()
    except MultiPartException as exc:
        raise HTTPException(status_code=400, detail=exc.message) from None
