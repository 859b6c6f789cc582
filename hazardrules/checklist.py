"""Reading a checklist (检查表) file: schema, references, typed answers, dates.

Answers are typed here against the fact vocabulary, so the judge and the rules engine only
ever see clean values; every refusal names the file and the line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import schemas, uscc
from .answers import AnswerError, coerce
from .catalog import Catalog
from .errors import InputError
from .safeyaml import Positions, load_document, parse_json, parse_yaml, position

SUFFIXES = (".yaml", ".yml", ".json")
SUBJECT_NAMES = {"site": "场所", "project": "项目", "equipment": "设备"}


@dataclass
class Enterprise:
    name: str
    sectors: list[str]
    industries: list[str]
    features: list[str]
    uscc: str | None = None
    other_key: str | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    penalties: list[dict[str, Any]] = field(default_factory=list)  # dates parsed

    @property
    def key(self) -> str:
        return self.uscc or f"other:{self.other_key}"

    def attrs(self) -> dict[str, Any]:
        """The profile as `attr: enterprise.*` conditions see it."""
        return {
            "enterprise.sector": self.sectors,
            "enterprise.industries": self.industries,
            "enterprise.features": self.features,
        }


@dataclass
class Finding:
    id: str
    facts: dict[str, Any]  # typed answers, canonical fact ids
    raw: dict[str, Any]
    observed_on: dt.date
    description: str | None = None
    location: str | None = None
    subject: dict[str, str] = field(default_factory=dict)
    judgments: dict[str, dict[str, Any]] = field(default_factory=dict)
    claimed_criterion: str | None = None
    generated: bool = False  # made from a filled-in question list
    path: tuple = ()  # where it stands in the file, for messages
    situation: dict[str, Any] = field(default_factory=dict)
    reported: dict[str, dt.date] = field(default_factory=dict)
    rectification: dict[str, Any] = field(default_factory=dict)


@dataclass
class Checklist:
    source: str
    enterprise: Enterprise
    inspection: dict[str, Any]
    inspection_date: dt.date
    findings: list[Finding]
    answers: dict[str, Any]  # question-list answers (finding scope), typed
    raw: dict[str, Any]
    positions: Positions = field(default_factory=dict)
    base: tuple = ()  # the checklist's path inside a case file
    site_answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    site_judgments: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    def subject_attrs(self, finding: Finding) -> dict[str, Any]:
        """What `attr: subject.*` conditions see: the place, equipment or project a finding
        is about. Absent (unknown) when the finding names no subject."""
        subject = finding.subject
        if "site" in subject:
            site = _by_id(self.raw.get("sites", []), subject["site"])
            return {"subject.kind": "site", "subject.place_types": site.get("place_types", [])}
        if "equipment" in subject:
            item = _by_id(self.raw.get("equipment", []), subject["equipment"])
            out = {"subject.kind": "equipment", "subject.equipment_category": item["category"]}
            if "sub_type" in item:
                out["subject.equipment_sub_type"] = item["sub_type"]
            return out
        if "project" in subject:
            return {"subject.kind": "project"}
        return {}

    def facts_for(self, finding: Finding) -> dict[str, Any]:
        """Answers a finding is judged on: the enterprise's, its site's, then its own."""
        site = self.site_answers.get(finding.subject.get("site", ""), {})
        return {**self.enterprise.answers, **site, **finding.facts}

    def judgments_for(self, finding: Finding) -> dict[str, dict[str, Any]]:
        site = self.site_judgments.get(finding.subject.get("site", ""), {})
        return {**site, **finding.judgments}

    def attrs(self, finding: Finding) -> dict[str, Any]:
        return {**self.enterprise.attrs(), **self.subject_attrs(finding)}


def _by_id(items: list[dict[str, Any]], key: str) -> dict[str, Any]:
    return next(i for i in items if i["id"] == key)


def _date(text: str, file: str, pos: Positions, path: tuple) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"日期“{text}”不存在或写法不对（应为 YYYY-MM-DD）", file=file,
                         position=position(pos, path)) from None


def _answers(catalog: Catalog, raw: dict[str, Any], file: str, pos: Positions, path: tuple,
             scope: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for fact_id, value in raw.items():
        here = path + (fact_id,)
        fact = catalog.fact(fact_id)
        if fact is None:
            raise InputError(f"未知的检查项（事实编号）“{fact_id}”", file=file,
                             position=position(pos, here))
        if scope is not None and fact.scope != scope:
            where = "enterprise.answers" if fact.scope == "enterprise" else "findings[].facts 或 answers"
            raise InputError(f"检查项“{fact_id}”应填写在 {where} 中", file=file,
                             position=position(pos, here))
        if fact.id in out:
            raise InputError(f"检查项“{fact_id}”重复（别名与新编号同时出现）", file=file,
                             position=position(pos, here))
        try:
            out[fact.id] = coerce(fact, value)
        except AnswerError as exc:
            raise InputError(f"检查项“{fact_id}”（{fact.question}）：{exc}", file=file,
                             position=position(pos, here)) from None
    return out


def _situation(raw: dict[str, Any], file: str, pos: Positions, path: tuple) -> dict[str, Any]:
    out = dict(raw)
    if "order" in raw:
        out["order"] = {k: (_date(v, file, pos, path + ("order", k)) if k in ("given_on", "deadline") else v)
                        for k, v in raw["order"].items()}
    return out


def parse_checklist(data: Any, catalog: Catalog, file: str, pos: Positions) -> Checklist:
    schemas.check("checklist", data, file, pos)
    ent = data["enterprise"]
    if "uscc" in ent:
        problem = uscc.problem(ent["uscc"])
        if problem:
            raise InputError(problem, file=file, position=position(pos, ("enterprise", "uscc")))
    sectors = [ent["sector"]] if isinstance(ent["sector"], str) else list(ent["sector"])
    enterprise = Enterprise(
        name=ent["name"],
        sectors=sectors,
        industries=list(ent.get("industries", [])),
        features=list(ent.get("features", [])),
        uscc=ent.get("uscc"),
        other_key=ent.get("other_key"),
        answers=_answers(catalog, ent.get("answers", {}), file, pos, ("enterprise", "answers"),
                         "enterprise"),
        penalties=[{**p, "date": _date(p["date"], file, pos, ("enterprise", "penalties", i, "date"))}
                   for i, p in enumerate(ent.get("penalties", []))],
    )
    inspection = data["inspection"]
    day = _date(inspection["date"], file, pos, ("inspection", "date"))
    answers = _answers(catalog, data.get("answers", {}), file, pos, ("answers",), "finding")
    subjects = {
        "site": {s["id"] for s in data.get("sites", [])},
        "project": {p["id"] for p in data.get("projects", [])},
        "equipment": {e["id"] for e in data.get("equipment", [])},
    }
    findings: list[Finding] = []
    seen: set[str] = set()
    for i, f in enumerate(data.get("findings", [])):
        here = ("findings", i)
        if f["id"] in seen:
            raise InputError(f"检查发现编号重复：{f['id']}", file=file,
                             position=position(pos, here + ("id",)))
        seen.add(f["id"])
        for kind, ref in f.get("subject", {}).items():
            if ref not in subjects[kind]:
                raise InputError(f"subject 指向不存在的{SUBJECT_NAMES[kind]}“{ref}”",
                                 file=file, position=position(pos, here + ("subject", kind)))
        claimed = f.get("claimed_criterion")
        if claimed is not None and claimed not in catalog.criteria:
            raise InputError(f"未知的判定条款编号“{claimed}”（可用 hazardrules criteria list 查询）",
                             file=file, position=position(pos, here + ("claimed_criterion",)))
        observed = _date(f["observed_on"], file, pos, here + ("observed_on",)) \
            if "observed_on" in f else day
        findings.append(Finding(
            id=f["id"],
            facts=_answers(catalog, f.get("facts", {}), file, pos, here + ("facts",), None),
            raw=f,
            observed_on=observed,
            description=f.get("description"),
            location=f.get("location"),
            subject=dict(f.get("subject", {})),
            judgments=dict(f.get("judgments", {})),
            claimed_criterion=claimed,
            path=here,
            situation=_situation(f.get("situation", {}), file, pos, here + ("situation",)),
            reported={k: _date(v, file, pos, here + ("reported", k))
                      for k, v in f.get("reported", {}).items()},
            rectification={k: (_date(v, file, pos, here + ("rectification", k)) if k == "deadline" else v)
                           for k, v in f.get("rectification", {}).items()},
        ))
    site_answers = {site["id"]: _answers(catalog, site.get("answers", {}), file, pos,
                                         ("sites", i, "answers"), None)
                    for i, site in enumerate(data.get("sites", []))}
    site_judgments = {site["id"]: dict(site.get("judgments", {})) for site in data.get("sites", [])}
    return Checklist(file, enterprise, inspection, day, findings, answers, data, pos,
                     site_answers=site_answers, site_judgments=site_judgments)


def load_checklist(path: Path | str, catalog: Catalog) -> Checklist:
    """A checklist file, or a case file (its `checklist:` part)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".xlsx"):  # tables as people keep them (hazardrules.io, README, 表格检查表)
        from .io import load_table

        return load_table(path, catalog)
    if suffix in (".xls", ".xlsm", ".et", ".ods", ".numbers"):
        raise InputError(f"不能直接读取 {suffix} 文件；请在表格软件中另存为“Excel 工作簿（.xlsx）”或 CSV",
                         file=str(path))
    if suffix not in SUFFIXES:
        raise InputError(f"不支持的文件类型“{path.suffix or '（无扩展名）'}”，"
                         "请使用 .yaml、.yml、.json、.csv 或 .xlsx", file=str(path))
    data, pos = load_document(path)
    return checklist_from_document(data, pos, catalog, str(path))


def checklist_from_document(data: Any, pos: Positions, catalog: Catalog, name: str) -> Checklist:
    if isinstance(data, dict) and "case" in data and "checklist" in data:
        inner = {k[1:]: v for k, v in pos.items() if k[:1] == ("checklist",)}
        checklist = parse_checklist(data["checklist"], catalog, name, inner)
        checklist.positions = {("checklist",) + k: v for k, v in inner.items()}
        checklist.base = ("checklist",)
        return checklist
    return parse_checklist(data, catalog, name, pos)


def parse_checklist_text(text: str, catalog: Catalog, name: str = "<输入>") -> Checklist:
    data, pos = parse_json(text, name) if text.lstrip().startswith("{") else parse_yaml(text, name)
    return parse_checklist(data, catalog, name, pos)
