"""Limits on table input, beside the YAML ones in safeyaml (same file size cap)."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..safeyaml import MAX_BYTES

MAX_ROWS = 10_000  # per sheet or CSV file; a checklist has hundreds at most
MAX_COLUMNS = 100
MAX_UNZIPPED = 4 * MAX_BYTES  # an .xlsx is a zip: cap what it expands to
MAX_ZIP_MEMBERS = 500
HEADER_SCAN = 200  # a table's header is looked for in its first rows only

__all__ = ["MAX_BYTES", "MAX_COLUMNS", "MAX_ROWS", "MAX_UNZIPPED", "MAX_ZIP_MEMBERS", "HEADER_SCAN",
           "read_bytes"]


def read_bytes(path: Path) -> bytes:
    """The whole file, within MAX_BYTES; the input is only ever read."""
    name = str(path)
    if not path.exists():
        raise InputError("文件不存在", file=name)
    if path.is_dir():
        raise InputError("这是一个目录，不是文件", file=name)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(f"文件过大（{size} 字节），上限为 {MAX_BYTES} 字节", file=name)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror or exc}", file=name) from None
    if len(raw) > MAX_BYTES:  # grew while we looked
        raise InputError(f"文件过大，上限为 {MAX_BYTES} 字节", file=name)
    if not raw.strip():
        raise InputError("文件为空", file=name)
    return raw
