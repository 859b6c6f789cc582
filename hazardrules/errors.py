"""Errors the user can act on, kept apart from internal faults.

An InputError always names the file and the position (line, cell or key path) so the
CLI can print one Chinese sentence and exit with code 2 instead of a traceback.
"""

from __future__ import annotations


class HazardrulesError(Exception):
    """Base class of every error hazardrules raises on purpose."""


class InputError(HazardrulesError):
    """Bad input: a file, a value or a usage the user can correct (exit code 2)."""

    def __init__(self, message: str, file: str | None = None, position: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.position = position

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = str(self.file)
            if self.position:
                where += f"（{self.position}）"
            where += "："
        elif self.position:
            where = f"{self.position}："
        return f"{where}{self.message}"


class DataError(InputError):
    """The criteria data itself is invalid (found by `hazardrules validate`)."""


class EngineError(HazardrulesError):
    """The rules engine failed or disagreed with the explanation layer (exit code 4)."""
