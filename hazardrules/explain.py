"""Human-readable explanation of a condition trace, in Chinese.

The same trace the judge used: every sub-condition with its value and the answer it read.
"""

from __future__ import annotations

from typing import Any

from . import conditions as cond
from .answers import display
from .conditions import Trace, Truth

MARK = {Truth.TRUE: "✔ 成立", Truth.FALSE: "✘ 不成立", Truth.UNKNOWN: "？ 待确定",
        Truth.NA: "— 不适用"}
OP_TEXT = {"eq": "为", "ne": "不为", "lt": "小于", "le": "不大于", "gt": "大于", "ge": "不小于",
           "in": "属于"}
NEG_OP_TEXT = {"eq": "不为", "ne": "为", "lt": "不小于", "le": "大于", "gt": "不大于",
               "ge": "小于", "in": "不属于"}
ATTR_NAMES = {"enterprise.sector": "企业行业领域", "enterprise.industries": "企业所属行业",
              "enterprise.features": "企业风险特征"}

_facts: dict[str, Any] = {}


def use_catalog(catalog) -> None:
    """Let descriptions show each fact's question instead of its id."""
    _facts.clear()
    _facts.update(catalog.facts)


def _subject(leaf: cond.Compare) -> str:
    if leaf.kind == "attr":
        return ATTR_NAMES.get(leaf.name, leaf.name)
    fact = _facts.get(leaf.name)
    return f"“{fact.question}”" if fact else leaf.name


def _value_text(leaf: cond.Compare) -> str:
    if leaf.op == "in":
        return "、".join(display(v) for v in leaf.value)
    unit = ""
    fact = _facts.get(leaf.name)
    if fact is not None and fact.unit:
        unit = fact.unit
    return display(leaf.value) + unit


def node_text(node: cond.Node) -> str:
    """What a node requires, in words."""
    if isinstance(node, cond.Compare):
        return f"{_subject(node)}{OP_TEXT[node.op]}{_value_text(node)}"
    if isinstance(node, cond.Not):
        leaf = node.child
        return f"{_subject(leaf)}{NEG_OP_TEXT[leaf.op]}{_value_text(leaf)}"
    if isinstance(node, cond.All):
        return "以下各项同时成立（并且）"
    if isinstance(node, cond.Any_):
        return "以下任一项成立（或者）"
    if isinstance(node, cond.AtLeast):
        return f"以下 {len(node.children)} 项中至少 {node.k} 项成立"
    if isinstance(node, cond.Judgment):
        return f"须由人员判断：{node.question}"
    return repr(node)


def describe_leaf(trace: Trace) -> str:
    node = trace.node
    text = node_text(node)
    if trace.judgment is not None:
        j = trace.judgment
        return f"{text}——{j.get('by')} 于 {j.get('on')} 判断为{'是' if j['decision'] else '否'}（{j.get('reason')}）"
    if isinstance(node, (cond.Compare, cond.Not)):
        return f"{text}（实际回答：{display(trace.answer)}）"
    return text


def trace_lines(trace: Trace, indent: int = 0) -> list[str]:
    """The whole tree, one line per sub-condition."""
    pad = "  " * indent
    label = f"【{trace.node.label}】" if trace.node.label else ""
    lines = [f"{pad}{MARK[trace.value]}  {label}{describe_leaf(trace)}"]
    for child in trace.children:
        lines.extend(trace_lines(child, indent + 1))
    return lines
