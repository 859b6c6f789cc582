"""The pure-Python evaluator: "met" straight from the three-valued interpreter."""

from __future__ import annotations

from typing import Any

from ..conditions import Context, Truth, evaluate
from ..model import Standard


class PythonEvaluator:
    name = "python（纯 Python 求值器）"

    def met(self, standard: Standard, facts: dict[str, Any], judgments: dict[str, bool],
            elements: dict[str, Any] | None = None) -> set[str]:
        ctx = Context(facts, judgments={k: {"decision": v} for k, v in judgments.items()},
                      elements=elements or {})
        criteria = standard.site_rules if elements is not None else standard.finding_criteria
        return {c.id for c in criteria if evaluate(c.condition, ctx).value is Truth.TRUE}
