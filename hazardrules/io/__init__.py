"""Checklists as people keep them: CSV and Excel in, HTML reports and Excel ledgers out.

Readers (csv_in, xlsx_in) turn a file into sheets of cells; `tables` reads the documented
layout (README, 表格检查表) into the dict `parse_checklist` takes, mapping errors back to cells.
Writers: `template_xlsx` (a blank checklist), `html_report`, `ledger_xlsx` (隐患台账);
Output files are written by hazardrules.output (atomic, never over an input).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..catalog import Catalog
    from ..checklist import Checklist

TABLE_SUFFIXES = (".csv", ".xlsx")


def load_table(path: Path | str, catalog: Catalog) -> Checklist:
    """A .csv or .xlsx checklist, judged exactly like its YAML equivalent."""
    from .tables import load_table as _load

    return _load(Path(path), catalog)
