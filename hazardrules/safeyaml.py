"""Bounded, position-aware loading of YAML and JSON documents.

Only safe construction is used; documents over MAX_BYTES or with more than MAX_ALIASES
aliases (the "billion laughs" shape) are refused. Timestamps are not resolved, so a date
stays the string the user wrote and the JSON Schema sees the same types for YAML and JSON.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError

MAX_BYTES = 5 * 1024 * 1024
MAX_ALIASES = 100
MAX_DEPTH = 64

Positions = dict[tuple, int]


class LazyPositions(dict):
    """Line numbers computed only when an error message needs one (they cost as much as a
    second parse, and valid input never needs them)."""

    def __init__(self, compute):
        super().__init__()
        self._compute = compute
        self._filled = False

    def _fill(self) -> None:
        if not self._filled:
            self._filled = True
            super().update(self._compute())

    def __contains__(self, key):
        self._fill()
        return super().__contains__(key)

    def __getitem__(self, key):
        self._fill()
        return super().__getitem__(key)

    def get(self, key, default=None):
        self._fill()
        return super().get(key, default)

    def items(self):
        self._fill()
        return super().items()

    def keys(self):
        self._fill()
        return super().keys()

    def __iter__(self):
        self._fill()
        return super().__iter__()

    def __len__(self):
        self._fill()
        return super().__len__()


class _Loader(yaml.SafeLoader):
    """SafeLoader without timestamp resolution and with an alias budget."""

    def __init__(self, stream):
        super().__init__(stream)
        self.alias_count = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self.alias_count += 1
            if self.alias_count > MAX_ALIASES:
                mark = self.peek_event().start_mark
                raise InputError(
                    f"YAML 别名（alias）超过 {MAX_ALIASES} 个，为防止恶意展开已拒绝读取",
                    position=f"第 {mark.line + 1} 行",
                )
        return super().compose_node(parent, index)


_RESOLVERS = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.yaml_implicit_resolvers = _RESOLVERS

# libyaml (when PyYAML was built with it) parses about ten times faster. Its composer runs
# in C, so the alias budget is enforced by counting alias events before composing.
_CLoader: type | None = None
if hasattr(yaml, "CSafeLoader"):

    class _CLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        pass

    _CLoader.yaml_implicit_resolvers = _RESOLVERS


def _count_aliases(text: str, name: str) -> None:
    count = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.AliasEvent):
            count += 1
            if count > MAX_ALIASES:
                raise InputError(f"YAML 别名（alias）超过 {MAX_ALIASES} 个，为防止恶意展开已拒绝读取",
                                 file=name, position=f"第 {event.start_mark.line + 1} 行")


def read_bytes(path: Path) -> bytes:
    """The whole file, within MAX_BYTES; the input is only ever read."""
    name = str(path)
    if not path.exists():
        raise InputError("文件不存在", file=name)
    if path.is_dir():
        raise InputError("这是一个目录，不是文件", file=name)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(f"文件过大（{size} 字节），上限为 {MAX_BYTES} 字节", file=name)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror or exc}", file=name) from None
    if len(raw) > MAX_BYTES:  # grew while we looked
        raise InputError(f"文件过大，上限为 {MAX_BYTES} 字节", file=name)
    if not raw.strip():
        raise InputError("文件为空", file=name)
    return raw


def read_text(path: Path) -> str:
    """Read a UTF-8 (optionally BOM-prefixed) text file within the size limit."""
    name = str(path)
    raw = read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"文件不是 UTF-8 编码（第 {exc.start} 字节处无法解码）；请另存为 UTF-8",
            file=name,
        ) from None
    if not text.strip():
        raise InputError("文件为空", file=name)
    return text


MAX_NODES = 1_000_000  # nodes once aliases are expanded (bounds work and memory)


def _depth_ok(node: yaml.Node, depth: int = 0, memo: dict | None = None) -> int:
    """Depth and size of the document as aliases would expand it, each shared node walked
    once: nine levels of eleven aliases stay under the alias budget but expand to 11^9 nodes."""
    memo = {} if memo is None else memo
    if id(node) in memo:
        size, height = memo[id(node)]
    else:
        memo[id(node)] = (1, 0)  # a node reached again while being walked (a cycle)
        if isinstance(node, yaml.MappingNode):
            children = [value for _key, value in node.value]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        else:
            children = []
        size, height = 1, 0
        for child in children:
            size += _depth_ok(child, depth + 1, memo)
            height = max(height, 1 + memo[id(child)][1])
        memo[id(node)] = (size, height)
    where = f"第 {node.start_mark.line + 1} 行"
    if depth + height > MAX_DEPTH:
        raise InputError(f"嵌套层级超过 {MAX_DEPTH} 层", position=where)
    if size > MAX_NODES:
        raise InputError(f"YAML 别名展开后超过 {MAX_NODES} 个节点，为防止恶意展开已拒绝读取", position=where)
    return size


def _positions(node: yaml.Node, path: tuple, out: Positions, seen: set[int]) -> None:
    out[path] = node.start_mark.line + 1
    if id(node) in seen:  # aliases point at a node already mapped
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                _positions(value, path + (key.value,), out, seen)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _positions(item, path + (i,), out, seen)


def parse_yaml(text: str, name: str) -> tuple[Any, Positions]:
    """Parse one YAML (or JSON) document; returns the data and a path → line map."""
    try:
        if _CLoader is not None:
            try:
                _count_aliases(text, name)
            except yaml.MarkedYAMLError:
                pass  # the composing parser below reports it with its position
            loader = _CLoader(text)
        else:
            loader = _Loader(text)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        line = text[:exc.position].count("\n") + 1
        raise InputError(f"YAML 格式错误：含有不允许的控制字符 #x{exc.character:04x}" if isinstance(
            exc.character, int) else f"YAML 格式错误：{exc.reason}", file=name, position=f"第 {line} 行") from None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML 格式错误：{exc}", file=name) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError("文件为空", file=name)
        _depth_ok(node)
        data = loader.construct_document(node)
    except InputError as exc:
        exc.file = name
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else None
        raise InputError(f"YAML 格式错误：{exc.problem or exc}", file=name, position=pos) from None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML 格式错误：{exc}", file=name) from None
    except RecursionError:
        raise InputError(f"嵌套层级超过 {MAX_DEPTH} 层", file=name) from None
    finally:
        loader.dispose()
    def compute() -> Positions:
        positions: Positions = {}
        _positions(node, (), positions, set())
        return positions

    return data, LazyPositions(compute)


def parse_json(text: str, name: str) -> tuple[Any, Positions]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"JSON 格式错误：{exc.msg}", file=name, position=f"第 {exc.lineno} 行第 {exc.colno} 列"
        ) from None
    except RecursionError:
        raise InputError(f"嵌套层级超过 {MAX_DEPTH} 层", file=name) from None
    def compute() -> Positions:
        try:  # JSON is (nearly) YAML: reuse the composer for line numbers when it copes
            return dict(parse_yaml(text, name)[1])
        except InputError:
            return {}

    return data, LazyPositions(compute)


def load_document(path: Path) -> tuple[Any, Positions]:
    """Load a .yaml/.yml/.json file; returns data and positions."""
    text = read_text(path)
    if path.suffix.lower() == ".json":
        return parse_json(text, str(path))
    return parse_yaml(text, str(path))


def line_of(positions: Positions, path: tuple) -> int | None:
    """The line of the deepest known prefix of `path`."""
    path = tuple(path)
    while True:
        if path in positions:
            return positions[path]
        if not path:
            return None
        path = path[:-1]


def describe_path(path: tuple) -> str:
    """A key path as a user reads it: findings[2].facts.x"""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "（文档根）"


def position(positions: Positions, path: tuple) -> str:
    line = line_of(positions, path)
    where = describe_path(tuple(path))
    return f"第 {line} 行，{where}" if line else where
