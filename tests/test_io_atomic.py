"""Never lose data: inputs are only read, outputs appear whole or not at all, and an existing
file is only replaced with --force."""

from __future__ import annotations

import os
import shutil

import pytest

from hazardrules import output as atomic

from .conftest import ROOT
from .helpers import EXAMPLE

CSV = ROOT / "tests" / "fixtures" / "io" / "gongmao-self-check.csv"


@pytest.mark.parametrize("fmt", ["xlsx", "html"])
def test_existing_output_needs_force(tmp_path, run, fmt):
    out = tmp_path / f"out.{fmt}"
    out.write_bytes(b"keep me")
    code, _, err = run("check", EXAMPLE, "--format", fmt, "-o", out)
    assert code == 2 and "--force" in err
    assert out.read_bytes() == b"keep me"
    code, _, err = run("check", EXAMPLE, "--format", fmt, "-o", out, "--force")
    assert code == 1, err
    assert out.read_bytes() != b"keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_input_is_never_the_output(tmp_path, run, suffix):
    source = tmp_path / f"in{suffix}"
    if suffix == ".csv":
        shutil.copy(CSV, source)
    else:
        code, _, err = run("template", "--industry", "有色", "--format", "xlsx", "-o", source)
        assert code == 0, err
    before = source.read_bytes()
    code, _, err = run("check", source, "--format", "xlsx", "-o", source, "--force")
    assert code == 2 and "输入文件" in err
    assert source.read_bytes() == before


def test_inputs_are_only_read(tmp_path, run):
    source = tmp_path / "in.csv"
    shutil.copy(CSV, source)
    os.chmod(source, 0o444)
    stat = source.stat()
    for fmt in ("json", "html", "xlsx"):
        out = tmp_path / f"out.{fmt}"
        code, _, err = run("check", source, "--format", fmt, "-o", out)
        assert code == 1, err
    assert source.stat().st_mtime_ns == stat.st_mtime_ns and source.read_bytes() == CSV.read_bytes()


@pytest.mark.parametrize("where", ["replace", "fsync"])
def test_an_interrupted_write_leaves_nothing(tmp_path, run, monkeypatch, where):
    def interrupt(*_args, **_kw):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, where, interrupt)
    out = tmp_path / "台账.xlsx"
    code, _, err = run("check", EXAMPLE, "--format", "xlsx", "-o", out)
    assert code == 130, err
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_is_bad_output_not_a_crash(tmp_path, run, monkeypatch):
    def fail(*_args, **_kw):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic.os, "replace", fail)
    code, _, err = run("check", EXAMPLE, "--format", "xlsx", "-o", tmp_path / "x.xlsx")
    assert code == 2 and "无法写入" in err
    assert list(tmp_path.iterdir()) == []


def test_missing_directory_and_directory_target(tmp_path, run):
    code, _, err = run("check", EXAMPLE, "--format", "xlsx", "-o", tmp_path / "nope" / "x.xlsx")
    assert code == 2 and "输出目录不存在" in err
    code, _, err = run("check", EXAMPLE, "--format", "xlsx", "-o", tmp_path, "--force")
    assert code == 2 and "目录" in err
