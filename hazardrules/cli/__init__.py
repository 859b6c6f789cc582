"""The `hazardrules` command line, one module per topic; each registers on `cli`."""

from . import ask, cases, check, data, ledger  # noqa: F401  (register commands)
from .base import cli, main

__all__ = ["cli", "main"]
