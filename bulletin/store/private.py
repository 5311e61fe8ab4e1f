"""The workspace's private folder `.bulletin/`: state that belongs to this computer's copy of the
workspace and never to its history (the warm LibreOffice's record, the accounts, the server's secret).
Made 0700, with a .gitignore of its own (`*`) so nothing in it is ever committed."""
from __future__ import annotations

import os
from pathlib import Path

PRIVATE_DIR = ".bulletin"


def private_dir(root: Path, create: bool = True) -> Path:
    """The private folder of the workspace at `root` (made 0700 and git-ignored when `create`)."""
    folder = Path(root) / PRIVATE_DIR
    if create:
        folder.mkdir(mode=0o700, exist_ok=True)
        os.chmod(folder, 0o700)
        ignore = folder / ".gitignore"
        if not ignore.is_file():
            ignore.write_text("# bulletin's private state (the warm LibreOffice's port and token, the accounts)\n*\n",
                              encoding="utf-8")
    return folder
