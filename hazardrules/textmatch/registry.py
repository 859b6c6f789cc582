"""The registry of national judgment standards that exist but are not encoded yet
(criteria/registry/national-standards.yaml), and which of them would govern a finding.

Used when a finding maps to no encoded clause: the user learns which standard to read
instead of only "未能对应". Matching is by keywords in the finding's text (strong ones count 1,
weak ones 0.5, an entry needs 1) or by the enterprise's sector.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..catalog import Catalog
from ..errors import DataError
from ..safeyaml import Positions, load_document, position
from .tokens import normalise

FILE = Path("registry") / "national-standards.yaml"
STATUSES = {"in_force": "现行有效", "repealed": "已废止或失效", "unknown": "现行状态待核实"}
WEAK = 0.5
NEEDED = 1.0


@dataclass(frozen=True)
class RegistryEntry:
    id: str
    title: str
    document: str | None
    issuer: str
    issued: dt.date | None
    effective: dt.date | None
    last_day: dt.date | None
    status: str
    status_note: str
    sectors: tuple[str, ...]
    keywords: tuple[str, ...]
    weak_keywords: tuple[str, ...]
    supplements: str | None
    encoded_as: tuple[str, ...]
    sources: tuple[dict[str, Any], ...]
    reference: str | None

    @property
    def name(self) -> str:
        return f"《{self.title}》" + (f"（{self.document}）" if self.document else "（文号未核实）")

    def governs_on(self, day: dt.date | None) -> bool:
        """In force on `day` as far as known; an unknown start date does not rule it out."""
        if self.status == "repealed" and self.last_day is None:
            return False
        if day is None:
            return self.status != "repealed"
        return (self.effective is None or self.effective <= day) and \
            (self.last_day is None or day <= self.last_day)

    def encoded_ids(self, catalog: Catalog) -> list[str]:
        """The catalog's standards that encode this entry (same title, or listed in encoded_as)."""
        title = normalise(self.title)
        return [s.id for s in catalog.standards.values() if normalise(s.title) == title or s.id in self.encoded_as]

    def describe(self) -> str:
        """One sentence for a report."""
        parts = [self.name, f"发布：{self.issuer}"]
        if self.effective:
            parts.append(f"{self.effective} 起施行")
        parts.append(STATUSES[self.status])
        return "，".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "document": self.document, "issuer": self.issuer,
                "effective": self.effective.isoformat() if self.effective else None,
                "status": self.status, "status_note": self.status_note}


@dataclass(frozen=True)
class Governing:
    entry: RegistryEntry
    score: float
    terms: tuple[str, ...]
    note: str | None = None  # how far it is encoded, when it is

    def describe(self) -> str:
        return self.entry.describe() + (f"；{self.note}" if self.note else "")


def load_registry(criteria_root: Path) -> list[RegistryEntry]:
    path = criteria_root / FILE
    if not path.is_file():
        return []
    data, pos = load_document(path)
    return parse_registry(data, str(path), pos)


_REQUIRED = ("id", "title", "document", "issuer", "issued", "effective", "last_day", "status",
             "status_note", "sectors", "keywords", "sources")
_OPTIONAL = ("weak_keywords", "supplements", "encoded_as", "reference")


def _date(value: Any, name: str, pos: Positions, where: tuple) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise DataError(f"日期“{value}”应写成 YYYY-MM-DD 或 null", file=name,
                        position=position(pos, where)) from None


def _strings(value: Any, name: str, pos: Positions, where: tuple) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DataError("应为字符串列表", file=name, position=position(pos, where))
    return tuple(value)


def parse_registry(data: Any, name: str, pos: Positions) -> list[RegistryEntry]:
    if not isinstance(data, dict) or data.get("schema_version") != 1 or \
            not isinstance(data.get("standards"), list):
        raise DataError("标准目录应为映射，含 schema_version: 1 和 standards 列表", file=name)
    out: list[RegistryEntry] = []
    ids: set[str] = set()
    for i, d in enumerate(data["standards"]):
        here = ("standards", i)
        if not isinstance(d, dict):
            raise DataError("每个条目应为映射", file=name, position=position(pos, here))
        missing = [k for k in _REQUIRED if k not in d]
        extra = [k for k in d if k not in _REQUIRED + _OPTIONAL]
        if missing or extra:
            problem = (f"缺少字段 {'、'.join(missing)}" if missing else "") + \
                ("；" if missing and extra else "") + (f"未知字段 {'、'.join(extra)}" if extra else "")
            raise DataError(problem, file=name, position=position(pos, here))
        if d["id"] in ids:
            raise DataError(f"条目编号重复：{d['id']}", file=name, position=position(pos, here + ("id",)))
        ids.add(d["id"])
        if d["status"] not in STATUSES:
            raise DataError(f"status 应为 {'、'.join(STATUSES)} 之一", file=name,
                            position=position(pos, here + ("status",)))
        if not isinstance(d["sources"], list) or not d["sources"]:
            raise DataError("须至少记录一个来源", file=name, position=position(pos, here + ("sources",)))
        for j, s in enumerate(d["sources"]):
            if not isinstance(s, dict) or not s.get("citation") or \
                    s.get("class") not in ("official", "secondary", "copy"):
                raise DataError("来源须有 citation 和 class（official / secondary / copy）", file=name,
                                position=position(pos, here + ("sources", j)))
        out.append(RegistryEntry(
            id=d["id"], title=d["title"], document=d["document"], issuer=d["issuer"],
            issued=_date(d["issued"], name, pos, here + ("issued",)),
            effective=_date(d["effective"], name, pos, here + ("effective",)),
            last_day=_date(d["last_day"], name, pos, here + ("last_day",)),
            status=d["status"], status_note=" ".join(str(d["status_note"]).split()),
            sectors=_strings(d["sectors"], name, pos, here + ("sectors",)),
            keywords=_strings(d["keywords"], name, pos, here + ("keywords",)),
            weak_keywords=_strings(d.get("weak_keywords"), name, pos, here + ("weak_keywords",)),
            supplements=d.get("supplements"),
            encoded_as=_strings(d.get("encoded_as"), name, pos, here + ("encoded_as",)),
            sources=tuple(d["sources"]), reference=d.get("reference"),
        ))
    for e in out:
        if e.supplements is not None and e.supplements not in ids:
            raise DataError(f"{e.id} 的 supplements 指向未知条目 {e.supplements}", file=name)
    return out


def governing(entries: list[RegistryEntry], text: str = "", sectors: tuple[str, ...] | list[str] = (),
              day: dt.date | None = None, catalog: Catalog | None = None,
              judged: set[str] | frozenset[str] = frozenset()) -> list[Governing]:
    """Registry entries that would govern a finding: by keywords in `text` or by the
    enterprise's `sectors`, in force on `day`. With `catalog`, an entry encoded as one of the
    `judged` standards (those the finding was already matched against) is left out; one
    encoded but not judged is kept and says so. A supplement follows the entry it completes.
    Best first."""
    norm = normalise(text)
    scored: dict[str, Governing] = {}
    notes: dict[str, str | None] = {}
    for e in entries:
        skip, notes[e.id] = _encoding(e, catalog, judged)
        if not e.governs_on(day) or skip:
            continue
        strong = [k for k in e.keywords if normalise(k) in norm]
        weak = [k for k in e.weak_keywords if normalise(k) in norm]
        by_sector = [s for s in e.sectors if s in sectors]
        score = len(strong) + WEAK * len(weak) + (NEEDED if by_sector else 0)
        if score >= NEEDED:
            scored[e.id] = Governing(e, score, tuple(by_sector + strong + weak), notes[e.id])
    for e in entries:  # supplements come with their parent
        if e.supplements in scored and e.id not in scored and e.governs_on(day) and \
                not _encoding(e, catalog, judged)[0]:
            parent = scored[e.supplements]
            scored[e.id] = Governing(e, parent.score - 0.01, parent.terms, notes[e.id])
    return sorted(scored.values(), key=lambda g: (-g.score, g.entry.id))


def _encoding(e: RegistryEntry, catalog: Catalog | None, judged) -> tuple[bool, str | None]:
    """(leave out?, note): left out once a fully encoded edition already judged the finding."""
    if catalog is None:
        return False, None
    ids = e.encoded_ids(catalog)
    if not ids:
        return False, None
    used = [catalog.standards[i] for i in ids if i in judged]
    if used and all(s.fully_encoded for s in used):
        return True, None
    if used:
        return False, "；".join(f"已收录 {len(s.items)}/{s.items_in_standard} 项，未收录的条款可能适用"
                               for s in used)
    return False, f"已收录为 {'、'.join(ids)}，但不在本检查表企业的适用范围内（请核对 enterprise.sector）"
