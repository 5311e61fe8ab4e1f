"""The words several modules of intake say alike: an empty file refused, and the advice to save as .docx."""
from __future__ import annotations

_SAVE_AS_DOCX = "open it in Word or WPS and save it as a Word document (.docx)"
EMPTY_FILE = "the file is empty (0 bytes)"
EMPTY_FILE_HINT = "check that it is the right file, or ask the sender to send it again"
