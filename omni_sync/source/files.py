"""The one way a repository's file is written: whole, or not at all."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path


def write_whole(path: Path, text: str) -> None:
    """``text`` as ``path``, in one step: whatever stops the writing (Ctrl-C, SIGTERM, a full
    disk), ``path`` is the file it was or the new one, never part of either. The text is
    written beside it first, then renamed over it (keeping an old file's permissions); a
    failure leaves no temporary file. Raises OSError."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.omni-sync")
    try:
        temporary.write_text(text, encoding="utf-8")
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temporary, stat.S_IMODE(os.stat(path).st_mode))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
