"""The one module that talks to durable_rules. Every trap in notes-durable-rules.md:

- One Host for the process, and each ruleset registered once under a stable name that
  includes the hash of its criteria (a ruleset name can never be registered twice).
- Findings are asserted as *facts*, not posted as events: an event is consumed by the
  first rule that matches it, so only one criterion would fire; a fact fires every rule.
- One sid per evaluation, and `delete_state` in a `finally` on every path: at most 1,024
  live sids per ruleset, and overflowing that crashes the process.
- "No rule matched" (MessageNotHandledException) is a normal outcome, not an error — but
  observed here: when the first assert on a ruleset matches no rule, the following
  `delete_state` crashes the process (segfault / double free). So every ruleset carries a
  catch-all rule (`hr_seen`, on the always-present phase attribute) that records nothing:
  no assert is ever unhandled, and the exception handler is only a safety net.
- An exception raised inside an action is only stored in the returned state: re-raise it.
- Only answered facts are asserted, already typed; unknown and 不适用 are simply absent,
  and no "attribute absent" test is ever compiled (it makes `assert` spin forever).
- "At least k of" has no operator: it is a documented two-step. Phase 1 rules fire for
  each element that holds and are counted in Python; phase 2 sees the counts as derived
  attributes (`n_<k>`) beside the facts and decides the criteria. A rule whose condition is
  an `$or` fires once per disjunct that holds, so elements are counted as distinct rules.
- Observed here: a fact with more than about 128 attributes fails (error 303, then a
  crash in `delete_state`), and over about 255 it is refused (error 302). A standard is
  therefore compiled in chunks whose rules read at most MAX_ATTRIBUTES answers, and each
  chunk is asserted only the answers it reads.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .. import conditions as cond
from ..errors import EngineError
from ..model import Criterion, Standard

FACT_PREFIX = "f_"
JUDGMENT_PREFIX = "j_"
ELEMENT_PREFIX = "x_"
COUNT_PREFIX = "n_"
PHASE = "hr_phase"
CATCH_ALL = "hr_seen"

_OPS = {"ne": "$neq", "lt": "$lt", "le": "$lte", "gt": "$gt", "ge": "$gte"}


def _value(value: Any) -> Any:
    """Dates travel as day ordinals so that lt/gt compare them."""
    if isinstance(value, dt.date):
        return value.toordinal()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).toordinal()
        except ValueError:
            return value
    return value


def _compare(key: str, op: str, value: Any) -> dict[str, Any]:
    if op == "eq":
        return {key: _value(value)}
    if op == "in":
        options = [{key: _value(v)} for v in value]
        return options[0] if len(options) == 1 else {"$or": options}
    return {_OPS[op]: {key: _value(value)}}


def _negated(key: str, op: str, value: Any) -> dict[str, Any]:
    if op == "in":
        options = [{"$neq": {key: _value(v)}} for v in value]
        return options[0] if len(options) == 1 else {"$and": options}
    return _compare(key, cond.NEGATED_OP[op], value)


MAX_ATTRIBUTES = 60  # per asserted fact; see the module notes


@dataclass
class CompiledChunk:
    """Part of a standard's criteria, compiled into one durable_rules ruleset."""

    name: str
    rules: dict[str, dict[str, Any]]  # rule name → durable condition
    criterion_of: dict[str, str]  # phase-2 rule name → criterion id
    element_of: dict[str, str]  # phase-1 rule name → count key
    counts: list[str]
    attributes: set[str]  # event keys the rules read (facts and judgments)

    @property
    def has_counting(self) -> bool:
        return bool(self.counts)


@dataclass
class CompiledStandard:
    chunks: list[CompiledChunk] = field(default_factory=list)


class _Compiler:
    def __init__(self) -> None:
        self.rules: dict[str, dict[str, Any]] = {}
        self.element_of: dict[str, str] = {}
        self.attributes: set[str] = set()
        self.counter = itertools.count()

    def node(self, node: cond.Node) -> dict[str, Any]:
        if isinstance(node, (cond.All, cond.Any_)):
            parts = [self.node(c) for c in node.children]
            if len(parts) == 1:
                return parts[0]
            return {"$and" if isinstance(node, cond.All) else "$or": parts}
        if isinstance(node, cond.AtLeast):
            key = f"{COUNT_PREFIX}{next(self.counter)}"
            for j, child in enumerate(node.children):
                rule = f"{key}_e{j}"
                self.rules[rule] = {"$and": [{PHASE: 1}, self.node(child)]}
                self.element_of[rule] = key
            return {"$gte": {key: node.k}}
        if isinstance(node, cond.Compare) and node.kind == "element":
            key = element_key(node.name)
            self.attributes.add(key)
            return {key: True}
        if isinstance(node, cond.Compare):
            self.attributes.add(FACT_PREFIX + node.name)
            return _compare(FACT_PREFIX + node.name, node.op, node.value)
        if isinstance(node, cond.Not):
            leaf = node.child
            self.attributes.add(FACT_PREFIX + leaf.name)
            return _negated(FACT_PREFIX + leaf.name, leaf.op, leaf.value)
        if isinstance(node, cond.Judgment):
            self.attributes.add(JUDGMENT_PREFIX + node.id)
            return {JUDGMENT_PREFIX + node.id: True}
        raise EngineError(f"无法编译的条件节点 {node!r}")


def element_key(criterion_id: str) -> str:
    return ELEMENT_PREFIX + re.sub(r"\W", "_", criterion_id)


def _attributes(criterion: Criterion) -> set[str]:
    keys = {FACT_PREFIX + f for f in cond.facts_of(criterion.condition)}
    keys |= {JUDGMENT_PREFIX + j.id for j in cond.judgments_of(criterion.condition)}
    keys |= {element_key(n.name) for n in cond.walk(criterion.condition)
             if isinstance(n, cond.Compare) and n.kind == "element"}
    return keys


def compile_standard(standard: Standard, scope: str = "finding") -> CompiledStandard:
    """The standard's criteria of one scope (finding: items and elements; site: site rules)
    as durable_rules ruleset definitions (plain data), in chunks that each read at most
    MAX_ATTRIBUTES answers."""
    criteria = standard.site_rules if scope == "site" else standard.finding_criteria
    groups: list[list[Criterion]] = []
    seen: set[str] = set()
    for criterion in criteria:
        keys = _attributes(criterion)
        if len(keys) > MAX_ATTRIBUTES:
            raise EngineError(f"{criterion.id} 读取 {len(keys)} 个事实，超过规则引擎单次可处理的 "
                              f"{MAX_ATTRIBUTES} 个")
        if not groups or len(seen | keys) > MAX_ATTRIBUTES:
            groups.append([])
            seen = set()
        groups[-1].append(criterion)
        seen |= keys
    compiled = CompiledStandard()
    for n, group in enumerate(groups):
        c = _Compiler()
        criterion_of: dict[str, str] = {}
        for i, criterion in enumerate(group):
            rule = f"c{i}"
            c.rules[rule] = {"$and": [{PHASE: 2}, c.node(criterion.condition)]}
            criterion_of[rule] = criterion.id
        digest = hashlib.sha256(json.dumps(c.rules, sort_keys=True, ensure_ascii=False).encode())
        name = f"hr_{standard.id.replace('-', '_')}_{scope}_{n}_{digest.hexdigest()[:12]}"
        compiled.chunks.append(CompiledChunk(name, c.rules, criterion_of, c.element_of,
                                             sorted(set(c.element_of.values())), c.attributes))
    return compiled


def _ignore(_c: Any) -> None:
    """The catch-all rule's action: nothing to record."""


class DurableAdapter:
    """A single long-lived durable_rules Host and the rulesets registered on it."""

    def __init__(self) -> None:
        from durable import engine

        self._engine = engine
        self._host = engine.Host()
        self._registered: set[str] = set()
        self._fired: dict[str, list[str]] = {}
        self._sids = itertools.count()

    def register(self, name: str, rules: dict[str, dict[str, Any]]) -> None:
        """Register a ruleset once; every rule records its own firing. Facts asserted on
        it must carry PHASE (the catch-all matches on it)."""
        if name in self._registered:
            return
        definition = {
            rule: {"all": [{"m": condition}], "run": self._action(rule)}
            for rule, condition in rules.items()
        }
        definition[CATCH_ALL] = {"all": [{"m": {"$gte": {PHASE: 0}}}], "run": _ignore}
        self._host.set_rulesets({name: definition})
        self._registered.add(name)

    def register_raw(self, name: str, definition: dict[str, Any]) -> None:
        """Register a hand-built definition (tests: failing actions)."""
        if name not in self._registered:
            self._host.set_rulesets({name: definition})
            self._registered.add(name)

    def _action(self, rule: str) -> Callable[[Any], None]:
        def run(c: Any) -> None:
            self._record(c.m["sid"], rule)

        return run

    def _record(self, sid: str, rule: str) -> None:
        self._fired.setdefault(sid, []).append(rule)

    def new_sid(self) -> str:
        return f"hr{next(self._sids)}"

    def assert_fact(self, name: str, fact: dict[str, Any]) -> list[str]:
        """Assert one fact under a fresh sid; the rules that fired. State is always deleted."""
        sid = fact.setdefault("sid", self.new_sid())
        fact.setdefault("id", f"{sid}-fact")
        self._fired[sid] = []
        asserted = False
        try:
            try:
                state = self._host.assert_fact(name, fact)
            except self._engine.MessageNotHandledException:
                state = None
            asserted = True
            if isinstance(state, dict) and state.get("exception"):
                raise EngineError(f"规则动作出错：{state['exception']}")
            return list(self._fired[sid])
        finally:
            self._fired.pop(sid, None)
            try:
                self._host.delete_state(name, sid)
            except Exception:
                if asserted:  # a state that was created must be deleted, or sids leak
                    raise
                # the assert itself failed before a state existed: its error propagates


class DurableEvaluator:
    name = "durable_rules 2.0.28（RETE）"

    def __init__(self) -> None:
        self.adapter = DurableAdapter()
        self._compiled: dict[tuple[int, str], tuple[Standard, CompiledStandard]] = {}

    def compiled(self, standard: Standard, scope: str = "finding") -> CompiledStandard:
        # Keyed by object identity; the cache keeps the standard alive so that its id() is
        # never reused by another standard while the entry exists.
        key = (id(standard), scope)
        cached = self._compiled.get(key)
        if cached is None or cached[0] is not standard:
            compiled = compile_standard(standard, scope)
            for chunk in compiled.chunks:
                self.adapter.register(chunk.name, chunk.rules)
            cached = self._compiled[key] = (standard, compiled)
        return cached[1]

    def met(self, standard: Standard, facts: dict[str, Any], judgments: dict[str, bool],
            elements: dict[str, Any] | None = None) -> set[str]:
        """Criteria met; with `elements` (element id → True/False/unknown), the site rules."""
        scope = "site" if elements is not None else "finding"
        if not (standard.site_rules if scope == "site" else standard.finding_criteria):
            return set()
        # Only answered facts: unknown and 不适用 are absent, never a value to test.
        event: dict[str, Any] = {FACT_PREFIX + k: _value(v) for k, v in facts.items()
                                 if v is not cond.UNKNOWN and v is not cond.NOT_APPLICABLE}
        event.update({JUDGMENT_PREFIX + k: bool(v) for k, v in judgments.items()})
        event.update({element_key(k): True for k, v in (elements or {}).items() if v is True})
        met: set[str] = set()
        for chunk in self.compiled(standard, scope).chunks:
            # Each chunk sees only the answers its rules read; a chunk none of whose
            # answers is given cannot fire (every test needs its attribute present).
            own = {k: v for k, v in event.items() if k in chunk.attributes}
            if not own:
                continue
            if chunk.has_counting:
                fired = self.adapter.assert_fact(chunk.name, {**own, PHASE: 1})
                counts = dict.fromkeys(chunk.counts, 0)
                for rule in set(fired):  # an $or rule fires once per disjunct that holds
                    if rule in chunk.element_of:
                        counts[chunk.element_of[rule]] += 1
                own.update(counts)
            fired = self.adapter.assert_fact(chunk.name, {**own, PHASE: 2})
            met |= {chunk.criterion_of[r] for r in fired if r in chunk.criterion_of}
        return met
