"""Which evaluator decides "met": durable_rules when installed, else the pure-Python one.

`HAZARDRULES_ENGINE=python` (or `durable`) forces the choice; `hazardrules --version`
reports the active engine.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any, Protocol

from ..errors import InputError
from ..model import Standard


class Evaluator(Protocol):
    name: str

    def met(self, standard: Standard, facts: dict[str, Any], judgments: dict[str, bool],
            elements: dict[str, Any] | None = None) -> set[str]:
        """Ids of the standard's criteria whose condition holds on the answered facts; with
        `elements` (element id → True / False / UNKNOWN), of its site rules instead."""
        ...


def durable_available() -> bool:
    try:
        import durable.engine  # noqa: F401
    except Exception:
        return False
    return True


@cache
def get_engine(choice: str | None = None) -> Evaluator:
    choice = choice or os.environ.get("HAZARDRULES_ENGINE", "auto")
    if choice not in ("auto", "durable", "python"):
        raise InputError(f"HAZARDRULES_ENGINE 只能是 durable、python 或 auto，实为 {choice}")
    if choice == "python" or (choice == "auto" and not durable_available()):
        from .python_eval import PythonEvaluator

        return PythonEvaluator()
    if not durable_available():
        raise InputError("要求使用 durable_rules，但未安装（pip install 'hazardrules[durable]'）")
    from .durable_adapter import DurableEvaluator

    return DurableEvaluator()
