"""A sheet of cells as the table layout sees it, whatever file it came from.

Values are None (blank), str, int, float, bool, datetime.date or a CellProblem (a cell
that cannot be read: a formula without a cached value, an error value, control
characters). A problem is only raised when a cell that matters is read, so a broken
cell in a remarks column does not refuse the whole file.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class CellProblem:
    message: str


@dataclass
class Sheet:
    name: str | None  # None: a CSV file (one sheet, no name)
    rows: list[list[Any]]  # rows[i] is row i + 1; vertically merged cells carry their value
    header_rows: dict[int, list[Any]] = field(default_factory=dict)  # fully merged view, top rows

    def header_view(self, index: int) -> list[Any]:
        return self.header_rows.get(index, self.rows[index])

    def where(self, index: int, col: int, label: str | None = None) -> str:
        """A cell as a user finds it: 工作表“检查项” 第 12 行 C 列“回答”."""
        text = f"第 {index + 1} 行 {get_column_letter(col + 1)} 列"
        if self.name is not None:
            text = f"工作表“{self.name}” {text}"
        return text + (f"“{label}”" if label else "")

    def describe(self) -> str:
        return f"工作表“{self.name}”" if self.name is not None else "表格"


def clean(value: Any) -> Any:
    """A raw cell value as the layout wants it (see the module docstring)."""
    if isinstance(value, str):
        if _CONTROL.search(value):
            return CellProblem("含有不可见的控制字符")
        value = value.strip()
        return value or None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, (bool, int, float, dt.date, CellProblem)) or value is None:
        return value
    return str(value)  # time, timedelta and the like: shown as text, refused where typed


def label_key(value: Any) -> str | None:
    """A header or profile label, normalised: full-width to half-width, no spaces, no
    required-field stars, no trailing colon."""
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFKC", value)
    text = re.sub(r"\s+", "", text).strip("*").rstrip(":").lower()
    return text or None


def without_note(key: str) -> str:
    """A label without its parenthetical note: 回答(是/否) → 回答."""
    return re.sub(r"\([^)]*\)", "", key)
