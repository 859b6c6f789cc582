"""Limits on table input, beside the YAML ones in safeyaml (same file size cap)."""

from __future__ import annotations

from ..safeyaml import MAX_BYTES, read_bytes  # noqa: F401  (re-exported for the table readers)

MAX_ROWS = 10_000  # per sheet or CSV file; a checklist has hundreds at most
MAX_COLUMNS = 100
MAX_UNZIPPED = 4 * MAX_BYTES  # an .xlsx is a zip: cap what it expands to
MAX_ZIP_MEMBERS = 500
HEADER_SCAN = 200  # a table's header is looked for in its first rows only

__all__ = ["MAX_BYTES", "MAX_COLUMNS", "MAX_ROWS", "MAX_UNZIPPED", "MAX_ZIP_MEMBERS", "HEADER_SCAN",
           "read_bytes"]
