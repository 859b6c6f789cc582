"""The industry vocabulary the matcher uses beside the criteria texts, read from
criteria/registry/synonyms.yaml (the catalog loader skips criteria/registry/):

    groups:   lists of interchangeable words, canonical first (泄爆, 防爆片, 泄压 …)
    criteria: extra words per criterion (shop-floor names its text does not use)
    exclude:  words that point away from a criterion (叉车 for 特种作业人员: a forklift
              driver is a special-equipment operator, not a special-operations worker)
    generic:  words every safety text uses (安全生产, 人员, 设置 …): their n-grams count little

Tuned on tests/textmatch/dev-set.yaml only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DataError
from ..safeyaml import Positions, load_document, position

FILE = Path("registry") / "synonyms.yaml"


@dataclass(frozen=True)
class Vocabulary:
    groups: list[list[str]] = field(default_factory=list)
    extra: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: dict[str, tuple[str, ...]] = field(default_factory=dict)
    generic: tuple[str, ...] = ()

    def unknown_criteria(self, known: set[str]) -> list[str]:
        """Criterion ids the file names that the catalog does not have (a rename to follow)."""
        return sorted((set(self.extra) | set(self.exclude)) - known)


def load_vocabulary(criteria_root: Path) -> Vocabulary:
    """The vocabulary shipped beside the criteria; empty when the file does not exist."""
    path = criteria_root / FILE
    if not path.is_file():
        return Vocabulary()
    data, pos = load_document(path)
    return parse_vocabulary(data, str(path), pos)


def _words(value: Any, name: str, pos: Positions, where: tuple) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise DataError("应为非空的词语列表", file=name, position=position(pos, where))
    for i, word in enumerate(value):
        if not isinstance(word, str) or not word.strip():
            raise DataError("词语应为非空字符串", file=name, position=position(pos, where + (i,)))
    return tuple(w.strip() for w in value)


def _per_criterion(data: dict[str, Any], key: str, name: str, pos: Positions) -> dict[str, tuple[str, ...]]:
    section = data.get(key, {}) or {}
    if not isinstance(section, dict):
        raise DataError(f"{key} 应为“条款编号: [词语…]”的映射", file=name, position=position(pos, (key,)))
    return {str(cid): _words(words, name, pos, (key, cid)) for cid, words in section.items()}


def parse_vocabulary(data: Any, name: str, pos: Positions) -> Vocabulary:
    if not isinstance(data, dict) or data.get("schema_version") != 1:
        raise DataError("同义词文件应为映射，且 schema_version 为 1", file=name)
    unknown = set(data) - {"schema_version", "groups", "criteria", "exclude", "generic"}
    if unknown:
        raise DataError(f"未知的键：{'、'.join(sorted(map(str, unknown)))}", file=name)
    groups: list[list[str]] = []
    seen: dict[str, int] = {}
    raw_groups = data.get("groups", []) or []
    if not isinstance(raw_groups, list):
        raise DataError("groups 应为词组列表", file=name, position=position(pos, ("groups",)))
    for i, group in enumerate(raw_groups):
        words = _words(group, name, pos, ("groups", i))
        if len(words) < 2:
            raise DataError("同义词组至少要有两个词", file=name, position=position(pos, ("groups", i)))
        for word in words:
            if word in seen and seen[word] != i:
                raise DataError(f"“{word}”同时出现在两个同义词组中（第 {seen[word] + 1} 组）", file=name,
                                position=position(pos, ("groups", i)))
            seen[word] = i
        groups.append(list(words))
    generic = _words(data["generic"], name, pos, ("generic",)) if data.get("generic") else ()
    return Vocabulary(groups, _per_criterion(data, "criteria", name, pos),
                      _per_criterion(data, "exclude", name, pos), generic)
