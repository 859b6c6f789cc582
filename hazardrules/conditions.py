"""The condition language shared by every standard, and its three-valued interpreter.

A condition is a tree of plain mappings (YAML/JSON):

    all: [...]        every child holds             any: [...]  at least one holds
    at_least: k       with `of: [...]`: k or more children hold (fire counting)
    not: {leaf}       the negation of one comparison (only leaves are negated, so the
                      rules engine and this interpreter agree on "met" by construction)
    fact: ID, OP: V   a comparison on an answered fact; OP in eq ne lt le gt ge in
    attr: NAME, OP: V a comparison on the enterprise profile (applicability only)
    judgment: ID      decided only by a person's recorded judgment (who, when, why)
    element: ID       (site rules only) the element criterion ID holds for a finding at the site

Every node may carry `label` (the limb of the clause it encodes) and `note`.

Truth is three-valued plus "not applicable": an unanswered or 不清楚 fact is UNKNOWN and
never becomes FALSE; a 不适用 answer is NA, which can never make a condition met.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

OPS = ("eq", "ne", "lt", "le", "gt", "ge", "in")
NEGATED_OP = {"eq": "ne", "ne": "eq", "lt": "ge", "ge": "lt", "le": "gt", "gt": "le"}


class Truth(enum.Enum):
    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"
    NA = "not_applicable"


class _Unknown:
    """An unanswered or 不清楚 fact."""

    def __repr__(self) -> str:
        return "UNKNOWN"


class _NotApplicable:
    """A fact answered 不适用."""

    def __repr__(self) -> str:
        return "NOT_APPLICABLE"


UNKNOWN = _Unknown()
NOT_APPLICABLE = _NotApplicable()


@dataclass(frozen=True)
class Node:
    label: str | None = field(default=None, kw_only=True)
    note: str | None = field(default=None, kw_only=True)

    def _extra(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.label is not None:
            out["label"] = self.label
        if self.note is not None:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class All(Node):
    children: tuple[Node, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"all": [c.to_dict() for c in self.children], **self._extra()}


@dataclass(frozen=True)
class Any_(Node):
    children: tuple[Node, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"any": [c.to_dict() for c in self.children], **self._extra()}


@dataclass(frozen=True)
class AtLeast(Node):
    k: int
    children: tuple[Node, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"at_least": self.k, "of": [c.to_dict() for c in self.children], **self._extra()}


@dataclass(frozen=True)
class Compare(Node):
    """`fact` (an answered fact) or `attr` (an enterprise profile field) compared to a value."""

    kind: str  # "fact", "attr" or "element"
    name: str
    op: str
    value: Any

    def to_dict(self) -> dict[str, Any]:
        if self.kind == "element":
            return {"element": self.name, **self._extra()}
        value = list(self.value) if self.op == "in" else self.value
        return {self.kind: self.name, self.op: value, **self._extra()}


@dataclass(frozen=True)
class Not(Node):
    child: Compare

    def to_dict(self) -> dict[str, Any]:
        return {"not": self.child.to_dict(), **self._extra()}


@dataclass(frozen=True)
class Judgment(Node):
    id: str
    question: str

    def to_dict(self) -> dict[str, Any]:
        return {"judgment": self.id, "question": self.question, **self._extra()}


class ConditionError(ValueError):
    """A condition that does not follow the language; `path` locates it."""

    def __init__(self, message: str, path: tuple = ()):
        super().__init__(message)
        self.path = path


def parse(data: Any, path: tuple = ()) -> Node:
    """Build a condition tree from its mapping form (already schema-checked)."""
    if not isinstance(data, dict):
        raise ConditionError("条件必须是一个映射（mapping）", path)
    extra = {"label": data.get("label"), "note": data.get("note")}
    if "all" in data or "any" in data:
        key = "all" if "all" in data else "any"
        items = data[key]
        if not isinstance(items, list) or not items:
            raise ConditionError(f"{key} 需要非空列表", path + (key,))
        children = tuple(parse(c, path + (key, i)) for i, c in enumerate(items))
        return (All if key == "all" else Any_)(children, **extra)
    if "at_least" in data:
        k = data["at_least"]
        items = data.get("of")
        if not isinstance(items, list) or not items:
            raise ConditionError("at_least 需要 of: 非空列表", path)
        if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= len(items):
            raise ConditionError(f"at_least 的 k 必须在 1 到 {len(items)} 之间", path)
        children = tuple(parse(c, path + ("of", i)) for i, c in enumerate(items))
        for i, child in enumerate(children):
            if any(isinstance(n, AtLeast) for n in walk(child)):
                raise ConditionError("at_least 不可嵌套（计数是单独的一步）", path + ("of", i))
        return AtLeast(k, children, **extra)
    if "not" in data:
        child = parse(data["not"], path + ("not",))
        if not isinstance(child, Compare):
            raise ConditionError("not 只能否定单个比较（fact/attr）", path + ("not",))
        return Not(child, **extra)
    if "judgment" in data:
        question = data.get("question")
        if not isinstance(question, str) or not question:
            raise ConditionError("judgment 需要 question（由人判断的问题）", path)
        return Judgment(str(data["judgment"]), question, **extra)
    if "element" in data:
        return Compare("element", str(data["element"]), "eq", True, **extra)
    for kind in ("fact", "attr"):
        if kind in data:
            ops = [op for op in OPS if op in data]
            if len(ops) != 1:
                raise ConditionError(f"{kind} 比较需要且只能有一个运算符：{', '.join(OPS)}", path)
            op = ops[0]
            value = data[op]
            if op == "in":
                if not isinstance(value, list) or not value:
                    raise ConditionError("in 需要非空列表", path + (op,))
                value = tuple(value)
            return Compare(kind, str(data[kind]), op, value, **extra)
    raise ConditionError("无法识别的条件节点", path)


def walk(node: Node):
    """Every node of a tree, parents first."""
    yield node
    if isinstance(node, (All, Any_, AtLeast)):
        for child in node.children:
            yield from walk(child)
    elif isinstance(node, Not):
        yield from walk(node.child)


def facts_of(node: Node) -> list[str]:
    """Fact ids a condition reads, in order of first use."""
    seen: dict[str, None] = {}
    for n in walk(node):
        if isinstance(n, Compare) and n.kind == "fact":
            seen.setdefault(n.name, None)
    return list(seen)


def judgments_of(node: Node) -> list[Judgment]:
    return [n for n in walk(node) if isinstance(n, Judgment)]


# --- three-valued evaluation with a trace -------------------------------------------


@dataclass
class Trace:
    node: Node
    value: Truth
    children: list[Trace] = field(default_factory=list)
    answer: Any = None  # the answer a leaf read (UNKNOWN / NOT_APPLICABLE / a value)
    judgment: dict[str, Any] | None = None

    def unknown_facts(self) -> list[str]:
        """Unanswered facts that could still change this (sub)tree's value."""
        if self.value is not Truth.UNKNOWN:
            return []
        if isinstance(self.node, (Compare, Not)):
            leaf = self.node.child if isinstance(self.node, Not) else self.node
            return [leaf.name] if leaf.kind == "fact" else [f"{leaf.kind}:{leaf.name}"]
        out: dict[str, None] = {}
        for child in self.children:
            for name in child.unknown_facts():
                out.setdefault(name, None)
        return list(out)

    def open_judgments(self) -> list[Judgment]:
        if self.value is not Truth.UNKNOWN:
            return []
        if isinstance(self.node, Judgment):
            return [self.node]
        out: list[Judgment] = []
        for child in self.children:
            out.extend(j for j in child.open_judgments() if j not in out)
        return out


@dataclass
class Context:
    """What a condition is evaluated against: typed answers, profile, judgments."""

    facts: dict[str, Any]
    attrs: dict[str, Any] = field(default_factory=dict)
    judgments: dict[str, dict[str, Any]] = field(default_factory=dict)
    elements: dict[str, Any] = field(default_factory=dict)  # site rules: True / False / UNKNOWN


def compare(op: str, answer: Any, value: Any) -> bool:
    """One comparison on a known answer; list-valued answers (profile lists) intersect."""
    if isinstance(answer, (list, tuple, set, frozenset)):
        wanted = set(value) if op == "in" else {value}
        hit = bool(wanted & set(answer))
        if op in ("in", "eq"):
            return hit
        if op == "ne":
            return not hit
        raise ValueError(f"运算符 {op} 不适用于列表")
    if op == "eq":
        return answer == value
    if op == "ne":
        return answer != value
    if op == "in":
        return answer in value
    if op == "lt":
        return answer < value
    if op == "le":
        return answer <= value
    if op == "gt":
        return answer > value
    if op == "ge":
        return answer >= value
    raise ValueError(f"未知运算符 {op}")


def _leaf(node: Compare, ctx: Context, negate: bool) -> tuple[Truth, Any]:
    source = {"fact": ctx.facts, "attr": ctx.attrs, "element": ctx.elements}[node.kind]
    answer = source.get(node.name, UNKNOWN)
    if answer is UNKNOWN or answer is None:
        return Truth.UNKNOWN, UNKNOWN
    if answer is NOT_APPLICABLE:
        return Truth.NA, NOT_APPLICABLE
    held = compare(node.op, answer, node.value)
    if negate:
        held = not held
    return (Truth.TRUE if held else Truth.FALSE), answer


def combine_all(values: list[Truth]) -> Truth:
    for v in (Truth.FALSE, Truth.NA, Truth.UNKNOWN):
        if v in values:
            return v
    return Truth.TRUE


def combine_any(values: list[Truth]) -> Truth:
    if Truth.TRUE in values:
        return Truth.TRUE
    if Truth.UNKNOWN in values:
        return Truth.UNKNOWN
    if values and all(v is Truth.NA for v in values):
        return Truth.NA
    return Truth.FALSE


def combine_at_least(k: int, values: list[Truth]) -> Truth:
    held = values.count(Truth.TRUE)
    open_ = values.count(Truth.UNKNOWN)
    if held >= k:
        return Truth.TRUE
    if held + open_ < k:
        return Truth.NA if all(v is Truth.NA for v in values) else Truth.FALSE
    return Truth.UNKNOWN


def evaluate(node: Node, ctx: Context) -> Trace:
    """Evaluate a condition three-valued, keeping the value of every sub-condition."""
    if isinstance(node, (All, Any_, AtLeast)):
        children = [evaluate(c, ctx) for c in node.children]
        values = [c.value for c in children]
        if isinstance(node, All):
            value = combine_all(values)
        elif isinstance(node, Any_):
            value = combine_any(values)
        else:
            value = combine_at_least(node.k, values)
        return Trace(node, value, children)
    if isinstance(node, Not):
        value, answer = _leaf(node.child, ctx, negate=True)
        return Trace(node, value, answer=answer)
    if isinstance(node, Compare):
        value, answer = _leaf(node, ctx, negate=False)
        return Trace(node, value, answer=answer)
    if isinstance(node, Judgment):
        record = ctx.judgments.get(node.id)
        if record is None or record.get("decision") is None:
            return Trace(node, Truth.UNKNOWN)
        value = Truth.TRUE if record["decision"] else Truth.FALSE
        return Trace(node, value, judgment=record)
    raise TypeError(f"unknown condition node {node!r}")
