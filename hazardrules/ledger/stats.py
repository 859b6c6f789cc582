"""The figures district and town progress reports use (周调度 / 月调度 / 总结), from the ledger.

Counting rules (each figure says what it counts, so a reader can redo it by hand):
- 排查企业 N 家 / 检查 n 次: enterprises and inspections with an inspection date in the period.
- 一般隐患 X 项 已整改 Y 项, 重大事故隐患 Z 项 已整改 W 项: hazards found in the period, at
  their level and status on the end day (a reclassified hazard counts at its new level);
  已整改 means 已整改, 已验收 or 销号. Withdrawn (已撤销) and unclassified (待判定) hazards are
  counted apart and not in X or Z.
- 整改率 = (Y + W) / (X + Z).
- 挂牌督办: major hazards found in the period under 挂牌督办 on the end day.
- 行政处罚 n 次, 罚没款: penalty records decided in the period (one per sanctioned party) and
  their amounts; 一案双罚 起: decisions (same decision number, or without one the same
  enterprise and day) that sanction both the unit and a person.
- 责令停产停业 家: enterprises an authority ordered, in the period, to suspend production or
  use (ledger suspend, or an order in a recorded checklist), or penalised with 停产停业整顿.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from . import lifecycle as lc

if TYPE_CHECKING:
    from .ledger import Hazard, Ledger, Penalty

GROUPINGS = ("sector", "standard", "enterprise", "month", "kind")
GROUP_TEXT = {"sector": "行业领域", "standard": "判定标准", "enterprise": "企业", "month": "月份", "kind": "检查方式"}
SUSPENSION_PENALTY = "停产停业整顿"


@dataclass
class Figures:
    enterprises: int = 0
    inspections: int = 0
    general: int = 0
    general_rectified: int = 0
    major: int = 0
    major_rectified: int = 0
    major_in_progress: int = 0  # 整改中
    major_closed: int = 0  # 销号
    supervised: int = 0
    supervised_closed: int = 0
    overdue: int = 0
    undetermined: int = 0
    withdrawn: int = 0
    rate: float | None = None  # 整改率, 0–1
    penalties: int | None = 0
    fines: float | None = 0.0  # yuan
    dual_penalties: int | None = 0
    suspended_enterprises: int | None = 0

    @property
    def major_open(self) -> int:
        return self.major - self.major_rectified

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "major_open": self.major_open}


@dataclass
class Stats:
    start: str | None
    end: str
    by: str | None
    figures: Figures
    groups: list[tuple[str, Figures]] = field(default_factory=list)
    majors: list[dict[str, Any]] = field(default_factory=list)  # 重大事故隐患清单
    overdue: list[dict[str, Any]] = field(default_factory=list)  # 逾期未整改

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.start, "to": self.end, "by": self.by, "figures": self.figures.to_dict(),
                "groups": [{"group": name, **f.to_dict()} for name, f in self.groups],
                "majors": self.majors, "overdue": self.overdue}


@dataclass
class _Data:
    hazards: list[tuple[Hazard, dict[str, Any]]]  # with the state on the end day
    inspections: list[dict[str, Any]] | None
    penalties: list[Penalty] | None
    suspensions: list[dict[str, Any]] | None


def compute(ledger: Ledger, start: str | None, end: str, by: str | None) -> Stats:
    if by is not None and by not in GROUPINGS:
        from ..errors import InputError

        raise InputError(f"未知的分组“{by}”；可用：{'、'.join(GROUPINGS)}", position="--by")
    states = ledger.states_on(end, found_from=start, found_to=end)
    hazards = [(h, states[h.id]) for h in ledger.hazards(found_from=start, found_to=end) if h.id in states]
    data = _Data(hazards, ledger.inspections(start, end), ledger.penalties(start=start, end=end),
                 ledger.suspension_orders(start, end))
    stats = Stats(start, end, by, summarise(data, end))
    if by is not None:
        standards = ledger.standards_of(start, end) if by == "standard" else {}
        stats.groups = [(name, summarise(part, end)) for name, part in _partition(data, by, standards)]
    stats.majors = [_row(h, s, end) for h, s in hazards if s["level"] == lc.MAJOR and s["status"] != lc.WITHDRAWN]
    stats.overdue = [_row(h, s, end) for h, s in hazards if lc.overdue(s, end)]
    return stats


def summarise(data: _Data, end: str) -> Figures:
    f = Figures()
    for _hazard, s in data.hazards:
        level, status = s["level"], s["status"]
        if status == lc.WITHDRAWN:
            f.withdrawn += 1
            continue
        if level == lc.UNDETERMINED:
            f.undetermined += 1
            continue
        done = status in lc.DONE
        if level == lc.GENERAL:
            f.general += 1
            f.general_rectified += done
        else:
            f.major += 1
            f.major_rectified += done
            f.major_in_progress += status == lc.IN_PROGRESS
            f.major_closed += status == lc.CLOSED
            if s.get("supervised_by"):
                f.supervised += 1
                f.supervised_closed += status == lc.CLOSED
        f.overdue += lc.overdue(s, end)
    found = f.general + f.major
    f.rate = (f.general_rectified + f.major_rectified) / found if found else None
    if data.inspections is None:  # a grouping inspections do not divide into (by standard)
        f.enterprises = len({h.enterprise_key for h, _ in data.hazards})
        f.inspections = len({h.inspection_id for h, _ in data.hazards})
    else:
        f.enterprises = len({i["enterprise_key"] for i in data.inspections})
        f.inspections = len(data.inspections)
    if data.penalties is None:
        f.penalties = f.fines = f.dual_penalties = f.suspended_enterprises = None
        return f
    f.penalties = len(data.penalties)
    f.fines = sum(p.amount or 0 for p in data.penalties)
    cases: dict[tuple[str, ...], set[str]] = {}
    for p in data.penalties:
        case = (p.enterprise_key, p.decision) if p.decision else (p.enterprise_key, "", p.decided_on)
        cases.setdefault(case, set()).add("unit" if p.on == "unit" else "person")
    f.dual_penalties = sum(1 for parties in cases.values() if parties == {"unit", "person"})
    suspended = {o["enterprise_key"] for o in data.suspensions or []}
    suspended |= {p.enterprise_key for p in data.penalties if SUSPENSION_PENALTY in p.measure}
    f.suspended_enterprises = len(suspended)
    return f


def _partition(data: _Data, by: str, standards: dict[int, list[str]]) -> list[tuple[str, _Data]]:
    """Split the data by group; a hazard in several groups (an enterprise in two sectors, a
    finding judged under two standards) counts in each."""
    names: dict[str, str] = {}

    def keys_of_hazard(h: Hazard) -> list[str]:
        if by == "sector":
            return h.sectors or ["（未注明）"]
        if by == "standard":
            return standards.get(h.id) or ["（无适用标准）"]
        if by == "enterprise":
            names[h.enterprise_key] = h.enterprise_name
            return [h.enterprise_key]
        if by == "month":
            return [h.inspection_date[:7]]
        return [h.inspection_kind]

    def keys_of_inspection(i: dict[str, Any]) -> list[str]:
        if by == "sector":
            return i["sectors"] or ["（未注明）"]
        if by == "enterprise":
            names[i["enterprise_key"]] = i["enterprise_name"]
            return [i["enterprise_key"]]
        if by == "month":
            return [i["date"][:7]]
        return [i["kind"]]

    sectors: dict[str, list[str]] = {}
    for i in data.inspections or []:
        sectors.setdefault(i["enterprise_key"], [])
        sectors[i["enterprise_key"]] += [s for s in i["sectors"] if s not in sectors[i["enterprise_key"]]]

    def keys_by_enterprise(key: str, day: str) -> list[str] | None:
        if by == "enterprise":
            return [key]
        if by == "month":
            return [day[:7]]
        if by == "sector":
            return sectors.get(key) or ["（未注明）"]
        return None  # penalties are not split by inspection kind or by standard

    groups: dict[str, _Data] = {}
    applies = by not in ("standard",)
    counts_penalties = by not in ("standard", "kind")

    def group(name: str) -> _Data:
        return groups.setdefault(name, _Data([], [] if applies else None, [] if counts_penalties else None,
                                              [] if counts_penalties else None))

    for h, s in data.hazards:
        for name in keys_of_hazard(h):
            group(name).hazards.append((h, s))
    if applies:
        for i in data.inspections or []:
            for name in keys_of_inspection(i):
                group(name).inspections.append(i)
    if counts_penalties:
        for p in data.penalties or []:
            for name in keys_by_enterprise(p.enterprise_key, p.decided_on) or []:
                group(name).penalties.append(p)
        for o in data.suspensions or []:
            for name in keys_by_enterprise(o["enterprise_key"], o["on"]) or []:
                group(name).suspensions.append(o)
    label: Callable[[str], str] = (lambda k: f"{names.get(k, k)}（{_key_text(k)}）") if by == "enterprise" \
        else (lambda k: k)
    return [(label(k), groups[k]) for k in sorted(groups)]


def _key_text(key: str) -> str:
    return key[len("other:"):] if key.startswith("other:") else key


def _row(h: Hazard, s: dict[str, Any], end: str) -> dict[str, Any]:
    suspension = s.get("suspension")
    return {
        "id": h.id,
        "enterprise": h.enterprise_name,
        "enterprise_key": _key_text(h.enterprise_key),
        "inspection_date": h.inspection_date,
        "inspection_kind": h.inspection_kind,
        "finding": h.ref,
        "description": h.description,
        "level": s["level"],
        "status": s["status"],
        "deadline": lc.due_date(s),
        "plan_complete": not lc.plan_problems(s.get("plan")),
        "supervised_by": s.get("supervised_by"),
        "suspension": suspension["kind"] if suspension else None,
        "overdue_days": (dt.date.fromisoformat(end) - dt.date.fromisoformat(lc.due_date(s))).days
        if lc.overdue(s, end) else 0,
    }


# --- text -------------------------------------------------------------------------------------


def wan(amount: float) -> str:
    """Yuan as 万元, the unit the reports use (332000 → 33.2)."""
    return f"{amount / 10000:.2f}".rstrip("0").rstrip(".")


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def render_text(stats: Stats) -> str:
    f = stats.figures
    period = f"{stats.start} 至 {stats.end}" if stats.start else f"截至 {stats.end}"
    lines = [
        f"隐患台账统计：{period} 排查发现的隐患，状态截至 {stats.end}",
        f"排查企业 {f.enterprises} 家（检查 {f.inspections} 次）。",
        f"一般隐患 {f.general} 项，已整改 {f.general_rectified} 项；"
        f"重大事故隐患 {f.major} 项，已整改 {f.major_rectified} 项（其中已销号 {f.major_closed} 项），"
        f"未整改 {f.major_open} 项（其中整改中 {f.major_in_progress} 项）；整改率 {percent(f.rate)}。",
        f"挂牌督办 {f.supervised} 项（已销号 {f.supervised_closed} 项）；逾期未整改 {f.overdue} 项；"
        f"待判定 {f.undetermined} 项；经专家论证撤销 {f.withdrawn} 项。",
        f"行政处罚 {f.penalties} 次，罚没款共计 {wan(f.fines or 0)} 万元，“一案双罚” {f.dual_penalties} 起；"
        f"责令停产停业或停止使用 {f.suspended_enterprises} 家。",
    ]
    if stats.groups:
        lines += ["", f"按{GROUP_TEXT[stats.by]}："]
        header = ["分组", "企业", "一般隐患", "已整改", "重大隐患", "已整改", "整改率", "挂牌督办", "行政处罚",
                  "罚没款（万元）"]
        rows = [[name, str(g.enterprises), str(g.general), str(g.general_rectified), str(g.major),
                 str(g.major_rectified), percent(g.rate), str(g.supervised),
                 "—" if g.penalties is None else str(g.penalties),
                 "—" if g.fines is None else wan(g.fines)] for name, g in stats.groups]
        lines += table(header, rows)
    return "\n".join(lines) + "\n"


def width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """Columns aligned for a terminal, Chinese characters counted as two columns wide."""
    widths = [max(width(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (w - width(c)) for c, w in zip(cells, widths, strict=True)).rstrip()

    return [line(header), *(line(r) for r in rows)]
