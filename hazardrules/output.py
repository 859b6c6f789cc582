"""Writing output files without ever leaving a partial file or clobbering input."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import InputError


def write_atomic(path: Path, text: str, inputs: list[Path], force: bool = False) -> None:
    target = path.resolve()
    for item in inputs:
        if item.exists() and item.resolve() == target:
            raise InputError("输出文件不能与输入文件相同（不会覆盖输入）", file=str(path))
    if target.exists() and not force:
        raise InputError("输出文件已存在；如确需覆盖，请加 --force", file=str(path))
    if not target.parent.is_dir():
        raise InputError("输出目录不存在", file=str(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
