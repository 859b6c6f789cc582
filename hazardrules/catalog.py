"""Loading the criteria directory into a Catalog, with schema and cross-reference checks.

criteria/
  catalog.yaml                 data_as_of
  facts/*.yaml                 the shared fact vocabulary
  penalties/*.yaml             legal articles cited by criteria and penalty paths
  definitions/*.yaml           令第16号 第三条, the fallback definition of a major hazard
  <standard-id>/standard.yaml  one folder per standard and edition: its header…
  <standard-id>/*.yaml         …and its criteria, one file per article
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import conditions as cond
from . import schemas
from .errors import DataError, InputError
from .model import (
    DEVICE_STATES,
    Article,
    Criterion,
    Definition,
    Fact,
    PenaltyRef,
    Provision,
    Sanction,
    Source,
    Standard,
    parse_date,
)
from .safeyaml import Positions, load_document, position


def shipped_dir(folder: str, env: str) -> Path:
    """A folder the project ships (criteria/, cases/): $ENV, the wheel's copy inside the
    package (_folder), or the checkout's top-level folder."""
    chosen = os.environ.get(env)
    if chosen:
        return Path(chosen)
    packaged = Path(__file__).parent / f"_{folder}"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / folder


def default_criteria_dir() -> Path:
    return shipped_dir("criteria", "HAZARDRULES_CRITERIA")


@dataclass
class DataVersion:
    hash: str
    as_of: str

    def to_dict(self) -> dict[str, str]:
        return {"hash": self.hash, "as_of": self.as_of}


@dataclass
class Catalog:
    root: Path
    version: DataVersion
    standards: dict[str, Standard] = field(default_factory=dict)
    criteria: dict[str, Criterion] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    articles: dict[str, Article] = field(default_factory=dict)
    definition: Definition | None = None

    def fact(self, fact_id: str) -> Fact | None:
        return self.facts.get(self.aliases.get(fact_id, fact_id))

    def canonical_fact_id(self, fact_id: str) -> str:
        return self.aliases.get(fact_id, fact_id)



def _positions_error(exc: cond.ConditionError, file: str, positions: Positions, base: tuple):
    return DataError(str(exc), file=file, position=position(positions, base + exc.path))


def _sources(items: list[dict[str, Any]]) -> tuple[Source, ...]:
    return tuple(Source.from_dict(s) for s in items)


def _cache_dir() -> Path | None:
    if os.environ.get("HAZARDRULES_CACHE", "1") == "0":
        return None
    base = os.environ.get("HAZARDRULES_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
        "hazardrules")
    return Path(base)


def _code_fingerprint() -> str:
    """The modules whose classes a cached catalog holds: a change to them invalidates it."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for name in ("catalog.py", "model.py", "conditions.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:12]


def load_catalog(root: Path | str | None = None, cache: bool = True) -> Catalog:
    """Load and cross-check every criteria file below `root`.

    A checked catalog is cached (pickled) under the hash of the data files and of the code
    that defines it, so the command line does not re-parse and re-validate the law on every
    run; `cache=False` (as `hazardrules validate` does) always loads from the files.
    """
    root = Path(root) if root is not None else default_criteria_dir()
    if not root.is_dir():
        raise InputError("判定标准数据目录不存在", file=str(root))
    files = sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    cache_dir = _cache_dir() if cache else None
    cache_file = None
    if cache_dir is not None:
        cache_file = cache_dir / f"catalog-{digest.hexdigest()[:24]}-{_code_fingerprint()}.pickle"
        cached = _read_cache(cache_file)
        if cached is not None:
            cached.root = root
            return cached
    catalog = _load_files(root, files, digest)
    if cache_file is not None:
        _write_cache(cache_file, catalog)
    return catalog


def _read_cache(path: Path) -> Catalog | None:
    try:
        with path.open("rb") as handle:
            catalog = pickle.load(handle)
    except Exception:  # absent, stale or unreadable: load from the files instead
        return None
    return catalog if isinstance(catalog, Catalog) else None


def _write_cache(path: Path, catalog: Catalog) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            pickle.dump(catalog, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home is no reason to fail a check


def _load_files(root: Path, files: list[Path], digest) -> Catalog:
    catalog_file = root / "catalog.yaml"
    data, pos = load_document(catalog_file)
    schemas.check("catalog", data, str(catalog_file), pos)
    catalog = Catalog(root, DataVersion("sha256:" + digest.hexdigest()[:16], data["data_as_of"]))

    for path in files:
        rel = path.relative_to(root).parts
        if path == catalog_file:
            continue
        data, pos = load_document(path)
        name = str(path)
        if rel[0] in ("registry",):
            continue  # read by the modules that use it (e.g. the registry of other standards)
        if rel[0] == "facts":
            _load_facts(catalog, data, name, pos)
        elif rel[0] == "penalties":
            _load_articles(catalog, data, name, pos)
        elif rel[0] == "definitions":
            _load_definition(catalog, data, name, pos)
        elif path.name == "standard.yaml":
            _load_standard(catalog, data, name, pos)
    for path in files:  # criteria files after every header is known
        rel = path.relative_to(root).parts
        if rel[0] in ("facts", "penalties", "definitions", "registry") or path.name == "standard.yaml":
            continue
        if path == catalog_file:
            continue
        data, pos = load_document(path)
        _load_criteria(catalog, data, str(path), pos, path.relative_to(root).as_posix())
    cross_check(catalog)
    return catalog


def _load_facts(catalog: Catalog, data: Any, name: str, pos: Positions) -> None:
    schemas.check("facts", data, name, pos)
    for i, d in enumerate(data["facts"]):
        here = ("facts", i)
        if d["id"] in catalog.facts or d["id"] in catalog.aliases:
            raise DataError(f"事实编号重复：{d['id']}", file=name, position=position(pos, here))
        violates = None
        if "violates" in d:
            try:
                violates = cond.parse({"fact": d["id"], **d["violates"]}, here + ("violates",))
            except cond.ConditionError as exc:
                raise _positions_error(exc, name, pos, ()) from None
        if d["type"] == "choice" and not d.get("choices"):
            raise DataError("选择题必须给出 choices", file=name, position=position(pos, here))
        if d.get("device") and (d["type"] != "choice" or tuple(d.get("choices", ())) != DEVICE_STATES
                                or d.get("violates") != {"in": ["未设置", "失效"]}):
            raise DataError("设施设备类事实（device: true）须为选择题，choices 为 [未设置, 失效, 正常]，"
                            "violates 为 {in: [未设置, 失效]}", file=name, position=position(pos, here))
        if d["type"] == "number" and not d.get("unit"):
            raise DataError("数值题必须给出 unit（单位）", file=name, position=position(pos, here))
        fact = Fact(
            id=d["id"],
            type=d["type"],
            question=d["question"],
            scope=d["scope"],
            violates=violates,
            help=d.get("help"),
            unit=d.get("unit"),
            choices=tuple(d.get("choices", ())),
            monotone=d.get("monotone", "violates" in d),
            aliases=tuple(d.get("aliases", ())),
            note=d.get("note"),
            device=d.get("device", False),
            penalties=tuple(PenaltyRef.from_dict(p) for p in d.get("penalties", [])),
        )
        catalog.facts[fact.id] = fact
        for alias in fact.aliases:
            if alias in catalog.facts or alias in catalog.aliases:
                raise DataError(f"别名与已有事实编号冲突：{alias}", file=name,
                                position=position(pos, here + ("aliases",)))
            catalog.aliases[alias] = fact.id


def _load_articles(catalog: Catalog, data: Any, name: str, pos: Positions) -> None:
    schemas.check("articles", data, name, pos)
    for i, d in enumerate(data["articles"]):
        if d["id"] in catalog.articles:
            raise DataError(f"法条编号重复：{d['id']}", file=name,
                            position=position(pos, ("articles", i)))
        catalog.articles[d["id"]] = Article(
            id=d["id"],
            law=d["law"],
            clause=d["clause"],
            text=d["text"],
            effective=parse_date(d["effective"]),
            sources=_sources(d["sources"]),
            verified=d["verified"],
            last_day=parse_date(d["last_day"]) if d.get("last_day") else None,
            verification_note=d.get("verification_note"),
            sanctions=tuple(Sanction.from_dict(x) for x in d.get("sanctions", [])),
            kind=d.get("kind", "law"),
        )


def _load_definition(catalog: Catalog, data: Any, name: str, pos: Positions) -> None:
    schemas.check("definition", data, name, pos)
    if catalog.definition is not None:
        raise DataError("只能有一个重大事故隐患定义文件", file=name)
    d = data["definition"]
    catalog.definition = Definition(
        id=d["id"],
        document=d["document"],
        title=d["title"],
        clause=d["clause"],
        text=d["text"],
        effective=parse_date(d["effective"]),
        questions=tuple(d["questions"]),
        sources=_sources(d["sources"]),
        verified=d["verified"],
        verification_note=d.get("verification_note"),
    )


def _load_standard(catalog: Catalog, data: Any, name: str, pos: Positions) -> None:
    schemas.check("standard", data, name, pos)
    d = data["standard"]
    if d["id"] in catalog.standards:
        raise DataError(f"标准编号重复：{d['id']}", file=name, position=position(pos, ("standard",)))
    folder = Path(name).parent.name
    if folder != d["id"]:
        raise DataError(f"标准编号 {d['id']} 与所在目录名 {folder} 不一致", file=name,
                        position=position(pos, ("standard", "id")))
    try:
        applies = cond.parse(d["applies_when"], ("standard", "applies_when")) \
            if "applies_when" in d else None
    except cond.ConditionError as exc:
        raise _positions_error(exc, name, pos, ()) from None
    catalog.standards[d["id"]] = Standard(
        id=d["id"],
        title=d["title"],
        short_title=d.get("short_title"),
        document=d["document"],
        issuer=d["issuer"],
        issued=parse_date(d["issued"]) if d.get("issued") else None,
        effective=parse_date(d["effective"]) if d["effective"] else None,
        effective_note=d.get("effective_note"),
        in_force_by=parse_date(d["in_force_by"]) if d.get("in_force_by") else None,
        last_day=parse_date(d["last_day"]) if d.get("last_day") else None,
        replaces=d.get("replaces"),
        replaced_by=d.get("replaced_by"),
        scope=d["scope"],
        applies_when=applies,
        regime=d["regime"],
        items_in_standard=d["items_in_standard"],
        sources=_sources(d["sources"]),
        note=d.get("note"),
        procedure=d.get("procedure"),
        hazard_term=d.get("hazard_term", "重大事故隐患"),
        provisions=tuple(
            Provision(p["clause"], p["text"], p["applies_to"], _sources(p["sources"]),
                      p["verified"], p.get("verification_note"))
            for p in d.get("provisions", [])
        ),
    )


def _load_criteria(catalog: Catalog, data: Any, name: str, pos: Positions, relative: str) -> None:
    schemas.check("criteria", data, name, pos)
    std = catalog.standards.get(data["standard"])
    if std is None:
        raise DataError(f"未知标准编号：{data['standard']}", file=name,
                        position=position(pos, ("standard",)))
    folder = Path(name).parent.name
    if folder != std.id:
        raise DataError(f"条款文件应放在目录 {std.id}/ 下", file=name)
    for i, d in enumerate(data["criteria"]):
        here = ("criteria", i)
        if not d["id"].startswith(std.id + "/"):
            raise DataError(f"条款编号 {d['id']} 应以 {std.id}/ 开头", file=name,
                            position=position(pos, here + ("id",)))
        if d["id"] in catalog.criteria:
            raise DataError(f"条款编号重复：{d['id']}", file=name, position=position(pos, here))
        try:
            criterion = Criterion.from_dict(d, std.id, file=relative)
        except cond.ConditionError as exc:
            raise _positions_error(exc, name, pos, here) from None
        catalog.criteria[criterion.id] = criterion
        std.criteria.append(criterion)
        if "article" in data:
            std.articles[criterion.article_number] = data["article"]


def cross_check(catalog: Catalog) -> None:
    """References between files: facts, articles, standards, dates, value types."""
    for std in catalog.standards.values():
        where = f"{std.id}/standard.yaml"
        for ref, label in ((std.replaces, "replaces"), (std.replaced_by, "replaced_by")):
            if ref is not None and ref not in catalog.standards:
                raise DataError(f"{label} 指向未知标准 {ref}", file=where)
        if std.effective is None and not std.effective_note:
            raise DataError("effective 为空时必须用 effective_note 说明原因", file=where)
        if std.last_day is not None and std.effective and std.last_day < std.effective:
            raise DataError("last_day 早于 effective", file=where)
        if std.replaced_by is not None:
            successor = catalog.standards[std.replaced_by]
            if std.last_day is None or std.last_day + dt.timedelta(days=1) != successor.effective:
                raise DataError(
                    f"被 {successor.id} 替代：last_day 应为其施行日前一天"
                    f"（{successor.effective - dt.timedelta(days=1)}）",
                    file=where,
                )
            if successor.replaces != std.id:
                raise DataError(f"{successor.id} 的 replaces 应为 {std.id}", file=where)
        if len(std.items) > std.items_in_standard:
            raise DataError(
                f"收录 {len(std.items)} 项，多于标准本身的 {std.items_in_standard} 项", file=where
            )
        if std.applies_when is not None:
            _check_condition(catalog, std.applies_when, where, "applies_when", allow_attr=True)
    judgments: dict[str, str] = {}
    for c in catalog.criteria.values():
        _check_condition(catalog, c.condition, c.file, f"{c.id} condition", allow_attr=False,
                         site_rule=c.role == "site_rule")
        if c.applies_when is not None:
            _check_condition(catalog, c.applies_when, c.file, f"{c.id} applies_when",
                             allow_attr=True)
        for p in c.penalties:
            if p.article not in catalog.articles:
                raise DataError(f"{c.id} 引用了未收录的法条 {p.article}", file=c.file)
            if p.applies_when is not None:
                _check_condition(catalog, p.applies_when, c.file, f"{c.id} 法条 {p.article} applies_when",
                                 allow_attr=True)
        if c.reached_by is not None:
            for f in c.reached_by.facts:
                fact = catalog.facts.get(f)
                if fact is None:
                    raise DataError(f"{c.id} reached_by 引用了未知事实 {f}", file=c.file)
                if fact.violates is None:
                    raise DataError(f"{c.id} reached_by 的事实 {f} 没有违规回答（violates），无从触发",
                                    file=c.file)
                if f in c.facts:
                    raise DataError(f"{c.id} reached_by 的事实 {f} 已在条件中", file=c.file)
        if not c.sources:
            raise DataError(f"{c.id} 没有记录来源", file=c.file)
        for j in cond.judgments_of(c.condition):
            # one judgment may serve several criteria (a site's collective discussion), but
            # then it must ask the same question everywhere
            if judgments.setdefault(j.id, j.question) != j.question:
                raise DataError(f"判断节点 {j.id} 在不同条款中的问题不一致", file=c.file)
    for fact in catalog.facts.values():
        for p in fact.penalties:
            if p.article not in catalog.articles:
                raise DataError(f"事实 {fact.id} 引用了未收录的法条 {p.article}", file="facts")
            if p.applies_when is not None:
                where = f"事实 {fact.id} 法条 {p.article} applies_when"
                _check_condition(catalog, p.applies_when, "facts", where, allow_attr=True)
                if cond.facts_of(p.applies_when) or cond.judgments_of(p.applies_when):
                    raise DataError(f"{where}：只能是企业概况（attr）条件", file="facts")
    if catalog.definition is not None:
        for q in catalog.definition.questions:
            if q not in catalog.facts:
                raise DataError(f"定义引用了未知事实 {q}", file="definitions")


def _check_condition(catalog: Catalog, node: cond.Node, file: str | None, where: str,
                     allow_attr: bool, site_rule: bool = False) -> None:
    for n in cond.walk(node):
        leaf = n.child if isinstance(n, cond.Not) else n
        if not isinstance(leaf, cond.Compare):
            continue
        if leaf.kind == "element":
            target = catalog.criteria.get(leaf.name)
            if not site_rule:
                raise DataError(f"{where}：element 只能用于 role: site_rule 的场所判定规则", file=file)
            if target is None or target.role != "element":
                raise DataError(f"{where}：element 指向的 {leaf.name} 不是 role: element 的判定要素",
                                file=file)
            continue
        if leaf.kind == "attr":
            if not allow_attr:
                raise DataError(f"{where}：企业概况（attr）只能用于 applies_when", file=file)
            continue
        fact = catalog.facts.get(leaf.name)
        if fact is None:
            hint = "（这是旧编号，请改用 " + catalog.aliases[leaf.name] + "）" \
                if leaf.name in catalog.aliases else ""
            raise DataError(f"{where}：未知事实编号 {leaf.name}{hint}", file=file)
        values = leaf.value if leaf.op == "in" else (leaf.value,)
        for v in values:
            problem = _type_problem(fact, leaf.op, v)
            if problem:
                raise DataError(f"{where}：事实 {fact.id} {problem}", file=file)


def _type_problem(fact: Fact, op: str, value: Any) -> str | None:
    if fact.type == "bool":
        if not isinstance(value, bool) or op not in ("eq", "ne", "in"):
            return f"是是/否题，只能用 eq/ne 比较 true/false，实为 {op} {value!r}"
    elif fact.type == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"是数值题，比较值应为数字，实为 {value!r}"
    elif fact.type == "choice":
        if value not in fact.choices or op in ("lt", "le", "gt", "ge"):
            return f"是选择题，比较值 {value!r} 不在 choices 中或运算符 {op} 不适用"
    elif fact.type == "date":
        try:
            dt.date.fromisoformat(str(value))
        except ValueError:
            return f"是日期题，比较值 {value!r} 不是 YYYY-MM-DD"
    return None
