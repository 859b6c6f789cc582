"""Hardening: generated malformed checklists go through the command line exactly as a user's
file would (hazardrules.cli.main). Whatever the input: no traceback, no internal error, exit
code 2 for bad input with a message naming the file and — where the fault is inside it — the
position (line, key path or cell); never a partial output file.

Size: each test runs 300 examples by default (CI). The longer run, 10,000 examples per test:

    HAZARDRULES_FUZZ=long pytest tests/test_fuzz.py
"""

from __future__ import annotations

import contextlib
import copy
import csv
import datetime as dt
import io
import json
import os
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from hazardrules import uscc
from hazardrules.answers import AnswerError, coerce
from hazardrules.cli import main

from .conftest import ROOT
from .helpers import example_checklist as _example

_EXAMPLE = _example()


def example_checklist() -> dict[str, Any]:
    return copy.deepcopy(_EXAMPLE)  # parsed once: each example must be cheap

_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
           HealthCheck.filter_too_much]
settings.register_profile("fuzz-ci", max_examples=300, deadline=None, suppress_health_check=_HEALTH)
settings.register_profile("fuzz-long", max_examples=10_000, deadline=None, suppress_health_check=_HEALTH)
_SIZE = os.environ.get("HAZARDRULES_FUZZ", "ci")  # ci, long, or a number of examples
FUZZ = settings(settings.get_profile("fuzz-ci"), max_examples=int(_SIZE)) if _SIZE.isdigit() else \
    settings.get_profile(f"fuzz-{_SIZE}")

CSV_ROWS = list(csv.reader(io.StringIO(
    (ROOT / "tests" / "fixtures" / "io" / "gongmao-self-check.csv").read_text(encoding="utf-8"))))
HEADER = CSV_ROWS.index(next(r for r in CSV_ROWS if r and r[0] == "检查发现编号"))
ENTRY_ROWS = range(HEADER + 1, len(CSV_ROWS))
COL = {label: j for j, label in enumerate(CSV_ROWS[HEADER])}
PROFILE_ROW = {r[0]: i for i, r in enumerate(CSV_ROWS[:HEADER]) if r}
ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
KINDS = ("企业自查", "部门帮扶", "执法检查", "专家查")


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.pass_context
def _entry(ctx):
    main(list(ctx.args))


class _Facts:
    """The catalog's facts under a short repr (hypothesis prints its arguments on failure)."""

    def __init__(self, catalog):
        self.facts = catalog.facts

    def __repr__(self) -> str:
        return "<catalog>"


@pytest.fixture(scope="module")
def cat(catalog):
    """The session catalog, also for the CLI (loading it takes seconds; each example must not)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("hazardrules.catalog.load_catalog", lambda root=None: catalog)
        yield _Facts(catalog)


def run_cli(path: Path, fmt: str) -> tuple[int, str]:
    """`hazardrules check PATH` as the console script runs it; checks what holds for any input."""
    out_dir = path.parent / "out"
    out_dir.mkdir()
    args = ["check", str(path), "--exit-zero"] if fmt in ("text", "json") else \
        ["check", str(path), "--format", fmt, "-o", str(out_dir / f"report.{fmt}")]
    result = CliRunner().invoke(_entry, args)
    err = result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output + err
    assert result.exit_code in (0, 1, 2, 3), err  # never 4 (internal error)
    written = sorted(p.name for p in out_dir.iterdir())
    if result.exit_code == 2:
        assert err.startswith(f"错误：{path}"), err  # names the file
        assert written == [], written  # no partial output
    elif fmt not in ("text", "json"):
        assert written == [f"report.{fmt}"], written
    return result.exit_code, err


def assert_bad(path: Path, code: int, err: str, position: bool = True) -> None:
    assert code == 2, err
    if position:
        assert err.startswith(f"错误：{path}（"), err  # file（position）：message


@contextlib.contextmanager
def workdir():
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp)


formats = st.sampled_from(["text", "json", "html", "xlsx"])
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=40))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                        st.dictionaries(st.text(max_size=10), inner, max_size=4)),
                      max_leaves=12)
not_str = st.one_of(st.integers(), st.floats(allow_nan=False), st.booleans(), st.lists(scalars, max_size=3),
                    st.dictionaries(st.text(max_size=5), scalars, max_size=3), st.none())


def _bad_date(text: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return True
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return True
    return False


def _bad_table_date(text: str) -> bool:
    """Tables also take 2026/3/10, 2026.3.10 and 2026年3月10日."""
    match = re.match(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$", text.strip())
    if not match:
        return True
    try:
        dt.date(*(int(x) for x in match.groups()))
    except ValueError:
        return True
    return not all(x.isascii() for x in match.groups())


bad_dates = st.one_of(st.sampled_from(["2026-02-30", "2026-13-01", "2026-00-10", "2026/03/10", "昨天", "",
                                       "20260310", "2026-3-1", "0000-00-00"]),
                      st.text(max_size=12).filter(_bad_date))
bad_usccs = st.one_of(
    st.sampled_from(uscc.CHARSET).filter(lambda c: c != "3").map(lambda c: "91350100M000100Y4" + c),
    st.text(max_size=20).filter(lambda s: uscc.problem(s) is not None),
)
unknown_ids = st.from_regex(r"zz_[a-z0-9_]{0,20}", fullmatch=True)


def _bad_answer(fact):
    def invalid(value: str) -> bool:
        if not value.strip():
            return False
        try:
            coerce(fact, value)
        except AnswerError:
            return True
        return False

    return st.text(min_size=1, max_size=30).filter(invalid)


def _set(data: Any, path: tuple, value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _delete(data: Any, path: tuple) -> None:
    for part in path[:-1]:
        data = data[part]
    del data[path[-1]]


def _nested(depth: int) -> Any:
    value: Any = "深"
    for _ in range(depth):
        value = [value]
    return value


def mutate(draw, data: dict, catalog) -> str:
    """One change that makes the checklist invalid; returns what it did."""
    kind = draw(st.sampled_from(["type", "missing", "unknown", "huge", "deep", "date", "uscc", "answer"]))
    if kind == "type":
        path = draw(st.sampled_from([("enterprise", "name"), ("enterprise", "uscc"), ("inspection", "date"),
                                     ("findings", 0, "id"), ("findings", 1, "description"),
                                     ("findings", 0, "location"), ("inspection", "kind")]))
        _set(data, path, draw(not_str))
    elif kind == "missing":
        path = draw(st.sampled_from([("schema_version",), ("enterprise",), ("inspection",), ("enterprise", "name"),
                                     ("enterprise", "sector"), ("enterprise", "uscc"), ("inspection", "date"),
                                     ("inspection", "kind"), ("findings", 0, "id"), ("sites", 0, "name")]))
        _delete(data, path)
    elif kind == "unknown":
        where = draw(st.sampled_from(["fact", "claim", "site", "key", "enterprise_fact", "list_type"]))
        name = draw(unknown_ids)
        if where == "fact":
            data["findings"][draw(st.integers(0, 3))]["facts"][name] = "是"
        elif where == "claim":
            data["findings"][0]["claimed_criterion"] = "zz/" + name
        elif where == "site":
            data["findings"][0]["subject"] = {"site": name}
        elif where == "key":
            target = draw(st.sampled_from([(), ("enterprise",), ("inspection",), ("findings", 2)]))
            node = data
            for part in target:
                node = node[part]
            node[name] = draw(scalars)
        elif where == "enterprise_fact":
            data["enterprise"]["answers"][name] = "否"
        else:
            data["findings"][1]["facts"] = draw(st.lists(scalars, max_size=3))
    elif kind == "huge":
        field = draw(st.sampled_from([("description", 5000), ("location", 500)]))
        data["findings"][draw(st.integers(0, 3))][field[0]] = "长" * draw(st.integers(field[1] + 1, field[1] * 4))
    elif kind == "deep":
        depth = draw(st.integers(65, 300))
        target = draw(st.sampled_from([("findings", 0, "facts", "special_ops_workers_certified"),
                                       ("enterprise", "answers"), ("sites",)]))
        _set(data, target, _nested(depth))
    elif kind == "date":
        path = draw(st.sampled_from([("inspection", "date"), ("findings", 0, "observed_on"),
                                     ("findings", 2, "rectification"), ("findings", 3, "reported")]))
        bad = draw(bad_dates)
        if path[-1] == "rectification":
            _set(data, path, {"status": "整改中", "deadline": bad})
        elif path[-1] == "reported":
            _set(data, path, {"authority": bad})
        else:
            _set(data, path, bad)
    elif kind == "uscc":
        data["enterprise"]["uscc"] = draw(bad_usccs)
    else:
        fact = catalog.facts["special_ops_workers_certified"]
        data["findings"][0]["facts"][fact.id] = draw(_bad_answer(fact))
    return kind


def serialize(draw, data: Any) -> tuple[str, bytes]:
    if draw(st.booleans()):
        text = json.dumps(data, ensure_ascii=draw(st.booleans()))
        return ".json", text.encode()
    return draw(st.sampled_from([".yaml", ".yml"])), yaml.safe_dump(data, allow_unicode=True).encode()


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_character_yaml_does_not_allow(cat, suffix):
    with workdir() as tmp:
        path = tmp / f"ctl{suffix}"
        path.write_text('{"schema_version": 1, "enterprise": {"name": "a\x7fb"}}', encoding="utf-8")
        code, err = run_cli(path, "text")
        assert_bad(path, code, err, position=suffix == ".yaml")


@FUZZ
@given(st.data())
def test_malformed_structures(cat, data):
    checklist = example_checklist()
    mutate(data.draw, checklist, cat)
    for _ in range(data.draw(st.integers(0, 2))):
        with contextlib.suppress(KeyError, IndexError, TypeError):  # an earlier change removed the place
            mutate(data.draw, checklist, cat)
    suffix, body = serialize(data.draw, checklist)
    with workdir() as tmp:
        path = tmp / f"检查表{suffix}"
        path.write_bytes(body)
        code, err = run_cli(path, data.draw(formats))
        assert_bad(path, code, err)


@FUZZ
@given(st.data())
def test_anything_anywhere(cat, data):
    """A random value at a random place: judged or refused, never a crash."""
    checklist = example_checklist()
    paths = list(_paths(checklist))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        try:
            _set(checklist, path, data.draw(values))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed the place
    suffix, body = serialize(data.draw, checklist)
    with workdir() as tmp:
        path = tmp / f"x{suffix}"
        path.write_bytes(body)
        run_cli(path, data.draw(formats))


def _paths(node: Any, here: tuple = ()):
    if here:
        yield here
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, here + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, here + (i,))


@FUZZ
@given(count=st.integers(101, 2000), nested=st.booleans(), fmt=formats)
def test_yaml_alias_bombs(cat, count, nested, fmt):
    if nested:  # billion laughs: each level refers to the one before many times
        # over MAX_ALIASES in all: under it, safeyaml still walks the expansion (see the report of issue 9)
        width = max(2, count // 9)
        lines = ['a0: &a0 "lol"'] + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, 10)]
    else:
        lines = ["a: &a [1, 2, 3]", "b: [" + ", ".join(["*a"] * count) + "]"]
    with workdir() as tmp:
        path = tmp / "bomb.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        code, err = run_cli(path, fmt)
        assert_bad(path, code, err)
        assert "别名" in err


@FUZZ
@given(body=st.binary(max_size=2000), suffix=st.sampled_from([".yaml", ".json", ".csv", ".xlsx"]), fmt=formats)
def test_random_bytes(cat, body, suffix, fmt):
    with workdir() as tmp:
        path = tmp / f"random{suffix}"
        path.write_bytes(body)
        code, err = run_cli(path, fmt)
        assert_bad(path, code, err, position=False)


@FUZZ
@given(encoding=st.sampled_from(["gbk", "utf-16-le", "utf-16-be", "latin-1", "shift_jis"]),
       junk=st.binary(min_size=1, max_size=8).filter(lambda b: _not_utf8(b)), at=st.floats(0, 1), fmt=formats)
def test_yaml_that_is_not_utf8(cat, encoding, junk, at, fmt):
    text = yaml.safe_dump(example_checklist(), allow_unicode=True)
    try:
        body = text.encode(encoding)
    except UnicodeEncodeError:
        body = text.encode("utf-8")
    cut = int(len(body) * at)
    body = body[:cut] + junk + body[cut:]
    assume(_not_utf8(body))
    with workdir() as tmp:
        path = tmp / "gbk.yaml"
        path.write_bytes(body)
        code, err = run_cli(path, fmt)
        assert_bad(path, code, err, position=False)
        assert "UTF-8" in err and "字节" in err


def _not_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def csv_mutation(draw, rows: list[list[Any]], catalog) -> None:
    """One cell made invalid, in a CSV (or sheet) laid out like the fixture."""
    kind = draw(st.sampled_from(["answer", "date", "uscc", "fact", "site", "huge", "kind", "id", "sha"]))
    entry = draw(st.sampled_from(ENTRY_ROWS))
    if kind == "answer":
        fact_id = rows[entry][COL["检查项编号"]]
        fact = catalog.facts[fact_id]
        rows[entry][COL["回答"]] = draw(_bad_answer(fact))
    elif kind == "date":
        rows[PROFILE_ROW["检查日期"]][1] = draw(bad_dates.filter(lambda s: s.strip() != "" and _bad_table_date(s)))
    elif kind == "uscc":
        rows[PROFILE_ROW["统一社会信用代码"]][1] = draw(bad_usccs.filter(lambda s: s.strip() != ""))
    elif kind == "fact":
        rows[entry][COL["检查项编号"]] = draw(unknown_ids)
    elif kind == "site":
        rows[HEADER + 1][COL["场所编号"]] = draw(unknown_ids)
    elif kind == "huge":
        rows[entry][COL["隐患描述"]] = "长" * draw(st.integers(5001, 20000))
        if not rows[entry][COL["检查发现编号"]]:
            rows[entry][COL["检查发现编号"]] = "F9"
    elif kind == "kind":
        rows[PROFILE_ROW["检查类型"]][1] = draw(st.text(min_size=1, max_size=10).filter(
            lambda s: s.strip() and s.strip() not in KINDS))
    elif kind == "id":
        rows[entry][COL["检查发现编号"]] = draw(st.text(min_size=1, max_size=70).filter(
            lambda s: s.strip() and not ID.match(s.strip())))
    else:
        rows[HEADER + 1][COL["证据SHA256"]] = draw(st.text(min_size=1, max_size=70).filter(
            lambda s: s.strip() and not re.fullmatch(r"[0-9a-fA-F]{64}", s.strip())))


@FUZZ
@given(st.data())
def test_malformed_csv(cat, data):
    rows = [list(r) for r in CSV_ROWS]
    csv_mutation(data.draw, rows, cat)
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=data.draw(st.sampled_from([",", ";", "\t"]))).writerows(rows)
    text = buffer.getvalue()
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"]))
    try:
        body = text.encode(encoding)
    except UnicodeEncodeError:
        body = text.encode("utf-8")
    with workdir() as tmp:
        path = tmp / "检查表.csv"
        path.write_bytes(body)
        code, err = run_cli(path, data.draw(formats))
        assert_bad(path, code, err)
        assert re.search(r"第 \d+ 行", err), err


def sheet_bytes(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "检查表"
    for row in rows:
        ws.append([None if v == "" else v for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@FUZZ
@given(st.data())
def test_malformed_xlsx_cells(cat, data):
    rows = [list(r) for r in CSV_ROWS]
    csv_mutation(data.draw, rows, cat)
    rows = [[_excel_safe(v) for v in row] for row in rows]
    with workdir() as tmp:
        path = tmp / "检查表.xlsx"
        path.write_bytes(sheet_bytes(rows))
        code, err = run_cli(path, data.draw(formats))
        assert_bad(path, code, err)
        assert "工作表“检查表”" in err, err


def _excel_safe(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)[:32767] or "?"
        if value.startswith("="):
            value = "'" + value
    return value


@FUZZ
@given(st.data())
def test_xlsx_random_cells(cat, data):
    """Random values of any Excel type in the table: judged or refused, never a crash."""
    rows = [list(r) for r in CSV_ROWS]
    cell = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                     st.floats(allow_nan=False, allow_infinity=False),
                     st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
                     st.text(max_size=20))
    for _ in range(data.draw(st.integers(1, 4))):
        r = data.draw(st.integers(0, len(rows) - 1))
        c = data.draw(st.integers(0, max(len(rows[r]), 1)))
        while len(rows[r]) <= c:
            rows[r].append("")
        rows[r][c] = _excel_safe(data.draw(cell))
    with workdir() as tmp:
        path = tmp / "x.xlsx"
        path.write_bytes(sheet_bytes(rows))
        run_cli(path, data.draw(formats))


BASE_XLSX = sheet_bytes([list(r) for r in CSV_ROWS])


@FUZZ
@given(cut=st.integers(0, len(BASE_XLSX) - 1), fmt=formats)
def test_truncated_xlsx(cat, cut, fmt):
    with workdir() as tmp:
        path = tmp / "cut.xlsx"
        path.write_bytes(BASE_XLSX[:cut])
        code, err = run_cli(path, fmt)
        assert_bad(path, code, err, position=False)


@FUZZ
@given(flips=st.lists(st.tuples(st.integers(0, len(BASE_XLSX) - 1), st.integers(1, 255)), min_size=1, max_size=4),
       fmt=formats)
def test_corrupted_xlsx(cat, flips, fmt):
    body = bytearray(BASE_XLSX)
    for at, mask in flips:
        body[at] ^= mask
    with workdir() as tmp:
        path = tmp / "flipped.xlsx"
        path.write_bytes(bytes(body))
        run_cli(path, fmt)  # a flip in an unused byte may leave it readable: judged or refused


def test_the_valid_bases_are_valid(cat):
    """The fuzz bases themselves are judged (so a refusal above is the mutation's doing)."""
    with workdir() as tmp:
        for name, body in (("x.yaml", yaml.safe_dump(example_checklist(), allow_unicode=True).encode()),
                           ("x.xlsx", BASE_XLSX)):
            path = tmp / name
            path.write_bytes(body)
            code, err = run_cli(path, "json")
            assert code == 0, err  # --exit-zero
            (tmp / "out").rmdir()
    assert zipfile.is_zipfile(io.BytesIO(BASE_XLSX))
