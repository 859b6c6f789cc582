"""Writing output files without ever leaving a partial file or clobbering input: a temporary
file beside the target, renamed into place, so an interrupted run leaves no partial file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import InputError


def check_target(path: Path, inputs: list[Path], force: bool) -> Path:
    """The resolved target, refusing an input file, an existing file without --force, a
    directory, or a missing parent directory."""
    target = path.resolve()
    for item in inputs:
        if item.exists() and item.resolve() == target:
            raise InputError("输出文件不能与输入文件相同（不会覆盖输入）", file=str(path))
    if target.is_dir():
        raise InputError("输出路径是一个目录", file=str(path))
    if target.exists() and not force:
        raise InputError("输出文件已存在；如确需覆盖，请加 --force", file=str(path))
    if not target.parent.is_dir():
        raise InputError("输出目录不存在", file=str(path))
    return target


def write_bytes_atomic(path: Path, data: bytes, inputs: list[Path], force: bool = False) -> None:
    target = check_target(Path(path), inputs, force)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise InputError(f"无法写入输出目录：{exc.strerror or exc}", file=str(path)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise InputError(f"无法写入输出文件：{exc.strerror or exc}", file=str(path)) from None
        raise


def write_atomic(path: Path, text: str, inputs: list[Path], force: bool = False) -> None:
    """Text output (UTF-8), written like write_bytes_atomic."""
    write_bytes_atomic(path, text.encode("utf-8"), inputs, force)
