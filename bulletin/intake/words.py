"""The words several modules of intake say alike: an empty file refused, and the advice to save as .docx."""
from __future__ import annotations

from bulletin.i18n import N_

# Marked for the catalog; translate where shown: _(EMPTY_FILE).
_SAVE_AS_DOCX = N_("open it in Word or WPS and save it as a Word document (.docx)")
EMPTY_FILE = N_("the file is empty (0 bytes)")
EMPTY_FILE_HINT = N_("check that it is the right file, or ask the sender to send it again")
