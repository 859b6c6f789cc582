"""Reading the table layout (layout.py, README “表格检查表”一节) of a CSV file or an Excel workbook into
the dict `parse_checklist` takes, with every cell it used remembered so that an error found
later (schema, 统一社会信用代码, answer types) names the sheet, row and column."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..answers import NO, YES
from ..catalog import Catalog
from ..checklist import Checklist, parse_checklist
from ..errors import InputError
from ..model import Fact
from ..safeyaml import describe_path
from .grid import CellProblem, Sheet
from .layout import (
    ENTRY_COLUMNS,
    FINDING_ONLY,
    PROFILE,
    SHEET_PROFILE,
    TEMPLATE_FORMAT,
    entry_key,
    profile_key,
    site_key,
)
from .limits import HEADER_SCAN

Cells = dict[tuple, str]  # checklist key path → the cell it came from

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_LIST = re.compile(r"[、,，;；/\s]+")
_TYPES = re.compile(r"[、,，;；/]+")
# where each finding column goes in a finding
FINDING_PATHS: dict[str, tuple[str, ...]] = {
    "site": ("subject", "site"),
    "location": ("location",),
    "description": ("description",),
    "observed_on": ("observed_on",),
    "claimed": ("claimed_criterion",),
    "status": ("rectification", "status"),
    "deadline": ("rectification", "deadline"),
    "measures": ("rectification", "note"),
    "fixed_on_spot": ("situation", "fixed_on_spot"),
    "reported_authority": ("reported", "authority"),
    "reported_workers": ("reported", "workers"),
}
DATE_KEYS = {"observed_on", "deadline", "reported_authority", "reported_workers"}


def load_table(path: Path, catalog: Catalog) -> Checklist:
    data, cells = read_table(path, catalog)
    return parse_with_cells(data, cells, catalog, str(path))


def read_table(path: Path, catalog: Catalog) -> tuple[dict[str, Any], Cells]:
    """The checklist dict of a .csv or .xlsx file, and where each of its values came from."""
    if path.suffix.lower() == ".csv":
        from .csv_in import read_csv

        sheets = [read_csv(path)]
    else:
        from .xlsx_in import read_xlsx

        sheets = read_xlsx(path)
    return _Reader(catalog, str(path), csv=path.suffix.lower() == ".csv").read(sheets)


def parse_with_cells(data: dict[str, Any], cells: Cells, catalog: Catalog, name: str) -> Checklist:
    """parse_checklist, with the key path of any error replaced by the cell it came from."""
    try:
        return parse_checklist(data, catalog, name, {})
    except InputError as exc:
        exc.position = cell_of(exc.position, cells) or exc.position
        raise


def cell_of(position: str | None, cells: Cells) -> str | None:
    """The cell behind a key path as describe_path writes it (its deepest known prefix)."""
    if not position:
        return None
    index = {describe_path(path): where for path, where in cells.items()}
    for path, where in sorted(cells.items(), key=lambda kv: -len(kv[0])):
        for n in range(len(path) - 1, 0, -1):  # a container not recorded itself: its first cell
            index.setdefault(describe_path(path[:n]), where)
    text = position
    while text:
        if text in index:
            return index[text]
        cut = max(text.rfind("."), text.rfind("["))
        text = text[:cut] if cut > 0 else ""
    return None


def normalize_question(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass
class _Header:
    kind: str  # entries | sites
    row: int
    start: int  # first data row
    columns: dict[int, tuple[str, str]]  # column → (key, label as written)

    def col(self, key: str) -> int | None:
        return next((j for j, (k, _) in self.columns.items() if k == key), None)


@dataclass
class _Finding:
    data: dict[str, Any]
    values: dict[str, tuple[Any, str]] = field(default_factory=dict)  # column key → (value, cell)
    evidence: dict[str, int] = field(default_factory=dict)  # ref → index


class _Reader:
    def __init__(self, catalog: Catalog, name: str, csv: bool):
        self.catalog = catalog
        self.name = name
        self.csv = csv
        self.cells: Cells = {}
        self.profile: dict[str, tuple[Any, str]] = {}
        self.profile_where: str | None = None
        self.site_rows: list[tuple[list[Any], list[str]]] = []  # (id, name, types) values and cells
        self.sites: list[dict[str, Any]] = []
        self.site_index: dict[str, int] = {}
        self.findings: list[_Finding] = []
        self.finding_index: dict[str, int] = {}
        self.answers: dict[str, Any] = {}
        self.enterprise_answers: dict[str, Any] = {}
        self.seen: dict[tuple, dict[str, str]] = {}
        self.stale: str | None = None
        self._questions: dict[str, Fact | None] | None = None

    def error(self, message: str, where: str | None) -> InputError:
        return InputError(message, file=self.name, position=where)

    # -- the whole file -----------------------------------------------------------------

    def read(self, sheets: list[Sheet]) -> tuple[dict[str, Any], Cells]:
        parts = [(sheet, self._header(sheet)) for sheet in sheets]
        for sheet, header in parts:
            self._profile_rows(sheet, header.row if header else len(sheet.rows))
        self._check_stamps()
        for sheet, header in parts:
            if header is not None and header.kind == "sites":
                self._site_table(sheet, header)
        self._build_sites()
        for sheet, header in parts:
            if header is not None and header.kind == "entries":
                self._entries(sheet, header)
        if not self.profile and not any(h for _, h in parts):
            raise self.error("没有找到检查表内容：既没有“企业名称”“检查日期”等企业概况行，也没有含“检查项编号”"
                             "“回答”或“检查发现编号”等列的表头（格式见 README “表格检查表”一节）", None)
        return self._assemble(), self.cells

    # -- headers ------------------------------------------------------------------------

    def _header(self, sheet: Sheet) -> _Header | None:
        for i in range(min(len(sheet.rows), HEADER_SCAN)):
            head = sheet.header_view(i)
            site_keys = [site_key(v) for v in head]
            entry_keys = [entry_key(v) for v in head]
            if "id" in site_keys and "name" in site_keys:
                return self._columns(sheet, i, i + 1, "sites", site_keys, head)
            if len({k for k in entry_keys if k not in (None, "info")}) >= 2:
                start = i + 1
                if start < len(sheet.rows):
                    combined = _subheader(head, sheet.header_view(start), entry_keys)
                    if combined is not None:
                        keys, labels = combined
                        return self._columns(sheet, i, start + 1, "entries", keys, labels)
                return self._columns(sheet, i, start, "entries", entry_keys, head)
        return None

    def _columns(self, sheet: Sheet, row: int, start: int, kind: str, keys: list[str | None],
                 labels: list[Any]) -> _Header:
        columns: dict[int, tuple[str, str]] = {}
        first: dict[str, int] = {}
        for j, key in enumerate(keys):
            if key is None or key == "info":
                continue
            label = str(labels[j])
            if key in first:
                raise self.error(f"表头“{label}”与{sheet.where(row, first[key])}的“{columns[first[key]][1]}”"
                                 "是同一项内容，请删去一列", sheet.where(row, j))
            first[key] = j
            columns[j] = (key, label)
        return _Header(kind, row, start, columns)

    # -- profile block ------------------------------------------------------------------

    def _profile_rows(self, sheet: Sheet, end: int) -> None:
        for i in range(end):
            row = sheet.rows[i]
            j = next((k for k, v in enumerate(row) if v is not None), None)
            if j is None or not isinstance(row[j], str):
                continue
            key = profile_key(row[j])
            if key is None:
                continue
            if self.profile_where is None and not key.startswith("stamp."):
                self.profile_where = sheet.describe() if sheet.name is not None else \
                    f"第 {i + 1} 行起的企业概况行"
            label = row[j]
            if key == "site":
                values = list(row[j + 1:j + 4]) + [None] * 3
                self.site_rows.append((values[:3], [sheet.where(i, j + 1 + k, label) for k in range(3)]))
                continue
            value = row[j + 1] if j + 1 < len(row) else None
            where = sheet.where(i, j + 1, label)
            if isinstance(value, CellProblem):
                raise self.error(value.message, where)
            if value is None:
                continue
            if key in self.profile and self.profile[key][0] != value:
                raise self.error(f"“{label}”填写了两次，与{self.profile[key][1]}不一致", where)
            self.profile.setdefault(key, (value, where))

    def _check_stamps(self) -> None:
        if "stamp.format" in self.profile:
            value, where = self.profile["stamp.format"]
            number = value if isinstance(value, int) and not isinstance(value, bool) else None
            if number is None and isinstance(value, str) and value.isdigit():
                number = int(value)
            if number is None or number < 1:
                raise self.error(f"模板格式版本“{value}”无法识别", where)
            if number > TEMPLATE_FORMAT:
                raise self.error(f"本模板的格式版本为 {number}，本软件只能读取版本 {TEMPLATE_FORMAT} 及以前的模板；"
                                 "请升级 hazardrules，或用 hazardrules template 重新生成模板", where)
        if "stamp.data_hash" in self.profile:
            made = str(self.profile["stamp.data_hash"][0])
            current = self.catalog.version
            if made != current.hash:
                as_of = self.profile.get("stamp.data_as_of", ("未记录", ""))[0]
                self.stale = (f"本模板按判定数据版本 {made}（截至 {_text(as_of)}）生成，当前判定数据为 "
                              f"{current.hash}（截至 {current.as_of}）")

    def _hint(self) -> str:
        return f"；{self.stale}，请用 hazardrules template 重新生成模板" if self.stale else ""

    # -- sites --------------------------------------------------------------------------

    def _site_table(self, sheet: Sheet, header: _Header) -> None:
        cols = [header.col(k) for k in ("id", "name", "place_types")]
        for i in range(header.start, len(sheet.rows)):
            row = sheet.rows[i]
            values = [row[j] if j is not None and j < len(row) else None for j in cols]
            if all(v is None for v in values):
                continue
            where = [sheet.where(i, j, header.columns[j][1]) if j is not None else sheet.where(i, 0)
                     for j in cols]
            self.site_rows.append((values, where))

    def _build_sites(self) -> None:
        for values, where in self.site_rows:
            for v, w in zip(values, where, strict=True):
                if isinstance(v, CellProblem):
                    raise self.error(v.message, w)
            site_id, name, types = (_text(v) for v in values)
            if site_id is None:
                raise self.error("场所编号未填写", where[0])
            if site_id in self.site_index:
                raise self.error(f"场所编号“{site_id}”重复", where[0])
            if name is None:
                raise self.error(f"场所“{site_id}”的名称未填写", where[1])
            i = len(self.sites)
            site: dict[str, Any] = {"id": site_id, "name": name}
            self.cells[("sites", i)] = where[0]
            self.cells[("sites", i, "id")] = where[0]
            self.cells[("sites", i, "name")] = where[1]
            if types:
                site["place_types"] = [t for t in _TYPES.split(types) if t]
                self.cells[("sites", i, "place_types")] = where[2]
            self.site_index[site_id] = i
            self.sites.append(site)

    # -- entries ------------------------------------------------------------------------

    def _entries(self, sheet: Sheet, header: _Header) -> None:
        for i in range(header.start, len(sheet.rows)):
            row = sheet.rows[i]
            cells: dict[str, tuple[Any, str]] = {}
            for j, (key, label) in header.columns.items():
                value = row[j] if j < len(row) else None
                if isinstance(value, CellProblem):
                    raise self.error(value.message, sheet.where(i, j, label))
                if value is not None:
                    cells[key] = (value, sheet.where(i, j, label))
            if not cells:
                continue  # blank, or only columns shown for people (序号, 说明 …)
            col = header.col("finding")
            id_where = sheet.where(i, col, header.columns[col][1]) if col is not None else None
            self._entry(cells, id_where)

    def _entry(self, cells: dict[str, tuple[Any, str]], id_where: str | None) -> None:
        fact = self._fact(cells)
        finding = _text(cells["finding"][0]) if "finding" in cells else None
        if finding is not None:
            self._finding_row(finding, cells, fact)
            return
        only = [k for k in FINDING_ONLY if k in cells]
        if only:
            label = ENTRY_COLUMNS[only[0]][0]
            raise self.error(f"这一行填写了检查发现的内容（{label}等），但没有检查发现编号",
                             id_where or cells[only[0]][1])
        if fact is None:
            return
        fact_id, spec, where = fact
        if "site" in cells:
            site = _text(cells["site"][0])
            if site not in self.site_index:
                raise self.error(f"场所“{site}”不在场所表中", cells["site"][1])
            path: tuple = ("sites", self.site_index[site], "answers")
            target = self.sites[self.site_index[site]].setdefault("answers", {})
        elif spec.scope == "enterprise":
            path, target = ("enterprise", "answers"), self.enterprise_answers
        else:
            path, target = ("answers",), self.answers
        self._answer(path, target, fact_id, spec, cells, where)

    def _fact(self, cells: dict[str, tuple[Any, str]]) -> tuple[str, Fact, str] | None:
        """The question a row answers: its 检查项编号, or its question text when that column is
        blank; with the cell to blame for the answer."""
        answer_where = cells["answer"][1] if "answer" in cells else None
        question = cells.get("question")
        if "fact" in cells:
            raw, where = cells["fact"]
            fact_id = _text(raw)
            spec = self.catalog.fact(fact_id)
            if spec is None:
                raise self.error(f"未知的检查项编号“{fact_id}”{self._hint()}", where)
            if self.stale and question is not None and isinstance(question[0], str) and \
                    normalize_question(question[0]) != normalize_question(spec.question):
                raise self.error(f"检查项“{fact_id}”的问法已改变（模板：“{question[0]}”；现在：“{spec.question}”），"
                                 f"原来的回答可能含义不同；{self.stale}，请用新模板重新填写", question[1])
            return fact_id, spec, answer_where or where
        if question is None:
            if "answer" in cells:
                raise self.error("有回答，但没有检查项编号（或问题）", answer_where)
            return None
        text, where = question
        spec = self.questions().get(normalize_question(str(text)))
        if spec is None:
            if "answer" not in cells:
                return None
            raise self.error(f"找不到与问题“{_short(str(text))}”对应的检查项，请填写检查项编号", where)
        return spec.id, spec, answer_where or where

    def questions(self) -> dict[str, Fact | None]:
        if self._questions is None:
            self._questions = {}
            for spec in self.catalog.facts.values():
                key = normalize_question(spec.question)
                self._questions[key] = None if key in self._questions else spec  # None: ambiguous
        return self._questions

    def _answer(self, path: tuple, target: dict[str, Any], fact_id: str, spec: Fact,
                cells: dict[str, tuple[Any, str]], where: str) -> None:
        seen = self.seen.setdefault(path, {})
        if spec.id in seen:
            raise self.error(f"检查项“{fact_id}”重复（另见{seen[spec.id]}）", where)
        seen[spec.id] = where
        value = cells["answer"][0] if "answer" in cells else None
        target[fact_id] = value.isoformat() if hasattr(value, "isoformat") else value
        self.cells[path + (fact_id,)] = where

    def _finding_row(self, finding_id: str, cells: dict[str, tuple[Any, str]],
                     fact: tuple[str, Fact, str] | None) -> None:
        index = self.finding_index.get(finding_id)
        if index is None:
            index = self.finding_index[finding_id] = len(self.findings)
            self.findings.append(_Finding({"id": finding_id}))
            self.cells[("findings", index)] = cells["finding"][1]
            self.cells[("findings", index, "id")] = cells["finding"][1]
        record = self.findings[index]
        base = ("findings", index)
        for key, path in FINDING_PATHS.items():
            if key not in cells:
                continue
            raw, where = cells[key]
            value = self._value(key, raw, where)
            if key in record.values and record.values[key][0] != value:
                raise self.error(f"检查发现“{finding_id}”的{ENTRY_COLUMNS[key][0]}与{record.values[key][1]}不一致"
                                 f"（“{_short(str(record.values[key][0]))}”与“{_short(str(value))}”）", where)
            record.values.setdefault(key, (value, where))
            _put(record.data, path, value)
            self.cells[base + path] = where
            if len(path) > 1:
                self.cells.setdefault(base + path[:1], where)
        self._evidence(record, base, cells)
        if fact is not None:
            fact_id, spec, where = fact
            self._answer(base + ("facts",), record.data.setdefault("facts", {}), fact_id, spec, cells, where)

    def _evidence(self, record: _Finding, base: tuple, cells: dict[str, tuple[Any, str]]) -> None:
        if "evidence" not in cells:
            for key in ("sha256", "evidence_note"):
                if key in cells:
                    raise self.error("填写了证据的 SHA256 或说明，但没有证据文件或网址", cells[key][1])
            return
        ref, where = _text(cells["evidence"][0]), cells["evidence"][1]
        item: dict[str, Any] = {"ref": ref}
        if "sha256" in cells:
            item["sha256"] = _text(cells["sha256"][0]).lower()
        if "evidence_note" in cells:
            item["note"] = _text(cells["evidence_note"][0])
        items = record.data.setdefault("evidence", [])
        if ref in record.evidence:
            if items[record.evidence[ref]] != item and len(item) > 1:
                raise self.error(f"证据“{_short(ref)}”出现了两次，SHA256 或说明不一致", where)
            return
        k = record.evidence[ref] = len(items)
        items.append(item)
        self.cells[base + ("evidence", k)] = where
        self.cells[base + ("evidence", k, "ref")] = where
        for key, name in (("sha256", "sha256"), ("evidence_note", "note")):
            if key in cells:
                self.cells[base + ("evidence", k, name)] = cells[key][1]

    def _value(self, key: str, raw: Any, where: str) -> Any:
        if key in DATE_KEYS:
            return _date(raw, where, self.name)
        if key == "fixed_on_spot":
            word = str(raw).strip().lower() if not isinstance(raw, bool) else raw
            if word is True or word in YES:
                return True
            if word is False or word in NO:
                return False
            raise self.error(f"“{raw}”不是有效的回答，请填 是 / 否", where)
        return _text(raw)

    # -- the checklist dict -------------------------------------------------------------

    def _assemble(self) -> dict[str, Any]:
        area = self.profile_where or ("文件开头的企业概况行（企业名称、检查日期等）" if self.csv
                                      else f"工作表“{SHEET_PROFILE}”")
        self.cells[("enterprise",)] = area
        self.cells[("inspection",)] = area
        enterprise: dict[str, Any] = {}
        inspection: dict[str, Any] = {}
        for key in PROFILE:
            if key not in self.profile or key.startswith("stamp.") or key == "site":
                continue
            value, where = self.profile[key]
            if key.startswith("inspection."):
                name = key.split(".", 1)[1]
                inspection[name] = _date(value, where, self.name) if name == "date" else _text(value)
                self.cells[("inspection", name)] = where
                continue
            if key == "uscc" and isinstance(value, (int, float)) and not isinstance(value, bool):
                raise self.error("统一社会信用代码被存成了数字，末几位可能已经丢失；请把单元格设为“文本”后重新填写",
                                 where)
            if key in ("sector", "industries", "features"):
                items = [x for x in _LIST.split(_text(value)) if x]
                enterprise[key] = items[0] if key == "sector" and len(items) == 1 else items
            else:
                enterprise[key] = _text(value)
            self.cells[("enterprise", key)] = where
        if self.enterprise_answers:
            enterprise["answers"] = self.enterprise_answers
        data: dict[str, Any] = {"schema_version": 1, "enterprise": enterprise, "inspection": inspection}
        if self.sites:
            data["sites"] = self.sites
        if self.answers:
            data["answers"] = self.answers
        if self.findings:
            data["findings"] = [f.data for f in self.findings]
        return data


def _subheader(head: list[Any], sub: list[Any], head_keys: list[str | None]
               ) -> tuple[list[str | None], list[Any]] | None:
    """A second header row under merged group labels (整改 → 措施 | 期限 | 状态): its keys
    and labels, or None when the row is data."""
    useful = False
    width = max(len(head), len(sub))
    heads = list(head) + [None] * (width - len(head))
    subs = list(sub) + [None] * (width - len(sub))
    known = list(head_keys) + [None] * (width - len(head_keys))
    for j in range(width):
        h, s = heads[j], subs[j]
        if s is None or s == h:
            continue
        own = entry_key(s)
        combo = entry_key(f"{h}{s}") if isinstance(h, str) and isinstance(s, str) else None
        if own is None and combo is None:
            if known[j] not in (None, "info"):
                return None  # a plain value under a recognised column: the first data row
            continue
        if own not in (None, "info") or combo not in (None, "info"):
            useful = True
    if not useful:
        return None
    keys: list[str | None] = []
    labels: list[Any] = []
    for j in range(width):
        h, s = heads[j], subs[j]
        candidates: list[Any] = []
        if s is not None and s != h:
            if isinstance(h, str) and isinstance(s, str):
                candidates.append(f"{h}{s}")
            candidates.append(s)
        candidates.append(h)
        found = next(((entry_key(c), c) for c in candidates if entry_key(c) is not None), (None, h))
        keys.append(found[0])
        labels.append(found[1])
    return keys, labels


def _put(target: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value


def _text(value: Any) -> Any:
    """A cell as text; numbers as written (Excel keeps 1 as 1, not 1.0)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _date(value: Any, where: str, name: str) -> str:
    """A date cell as YYYY-MM-DD: Excel dates, and 2026/3/10, 2026.3.10, 2026年3月10日. The day
    itself (2026-02-30) is checked by parse_checklist, which names the same cell."""
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()
    if isinstance(value, str):
        match = _DATE.match(value.strip())
        if match:
            year, month, day = match.groups()
            return f"{year}-{int(month):02d}-{int(day):02d}"
    raise InputError(f"“{value}”不是日期（应写成 YYYY-MM-DD，或设为 Excel 日期）", file=name, position=where)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
