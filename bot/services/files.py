"""Files the bot writes for itself (caches, calendar files): whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, content: bytes) -> None:
    """Written beside `path`, then renamed into place, so a crash never leaves half a file
    where a reader looks (its folder is made if missing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
    Path(partial).replace(path)
