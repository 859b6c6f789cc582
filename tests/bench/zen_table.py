"""The same criteria as a GoRules zen-engine decision table (the peer a user could pick).

Each criterion becomes one row of a "collect" table whose single input cell is the criterion's
condition as a ZEN expression over the same answered facts. Absent facts are null, and every
comparison is guarded with `!= null`, so unknown answers never match — as in hazardrules.
"""

from __future__ import annotations

import json
from typing import Any

from hazardrules import conditions as cond


def _value(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False)


def expression(node: cond.Node) -> str:
    if isinstance(node, cond.All):
        return "(" + " and ".join(expression(c) for c in node.children) + ")"
    if isinstance(node, cond.Any_):
        return "(" + " or ".join(expression(c) for c in node.children) + ")"
    if isinstance(node, cond.AtLeast):
        items = ", ".join(expression(c) for c in node.children)
        return f"(len(filter([{items}], # == true)) >= {node.k})"
    if isinstance(node, cond.Not):
        leaf = node.child
        inner = _compare(leaf)
        return f"(f_{leaf.name} != null and not {inner})"
    if isinstance(node, cond.Compare):
        return f"(f_{node.name} != null and {_compare(node)})"
    if isinstance(node, cond.Judgment):
        return f"(j_{node.id} == true)"
    raise TypeError(node)


def _compare(leaf: cond.Compare) -> str:
    name = f"f_{leaf.name}"
    if leaf.op == "in":
        return "(" + " or ".join(f"{name} == {_value(v)}" for v in leaf.value) + ")"
    op = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}[leaf.op]
    return f"{name} {op} {_value(leaf.value)}"


def decision_model(criteria) -> str:
    rules = [{"_id": f"r{i}", "cond": expression(c.condition), "out": _value(c.id)}
             for i, c in enumerate(criteria)]
    jdm = {
        "nodes": [
            {"id": "in", "type": "inputNode", "name": "Request", "position": {"x": 0, "y": 0}},
            {"id": "table", "type": "decisionTableNode", "name": "criteria", "position": {"x": 0, "y": 0},
             "content": {"hitPolicy": "collect",
                         "inputs": [{"id": "cond", "name": "condition", "field": ""}],
                         "outputs": [{"id": "out", "name": "criterion", "field": "criterion"}],
                         "rules": rules}},
            {"id": "out", "type": "outputNode", "name": "Response", "position": {"x": 0, "y": 0}},
        ],
        "edges": [{"id": "e1", "sourceId": "in", "targetId": "table", "type": "edge"},
                  {"id": "e2", "sourceId": "table", "targetId": "out", "type": "edge"}],
    }
    return json.dumps(jdm, ensure_ascii=False)
