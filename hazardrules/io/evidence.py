"""Evidence of a finding (photos, documents): where it is, whether it still matches its
recorded SHA-256, and — for an image beside the checklist — its bytes for embedding.

Only files inside the checklist's own folder are read: a reference like ../../etc/x.png in
a checklist someone sent you is shown, never opened.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

EMBED_MAX = 2 * 1024 * 1024  # per image
EMBED_BUDGET = 20 * 1024 * 1024  # per report
_IMAGES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"),
           (b"GIF87a", "image/gif"), (b"GIF89a", "image/gif"))


@dataclass
class Evidence:
    ref: str
    sha256: str | None
    note: str | None
    kind: str  # url | file | missing | outside | other
    status: str  # for people
    actual: str | None = None  # the file's SHA-256
    mime: str | None = None
    data: bytes | None = None  # an image to embed

    @property
    def matches(self) -> bool | None:
        if self.sha256 is None or self.actual is None:
            return None
        return self.sha256 == self.actual

    def data_uri(self) -> str | None:
        if self.data is None or self.mime is None:
            return None
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"

    def summary(self) -> str:
        """One line for a ledger cell."""
        parts = [self.ref]
        if self.sha256:
            parts.append(f"SHA256 {self.sha256}")
        parts.append(self.status)
        if self.note:
            parts.append(self.note)
        return "；".join(parts)


class EvidenceReader:
    """Reads each checklist's evidence once, within an embedding budget."""

    def __init__(self, base: Path | None, embed: bool = True):
        self.base = base.resolve() if base is not None else None  # None: no folder to read from
        self.budget = EMBED_BUDGET if embed else 0

    @classmethod
    def beside(cls, source: str, embed: bool = True) -> EvidenceReader:
        """For a checklist file: its folder; for a checklist that is not a file, none."""
        path = Path(source)
        return cls(path.parent if path.is_file() else None, embed)

    def items(self, raw: dict[str, Any]) -> list[Evidence]:
        return [self.one(item) for item in raw.get("evidence", []) if isinstance(item, dict)]

    def one(self, item: dict[str, Any]) -> Evidence:
        ref = str(item.get("ref", ""))
        sha = item.get("sha256")
        note = item.get("note")
        lowered = ref.lower()
        if lowered.startswith(("http://", "https://")):
            return Evidence(ref, sha, note, "url", "网址，未核对")
        if "://" in ref or lowered.startswith(("data:", "javascript:", "file:")):
            return Evidence(ref, sha, note, "other", "未读取")
        if self.base is None:
            return Evidence(ref, sha, note, "missing", "未核对")
        try:
            path = (self.base / ref).resolve()
            if not path.is_relative_to(self.base):
                return Evidence(ref, sha, note, "outside", "不在检查表所在文件夹内，未读取")
            if not path.is_file():
                return Evidence(ref, sha, note, "missing", "文件未找到")
            actual, head, size = _digest(path)
        except (OSError, RuntimeError, ValueError):  # a name too long, a NUL, a loop of links
            return Evidence(ref, sha, note, "missing", "文件未找到或无法读取")
        if sha is None:
            status = "未记录 SHA256"
        elif sha == actual:
            status = "SHA256 一致"
        else:
            status = "SHA256 不一致（文件可能已被修改或替换）"
        found = Evidence(ref, sha, note, "file", status, actual=actual)
        mime = next((m for magic, m in _IMAGES if head.startswith(magic)), None)
        if mime is None and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            mime = "image/webp"
        if mime and size <= min(EMBED_MAX, self.budget):
            try:
                found.data = path.read_bytes()
            except OSError:
                return found
            found.mime = mime
            self.budget -= size
        return found


def _digest(path: Path) -> tuple[str, bytes, int]:
    digest = hashlib.sha256()
    head = b""
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            if not head:
                head = chunk[:16]
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), head, size
