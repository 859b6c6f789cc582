"""Measuring the matcher on a labelled set (tests/textmatch/*.yaml): top-1 / top-3 accuracy
over candidates above the unmapped threshold, and whether the right unencoded standard is
named. `python -m hazardrules.textmatch.evaluate tests/textmatch/dev-set.yaml -v` while tuning.

An item expecting [] counts as a hit when it is reported unmapped. The candidates are ranked
only over the standards the set names (its `standards:`), so criteria other people add to
other standards cannot change the result.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..catalog import Catalog, load_catalog
from ..errors import InputError
from ..safeyaml import load_document
from .registry import governing
from .suggestions import registry_of, suggest

DAY = dt.date(2026, 3, 10)  # the day registry entries are checked against (fixed: results stay put)


@dataclass
class ItemResult:
    id: str
    text: str
    expect: list[str]
    got: list[tuple[str, float]]
    hit1: bool
    hit3: bool
    governing_expected: str | None
    governing_got: list[str]

    @property
    def governing_ok(self) -> bool:
        return self.governing_expected is None or self.governing_expected in self.governing_got


@dataclass
class Evaluation:
    items: list[ItemResult]

    def _share(self, items: list[ItemResult], attr: str) -> float:
        return sum(getattr(i, attr) for i in items) / len(items) if items else 1.0

    @property
    def top1(self) -> float:
        return self._share(self.items, "hit1")

    @property
    def top3(self) -> float:
        return self._share(self.items, "hit3")

    @property
    def matched(self) -> list[ItemResult]:
        return [i for i in self.items if i.expect]

    @property
    def unmatched(self) -> list[ItemResult]:
        return [i for i in self.items if not i.expect]

    @property
    def governing(self) -> float:
        return self._share([i for i in self.items if i.governing_expected], "governing_ok")

    def summary(self) -> str:
        m, u = self.matched, self.unmatched
        return (f"{len(self.items)} 条：top-1 {self.top1:.1%}，top-3 {self.top3:.1%}"
                f"（可对应 {len(m)} 条 top-1 {self._share(m, 'hit1'):.1%} top-3 {self._share(m, 'hit3'):.1%}；"
                f"不可对应 {len(u)} 条 正确报告未能对应 {self._share(u, 'hit1'):.1%}；"
                f"未收录标准指引 {self.governing:.1%}）")


def _attrs(profile: dict[str, Any] | None) -> dict[str, Any] | None:
    if profile is None:
        return None
    return {"enterprise.sector": ["工贸"], "enterprise.industries": list(profile.get("industries", [])),
            "enterprise.features": list(profile.get("features", []))}


def load_labelled(path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    data, _ = load_document(path)
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise InputError("标注集应含 standards 和 items", file=str(path))
    return list(data.get("standards", [])), data["items"]


def evaluate(catalog: Catalog, path: Path) -> Evaluation:
    standard_ids, items = load_labelled(path)
    unknown = [s for s in standard_ids if s not in catalog.standards]
    if unknown:
        raise InputError(f"标注集所用的标准未收录：{'、'.join(unknown)}", file=str(path))
    standards = [catalog.standards[s] for s in standard_ids]
    registry = registry_of(catalog)
    out = []
    for item in items:
        s = suggest(catalog, item["text"], standards, attrs=_attrs(item.get("profile")))
        got = [(c.criterion_id, c.score) for c in s.candidates]
        ids = [g[0] for g in got]
        expect = list(item.get("expect", []))
        if expect:
            hit1, hit3 = bool(ids) and ids[0] in expect, any(i in expect for i in ids[:3])
        else:
            hit1 = hit3 = s.unmapped
        found = [g.entry.id for g in governing(registry, item["text"], day=DAY)]
        out.append(ItemResult(item["id"], item["text"], expect, got, hit1, hit3, item.get("governing"), found))
    return Evaluation(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="在标注集上测量文本匹配的准确率")
    parser.add_argument("labelled", type=Path)
    parser.add_argument("-v", "--verbose", action="store_true", help="列出每条未命中的句子")
    parser.add_argument("--criteria", type=Path, default=None)
    args = parser.parse_args(argv)
    result = evaluate(load_catalog(args.criteria), args.labelled)
    if args.verbose:
        for i in result.items:
            if not (i.hit1 and i.governing_ok):
                got = "、".join(f"{c}({s:.1f})" for c, s in i.got) or "未能对应"
                mark = "top3" if i.hit3 else "MISS"
                print(f"{mark} {i.id} {i.text}\n     期望 {i.expect or '未能对应'} 得到 {got}"
                      + ("" if i.governing_ok else f"；标准指引期望 {i.governing_expected} 得到 {i.governing_got}"))
    print(result.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
